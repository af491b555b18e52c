"""`gitwarden policy test DIR`: run the tests kept beside policies (Rego `test_` rules,
gator suites, Kyverno CLI tests) through `gitwarden.policy_test`."""

from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ET
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

from gitwarden.cli import output

if TYPE_CHECKING:
    from gitwarden.commands.policy_test import PolicyTestResult


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "policy",
        help="work with the organisation's own policies (Rego, CEL, Kyverno, Gatekeeper)",
        description="Work with policy folders given to `gitwarden scan --policy`.",
    )
    actions = parser.add_subparsers(dest="policy_command", required=True, metavar="ACTION")
    test = actions.add_parser(
        "test",
        help="run the policies' own tests: Rego test_ rules, gator suites, kyverno-test.yaml",
        description="Run every rule named test_* in the .rego files of DIR (as `opa test`), "
        "every Gatekeeper suite (kind: Suite, as `gator verify`) and every kyverno-test.yaml "
        "(as `kyverno test`); one case per result, a failing case fails the run.",
    )
    test.add_argument("dirs", nargs="+", type=Path, metavar="DIR", help="policy folder or file")
    output.add_output_arguments(test)
    output.add_config_arguments(test)
    test.set_defaults(handler=run_tests)


def run_tests(args: argparse.Namespace) -> bool:
    """Run the tests and write the report; True when no case failed."""
    from gitwarden.commands.policy_test import PolicyTestOptions, policy_test

    result = policy_test(
        args.dirs, output.config_argument(args), PolicyTestOptions(fail_on=args.fail_on)
    )
    if args.format == "junit":
        text = render_junit_cases(result)
    else:
        text = output.render_report(args, result.report)
    output.emit(text, args.output)
    print(f"gitwarden: {result.summary()}", file=sys.stderr)
    return result.passed


def render_junit_cases(result: PolicyTestResult) -> str:
    """One ``testsuite`` per test file and one ``testcase`` per result, as CI shows tests."""
    from gitwarden.policy.suite_cases import CaseOutcome
    from gitwarden.report.escaping import xml_text

    root = ET.Element("testsuites", {"name": "gitwarden policy test"})
    for suite_file, group in groupby(
        sorted(result.cases, key=lambda c: c.suite), lambda c: c.suite
    ):
        cases = list(group)
        suite = ET.SubElement(
            root,
            "testsuite",
            {
                "name": xml_text(suite_file),
                "tests": str(len(cases)),
                "failures": str(sum(c.outcome is CaseOutcome.FAILED for c in cases)),
                "skipped": str(sum(c.outcome is CaseOutcome.SKIPPED for c in cases)),
            },
        )
        for case in cases:
            element = ET.SubElement(
                suite, "testcase", {"classname": xml_text(suite_file), "name": xml_text(case.name)}
            )
            if case.outcome is CaseOutcome.FAILED:
                ET.SubElement(
                    element, "failure", {"message": xml_text(case.reason)}
                ).text = xml_text(f"{suite_file}:{case.line}: {case.reason}")
            elif case.outcome is CaseOutcome.SKIPPED:
                ET.SubElement(element, "skipped", {"message": xml_text(case.reason)})
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
