"""Gatekeeper constraints are validated against the schema their ConstraintTemplate gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitwarden.commands.scan import ScanOptions, scan
from gitwarden.config import Config
from gitwarden.findings import Finding

TEMPLATE = """\
apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata: {name: k8srequiredlabels}
spec:
  crd:
    spec:
      names: {kind: K8sRequiredLabels}
      validation:
        openAPIV3Schema:
          type: object
          properties:
            labels: {type: array, items: {type: string}}
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8srequiredlabels
        violation[{"msg": "missing labels"}] { false }
"""
CONSTRAINT = """\
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sRequiredLabels
metadata: {name: must-have-team}
spec:
  match:
    kinds: [{apiGroups: [""], kinds: [Namespace]}]
    MATCH_FIELD: [kube-system]
  parameters:
    PARAMETER: PARAMETER_VALUE
"""


def constraint_findings(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, str | None]]:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    report = scan(tmp_path, Config(), ScanOptions(render=False, secrets=False))
    found: list[Finding] = [
        f
        for f in report.findings
        if f.rule_id.startswith("schema-") and "must-have-team" in (f.location.resource or "")
    ]
    return sorted((f.rule_id, f.location.field_path) for f in found)


def constraint(
    match_field: str = "excludedNamespaces", parameter: str = "labels", value: str = "[team]"
) -> str:
    return (
        CONSTRAINT.replace("MATCH_FIELD", match_field)
        .replace("PARAMETER_VALUE", value)
        .replace("PARAMETER", parameter)
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (constraint(), []),
        (constraint(parameter="label"), [("schema-unknown-field", "spec.parameters.label")]),
        (constraint(value="team"), [("schema-invalid-value", "spec.parameters.labels")]),
        (
            constraint(match_field="excludedNamespace"),
            [("schema-unknown-field", "spec.match.excludedNamespace")],
        ),
    ],
)
def test_a_constraint_is_checked_against_its_template(
    tmp_path: Path, text: str, expected: list[tuple[str, str]]
) -> None:
    assert (
        constraint_findings(tmp_path, {"template.yaml": TEMPLATE, "constraint.yaml": text})
        == expected
    )


def test_a_constraint_without_its_template_is_listed_as_not_validated(tmp_path: Path) -> None:
    findings = constraint_findings(tmp_path, {"constraint.yaml": constraint(parameter="label")})
    assert findings == [("schema-kind-not-validated", None)]


def test_a_legacy_schema_template_keeps_unknown_parameters(tmp_path: Path) -> None:
    legacy = TEMPLATE.replace(
        "      validation:\n", "      validation:\n        legacySchema: true\n"
    )
    files = {"template.yaml": legacy, "constraint.yaml": constraint(parameter="label")}
    assert constraint_findings(tmp_path, files) == []


def test_a_constraint_at_a_version_gatekeeper_does_not_serve_is_reported(tmp_path: Path) -> None:
    text = constraint().replace("constraints.gatekeeper.sh/v1beta1", "constraints.gatekeeper.sh/v2")
    findings = constraint_findings(tmp_path, {"template.yaml": TEMPLATE, "constraint.yaml": text})
    assert findings == [("schema-unknown-api-version", "apiVersion")]
