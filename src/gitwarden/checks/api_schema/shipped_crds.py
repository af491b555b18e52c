"""The Argo CD and Flux CRD schemas gitwarden ships, for custom resources whose CRD the
scanned repository does not hold (a CRD found in the repository always wins).

The data (``crd_schemas/schemas.json.gz``, sources and licences in ``crd_schemas/README.md``)
holds each kind's ``openAPIV3Schema`` by ``<group>/<version>/<Kind>``; it is read once per
process, on first use, and never written to. ``scripts/ship_crd_schemas.py`` regenerates it.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

DATA_FILE = "crd_schemas/schemas.json.gz"


@dataclass(frozen=True)
class ShippedDefinition:
    """One custom kind's shipped schemas, by API version."""

    group: str
    kind: str
    schemas: Mapping[str, Mapping[str, Any]]

    @property
    def versions(self) -> tuple[str, ...]:
        return tuple(sorted(self.schemas))


def release_tolerant(node: Any) -> Any:
    """``node`` without its ``enum`` lists, at every depth.

    The shipped schemas are of one release; newer releases add allowed values (Flux 2.7's
    ``sourceRef.kind: ExternalArtifact``) far more often than fields, so an enum of an older
    release would reject what the controller a user runs accepts. Types, required fields and
    unknown fields are still checked.
    """
    if isinstance(node, Mapping):
        return {key: release_tolerant(value) for key, value in node.items() if key != "enum"}
    if isinstance(node, list):
        return [release_tolerant(item) for item in node]
    return node


def shipped_definition(group: str, kind: str) -> ShippedDefinition | None:
    """The shipped schemas of ``kind`` in ``group``; None when gitwarden ships none."""
    return _shipped().get((group, kind))


@cache
def _shipped() -> Mapping[tuple[str, str], ShippedDefinition]:
    data = resources.files(__package__).joinpath(DATA_FILE).read_bytes()
    by_kind: dict[tuple[str, str], dict[str, Mapping[str, Any]]] = {}
    for name, schema in json.loads(gzip.decompress(data)).items():
        group, version, kind = name.split("/")
        by_kind.setdefault((group, kind), {})[version] = schema
    return {key: ShippedDefinition(key[0], key[1], schemas) for key, schemas in by_kind.items()}
