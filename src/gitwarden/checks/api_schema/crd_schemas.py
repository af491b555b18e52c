"""Schemas of custom resources, from the CustomResourceDefinitions in the scanned objects.

A CRD's ``openAPIV3Schema`` is a *structural* schema in OpenAPI v3 dialect; the API server
prunes (or, with strict field validation, rejects) fields it does not declare. It is turned
into JSON Schema here with the same reading: ``nullable``, ``x-kubernetes-int-or-string`` and
``x-kubernetes-preserve-unknown-fields`` become their JSON Schema equivalents, and an object
that declares properties accepts no others. ``metadata`` is always the built-in ObjectMeta.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from gitwarden.checks.api_schema.kubernetes_schemas import DEFINITIONS_URI, GroupVersionKind
from gitwarden.manifests.objects import K8sObject

CRD_GROUP = "apiextensions.k8s.io"
OBJECT_META_REF = f"{DEFINITIONS_URI}#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
# Deeper schemas are accepted below this depth rather than walked without bound.
MAX_SCHEMA_DEPTH = 64
_COPIED_KEYWORDS = (
    "enum",
    "required",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "multipleOf",
    "minProperties",
    "maxProperties",
)
_COMBINATORS = ("allOf", "anyOf", "oneOf")


@dataclass(frozen=True, eq=False)
class CustomResourceDefinitions:
    """The CRDs of a scan by the group and kind they define (loaded on first use)."""

    by_group_kind: Mapping[tuple[str, str], K8sObject]

    @classmethod
    def of(cls, objects: Iterable[K8sObject]) -> CustomResourceDefinitions:
        found: dict[tuple[str, str], K8sObject] = {}
        for obj in objects:
            if obj.kind != "CustomResourceDefinition" or obj.api_group != CRD_GROUP:
                continue
            # The header holds spec.group and spec.names without parsing the schemas.
            spec = obj.head.get("spec")
            spec = spec if isinstance(spec, Mapping) else {}
            names = spec.get("names")
            kind = names.get("kind") if isinstance(names, Mapping) else None
            group = spec.get("group")
            if isinstance(group, str) and isinstance(kind, str):
                found.setdefault((group, kind), obj)
        return cls(found)

    def definition(self, gvk: GroupVersionKind) -> K8sObject | None:
        return self.by_group_kind.get((gvk.group, gvk.kind))


@dataclass(frozen=True)
class ServedSchema:
    """What a CRD says about one version: whether it is served, and its schema (if any)."""

    served: bool
    schema: Mapping[str, Any] | None
    served_versions: tuple[str, ...]


def served_schema(crd: K8sObject, version: str) -> ServedSchema:
    """The schema ``crd`` serves ``version`` with, converted to JSON Schema."""
    spec = crd.get(("spec",), {})
    spec = spec if isinstance(spec, Mapping) else {}
    versions = [v for v in spec.get("versions") or () if isinstance(v, Mapping)]
    served_versions = tuple(str(v.get("name")) for v in versions if v.get("served") is not False)
    # apiextensions v1beta1 wrote one schema for all versions under spec.validation.
    shared = spec.get("validation")
    shared_schema = shared.get("openAPIV3Schema") if isinstance(shared, Mapping) else None
    for entry in versions:
        if entry.get("name") != version:
            continue
        if entry.get("served") is False:
            return ServedSchema(False, None, served_versions)
        schema = entry.get("schema")
        openapi = schema.get("openAPIV3Schema") if isinstance(schema, Mapping) else None
        openapi = openapi if openapi is not None else shared_schema
        if not isinstance(openapi, Mapping):
            return ServedSchema(True, None, served_versions)
        return ServedSchema(True, root_schema(openapi), served_versions)
    if not versions and spec.get("version") == version and isinstance(shared_schema, Mapping):
        return ServedSchema(True, root_schema(shared_schema), (version,))
    return ServedSchema(False, None, served_versions)


def root_schema(openapi: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON Schema of a whole custom resource: its schema plus the object envelope."""
    schema = to_json_schema(openapi, 0)
    properties = dict(schema.get("properties", {}))
    properties["apiVersion"] = {"type": "string"}
    properties["kind"] = {"type": "string"}
    properties["metadata"] = {"$ref": OBJECT_META_REF}
    schema["properties"] = properties
    schema["type"] = "object"
    return schema


def _types(node: Mapping[str, Any]) -> list[str] | None:
    declared = node.get("type")
    if not isinstance(declared, str):
        return None
    return [declared, "null"] if node.get("nullable") is True else [declared]


def to_json_schema(node: Any, depth: int, *, structural: bool = True) -> dict[str, Any]:
    """One structural-schema node in JSON Schema (draft 2020-12) terms.

    Below ``allOf``/``anyOf``/``oneOf`` a schema only adds value checks; which fields exist is
    said by the structural part alone, so no ``additionalProperties: false`` is added there.
    """
    if not isinstance(node, Mapping) or depth > MAX_SCHEMA_DEPTH:
        return {}
    out: dict[str, Any] = {key: node[key] for key in _COPIED_KEYWORDS if key in node}
    if node.get("x-kubernetes-int-or-string") is True:
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    elif (types := _types(node)) is not None:
        out["type"] = types
    if "enum" in out and node.get("nullable") is True:
        out["enum"] = [*out["enum"], None]
    properties = node.get("properties")
    if isinstance(properties, Mapping):
        out["properties"] = {
            str(name): to_json_schema(child, depth + 1, structural=structural)
            for name, child in properties.items()
        }
    additional = node.get("additionalProperties")
    preserve = node.get("x-kubernetes-preserve-unknown-fields") is True
    if isinstance(additional, Mapping):
        out["additionalProperties"] = to_json_schema(additional, depth + 1, structural=structural)
    elif isinstance(additional, bool):
        out["additionalProperties"] = additional
    elif structural and isinstance(properties, Mapping) and not preserve:
        # An undeclared field is pruned by the API server, rejected under strict validation.
        out["additionalProperties"] = False
    if node.get("x-kubernetes-embedded-resource") is True and "properties" in out:
        out["properties"].setdefault("apiVersion", {"type": "string"})
        out["properties"].setdefault("kind", {"type": "string"})
        out["properties"].setdefault("metadata", {"type": "object"})
    items = node.get("items")
    if isinstance(items, Mapping):
        out["items"] = to_json_schema(items, depth + 1, structural=structural)
    for keyword in _COMBINATORS:
        branches = node.get(keyword)
        if isinstance(branches, list):
            out[keyword] = [
                to_json_schema(branch, depth + 1, structural=False) for branch in branches
            ]
    return out
