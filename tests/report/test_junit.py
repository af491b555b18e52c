from __future__ import annotations

import xml.etree.ElementTree as ET

from report_fixtures import CACHE, RULES, WEB, make_finding, make_report

from gitwarden.findings import Severity
from gitwarden.report.junit import JunitFormat
from gitwarden.report.model import Report


def render(report: Report | None = None) -> ET.Element:
    return ET.fromstring(JunitFormat().render(report or make_report()))


def case_named(root: ET.Element, prefix: str) -> ET.Element:
    return next(case for case in root.iter("testcase") if case.get("name", "").startswith(prefix))


def test_has_one_testsuite_per_file() -> None:
    root = render()

    assert root.tag == "testsuites"
    assert [suite.get("name") for suite in root.iter("testsuite")] == [CACHE, WEB]
    web = next(suite for suite in root.iter("testsuite") if suite.get("name") == WEB)
    assert len(web.findall("testcase")) == 2


def test_counts_failures_for_unsuppressed_findings_at_or_above_fail_on() -> None:
    root = render()

    # critical fails; medium and low are below "high"; the high one is suppressed.
    assert len(list(root.iter("failure"))) == 1
    assert root.get("failures") == "1"
    assert root.get("skipped") == "1"
    assert root.get("tests") == "4"
    assert root.get("errors") == "0"


def test_suite_counts_match_their_testcases() -> None:
    for suite in render().iter("testsuite"):
        cases = suite.findall("testcase")
        assert suite.get("tests") == str(len(cases))
        assert suite.get("failures") == str(sum(c.find("failure") is not None for c in cases))
        assert suite.get("skipped") == str(sum(c.find("skipped") is not None for c in cases))


def test_lowering_fail_on_turns_more_findings_into_failures() -> None:
    root = render(make_report(fail_on=Severity.LOW))

    assert root.get("failures") == "3"


def test_failure_carries_the_message_and_the_details() -> None:
    case = case_named(render(), "privileged-container")
    failure = case.find("failure")

    assert failure is not None
    assert failure.get("message") == "Container web sets privileged: true"
    assert failure.get("type") == "critical"
    assert failure.text is not None
    assert f"{WEB}:12:11" in failure.text
    assert "field: spec.template.spec.containers[0].securityContext.privileged" in failure.text
    assert case.get("classname") == WEB


def test_findings_below_fail_on_pass_with_their_details_in_system_out() -> None:
    case = case_named(render(), "image-latest-tag")

    assert case.find("failure") is None
    output = case.find("system-out")
    assert output is not None and output.text is not None
    assert "Image nginx:latest is not pinned" in output.text


def test_suppressed_findings_are_skipped_with_the_reason() -> None:
    case = case_named(render(), "host-path-volume")
    skipped = case.find("skipped")

    assert case.find("failure") is None
    assert skipped is not None
    assert skipped.get("message") == (
        "suppressed by annotation until 2031-01-31: node-local cache, reviewed in SEC-12"
    )


def test_empty_report_is_one_passing_testcase() -> None:
    root = render(make_report(()))

    cases = list(root.iter("testcase"))
    assert len(cases) == 1
    assert list(cases[0]) == []
    assert root.get("tests") == "1"
    assert root.get("failures") == "0"


def test_control_characters_in_findings_still_make_well_formed_xml() -> None:
    finding = make_finding("bad\x00byte\x1b[31m & <tag>", severity=Severity.CRITICAL)

    root = render(make_report((finding,)))

    failure = next(root.iter("failure"))
    assert failure.get("message") == "bad\\x00byte\\x1b[31m & <tag>"


def test_rule_catalogue_is_one_suite_per_family() -> None:
    root = ET.fromstring(JunitFormat().render_rules(list(RULES)))

    suites = {suite.get("name", ""): suite for suite in root.iter("testsuite")}
    assert sorted(suites) == ["hardening", "images", "pod-security"]
    assert len(suites["pod-security"].findall("testcase")) == 2
    assert root.get("tests") == str(len(RULES))
