from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import gitwarden
from gitwarden.checks import pod_security
from gitwarden.config import Config, ConfigSuppression, SeverityOverride
from gitwarden.findings import Finding, Location, Severity, Suppression
from gitwarden.input_rules import PARSE_ERROR, RENDER_FAILED
from gitwarden.suppressions import (
    AnnotationSuppression,
    apply_config,
    apply_suppressions,
    parse_ignore_annotation,
    read_annotation_suppressions,
)
from k8s_fixtures import load_objects, run

TODAY = date(2025, 6, 15)


def privileged_pod(name: str = "web", namespace: str | None = "shop", ignore: str = "") -> str:
    """A privileged Pod (several pss-* findings), optionally with an ignore annotation."""
    metadata = f"name: {name}" + (f", namespace: {namespace}" if namespace else "")
    if ignore:
        metadata += f", annotations: {{gitwarden.io/ignore: {ignore}}}"
    return f"""\
apiVersion: v1
kind: Pod
metadata: {{{metadata}}}
spec:
  containers:
  - name: app
    image: nginx
    securityContext: {{privileged: true}}
"""


def scan(
    yaml_text: str,
    config_suppressions: tuple[ConfigSuppression, ...] = (),
    extra: tuple[Finding, ...] = (),
    today: date = TODAY,
) -> list[Finding]:
    """Pod-security findings of ``yaml_text`` with its annotations and the config applied."""
    findings = [*run(pod_security.CHECKS, yaml_text), *extra]
    annotations, problems = read_annotation_suppressions(load_objects(yaml_text))
    return apply_suppressions(
        findings + problems,
        annotations=annotations,
        config_suppressions=config_suppressions,
        config_file=".gitwarden.yaml",
        today=today,
    )


def suppressed_rules(findings: list[Finding]) -> list[str]:
    return sorted(f.rule_id for f in findings if f.suppressed)


def by_rule(findings: list[Finding], rule_id: str) -> list[Finding]:
    return [f for f in findings if f.rule_id == rule_id]


def test_unsuppressed_pod_has_several_pod_security_findings() -> None:
    findings = scan(privileged_pod())
    assert "pss-privileged" in {f.rule_id for f in findings}
    assert suppressed_rules(findings) == []


# -- annotations -----------------------------------------------------------------------


def test_annotation_suppresses_the_named_rule_with_its_reason() -> None:
    findings = scan(privileged_pod(ignore='"pss-privileged -- node agent (SEC-7)"'))
    (privileged,) = by_rule(findings, "pss-privileged")
    assert privileged.suppression == Suppression(source="annotation", reason="node agent (SEC-7)")
    assert suppressed_rules(findings) == ["pss-privileged"]


def test_suppressed_findings_are_kept_in_the_result() -> None:
    plain = scan(privileged_pod())
    suppressed = scan(privileged_pod(ignore='"pss-* -- agent"'))
    assert len(suppressed) == len(plain)


def test_annotation_suppresses_every_listed_rule() -> None:
    findings = scan(privileged_pod(ignore='"pss-privileged, pss-run-as-non-root -- agent"'))
    assert suppressed_rules(findings) == ["pss-privileged", "pss-run-as-non-root"]


def test_annotation_rule_glob_suppresses_the_family() -> None:
    findings = scan(privileged_pod(ignore='"pss-* -- agent"'))
    assert all(f.suppressed for f in findings)


def test_annotation_suppresses_only_its_own_resource() -> None:
    yaml_text = privileged_pod("agent", ignore='"pss-* -- agent"') + "---\n" + privileged_pod("web")
    findings = scan(yaml_text)
    assert {f.location.resource for f in findings if f.suppressed} == {"Pod/shop/agent"}
    assert any(f.location.resource == "Pod/shop/web" for f in findings)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("pss-privileged -- agent", (("pss-privileged",), "agent"), id="one-rule"),
        pytest.param("a, b ,c -- why", (("a", "b", "c"), "why"), id="several-rules"),
        pytest.param("a -- why -- really", (("a",), "why -- really"), id="dashes-in-reason"),
        pytest.param("pss-* -- family", (("pss-*",), "family"), id="glob"),
    ],
)
def test_well_formed_annotation_is_parsed(
    value: str, expected: tuple[tuple[str, ...], str]
) -> None:
    assert parse_ignore_annotation(value) == AnnotationSuppression(*expected)


MALFORMED = [
    pytest.param('"pss-privileged"', id="no-reason"),
    pytest.param('"pss-privileged -- "', id="blank-reason"),
    pytest.param('"-- because"', id="no-rule"),
    pytest.param('" , -- because"', id="only-commas"),
    pytest.param('"[z-a] -- because"', id="invalid-glob"),
    pytest.param("5", id="not-a-string"),
]


