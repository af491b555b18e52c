"""Argo CD repository and cluster credential Secrets: committed in clear, or trusting anyone."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from gitwarden.checks.argocd.argo_objects import (
    DECLARATIVE_URL,
    FAMILY,
    SECRET_MANAGEMENT_URL,
)
from gitwarden.checks.check import Check, CheckContext
from gitwarden.checks.rule_declaration import FamilyRules
from gitwarden.findings import Finding, Severity
from gitwarden.manifests.objects import K8sObject

CREDENTIAL_SECRET_TYPES = frozenset(
    {"repository", "repo-creds", "repository-write", "repo-write-creds", "cluster"}
)
CREDENTIAL_KEYS = (
    "password",
    "sshPrivateKey",
    "tlsClientCertKey",
    "githubAppPrivateKey",
    "bearerToken",
    "config",
)
SECRET_TYPE_LABEL = "argocd.argoproj.io/secret-type"
_TRUE_VALUES = frozenset({"true", "dHJ1ZQ=="})  # "true", and "true" base64-encoded in data
REPOSITORY_SECRET_TYPES = frozenset(
    {"repository", "repo-creds", "repository-write", "repo-write-creds"}
)

rules = FamilyRules(FAMILY)


def _is_sops_encrypted(obj: K8sObject) -> bool:
    sops = obj.get(("sops",))
    return isinstance(sops, Mapping) and bool(sops.get("mac"))


PLAINTEXT_CREDENTIALS = rules.rule(
    "argocd-plaintext-credentials",
    Severity.CRITICAL,
    title="Argo CD repository or cluster credentials committed in plain text",
    rationale=(
        "A Secret labelled `argocd.argoproj.io/secret-type` holds Git passwords, SSH keys or "
        "cluster bearer tokens; committed as `data`/`stringData` they are readable by everyone "
        "who can read the repository, forever, through its history."
    ),
    remediation=(
        "Rotate the credential, then commit it as a SealedSecret, a SOPS-encrypted Secret or an "
        "ExternalSecret instead."
    ),
    references=(DECLARATIVE_URL, SECRET_MANAGEMENT_URL),
)


@rules.finds(PLAINTEXT_CREDENTIALS)
def find_plaintext_credentials(context: CheckContext) -> Iterator[Finding]:
    for obj in context.of_kind("Secret"):
        secret_type = obj.labels.get(SECRET_TYPE_LABEL)
        if secret_type not in CREDENTIAL_SECRET_TYPES or _is_sops_encrypted(obj):
            continue
        for section in ("data", "stringData"):
            values = obj.get((section,))
            if not isinstance(values, Mapping):
                continue
            for key in CREDENTIAL_KEYS:
                value = values.get(key)
                if isinstance(value, str) and value.strip():
                    yield PLAINTEXT_CREDENTIALS.finding(
                        f"{obj.resource} ({secret_type} credentials) holds '{key}' in plain "
                        f"{section}: rotate it and commit it encrypted (SealedSecret, SOPS) "
                        "or as an ExternalSecret.",
                        obj.location((section, key)),
                        details={"key": key, "secret_type": str(secret_type)},
                    )


INSECURE_REPOSITORY = rules.rule(
    "argocd-repository-insecure",
    Severity.HIGH,
    title="Argo CD repository credentials skip TLS or SSH host verification",
    rationale=(
        '`insecure: "true"` or `insecureIgnoreHostKey: "true"` on a repository Secret makes Argo '
        "CD accept any server certificate or SSH host key for that repository: whoever sits in the "
        "network path serves the manifests it applies and receives its credentials."
    ),
    remediation=(
        "Remove the flag; add the server's CA (argocd-tls-certs-cm) or SSH host key "
        "(argocd-ssh-known-hosts-cm) instead."
    ),
    references=(DECLARATIVE_URL,),
)


@rules.finds(INSECURE_REPOSITORY)
def find_insecure_repositories(context: CheckContext) -> Iterator[Finding]:
    for obj in context.of_kind("Secret"):
        if obj.labels.get(SECRET_TYPE_LABEL) not in REPOSITORY_SECRET_TYPES:
            continue
        for section in ("data", "stringData"):
            values = obj.get((section,))
            if not isinstance(values, Mapping):
                continue
            for key in ("insecure", "insecureIgnoreHostKey"):
                if str(values.get(key, "")).strip() in _TRUE_VALUES:
                    yield INSECURE_REPOSITORY.finding(
                        f"{obj.resource} sets {key}: Argo CD does not verify the repository "
                        "server; add its CA or SSH host key instead.",
                        obj.location((section, key)),
                    )


CHECKS: tuple[Check, ...] = rules.checks()
