from __future__ import annotations

import json
from importlib import resources
from typing import Any

import jsonschema
import pytest
from report_fixtures import (
    CACHE,
    HOST_PATH,
    LATEST_TAG,
    NO_LIMITS,
    PRIVILEGED,
    RULES,
    WEB,
    make_finding,
    make_findings,
    make_report,
)

from gitwarden.findings import Severity, Suppression, SuppressionSource
from gitwarden.report.model import Report
from gitwarden.report.sarif import SarifFormat
from gitwarden.rules import Rule


def load_schema() -> dict[str, Any]:
    schema_file = resources.files("gitwarden.report").joinpath("schemas/sarif-schema-2.1.0.json")
    schema: dict[str, Any] = json.loads(schema_file.read_text(encoding="utf-8"))
    return schema


def render(report: Report | None = None) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(SarifFormat().render(report or make_report()))
    return log


def results_by_rule(log: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {result["ruleId"]: result for result in log["runs"][0]["results"]}


# The OASIS schema declares draft-04; it is also checked with Draft-07 because that is
# the dialect most SARIF consumers validate with.
VALIDATORS = [jsonschema.Draft4Validator, jsonschema.Draft7Validator]


@pytest.mark.parametrize("validator", VALIDATORS, ids=lambda v: v.__name__)
@pytest.mark.parametrize(
    "sarif_text",
    [
        pytest.param(SarifFormat().render(make_report()), id="report"),
        pytest.param(SarifFormat().render(make_report(())), id="empty-report"),
        pytest.param(SarifFormat().render_rules(list(RULES)), id="rule-catalogue"),
    ],
)
def test_validates_against_the_vendored_sarif_schema(
    validator: type[jsonschema.protocols.Validator], sarif_text: str
) -> None:
    schema = load_schema()
    validator.check_schema(schema)
    errors = list(validator(schema).iter_errors(json.loads(sarif_text)))

    assert errors == []


def test_the_vendored_schema_is_the_oasis_sarif_2_1_0_schema() -> None:
    schema = load_schema()

    assert schema["id"].startswith("https://docs.oasis-open.org/sarif/sarif/v2.1.0/")
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]


def test_has_one_run_for_the_gitwarden_driver() -> None:
    log = render()

    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-schema-2.1.0.json")
    [run] = log["runs"]
    assert run["tool"]["driver"]["name"] == "gitwarden"
    assert run["tool"]["driver"]["version"] == "0.1.0"
    assert run["tool"]["driver"]["informationUri"].startswith("https://")


def test_rule_index_points_at_the_rule_of_each_result() -> None:
    log = render()
    rules = log["runs"][0]["tool"]["driver"]["rules"]

    for result in log["runs"][0]["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_lists_only_the_rules_its_results_use() -> None:
    report = make_report((make_finding(rule=LATEST_TAG),))

    rules = render(report)["runs"][0]["tool"]["driver"]["rules"]

    assert [rule["id"] for rule in rules] == [LATEST_TAG.id]


def test_a_report_without_findings_lists_no_rules() -> None:
    rules = render(make_report(()))["runs"][0]["tool"]["driver"]["rules"]

    assert rules == []


def test_rule_catalogue_still_lists_every_rule() -> None:
    log = json.loads(SarifFormat().render_rules(list(RULES)))

    assert [rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]] == [
        rule.id for rule in RULES
    ]


def test_describes_rules_the_report_lacks_from_their_findings() -> None:
    unknown = Rule(
        id="custom-policy",
        family="custom",
        severity=Severity.HIGH,
        title="Custom policy violated",
        rationale="",
        remediation="Follow the custom policy.",
        references=("https://example.org/custom",),
    )
    report = make_report(
        (make_finding(rule=unknown), make_finding(rule=PRIVILEGED)), rules=(PRIVILEGED,)
    )

    log = render(report)
    rules = log["runs"][0]["tool"]["driver"]["rules"]

    assert [rule["id"] for rule in rules] == ["privileged-container", "custom-policy"]
    assert log["runs"][0]["results"][0]["ruleIndex"] == 1
    assert rules[1]["shortDescription"]["text"] == "Custom policy violated"
    assert rules[1]["helpUri"] == "https://example.org/custom"


def test_rule_descriptor_carries_github_metadata() -> None:
    rules = {rule["id"]: rule for rule in render()["runs"][0]["tool"]["driver"]["rules"]}
    privileged = rules["privileged-container"]

    assert privileged["name"] == "PrivilegedContainer"
    assert privileged["shortDescription"]["text"] == PRIVILEGED.title
    assert privileged["fullDescription"]["text"] == PRIVILEGED.rationale
    assert PRIVILEGED.remediation in privileged["help"]["text"]
    assert "**Remediation:**" in privileged["help"]["markdown"]
    assert privileged["helpUri"] == PRIVILEGED.references[0]
    assert privileged["defaultConfiguration"]["level"] == "error"
    assert privileged["properties"]["tags"] == ["security", "pod-security"]
    assert privileged["properties"]["precision"] == "high"
    assert "helpUri" not in rules["image-latest-tag"]


