"""``data.inventory`` for referential Gatekeeper templates, from the repository's own objects.

Gatekeeper's sync keeps a copy of the cluster's objects at
``data.inventory.namespace[<namespace>][<apiVersion>][<kind>][<name>]`` and, for objects
without a namespace, ``data.inventory.cluster[<apiVersion>][<kind>][<name>]``. Offline, the
repository is the cluster-to-be: every object in it is synced, as if the sync config listed
every kind (a template can only be stricter for seeing more). As in Gatekeeper, an object is
filed under the namespace written in it; one without is filed with the cluster's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


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
