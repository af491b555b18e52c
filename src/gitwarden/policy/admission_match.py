"""Which objects an admission policy applies to: `matchConstraints` / `matchResources`.

Offline, every committed object is treated as a CREATE or UPDATE request for itself. The
namespace of a namespaced object is the Namespace object in the repository when there is
one, else a namespace carrying only its ``kubernetes.io/metadata.name`` label (as every
namespace has).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gitwarden.manifests.objects import K8sObject
from gitwarden.manifests.selectors import label_selector_matches

_IRREGULAR_PLURALS = {"Endpoints": "endpoints", "Ingress": "ingresses"}
# Kinds that live outside namespaces (the common ones; others are judged by their metadata).
CLUSTER_SCOPED = frozenset(
    {
        "Namespace",
        "Node",
        "PersistentVolume",
        "ClusterRole",
        "ClusterRoleBinding",
        "CustomResourceDefinition",
        "StorageClass",
        "PriorityClass",
        "IngressClass",
        "RuntimeClass",
        "ValidatingWebhookConfiguration",
        "MutatingWebhookConfiguration",
        "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding",
        "APIService",
        "ClusterPolicy",
    }
)
ADMITTED_OPERATIONS = ("CREATE", "UPDATE")


def resource_name(kind: str) -> str:
    """The API resource of a kind: ``NetworkPolicy`` -> ``networkpolicies``."""
    if kind in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[kind]
    lower = kind.lower()
    if lower.endswith("y") and lower[-2:-1] not in ("a", "e", "i", "o", "u"):
        return lower[:-1] + "ies"
    if lower.endswith(("s", "x", "ch", "sh")):
        return lower + "es"
    return lower + "s"


def is_namespaced(obj: K8sObject) -> bool:
    return obj.kind not in CLUSTER_SCOPED


def request_for(obj: K8sObject) -> dict[str, Any]:
    """The admission request a GitOps controller's apply of ``obj`` would make."""
    group = obj.api_group
    version = obj.api_version.rpartition("/")[2]
    return {
        "kind": {"group": group, "version": version, "kind": obj.kind},
        "resource": {"group": group, "version": version, "resource": resource_name(obj.kind)},
        "name": obj.name,
        "namespace": obj.namespace or ("default" if is_namespaced(obj) else ""),
        "operation": "CREATE",
        "userInfo": {"username": "", "groups": []},
        "dryRun": False,
        "options": {},
    }


def namespace_object(
    obj: K8sObject, namespaces: Mapping[str, Mapping[str, Any]]
) -> Mapping[str, Any] | None:
    if obj.kind == "Namespace":
        return None
    if not is_namespaced(obj):
        return None
    name = obj.namespace or "default"
    found = namespaces.get(name)
    if found is not None:
        return found
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": name, "labels": {"kubernetes.io/metadata.name": name}},
    }


def matches_resources(
    match: Any, obj: K8sObject, namespace: Mapping[str, Any] | None, *, required: bool
) -> bool:
    """Whether ``match`` (matchConstraints or a binding's matchResources) selects ``obj``.

    ``required``: a policy's matchConstraints must list resourceRules; a binding's
    matchResources may be empty (it then narrows nothing).
    """
    if not isinstance(match, Mapping):
        return not required
    rules = match.get("resourceRules")
    if rules is None:
        if required:
            return False
    elif not any(_rule_matches(rule, obj) for rule in _list(rules)):
        return False
    if any(_rule_matches(rule, obj) for rule in _list(match.get("excludeResourceRules"))):
        return False
    if not label_selector_matches(match.get("objectSelector"), obj.labels):
        return False
    return _namespace_selected(match.get("namespaceSelector"), obj, namespace)


def _namespace_selected(selector: Any, obj: K8sObject, namespace: Mapping[str, Any] | None) -> bool:
    if obj.kind == "Namespace":
        return label_selector_matches(selector, obj.labels)
    if namespace is None:  # other cluster-scoped objects are never skipped by it
        return True
    metadata = namespace.get("metadata")
    labels = metadata.get("labels") if isinstance(metadata, Mapping) else None
    return label_selector_matches(selector, labels if isinstance(labels, Mapping) else {})


def _rule_matches(rule: Any, obj: K8sObject) -> bool:
    if not isinstance(rule, Mapping):
        return False
    version = obj.api_version.rpartition("/")[2]
    resource = resource_name(obj.kind)
    operations = _strings(rule.get("operations"))
    names = _strings(rule.get("resourceNames"))
    scope = rule.get("scope", "*")
    return (
        _listed(obj.api_group, rule.get("apiGroups"))
        and _listed(version, rule.get("apiVersions"))
        and any(r in ("*", "*/*", resource) for r in _strings(rule.get("resources")))
        and ("*" in operations or any(op in operations for op in ADMITTED_OPERATIONS))
        and (not names or obj.name in names)
        and (scope == "*" or (scope == "Namespaced") == is_namespaced(obj))
    )


def _listed(value: str, allowed: Any) -> bool:
    values = _strings(allowed)
    return "*" in values or value in values


def _strings(value: Any) -> list[str]:
    return [str(v) for v in _list(value)]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
