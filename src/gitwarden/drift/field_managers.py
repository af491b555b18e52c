"""Who set a field: server-side-apply `managedFields` (FieldsV1) read alongside the object.

A FieldsV1 set is a tree: ``f:name`` for a map key, ``k:{"name":"app"}`` for a list item
found by its keys, ``v:"value"`` for an item of a set, ``.`` for the node itself. The
comparison walks it next to the object, so the owners of any field are known where a
difference is found, without building paths twice.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# Managers that write what Git declares, or that only fill in what the server computes.
# A field they own is not a hand edit.
DEFAULT_TRUSTED_MANAGERS = frozenset(
    {
        "argocd-controller",
        "argocd-application-controller",
        "kustomize-controller",
        "helm-controller",
        "gitwarden",
        "kube-controller-manager",
        "kube-scheduler",
        "kubelet",
        "kube-apiserver",
    }
)


@dataclass(frozen=True)
class Ownership:
    """The FieldsV1 subtrees of every manager at one node of the object, newest entry first."""

    trees: tuple[tuple[str, Mapping[str, Any]], ...]

    @classmethod
    def of(cls, metadata: Mapping[str, Any]) -> Ownership:
        entries = metadata.get("managedFields")
        if not isinstance(entries, list):
            return cls(())
        usable = [
            entry
            for entry in entries
            if isinstance(entry, Mapping)
            and isinstance(entry.get("fieldsV1"), Mapping)
            # status is written by controllers through its own subresource.
            and entry.get("subresource") in (None, "")
        ]
        usable.sort(key=lambda entry: str(entry.get("time", "")), reverse=True)
        return cls(tuple((str(entry.get("manager", "?")), entry["fieldsV1"]) for entry in usable))

    def key(self, name: str) -> Ownership:
        return self._step(lambda tree: tree.get(f"f:{name}"))

    def item(self, item: Any) -> Ownership:
        """The subtrees of a list item, matched by its keys (``k:``) or its value (``v:``)."""

        def find(tree: Mapping[str, Any]) -> Any:
            for label, subtree in tree.items():
                if label.startswith("k:") and isinstance(item, Mapping):
                    keys = _json(label[2:])
                    if isinstance(keys, Mapping) and all(
                        _same_key(item.get(k), v) for k, v in keys.items()
                    ):
                        return subtree
                elif label.startswith("v:") and _json(label[2:]) == item:
                    return subtree
            return None

        return self._step(find)

    def managers(self) -> tuple[str, ...]:
        """Who owns this node or something under it, most recent first."""
        return tuple(manager for manager, _ in self.trees)

    def _step(self, pick: Any) -> Ownership:
        found = []
        for manager, tree in self.trees:
            subtree = pick(tree)
            if isinstance(subtree, Mapping):
                found.append((manager, subtree))
        return Ownership(tuple(found))


def hand_editors(ownership: Ownership, trusted: frozenset[str]) -> tuple[str, ...]:
    """The owners of a node that are not trusted managers (kubectl-edit, kubectl-patch...)."""
    return tuple(manager for manager in ownership.managers() if manager not in trusted)


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _same_key(value: Any, key: Any) -> bool:
    # Keys are typed JSON ("containerPort":80), list items may hold strings from YAML.
    if isinstance(value, Sequence) and not isinstance(value, str):
        return False
    return value == key or str(value) == str(key)
