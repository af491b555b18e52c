"""Compiling ConstraintTemplates: Rego (v0 and v1, libs), CEL, and what cannot be compiled."""

from __future__ import annotations

import celpy
import pytest
from gatekeeper_fixtures import REQUIRED_LABELS_TEMPLATE

from gitwarden.policy.gatekeeper_templates import CompiledTemplate, Violation, compile_template
from gitwarden.policy.results import PolicyResults
from k8s_fixtures import load_objects

REVIEW = {"object": {"metadata": {"name": "web", "labels": {}}}, "kind": {"kind": "Deployment"}}
CONSTRAINT = {"spec": {"parameters": {"labels": ["owner"]}}}


def _compile(text: str) -> tuple[CompiledTemplate | None, PolicyResults]:
    results = PolicyResults()
    [obj] = load_objects(text)
    return compile_template(obj, celpy.Environment, results), results


def test_rego_template_reports_its_violation_with_details() -> None:
    template, results = _compile(REQUIRED_LABELS_TEMPLATE)
    assert template is not None
    assert results.findings == []
    [violation] = template.violations(REVIEW, CONSTRAINT, None)
    assert isinstance(violation, Violation)
    assert violation.details == {"missing_labels": ["owner"]}


LIB_TEMPLATE = """
    apiVersion: templates.gatekeeper.sh/v1
    kind: ConstraintTemplate
    metadata: {name: withlib}
    spec:
      crd: {spec: {names: {kind: WithLib}}}
      targets:
        - target: admission.k8s.gatekeeper.sh
          code:
            - engine: Rego
              source:
                version: v1
                rego: |
                  package withlib
                  import data.lib.names
                  violation contains {"msg": "bad name"} if names.bad(input.review.object)
                libs:
                  - |
                    package lib.names
                    bad(obj) if startswith(obj.metadata.name, "tmp-")
"""


@pytest.mark.parametrize(("name", "count"), [("tmp-x", 1), ("web", 0)])
def test_rego_v1_code_with_libs_is_evaluated(name: str, count: int) -> None:
    template, results = _compile(LIB_TEMPLATE)
    assert template is not None
    assert results.findings == []
    review = {"object": {"metadata": {"name": name}}}
    assert len(template.violations(review, {}, None)) == count


def test_regorus_line_continuation_is_read_as_opa_reads_it() -> None:
    # `input.parameters.x` followed by a line starting with `(` is two expressions in OPA.
    text = REQUIRED_LABELS_TEMPLATE.replace(
        "count(missing) > 0",
        "count(missing) > 0\n"
        "                  input.parameters.labels\n"
        "                  (1 + 1) == 2",
    )
    template, results = _compile(text)
    assert template is not None
    assert results.findings == []
    assert len(template.violations(REVIEW, CONSTRAINT, None)) == 1


def test_template_without_kind_is_a_policy_error() -> None:
    text = REQUIRED_LABELS_TEMPLATE.replace("kind: K8sRequiredLabels", "plural: x")
    template, results = _compile(text)
    assert template is None
    assert [f.rule_id for f in results.findings] == ["policy-error"]


def test_template_for_another_target_is_unsupported() -> None:
    text = REQUIRED_LABELS_TEMPLATE.replace("admission.k8s.gatekeeper.sh", "audit.example")
    template, results = _compile(text)
    assert template is None
    assert [f.rule_id for f in results.findings] == ["policy-unsupported"]


def test_template_calling_external_data_is_unsupported() -> None:
    text = REQUIRED_LABELS_TEMPLATE.replace(
        "count(missing) > 0", 'external_data({"provider": "p", "keys": []})'
    )
    template, results = _compile(text)
    assert template is None
    assert [f.rule_id for f in results.findings] == ["policy-unsupported"]


CHAINED_TEMPLATE = """
    apiVersion: templates.gatekeeper.sh/v1
    kind: ConstraintTemplate
    metadata: {name: chained}
    spec:
      crd: {spec: {names: {kind: Chained}}}
      targets:
        - target: admission.k8s.gatekeeper.sh
          rego: |
            package chained

            account(obj) = name {
              obj.kind == "Pod"
              name := obj.spec.serviceAccountName
            } {
              obj.kind == "Deployment"  # a { in a comment
              name := obj.spec.template.spec.serviceAccountName
            }

            violation[{"msg": "default service account"}] {
              account(input.review.object) == "default"
            }
"""


@pytest.mark.parametrize(
    "obj",
    [
        {"kind": "Pod", "spec": {"serviceAccountName": "default"}},
        {"kind": "Deployment", "spec": {"template": {"spec": {"serviceAccountName": "default"}}}},
    ],
)
def test_chained_rule_bodies_are_each_evaluated(obj: dict[str, object]) -> None:
    template, results = _compile(CHAINED_TEMPLATE)
    assert template is not None
    assert results.findings == []
    assert len(template.violations({"object": obj}, {}, None)) == 1
