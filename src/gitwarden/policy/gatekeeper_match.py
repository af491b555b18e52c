"""Which objects a Gatekeeper Constraint applies to: its ``spec.match``, as Gatekeeper reads it.

``kinds`` (apiGroups x kinds, ``*`` for any), ``scope`` (``*``, ``Cluster``, ``Namespaced``),
``namespaces`` / ``excludedNamespaces`` (names with a leading or trailing ``*`` glob),
``labelSelector``, ``namespaceSelector`` and ``name``. As in Gatekeeper, a Namespace is
matched by its own name and labels, and cluster-scoped objects (and objects whose namespace
is not written down) are never filtered out by the namespace criteria: unknown means checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gitwarden.manifests.objects import K8sObject
from gitwarden.manifests.selectors import label_selector_matches
from gitwarden.policy.admission_match import is_namespaced


def constraint_matches(match: Any, obj: K8sObject, namespace: Mapping[str, Any] | None) -> bool:
    """Whether a Constraint's ``spec.match`` (None: everything) selects ``obj``.

    ``namespace`` is the body of the object's Namespace (from the repository, or one with only
    its ``kubernetes.io/metadata.name`` label), None for cluster-scoped objects.
    """
    if match is None:
        return True
    if not isinstance(match, Mapping):
        return False
    return (
        _kinds_match(match.get("kinds"), obj)
        and _scope_matches(match.get("scope"), obj)
        and _namespaces_match(match, obj)
        and _name_matches(match.get("name"), obj.name)
        and label_selector_matches(match.get("labelSelector"), obj.labels)
        and _namespace_selector_matches(match.get("namespaceSelector"), obj, namespace)
        # Objects in a repository are originals; "Generated" means expanded by Gatekeeper.
        and str(match.get("source") or "All") in ("All", "Original")
    )


def _kinds_match(kinds: Any, obj: K8sObject) -> bool:
    if kinds is None:
        return True
    if not isinstance(kinds, list):
        return False
    if not kinds:
        return True
    for entry in kinds:
        if not isinstance(entry, Mapping):
            continue
        groups = [str(g) for g in entry.get("apiGroups") or ["*"]]
        names = [str(k) for k in entry.get("kinds") or ["*"]]
        if ("*" in groups or obj.api_group in groups) and ("*" in names or obj.kind in names):
            return True
    return False


def _scope_matches(scope: Any, obj: K8sObject) -> bool:
    if scope in (None, "*"):
        return True
    return bool(scope == "Namespaced") == _in_a_namespace(obj)


def _in_a_namespace(obj: K8sObject) -> bool:
    return is_namespaced(obj) and obj.kind != "Namespace"


def _namespace_of(obj: K8sObject) -> str | None:
    """The namespace the criteria compare: a Namespace's own name, else the object's
    written namespace; None when the criteria do not apply."""
    if obj.kind == "Namespace":
        return obj.name
    if not _in_a_namespace(obj) or not obj.namespace:
        return None
    return obj.namespace


def _namespaces_match(match: Mapping[str, Any], obj: K8sObject) -> bool:
    namespace = _namespace_of(obj)
    if namespace is None:
        return True
    included = match.get("namespaces")
    if isinstance(included, list) and included and not _any_glob(included, namespace):
        return False
    excluded = match.get("excludedNamespaces")
    return not (isinstance(excluded, list) and _any_glob(excluded, namespace))


def _name_matches(pattern: Any, name: str) -> bool:
    return pattern in (None, "") or glob_matches(str(pattern), name)


def _namespace_selector_matches(
    selector: Any, obj: K8sObject, namespace: Mapping[str, Any] | None
) -> bool:
    if selector is None:
        return True
    if obj.kind == "Namespace":
        return label_selector_matches(selector, obj.labels)
    if namespace is None or not obj.namespace:
        return True
    metadata = namespace.get("metadata")
    labels = metadata.get("labels") if isinstance(metadata, Mapping) else None
    return label_selector_matches(selector, labels if isinstance(labels, Mapping) else {})


def _any_glob(patterns: list[Any], value: str) -> bool:
    return any(glob_matches(str(p), value) for p in patterns)


def glob_matches(pattern: str, value: str) -> bool:
    """Gatekeeper's name globs: ``*`` alone, or one ``*`` at the start or at the end."""
    if pattern == "*":
        return True
    if pattern.endswith("*"):
        return value.startswith(pattern[:-1])
    if pattern.startswith("*"):
        return value.endswith(pattern[1:])
    return value == pattern
