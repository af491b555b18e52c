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


def test_one_validator_serves_every_object_of_a_kind() -> None:
    text = "".join(
        f"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{i}}}\n" for i in range(3)
    )
    objects = load_objects(text)
    validation = ScanValidation.of(objects, load_schemas(newest_version()))
    for obj in objects:
        validation.problems(obj)
    assert len(validation._fast_validators) == 1


def test_only_a_rejected_object_is_explained() -> None:
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\n"
        "apiVersion: v1\nkind: Secret\nmetadata: {name: bad}\ntype: [x]\n"
    )
    objects = load_objects(text)
    validation = ScanValidation.of(objects, load_schemas(newest_version()))
    for obj in objects:
        validation.problems(obj)
    assert list(validation._explaining_validators) == ["io.k8s.api.core.v1.Secret"]
