"""Objects on one side only: unmanaged live objects, missing declared ones, kinds not read."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping

from gitwarden.drift.fix_hints import missing_hint, unmanaged_hint
from gitwarden.drift.object_identity import ObjectKey
from gitwarden.drift.rules import MISSING, NOT_COMPARED, UNMANAGED
from gitwarden.findings import Finding, Location, Severity
from gitwarden.manifests.objects import K8sObject
from gitwarden.sources.live_state import LiveObject, UnreadKind

# Made by controllers or the control plane for something else; an owner says so.
DERIVED_KINDS = frozenset(
    {
        ("", "Pod"),
        ("", "Endpoints"),
        ("", "Event"),
        ("apps", "ReplicaSet"),
        ("apps", "ControllerRevision"),
        ("discovery.k8s.io", "EndpointSlice"),
        ("coordination.k8s.io", "Lease"),
        ("events.k8s.io", "Event"),
    }
)
POWERFUL_KINDS = frozenset(
    {
        "Role",
        "ClusterRole",
        "RoleBinding",
        "ClusterRoleBinding",
        "MutatingWebhookConfiguration",
        "ValidatingWebhookConfiguration",
    }
)
# What every namespace gets from the control plane.
CONTROL_PLANE_OBJECTS = frozenset(
    {("", "ConfigMap", "kube-root-ca.crt"), ("", "ServiceAccount", "default")}
)
# Objects another GitOps application declares and reconciles.
GITOPS_TRACKING = ("argocd.argoproj.io/tracking-id",)
GITOPS_LABELS = ("kustomize.toolkit.fluxcd.io/name", "helm.toolkit.fluxcd.io/name")


def unmanaged_objects(
    live: Mapping[ObjectKey, LiveObject],
    desired: Collection[ObjectKey],
    namespaces: frozenset[str],
    *,
    fix_hints: bool,
) -> Iterator[Finding]:
    """Live objects in scope that nothing declares and no controller owns."""
    for key, obj in sorted(live.items()):
        if key in desired or not _in_scope(key, namespaces) or _owned(key, obj):
            continue
        severity = Severity.HIGH if key.kind in POWERFUL_KINDS else UNMANAGED.severity
        message = f"{key.resource} exists in the cluster, but no manifest declares it"
        grants = _grant(obj)
        if grants:
            message += f" ({grants})"
        managers = _managers(obj)
        if managers:
            message += f"; created by {managers}"
        details = {"live_source": obj.source, "field_manager": managers}
        if fix_hints:
            details["fix_hint"] = unmanaged_hint(key)
            message += f". Fix: {details['fix_hint']}"
        location = Location(file=obj.source, resource=key.resource)
        yield UNMANAGED.finding(message, location, severity=severity, details=details)


def missing_objects(
    desired: Mapping[ObjectKey, K8sObject],
    live: Collection[ObjectKey],
    listed: Collection[tuple[str, str]],
    *,
    fix_hints: bool,
) -> Iterator[Finding]:
    """Declared objects of a completely listed kind that the cluster does not hold."""
    for key, obj in sorted(desired.items()):
        if key in live or (key.group, key.kind) not in listed:
            continue
        message = f"{key.resource} is declared in Git but absent from the cluster"
        details: dict[str, str] = {}
        if fix_hints:
            details["fix_hint"] = missing_hint(key, obj.file)
            message += f". Fix: {details['fix_hint']}"
        yield MISSING.finding(message, obj.location(), details=details)


def unread_kinds(unread: Collection[UnreadKind], origin: str) -> Iterator[Finding]:
    """A kind the identity may not list: the missing RBAC permission, never silence."""
    for kind in unread:
        where = f"in namespace {kind.namespace}" if kind.namespace else "cluster-wide"
        group = kind.group or "core"
        message = (
            f"{kind.kind} ({group}) could not be read {where}: {kind.reason}. "
            f"Grant `{kind.verb}` on `{kind.resource}`"
            + (f" in API group {kind.group!r}" if kind.group else "")
            + " to compare it"
        )
        resource = "/".join(p for p in (kind.kind, kind.namespace or "") if p)
        yield NOT_COMPARED.finding(
            message,
            Location(file=origin, resource=resource),
            details={"verb": kind.verb, "resource": kind.resource, "group": kind.group},
        )


def kinds_not_in_live(
    desired: Collection[ObjectKey],
    listed: Collection[tuple[str, str]],
    unread: Collection[UnreadKind],
    origin: str,
) -> Iterator[Finding]:
    """Declared kinds the live source holds nothing about (not served, not in the dump)."""
    refused = {(kind.group, kind.kind) for kind in unread}
    kinds = sorted({(key.group, key.kind) for key in desired} - set(listed) - refused)
    for group, kind in kinds:
        yield NOT_COMPARED.finding(
            f"{kind} ({group or 'core'}) is declared in Git, but the live state holds no list of "
            "it (the cluster does not serve it, or the dump does not include it): not compared",
            Location(file=origin, resource=kind),
            details={"verb": "list", "resource": kind.lower(), "group": group},
        )


def _in_scope(key: ObjectKey, namespaces: frozenset[str]) -> bool:
    if (key.group, key.kind) in DERIVED_KINDS:
        return False
    if not key.namespace:
        return key.kind in POWERFUL_KINDS or key.kind == "CustomResourceDefinition"
    return not namespaces or key.namespace in namespaces


def _owned(key: ObjectKey, obj: LiveObject) -> bool:
    metadata = obj.metadata
    owners = metadata.get("ownerReferences")
    if isinstance(owners, list) and any(isinstance(o, Mapping) for o in owners):
        return True
    if (key.group, key.kind, key.name) in CONTROL_PLANE_OBJECTS or key.name.startswith("system:"):
        return True
    labels = _mapping(metadata.get("labels"))
    annotations = _mapping(metadata.get("annotations"))
    if labels.get("kubernetes.io/bootstrapping") == "rbac-defaults":
        return True
    if "kubernetes.io/service-account.name" in annotations:
        return True
    return any(a in annotations for a in GITOPS_TRACKING) or any(
        label in labels for label in GITOPS_LABELS
    )


def _grant(obj: LiveObject) -> str:
    role = obj.body.get("roleRef")
    if isinstance(role, Mapping) and role.get("name"):
        return f"grants {role.get('kind', 'Role')} {role['name']}"
    return ""


def _managers(obj: LiveObject) -> str:
    entries = obj.metadata.get("managedFields")
    if not isinstance(entries, list):
        return ""
    names = dict.fromkeys(str(e.get("manager")) for e in entries if isinstance(e, Mapping))
    return ", ".join(names)


def _mapping(value: object) -> Mapping[str, object]:
    return value if isinstance(value, Mapping) else {}
