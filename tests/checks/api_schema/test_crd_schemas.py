from __future__ import annotations

import pytest

from gitwarden.checks.api_schema.crd_schemas import (
    OBJECT_META_REF,
    CustomResourceDefinitions,
    root_schema,
    served_schema,
    to_json_schema,
)
from gitwarden.checks.api_schema.kubernetes_schemas import GroupVersionKind
from k8s_fixtures import load_objects

CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Gadget, plural: gadgets}
  versions:
    - name: v2
      served: true
      storage: true
      schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object}}}}
    - name: v1
      served: false
      storage: false
      schema: {openAPIV3Schema: {type: object}}
"""


def test_crds_are_found_by_group_and_kind() -> None:
    crds = CustomResourceDefinitions.of(load_objects(CRD))
    assert crds.definition(GroupVersionKind("example.com", "v2", "Gadget")) is not None
    assert crds.definition(GroupVersionKind("example.com", "v2", "Widget")) is None


@pytest.mark.parametrize(("version", "served"), [("v2", True), ("v1", False), ("v3", False)])
def test_only_served_versions_have_a_schema(version: str, served: bool) -> None:
    [crd] = load_objects(CRD)
    result = served_schema(crd, version)
    assert result.served is served
    assert (result.schema is not None) is served
    assert result.served_versions == ("v2",)


@pytest.mark.parametrize(
    ("node", "expected"),
    [
        ({"type": "string", "nullable": True}, {"type": ["string", "null"]}),
        (
            {"x-kubernetes-int-or-string": True},
            {"anyOf": [{"type": "integer"}, {"type": "string"}]},
        ),
        (
            {"type": "object", "properties": {"a": {"type": "integer"}}},
            {
                "type": ["object"],
                "properties": {"a": {"type": ["integer"]}},
                "additionalProperties": False,
            },
        ),
        (
            {
                "type": "object",
                "x-kubernetes-preserve-unknown-fields": True,
                "properties": {"a": {"type": "string"}},
            },
            {"type": ["object"], "properties": {"a": {"type": ["string"]}}},
        ),
        (
            {"type": "object", "additionalProperties": {"type": "string"}},
            {"type": ["object"], "additionalProperties": {"type": ["string"]}},
        ),
    ],
)
def test_structural_schema_reads_as_json_schema(
    node: dict[str, object], expected: dict[str, object]
) -> None:
    assert to_json_schema(node, 0) == expected


def test_value_branches_do_not_close_the_object() -> None:
    node = {
        "type": "object",
        "properties": {"a": {"type": "string"}},
        "oneOf": [{"properties": {"a": {"minLength": 1}}}],
    }
    assert to_json_schema(node, 0)["oneOf"] == [{"properties": {"a": {"minLength": 1}}}]


def test_custom_resource_metadata_is_the_built_in_object_meta() -> None:
    schema = root_schema({"type": "object", "properties": {"metadata": {"type": "object"}}})
    assert schema["properties"]["metadata"] == {"$ref": OBJECT_META_REF}
    assert schema["additionalProperties"] is False