@pytest.mark.parametrize(
    ("severity", "score", "level"),
    [
        (Severity.CRITICAL, "9.5", "error"),
        (Severity.HIGH, "8.0", "error"),
        (Severity.MEDIUM, "5.5", "warning"),
        (Severity.LOW, "3.0", "note"),
        (Severity.INFO, "1.0", "note"),
    ],
)
def test_maps_severity_to_security_severity_and_level(
    severity: Severity, score: str, level: str
) -> None:
    rule = Rule("r", "family", severity, "title", "why", "fix")
    log = render(make_report((make_finding(rule=rule),), rules=(rule,)))

    [descriptor] = log["runs"][0]["tool"]["driver"]["rules"]
    assert descriptor["properties"]["security-severity"] == score
    float(descriptor["properties"]["security-severity"])
    assert descriptor["defaultConfiguration"]["level"] == level
    assert log["runs"][0]["results"][0]["level"] == level


def test_result_level_follows_the_findings_own_severity() -> None:
    finding = make_finding(rule=NO_LIMITS, severity=Severity.HIGH)

    [result] = render(make_report((finding,)))["runs"][0]["results"]

    assert result["level"] == "error"


def test_results_carry_the_finding_fingerprint_as_partial_fingerprint() -> None:
    log = render()
    expected = {f.rule_id: f.fingerprint for f in make_findings()}

    for rule_id, result in results_by_rule(log).items():
        assert result["partialFingerprints"] == {"gitwarden/v1": expected[rule_id]}


def test_physical_location_is_relative_to_the_source_root() -> None:
    result = results_by_rule(render())["privileged-container"]
    [location] = result["locations"]
    physical = location["physicalLocation"]

    assert physical["artifactLocation"] == {"uri": WEB, "uriBaseId": "%SRCROOT%"}
    assert physical["region"] == {"startLine": 12, "startColumn": 11}
    assert result["message"]["text"] == "Container web sets privileged: true"
    assert result["properties"]["origin"] == "kustomize overlays/prod"


def test_logical_locations_name_the_resource_and_the_field() -> None:
    result = results_by_rule(render())["privileged-container"]
    [location] = result["locations"]

    resource, field = location["logicalLocations"]
    assert resource["fullyQualifiedName"] == "Deployment/prod/web"
    assert field["name"] == "spec.template.spec.containers[0].securityContext.privileged"
    assert field["fullyQualifiedName"].startswith("Deployment/prod/web:")


def test_file_uris_are_percent_encoded() -> None:
    finding = make_finding(file="charts/my app/values 100%.yaml", resource=None)

    [result] = render(make_report((finding,)))["runs"][0]["results"]

    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "charts/my%20app/values%20100%25.yaml"
    assert "logicalLocations" not in result["locations"][0]


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("annotation", "inSource"),
        ("inline", "inSource"),
        ("config", "external"),
        ("baseline", "external"),
    ],
)
def test_suppressed_findings_are_kept_with_a_suppression(
    source: SuppressionSource, kind: str
) -> None:
    finding = make_finding().with_suppression(Suppression(source, "accepted risk"))

    [result] = render(make_report((finding,)))["runs"][0]["results"]

    assert result["suppressions"] == [
        {"kind": kind, "status": "accepted", "justification": "accepted risk"}
    ]


def test_suppression_justification_says_until_when() -> None:
    result = results_by_rule(render())[HOST_PATH.id]

    [suppression] = result["suppressions"]
    assert suppression["justification"] == "node-local cache, reviewed in SEC-12 (until 2031-01-31)"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == CACHE


def test_unsuppressed_results_have_no_suppressions() -> None:
    result = results_by_rule(render())[PRIVILEGED.id]

    assert "suppressions" not in result


def test_schema_validation_is_not_vacuous() -> None:
    log = render()
    log["runs"][0]["results"][0]["level"] = "fatal"

    errors = list(jsonschema.Draft4Validator(load_schema()).iter_errors(log))

    assert errors


def test_file_names_that_are_not_utf8_are_percent_encoded_byte_by_byte() -> None:
    name = b"apps/caf\xe9 \xff.yaml".decode("utf-8", "surrogateescape")
    finding = make_finding(file=name)

    result = json.loads(SarifFormat().render(make_report((finding,))))["runs"][0]["results"][0]

    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "apps/caf%E9%20%FF.yaml"
    assert result["partialFingerprints"]["gitwarden/v1"] == finding.fingerprint
