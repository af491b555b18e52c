"""The drift rules: what differs between the cluster and Git, as `Rule` data."""

from __future__ import annotations

from gitwarden.findings import Severity
from gitwarden.rules import Rule

FAMILY = "drift"
GITOPS_PRINCIPLES_URL = "https://opengitops.dev/"
SSA_URL = "https://kubernetes.io/docs/reference/using-api/server-side-apply/"
RBAC_URL = "https://kubernetes.io/docs/reference/access-authn-authz/rbac/"

FIELD_CHANGED = Rule(
    id="drift-field-changed",
    family=FAMILY,
    severity=Severity.MEDIUM,
    title="A live field differs from Git",
    rationale="A change made in the cluster (kubectl edit, patch, a manual apply) is invisible "
    "in review and is lost or fought over at the next sync.",
    remediation="Commit the change to Git, or re-apply the declared state.",
    references=(GITOPS_PRINCIPLES_URL, SSA_URL),
)
SECURITY_FIELD_CHANGED = Rule(
    id="drift-security-field-changed",
    family=FAMILY,
    severity=Severity.HIGH,
    title="A security-relevant live field differs from Git",
    rationale="securityContext, images, RBAC rules and subjects, hostPath, service accounts and "
    "NetworkPolicies changed outside Git bypass every review and gate this repository has.",
    remediation="Restore the declared state at once and find who changed it (the field manager).",
    references=(GITOPS_PRINCIPLES_URL, SSA_URL),
)
IMAGE_DRIFT = Rule(
    id="drift-image",
    family=FAMILY,
    severity=Severity.HIGH,
    title="A running image differs from the one Git declares",
    rationale="A container whose digest is not the one pinned in Git (or that no manifest "
    "names) runs code nobody reviewed; a tag that resolves to two digests was moved.",
    remediation="Pin images by digest in Git and roll the workload out again from Git.",
    references=("https://kubernetes.io/docs/concepts/containers/images/#image-names",),
)
UNMANAGED = Rule(
    id="drift-unmanaged",
    family=FAMILY,
    severity=Severity.MEDIUM,
    title="A live object no manifest declares and no controller owns",
    rationale="Objects created by hand (a ClusterRoleBinding to cluster-admin, a debug "
    "Deployment) live outside review; RBAC and webhooks among them grant power silently.",
    remediation="Add the object to Git, or delete it from the cluster.",
    references=(GITOPS_PRINCIPLES_URL, RBAC_URL),
)
MISSING = Rule(
    id="drift-missing",
    family=FAMILY,
    severity=Severity.MEDIUM,
    title="A declared object is absent from the cluster",
    rationale="A NetworkPolicy, PodDisruptionBudget or Role that Git declares but the cluster "
    "lacks gives none of the protection the repository promises.",
    remediation="Sync the environment (or apply the manifest), and find why it was removed.",
    references=(GITOPS_PRINCIPLES_URL,),
)
CONTROLLER_UNHEALTHY = Rule(
    id="drift-controller-unhealthy",
    family=FAMILY,
    severity=Severity.HIGH,
    title="A GitOps controller does not reconcile what Git declares",
    rationale="An Argo CD Application out of sync, degraded or without auto-sync, or a Flux "
    "Kustomization or HelmRelease suspended or not ready, lets the cluster drift unseen; a "
    "revision other than the one the gate allowed is running unreviewed code.",
    remediation="Resume and repair reconciliation; sync to the revision the gate allowed.",
    references=(
        "https://argo-cd.readthedocs.io/en/stable/user-guide/auto_sync/",
        "https://fluxcd.io/flux/components/kustomize/kustomizations/",
    ),
)
NOT_COMPARED = Rule(
    id="drift-not-compared",
    family=FAMILY,
    severity=Severity.HIGH,
    title="Part of the live state could not be read",
    rationale="A kind the identity may not list (or a dump does not hold) may hide any drift: "
    "what was not checked is not clean.",
    remediation="Grant the missing read-only RBAC verb on the resource (or add the kind to the "
    "dump), or disable this rule for kinds you accept not to compare.",
    references=(RBAC_URL,),
)

DRIFT_RULES = (
    FIELD_CHANGED,
    SECURITY_FIELD_CHANGED,
    IMAGE_DRIFT,
    UNMANAGED,
    MISSING,
    CONTROLLER_UNHEALTHY,
    NOT_COMPARED,
)
