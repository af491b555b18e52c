"""JUnit XML, for CI systems that show test results (GitLab, Jenkins, Azure, test reporters).

One ``testsuite`` per file and one ``testcase`` per finding:

* an unsuppressed finding at or above ``report.fail_on`` is a ``failure``;
* an unsuppressed finding below it passes, with the finding in ``system-out`` so it is
  still readable;
* a suppressed finding is ``skipped``, its message saying who suppressed it and why.

A report without findings is one passing test, so CI shows green rather than "no tests".
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import groupby

from gitwarden.findings import Finding
from gitwarden.report.escaping import describe_suppression, printable, xml_text
from gitwarden.report.model import Report
from gitwarden.rules import Rule

SUITES_NAME = "gitwarden"
EMPTY_SUITE_NAME = "gitwarden"
EMPTY_CASE_NAME = "no findings"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def case_name(finding: Finding) -> str:
    """Unique within its file: rule, line and the object and field it is about."""
    loc = finding.location
    parts = [finding.rule_id, f"line {loc.line}"]
    parts.extend(part for part in (loc.resource, loc.field_path) if part)
    return printable(" ".join(parts))


def finding_details(finding: Finding) -> str:
    """Everything a reader needs without opening another report, one fact per line: each
    fact is escaped onto its line, so scanned text cannot forge another."""
    loc = finding.location
    lines = [
        f"{loc.file}:{loc.line}:{loc.column}",
        f"severity: {finding.severity.value}",
        f"rule: {finding.rule_id} ({finding.title})",
    ]
    if loc.resource:
        lines.append(f"resource: {loc.resource}")
    if loc.field_path:
        lines.append(f"field: {loc.field_path}")
    if loc.origin:
        lines.append(f"origin: {loc.origin}")
    lines.append(f"message: {finding.message}")
    if finding.remediation:
        lines.append(f"fix: {finding.remediation}")
    lines.extend(f"see: {reference}" for reference in finding.references)
    return "\n".join(printable(line) for line in lines)


def add_testcase(suite: ET.Element, finding: Finding, report: Report) -> str:
    """Add ``finding`` to ``suite``; returns the outcome: failed, skipped or passed."""
    case = ET.SubElement(
        suite,
        "testcase",
        {"classname": printable(finding.location.file), "name": case_name(finding)},
    )
    details = xml_text(finding_details(finding))
    if finding.suppression is not None:
        skipped = ET.SubElement(
            case, "skipped", {"message": xml_text(describe_suppression(finding.suppression))}
        )
        skipped.text = details
        return "skipped"
    if finding.severity >= report.fail_on:
        failure = ET.SubElement(
            case,
            "failure",
            {"message": printable(finding.message), "type": finding.severity.value},
        )
        failure.text = details
        return "failed"
    ET.SubElement(case, "system-out").text = details
    return "passed"


def set_counts(element: ET.Element, tests: int, failures: int, skipped: int) -> None:
    element.set("tests", str(tests))
    element.set("failures", str(failures))
    element.set("errors", "0")
    element.set("skipped", str(skipped))


def to_xml(root: ET.Element) -> str:
    ET.indent(root)
    return XML_DECLARATION + ET.tostring(root, encoding="unicode") + "\n"


class JunitFormat:
    name = "junit"

    def render(self, report: Report, *, color: bool = False) -> str:
        root = ET.Element("testsuites", {"name": SUITES_NAME})
        totals = {"failed": 0, "skipped": 0, "passed": 0}
        by_file = groupby(report.sorted_findings(), key=lambda f: f.location.file)
        for file, findings in by_file:
            suite = ET.SubElement(root, "testsuite", {"name": printable(file)})
            outcomes = [add_testcase(suite, finding, report) for finding in findings]
            set_counts(suite, len(outcomes), outcomes.count("failed"), outcomes.count("skipped"))
            for outcome in outcomes:
                totals[outcome] += 1
        if not report.findings:
            suite = ET.SubElement(root, "testsuite", {"name": EMPTY_SUITE_NAME})
            ET.SubElement(
                suite, "testcase", {"classname": printable(report.target), "name": EMPTY_CASE_NAME}
            )
            set_counts(suite, 1, 0, 0)
            totals["passed"] = 1
        set_counts(root, sum(totals.values()), totals["failed"], totals["skipped"])
        return to_xml(root)

    def render_rules(self, rules: list[Rule], *, color: bool = False) -> str:
        """The catalogue as passing tests, one suite per family: what the gate checks."""
        root = ET.Element("testsuites", {"name": SUITES_NAME})
        by_family = groupby(sorted(rules, key=lambda r: (r.family, r.id)), key=lambda r: r.family)
        for family, family_rules in by_family:
            suite = ET.SubElement(root, "testsuite", {"name": family})
            cases = 0
            for rule in family_rules:
                case = ET.SubElement(suite, "testcase", {"classname": family, "name": rule.id})
                ET.SubElement(case, "system-out").text = (
                    f"{rule.severity.value}: {rule.title}\n"
                    f"why: {rule.rationale}\nfix: {rule.remediation}"
                )
                cases += 1
            set_counts(suite, cases, 0, 0)
        set_counts(root, len(rules), 0, 0)
        return to_xml(root)
