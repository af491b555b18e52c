"""Whether an overlay's output can be attributed to its source files without kustomize's
origin annotations.

Asking kustomize to record origins costs a pass over every resource after every
transformer (kustomize/api v0.21: about half of a component-heavy overlay's build). When no
kustomization an overlay builds on can give a resource a kind or name that no input file
holds (no generators, name prefixes, replacements, Helm inflation, name-changing or
kind-changing patches), each output resource is the one input document of the same kind and
name, found by its identity. The verdict is conservative: any field or patch this module
does not know to keep identities means "ask kustomize". One field of those kept renames:
`namespace:` gives every Namespace object the overlay's namespace as its name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from gitwarden.manifests.yaml_nodes import YamlLimitError, YamlSyntaxError, parse_documents

# Fields that never create a resource nor change one's kind or name. `patches` and
# `patchesJson6902` keep identities only when each patch does (`patch_keeps_identities`).
_IDENTITY_KEEPING_FIELDS = frozenset(
    {
        "apiVersion",
        "kind",
        "metadata",
        "resources",
        "bases",
        "components",
        "namespace",
        "commonLabels",
        "commonAnnotations",
        "labels",
        "images",
        "replicas",
        "sortOptions",
        "patchesStrategicMerge",
        "patches",
        "patchesJson6902",
    }
)
# The only fields of `metadata` a JSON 6902 patch may touch: the others are the identity.
_METADATA_FIELDS_OF_NO_IDENTITY = frozenset({"labels", "annotations"})
_PATCH_FIELDS = frozenset({"path", "patch", "target"})
# The kind `namespace:` renames, and a file that may hold one: any spelling of the kind
# holds the word, escapes aside (a Namespace object written otherwise is still never
# attributed by its name: see `rendered.kustomize_records_by_identity`).
NAMESPACE_KIND = "Namespace"
_MAY_HOLD_A_NAMESPACE = re.compile(r"\bNamespace\b")


def keeps_identities(body: Mapping[str, Any]) -> bool:
    """Whether the kustomization ``body`` keeps every resource's kind and name, its inline
    patches included (the patch files it names are judged by `patch_keeps_identities`)."""
    if not set(map(str, body)) <= _IDENTITY_KEEPING_FIELDS:
        return False
    for key in ("patches", "patchesJson6902"):
        items = body.get(key)
        if items is None:
            continue
        if not isinstance(items, list) or not all(map(_patch_entry_keeps_identities, items)):
            return False
    return True


def patch_files(body: Mapping[str, Any]) -> list[str]:
    """The files named by ``body``'s `patches` and `patchesJson6902`, as written."""
    found: list[str] = []
    for key in ("patches", "patchesJson6902"):
        items = body.get(key)
        if isinstance(items, list):
            found.extend(
                item["path"]
                for item in items
                if isinstance(item, Mapping) and isinstance(item.get("path"), str)
            )
    return found


def patch_keeps_identities(text: str) -> bool:
    """Whether a patch (strategic merge documents or JSON 6902 operations) keeps identities.

    kustomize restores a resource's kind and name after a strategic merge patch unless told
    otherwise (`options`, refused in `keeps_identities`); a JSON 6902 operation keeps them
    when it touches neither the kind, the API version nor `metadata` beyond its labels and
    annotations.
    """
    try:
        documents = [document.value for document in parse_documents(text)]
    except (YamlSyntaxError, YamlLimitError):
        return False  # kustomize refuses it too; nothing is attributed by identity
    for value in documents:
        if isinstance(value, list):
            if not all(map(_operation_keeps_identities, value)):
                return False
        elif not isinstance(value, Mapping) and value is not None:
            return False
    return True


def _patch_entry_keeps_identities(item: Any) -> bool:
    if not isinstance(item, Mapping) or not set(map(str, item)) <= _PATCH_FIELDS:
        return False  # `options` (allowNameChange, allowKindChange) or an unknown field
    inline = item.get("patch")
    if inline is None:
        return isinstance(item.get("path"), str)
    return isinstance(inline, str) and patch_keeps_identities(inline)


def _operation_keeps_identities(operation: Any) -> bool:
    if not isinstance(operation, Mapping):
        return False
    pointers = [operation.get("path")]
    if "from" in operation:
        pointers.append(operation["from"])
    return all(isinstance(p, str) and _pointer_keeps_identity(p) for p in pointers)


def _pointer_keeps_identity(pointer: str) -> bool:
    segments = [s.replace("~1", "/").replace("~0", "~") for s in pointer.split("/")[1:]]
    if not pointer.startswith("/") or not segments or segments[0] in ("kind", "apiVersion"):
        return False
    if segments[0] == "metadata":
        return len(segments) > 1 and segments[1] in _METADATA_FIELDS_OF_NO_IDENTITY
    return True


def may_hold_a_namespace(text: str) -> bool:
    """Whether a resource file may define a Namespace object."""
    return _MAY_HOLD_A_NAMESPACE.search(text) is not None
