"""``data.inventory`` for referential Gatekeeper templates, from the repository's own objects.

Gatekeeper's sync keeps a copy of the cluster's objects at
``data.inventory.namespace[<namespace>][<apiVersion>][<kind>][<name>]`` and, for objects
without a namespace, ``data.inventory.cluster[<apiVersion>][<kind>][<name>]``. Offline, the
repository is the cluster-to-be: every object in it is synced, as if the sync config listed
every kind a template asks for in its ``metadata.gatekeeper.sh/requires-sync-data``
annotation (every kind when it has none). As in Gatekeeper, an object is filed under the
namespace written in it; one without is filed with the cluster's.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

SYNC_ANNOTATION = "metadata.gatekeeper.sh/requires-sync-data"
INVENTORY_REFERENCE = "data.inventory"

# (group, version, kind) with "*" for any; None means every object.
SyncSelection = frozenset[tuple[str, str, str]] | None


def sync_selection(annotations: Mapping[str, Any]) -> SyncSelection:
    """The kinds a template's sync annotation asks for (None: not declared or unreadable,
    so everything is synced rather than too little)."""
    text = annotations.get(SYNC_ANNOTATION)
    if not isinstance(text, str):
        return None
    try:
        requirements = json.loads(text.strip().strip('"'))
    except ValueError:
        return None
    wanted: set[tuple[str, str, str]] = set()
    for group in requirements if isinstance(requirements, list) else []:
        for entry in group if isinstance(group, list) else []:
            if not isinstance(entry, Mapping):
                return None
            for api_group in entry.get("groups") or ["*"]:
                for version in entry.get("versions") or ["*"]:
                    for kind in entry.get("kinds") or ["*"]:
                        wanted.add((str(api_group), str(version), str(kind)))
    return frozenset(wanted) if wanted else None


def is_synced(selection: SyncSelection, api_version: str, kind: str) -> bool:
    if selection is None:
        return True
    group, _, version = api_version.rpartition("/")
    return any(
        g in ("*", group) and v in ("*", version) and k in ("*", kind) for g, v, k in selection
    )


def inventory_of(bodies: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The ``data.inventory`` document of the given object bodies (plain JSON values)."""
    namespaced: dict[str, Any] = {}
    cluster: dict[str, Any] = {}
    for body in bodies:
        api_version, kind = body.get("apiVersion"), body.get("kind")
        metadata = body.get("metadata")
        if not isinstance(metadata, Mapping):
            continue
        name, namespace = metadata.get("name"), metadata.get("namespace")
        if not all(isinstance(v, str) and v for v in (api_version, kind, name)):
            continue
        home = namespaced.setdefault(str(namespace), {}) if namespace else cluster
        home.setdefault(str(api_version), {}).setdefault(str(kind), {})[str(name)] = body
    return {"namespace": namespaced, "cluster": cluster}
