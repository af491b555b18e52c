"""Which drifted fields touch security: they make a change high instead of medium."""

from __future__ import annotations

from collections.abc import Sequence

SECURITY_FIELD_NAMES = frozenset(
    {
        "securityContext",
        "image",
        "hostPath",
        "hostNetwork",
        "hostPID",
        "hostIPC",
        "hostPort",
        "serviceAccountName",
        "serviceAccount",
        "automountServiceAccountToken",
        "privileged",
        "capabilities",
        "allowPrivilegeEscalation",
        "runAsUser",
        "runAsNonRoot",
    }
)
RBAC_KINDS = frozenset({"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"})
RBAC_FIELDS = frozenset({"rules", "subjects", "roleRef", "aggregationRule"})
WHOLLY_SECURITY_KINDS = frozenset(
    {"NetworkPolicy", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"}
)


def is_security_relevant(kind: str, pattern: Sequence[str]) -> bool:
    """``pattern`` is the field path with ``*`` for list items."""
    if kind in WHOLLY_SECURITY_KINDS and pattern and pattern[0] != "metadata":
        return True
    if kind in RBAC_KINDS and pattern and pattern[0] in RBAC_FIELDS:
        return True
    return any(part in SECURITY_FIELD_NAMES for part in pattern)
