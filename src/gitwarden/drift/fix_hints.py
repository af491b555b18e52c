"""`--fix-hint`: the Git change that adopts a drift, or the command that restores Git's state."""

from __future__ import annotations

import json
from typing import Any

from gitwarden.drift.object_identity import ObjectKey


def shown(value: Any, limit: int = 160) -> str:
    """A value as compact JSON, cut to ``limit`` characters (hostile text is escaped later)."""
    text = json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _namespace_flag(key: ObjectKey) -> str:
    return f" -n {key.namespace}" if key.namespace else ""


def changed_field_hint(field: str, live: Any, file: str, line: int) -> str:
    return (
        f"to keep it, set {field} to {shown(live)} in {file}:{line}; to restore Git's value, "
        f"sync the environment or run `kubectl apply --server-side --force-conflicts -f {file}`"
    )


def missing_hint(key: ObjectKey, file: str) -> str:
    return (
        f"restore it: sync the environment or run `kubectl apply --server-side -f {file}`; "
        f"or delete the manifest from Git if {key.resource} should not exist"
    )


def unmanaged_hint(key: ObjectKey) -> str:
    kind = key.kind.lower()
    if key.group:
        kind += f".{key.group}"
    namespace = _namespace_flag(key)
    return (
        f"adopt it: `kubectl get {kind} {key.name}{namespace} -o yaml` into Git (without status "
        f"and server fields); or remove it: `kubectl delete {kind} {key.name}{namespace}`"
    )


def image_hint(workload: str, image: str) -> str:
    return f"pin {image} by digest in Git, then `kubectl rollout restart {workload}` from Git"
