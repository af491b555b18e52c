"""Rules for credentials that Kubernetes-aware parsing finds (not a pattern: a place)."""

from __future__ import annotations

from gitwarden.findings import Severity
from gitwarden.rules import Rule
from gitwarden.secrets.rule_spec import FAMILY

_SECRET_DOCS = "https://kubernetes.io/docs/concepts/configuration/secret/"
_ROTATE = (
    "Rotate the credential, delete the plain Secret from Git, and commit it encrypted "
    "(SOPS, SealedSecret) or reference it from a secret manager (ExternalSecret)."
)

KUBERNETES_SECRET_DATA = Rule(
    id="kubernetes-secret-data",
    family=FAMILY,
    severity=Severity.HIGH,
    title="Kubernetes Secret committed with its data in plain text",
    rationale=(
        "A Secret's data is only base64-encoded, which anyone can decode: committed to Git, "
        "the value is readable by everyone with access to the repository, forever."
    ),
    remediation=_ROTATE,
    references=(_SECRET_DOCS,),
)

ARGOCD_REPOSITORY_CREDENTIALS = Rule(
    id="argocd-repository-credentials",
    family=FAMILY,
    severity=Severity.CRITICAL,
    title="Argo CD repository or cluster credentials committed in plain text",
    rationale=(
        "An Argo CD repository, repo-creds or cluster Secret grants read (often write) "
        "access to the GitOps sources or the clusters themselves."
    ),
    remediation=_ROTATE,
    references=(
        "https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/#repositories",
    ),
)

FLUX_SOURCE_CREDENTIALS = Rule(
    id="flux-source-credentials",
    family=FAMILY,
    severity=Severity.CRITICAL,
    title="Flux source credentials committed in plain text",
    rationale=(
        "The Secret a Flux GitRepository, HelmRepository or OCIRepository authenticates "
        "with grants access to the sources the cluster deploys from."
    ),
    remediation=_ROTATE,
    references=("https://fluxcd.io/flux/components/source/gitrepositories/#secret-reference",),
)

KUSTOMIZE_SECRET_LITERAL = Rule(
    id="kustomize-secret-literal",
    family=FAMILY,
    severity=Severity.HIGH,
    title="kustomize secretGenerator literal holds a secret value",
    rationale="secretGenerator literals are the Secret's data, written in plain text in Git.",
    remediation=(
        "Rotate the value and generate the Secret from an encrypted source (SOPS with the "
        "ksops or Flux decryption) or an ExternalSecret."
    ),
    references=(
        "https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/secretgenerator/",
    ),
)

KUSTOMIZE_SECRET_ENV = Rule(
    id="kustomize-secret-env",
    family=FAMILY,
    severity=Severity.HIGH,
    title="Env file feeding a kustomize secretGenerator holds secret values",
    rationale="Every value of an env file named by secretGenerator becomes Secret data.",
    remediation=KUSTOMIZE_SECRET_LITERAL.remediation,
    references=KUSTOMIZE_SECRET_LITERAL.references,
)

KUSTOMIZE_SECRET_FILE = Rule(
    id="kustomize-secret-file",
    family=FAMILY,
    severity=Severity.HIGH,
    title="File feeding a kustomize secretGenerator is committed in plain text",
    rationale="A file named by secretGenerator `files` becomes Secret data as it is.",
    remediation=KUSTOMIZE_SECRET_LITERAL.remediation,
    references=KUSTOMIZE_SECRET_LITERAL.references,
)

HELM_VALUES_SECRET = Rule(
    id="helm-values-secret",
    family=FAMILY,
    severity=Severity.HIGH,
    title="Helm values file sets a password, token or key in plain text",
    rationale=(
        "Values files are committed next to the chart; a credential set there is in the "
        "repository's history even when the release reads it into a Secret."
    ),
    remediation=(
        "Rotate it; point the chart at an existing Secret (existingSecret) managed by SOPS, "
        "SealedSecrets or External Secrets, or pass the value at deploy time."
    ),
    references=("https://helm.sh/docs/chart_best_practices/values/",),
)

UNPARSED_SECRET_DATA = Rule(
    id="unparsed-secret-data",
    family=FAMILY,
    severity=Severity.HIGH,
    title="Secret data committed in plain text in a manifest that does not parse",
    rationale=(
        "A file that is not valid YAML is never applied, but it is still in the repository: "
        "the base64 in its `data:` is readable by everyone who can clone it, and the checks "
        "that read parsed objects never see it."
    ),
    remediation=_ROTATE,
    references=(_SECRET_DOCS,),
)

KUBERNETES_RULES = (
    KUBERNETES_SECRET_DATA,
    ARGOCD_REPOSITORY_CREDENTIALS,
    FLUX_SOURCE_CREDENTIALS,
    KUSTOMIZE_SECRET_LITERAL,
    KUSTOMIZE_SECRET_ENV,
    KUSTOMIZE_SECRET_FILE,
    HELM_VALUES_SECRET,
    UNPARSED_SECRET_DATA,
)
