"""Gatekeeper ``gator verify`` suites (``kind: Suite``), run with gitwarden's Gatekeeper engine.

A suite's ``tests`` name a ``template`` and a ``constraint``; each of its ``cases`` reviews an
``object`` (with ``inventory`` objects as ``data.inventory``) and checks ``assertions``:
``violations: yes`` (at least one; the default), ``no`` (none) or a number (exactly that
many), counting only violations whose message matches the assertion's ``message`` regular
expression when one is given. One case per assertion, as gator reports them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from gitwarden.manifests.objects import K8sObject
from gitwarden.policy.gatekeeper import BoundConstraint, bind_constraints
from gitwarden.policy.gatekeeper_inventory import inventory_of
from gitwarden.policy.gatekeeper_templates import TemplateEvaluationError, Violation
from gitwarden.policy.object_view import plain_body
from gitwarden.policy.results import PolicyResults
from gitwarden.policy.suite_cases import CaseOutcome, SuiteCase
from gitwarden.policy.suite_files import SuiteFileError, suite_document, suite_objects

SUITE_GROUP = "test.gatekeeper.sh"
SUITE_KIND = "Suite"


def is_gator_suite(obj: K8sObject) -> bool:
    return obj.kind == SUITE_KIND and obj.api_group == SUITE_GROUP


def run_gator_suite(path: Path, boundary: Path) -> list[SuiteCase]:
    """Every assertion of the suite at ``path`` as a case (files must stay in ``boundary``)."""
    suite = suite_document(path.parent, path.name, boundary)
    tests = suite.get(("tests",))
    cases: list[SuiteCase] = []
    for index, test in enumerate(tests if isinstance(tests, list) else []):
        if isinstance(test, Mapping):
            cases.extend(_run_test(suite, index, test, path.parent, boundary))
    return cases


def _run_test(
    suite: K8sObject, index: int, test: Mapping[str, Any], folder: Path, boundary: Path
) -> list[SuiteCase]:
    name = str(test.get("name") or f"test-{index}")
    line = suite.location(("tests", index)).line
    case_specs = [c for c in test.get("cases") or [] if isinstance(c, Mapping)]
    try:
        constraint = _bind(test, folder, boundary)
    except SuiteFileError as error:
        return [
            _case(suite, f"{name}/{c.get('name')}", CaseOutcome.FAILED, str(error), line)
            for c in case_specs
        ] or [_case(suite, name, CaseOutcome.FAILED, str(error), line)]
    cases: list[SuiteCase] = []
    for position, spec in enumerate(case_specs):
        case_name = f"{name}/{spec.get('name') or f'case-{position}'}"
        case_line = suite.location(("tests", index, "cases", position)).line
        try:
            found = _review(constraint, spec, folder, boundary)
        except (SuiteFileError, TemplateEvaluationError) as error:
            cases.append(_case(suite, case_name, CaseOutcome.FAILED, str(error), case_line))
            continue
        assertions = spec.get("assertions") or [{}]
        for number, assertion in enumerate(assertions if isinstance(assertions, list) else []):
            verdict = check_assertion(assertion, found)
            cases.append(
                _case(
                    suite,
                    f"{case_name}#{number}" if len(assertions) > 1 else case_name,
                    CaseOutcome.PASSED if verdict is None else CaseOutcome.FAILED,
                    verdict or "",
                    case_line,
                )
            )
    return cases


def _bind(test: Mapping[str, Any], folder: Path, boundary: Path) -> BoundConstraint:
    template = suite_objects(folder, str(test.get("template")), boundary)
    constraint = suite_objects(folder, str(test.get("constraint")), boundary)
    results = PolicyResults()
    bound = bind_constraints([*template, *constraint], results)
    if results.findings:
        raise SuiteFileError(results.findings[0].message)
    if len(bound) != 1:
        raise SuiteFileError(f"expected one Constraint, found {len(bound)}")
    return bound[0]


def _review(
    constraint: BoundConstraint, spec: Mapping[str, Any], folder: Path, boundary: Path
) -> list[Violation]:
    objects = suite_objects(folder, str(spec.get("object")), boundary)
    if len(objects) != 1:
        raise SuiteFileError(f"{spec.get('object')}: expected one object, found {len(objects)}")
    subject = objects[0]
    inventory = [
        o
        for name in spec.get("inventory") or []
        for o in suite_objects(folder, str(name), boundary)
    ]
    constraint.template.use_inventory(inventory_of(plain_body(o) for o in inventory))
    namespaces = {o.name: plain_body(o) for o in inventory if o.kind == "Namespace"}
    namespace = namespaces.get(subject.namespace or "") if subject.namespace else None
    if subject.namespace and namespace is None:
        namespace = _bare_namespace(subject.namespace)
    if not constraint.applies_to(subject, namespace):
        return []
    return constraint.violations(subject, plain_body(subject), namespace)


def _bare_namespace(name: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": name, "labels": {"kubernetes.io/metadata.name": name}},
    }


def check_assertion(assertion: Any, violations: Sequence[Violation]) -> str | None:
    """None when the assertion holds, else what was expected and what was found."""
    if not isinstance(assertion, Mapping):
        return "an assertion must be a map"
    pattern = assertion.get("message")
    matching = violations
    if pattern is not None:
        try:
            regex = re.compile(str(pattern))
        except re.error as error:
            return f"message {pattern!r} is not a regular expression: {error}"
        matching = [v for v in violations if regex.search(v.message)]
    expected = assertion.get("violations", "yes")
    count = len(matching)
    about = f" matching {pattern!r}" if pattern is not None else ""
    # `is`, not `==`: 1 == True in Python, and `violations: 1` means exactly one.
    if expected is True or expected == "yes":
        held, wanted = count > 0, "at least one violation"
    elif expected is False or expected == "no":
        held, wanted = count == 0, "no violation"
    elif isinstance(expected, int) or (isinstance(expected, str) and expected.isdigit()):
        held, wanted = count == int(expected), f"{int(expected)} violations"
    else:
        return f"violations: {expected!r} is neither yes, no nor a number"
    if held:
        return None
    shown = "; ".join(v.message for v in violations[:3])
    return f"expected {wanted}{about}, found {count}" + (f" ({shown})" if shown else "")


def _case(suite: K8sObject, name: str, outcome: CaseOutcome, reason: str, line: int) -> SuiteCase:
    return SuiteCase(suite.file, name, outcome, reason, line)