@pytest.mark.parametrize("value", MALFORMED)
def test_malformed_annotation_is_reported_at_its_line(value: str) -> None:
    yaml_text = f"""\
apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations:
    gitwarden.io/ignore: {value}
spec: {{containers: [{{name: app, image: nginx, securityContext: {{privileged: true}}}}]}}
"""
    (invalid,) = by_rule(scan(yaml_text), "suppression-invalid")
    assert (invalid.location.file, invalid.location.line) == ("manifest.yaml", 6)
    assert invalid.location.field_path == 'metadata.annotations["gitwarden.io/ignore"]'


@pytest.mark.parametrize("value", MALFORMED)
def test_malformed_annotation_suppresses_nothing(value: str) -> None:
    assert suppressed_rules(scan(privileged_pod(ignore=value))) == []


# -- config suppressions ---------------------------------------------------------------


def test_config_suppression_carries_reason_and_expiry() -> None:
    entry = ConfigSuppression("pss-privileged", "agent", expires=date(2025, 12, 31))
    (privileged,) = by_rule(scan(privileged_pod(), (entry,)), "pss-privileged")
    assert privileged.suppression == Suppression("config", "agent", date(2025, 12, 31))


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        pytest.param(ConfigSuppression("pss-privileged", "r"), ["pss-privileged"], id="exact-rule"),
        pytest.param(ConfigSuppression("rbac-*", "r"), [], id="other-rule-glob"),
        pytest.param(
            ConfigSuppression("pss-privileged", "r", path="manifest.yaml"),
            ["pss-privileged"],
            id="path",
        ),
        pytest.param(
            ConfigSuppression("pss-privileged", "r", path="*.yaml"),
            ["pss-privileged"],
            id="path-glob",
        ),
        pytest.param(ConfigSuppression("pss-privileged", "r", path="legacy/**"), [], id="path-no"),
        pytest.param(
            ConfigSuppression("pss-privileged", "r", resource="Pod/shop/web"),
            ["pss-privileged"],
            id="resource",
        ),
        pytest.param(
            ConfigSuppression("pss-privileged", "r", resource="Pod/*/web"),
            ["pss-privileged"],
            id="resource-glob",
        ),
        pytest.param(
            ConfigSuppression("pss-privileged", "r", resource="Pod/shop/api"), [], id="resource-no"
        ),
    ],
)
def test_config_suppression_matches_rule_path_and_resource(
    entry: ConfigSuppression, expected: list[str]
) -> None:
    assert suppressed_rules(scan(privileged_pod(), (entry,))) == expected


def test_config_suppression_rule_glob_suppresses_the_family() -> None:
    findings = scan(privileged_pod(), (ConfigSuppression("pss-*", "legacy"),))
    assert findings and all(f.suppressed for f in findings)


@pytest.mark.parametrize(
    "resource",
    [
        pytest.param("web", id="bare-name"),
        pytest.param("Pod/web", id="pod-without-namespace"),
    ],
)
def test_resource_glob_does_not_reach_into_a_namespace_of_that_name(resource: str) -> None:
    # Pod "api" in namespace "web" is Pod/web/api: neither glob names it.
    entry = ConfigSuppression("pss-privileged", "r", resource=resource)
    assert suppressed_rules(scan(privileged_pod("api", namespace="web"), (entry,))) == []


def test_resource_suppression_does_not_cover_findings_without_a_resource() -> None:
    parse_error = PARSE_ERROR.finding("bad", Location(file="manifest.yaml", line=3))
    entry = ConfigSuppression("parse-error", "r", resource="**")
    findings = scan(privileged_pod(), (entry,), extra=(parse_error,))
    assert suppressed_rules(findings) == []


def test_path_suppression_covers_findings_without_a_resource() -> None:
    parse_error = PARSE_ERROR.finding("bad", Location(file="legacy/old.yaml", line=3))
    entry = ConfigSuppression("parse-error", "r", path="legacy/")
    findings = scan(privileged_pod(), (entry,), extra=(parse_error,))
    assert suppressed_rules(findings) == ["parse-error"]


# -- expiry ----------------------------------------------------------------------------


def expiring(expires: date) -> ConfigSuppression:
    return ConfigSuppression("pss-privileged", "until the migration", expires=expires, line=7)


def test_config_suppression_applies_until_its_expiry_date() -> None:
    findings = scan(privileged_pod(), (expiring(TODAY),))
    assert suppressed_rules(findings) == ["pss-privileged"]
    assert by_rule(findings, "suppression-expired") == []


def test_expired_config_suppression_stops_suppressing() -> None:
    findings = scan(privileged_pod(), (expiring(date(2025, 6, 14)),))
    assert suppressed_rules(findings) == []


