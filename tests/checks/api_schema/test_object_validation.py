from __future__ import annotations

import pytest

from gitwarden.checks.api_schema.kubernetes_schemas import load_schemas, newest_version
from gitwarden.checks.api_schema.object_validation import (
    NotServed,
    Removed,
    ScanValidation,
    Unchecked,
    Validated,
)
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
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
---
"""


def verdict_of(yaml_text: str) -> object:
    objects = load_objects(yaml_text)
    validation = ScanValidation.of(objects, load_schemas(newest_version()))
    return validation.verdict(objects[-1])


@pytest.mark.parametrize(
    ("yaml_text", "verdict_type"),
    [
        ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n", Validated),
        ("apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: c}\n", Removed),
        ("apiVersion: apps/v9\nkind: Deployment\nmetadata: {name: d}\n", NotServed),
        ("apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\n", Unchecked),
        ("apiVersion: builtin\nkind: LabelTransformer\nmetadata: {name: labels}\n", Unchecked),
        (CRD + "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\n", Validated),
        (CRD + "apiVersion: example.com/v2\nkind: Gadget\nmetadata: {name: g}\n", NotServed),
    ],
)
def test_each_object_gets_the_verdict_of_its_kind(yaml_text: str, verdict_type: type) -> None:
    assert isinstance(verdict_of(yaml_text), verdict_type)


def test_valid_object_has_no_problems() -> None:
    objects = load_objects("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n")
    validation = ScanValidation.of(objects, load_schemas(newest_version()))
    assert validation.problems(objects[0]) == ()


def test_invalid_object_is_explained() -> None:
    objects = load_objects("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: [b]}\n")
    validation = ScanValidation.of(objects, load_schemas(newest_version()))
    [problem] = validation.problems(objects[0])
    assert problem.path == ("data", "a")


def test_built_in_validators_are_compiled_once_per_release() -> None:
    schemas = load_schemas(newest_version())
    assert schemas.validator("io.k8s.api.core.v1.ConfigMap") is schemas.validator(
        "io.k8s.api.core.v1.ConfigMap"
    )


def test_a_crd_validator_belongs_to_its_scan() -> None:
    objects = load_objects(CRD + "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\n")
    first = ScanValidation.of(objects, load_schemas(newest_version()))
    second = ScanValidation.of(objects, load_schemas(newest_version()))
    first.problems(objects[-1])
    assert len(first._validators) == 1
    assert second._validators == {}


def test_yaml_date_is_validated_as_the_string_kubectl_sends() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {released: 2024-01-31}\n"
    objects = load_objects(text)
    validation = ScanValidation.of(objects, load_schemas(newest_version()))
    assert validation.problems(objects[0]) == ()
