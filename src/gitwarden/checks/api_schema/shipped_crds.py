"""The Argo CD, Flux and Kyverno CRD schemas gitwarden ships, for custom resources whose CRD the
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


_SCHEMA_CHILD = ("items", "additionalProperties", "not")
_SCHEMA_BRANCHES = ("allOf", "anyOf", "oneOf")


def release_tolerant(node: Any) -> Any:
    """A shipped schema node, loosened where the data cannot be trusted to be exact.

    * No ``enum`` lists: the schemas are of one release, and newer releases add allowed
      values (Flux 2.7's ``sourceRef.kind: ExternalArtifact``) far more often than fields.
    * Every declared object also accepts a ``description`` field of any value: the
      generator of the data dropped every key named ``description``, the field names among
      them (Argo CD's ``AppProject.spec.description``).

    Types, required fields and other unknown fields are still checked.
    """
    if not isinstance(node, Mapping):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "enum":
            continue
        if key == "properties" and isinstance(value, Mapping):
            properties = {name: release_tolerant(child) for name, child in value.items()}
            properties.setdefault("description", {})
            out[key] = properties
        elif key in _SCHEMA_CHILD and isinstance(value, Mapping):
            out[key] = release_tolerant(value)
        elif key in _SCHEMA_BRANCHES and isinstance(value, list):
            out[key] = [release_tolerant(branch) for branch in value]
        else:
            out[key] = value
    return out


def load_shipped_definitions() -> None:
    """Read the shipped data now (once per process): about 15 ms, which a caller with
    time to spare takes before the first custom kind is validated."""
    _shipped()


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