def test_expired_config_suppression_is_reported_at_its_config_line() -> None:
    findings = scan(privileged_pod(), (expiring(date(2025, 6, 14)),))
    (expired,) = by_rule(findings, "suppression-expired")
    assert (expired.location.file, expired.location.line) == (".gitwarden.yaml", 7)
    assert "2025-06-14" in expired.message
    assert "pss-privileged" in expired.message


def test_expired_suppression_is_reported_even_when_it_matches_nothing() -> None:
    entry = ConfigSuppression("rbac-*", "r", expires=date(2024, 1, 1))
    assert len(by_rule(scan(privileged_pod(), (entry,)), "suppression-expired")) == 1


def test_suppression_findings_cannot_be_suppressed() -> None:
    everything = ConfigSuppression("*", "hide it all")
    findings = scan(privileged_pod(ignore='"*"'), (everything, expiring(date(2024, 1, 1))))
    problems = [f for f in findings if f.rule_id.startswith("suppression-")]
    assert sorted(f.rule_id for f in problems) == ["suppression-expired", "suppression-invalid"]
    assert not any(f.suppressed for f in problems)


# -- severity overrides -------------------------------------------------------------------


def render_failure(file: str) -> Finding:
    return RENDER_FAILED.finding("helm template failed", Location(file=file, line=1))


def rerated(config: Config, finding: Finding) -> Severity:
    (result,) = apply_config([finding], config, annotations={}, today=TODAY)
    return result.severity


LEGACY_LOWERED = SeverityOverride(
    rule="render-failed", severity=Severity.LOW, reason="old pipeline", path="legacy/**"
)


@pytest.mark.parametrize(
    ("file", "lowered"),
    [("legacy/chart/Chart.yaml", True), ("apps/chart/Chart.yaml", False)],
    ids=["inside-path", "outside-path"],
)
def test_path_scoped_override_rerates_only_findings_under_its_path(
    file: str, lowered: bool
) -> None:
    config = Config(scoped_severity_overrides=(LEGACY_LOWERED,))
    expected = Severity.LOW if lowered else RENDER_FAILED.severity
    assert rerated(config, render_failure(file)) is expected


def test_path_scoped_override_records_the_reason_and_the_severity_it_replaced() -> None:
    config = Config(scoped_severity_overrides=(LEGACY_LOWERED,))
    (result,) = apply_config(
        [render_failure("legacy/a/Chart.yaml")], config, annotations={}, today=TODAY
    )
    assert dict(result.details) == {
        "rerated_from": RENDER_FAILED.severity.value,
        "rerated_because": "old pipeline",
    }


def test_path_scoped_override_only_rerates_its_own_rule() -> None:
    config = Config(scoped_severity_overrides=(LEGACY_LOWERED,))
    finding = PARSE_ERROR.finding("bad", Location(file="legacy/x.yaml"))
    assert rerated(config, finding) is PARSE_ERROR.severity


def test_path_scoped_override_wins_over_the_mapping_form() -> None:
    config = Config(
        severity_overrides={"render-failed": Severity.CRITICAL},
        scoped_severity_overrides=(LEGACY_LOWERED,),
    )
    assert rerated(config, render_failure("legacy/a/Chart.yaml")) is Severity.LOW
    assert rerated(config, render_failure("apps/a/Chart.yaml")) is Severity.CRITICAL


def test_override_without_path_rerates_everywhere() -> None:
    everywhere = SeverityOverride(rule="render-failed", severity=Severity.INFO, reason="r")
    config = Config(scoped_severity_overrides=(everywhere,))
    assert rerated(config, render_failure("any/Chart.yaml")) is Severity.INFO


@pytest.mark.parametrize(
    ("folder", "lowered"), [("legacy", True), ("apps", False)], ids=["accepted", "elsewhere"]
)
def test_config_lowers_a_not_checked_finding_only_under_its_path(
    tmp_path: Path, folder: str, lowered: bool
) -> None:
    (tmp_path / ".gitwarden.yaml").write_text(
        "max_document_bytes: 64\n"
        "severity_overrides:\n"
        "  - rule: document-too-large\n"
        '    path: "legacy/**"\n'
        "    severity: info\n"
        '    reason: "Generated CRD bundle, checked upstream (OPS-7)."\n'
    )
    (tmp_path / folder).mkdir()
    (tmp_path / folder / "big.yaml").write_text(privileged_pod() + "# " + "x" * 200 + "\n")
    report = gitwarden.scan(tmp_path)
    (finding,) = [
        f
        for f in report.findings
        if f.rule_id == "document-too-large" and f.location.file == f"{folder}/big.yaml"
    ]
    assert (finding.severity is Severity.INFO) is lowered
    assert ("rerated_because" in finding.details) is lowered
