"""Kyverno CLI tests (``kyverno-test.yaml``), run with gitwarden's Kyverno engine.

A test names ``policies`` and ``resources`` files, optional ``variables`` (a Values file) and
``results``: for each ``policy``, ``rule`` and resource, ``result: fail`` means the rule
rejects the resource, ``pass`` and ``skip`` that it does not. Rules named ``autogen-<rule>``
(``autogen-cronjob-<rule>``) are the pod rule applied to pod controllers, as gitwarden applies
it. One case per result and resource. What gitwarden does not evaluate (mutate, generate and
verifyImages rules, the ``policies.kyverno.io`` policy kinds, unsupported constructs) is a
skipped case with the reason, never a pass.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gitwarden.findings import Finding
from gitwarden.manifests.objects import K8sObject
from gitwarden.policy.kyverno import GROUP, POLICY_KINDS, evaluate_kyverno_policies
from gitwarden.policy.kyverno_pod_security import PodSecurityEvaluator
from gitwarden.policy.kyverno_validating_policy import (
    evaluate_validating_policies,
    is_validating_policy,
)
from gitwarden.policy.kyverno_values_file import KyvernoValues, read_values
from gitwarden.policy.object_view import ObjectBodies
from gitwarden.policy.rules import POLICY_ERROR, POLICY_UNSUPPORTED
from gitwarden.policy.suite_cases import CaseOutcome, SuiteCase
from gitwarden.policy.suite_files import SuiteFileError, suite_document, suite_objects

TEST_FILE = "kyverno-test.yaml"
_RULE_AT = re.compile(r"^spec\.rules\[(\d+)\]")
_NOT_VALIDATE = ("mutate", "generate", "verifyImages")
# Results about policy kinds gitwarden does not evaluate: they change or create objects.
_RESULT_FLAGS = {
    "isMutatingPolicy": "a MutatingPolicy",
    "isMUtatingPolicy": "a MutatingPolicy",
    "isGeneratingPolicy": "a GeneratingPolicy",
    "isDeletingPolicy": "a DeletingPolicy",
    "isImageValidatingPolicy": "an ImageValidatingPolicy",
}


@dataclass
class _Verdicts:
    """What the engine said about one resource: findings and errors by rule id."""

    failed: dict[str, list[Finding]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    unsupported: dict[str, str] = field(default_factory=dict)
    broken: str | None = None


@dataclass
class _TestRun:
    """One test's policies, resources and values; the engines' verdicts are computed for all
    resources at the first case that needs them, so each policy compiles once per test."""

    policies: Sequence[K8sObject]
    resources: Sequence[K8sObject]
    values: KyvernoValues
    pod_security: PodSecurityEvaluator | None
    verdicts: dict[str, _Verdicts] = field(default_factory=dict)

    @property
    def kyverno(self) -> list[K8sObject]:
        return [o for o in self.policies if o.api_group == GROUP and o.kind in POLICY_KINDS]

    def verdict(self, subject: K8sObject) -> _Verdicts:
        if not self.verdicts:
            self.verdicts.update(
                _evaluate(self.policies, self.resources, self.values, self.pod_security)
            )
        return self.verdicts.get(subject.resource, _Verdicts())


def run_kyverno_test(
    path: Path, boundary: Path, pod_security: PodSecurityEvaluator | None = None
) -> list[SuiteCase]:
    """Every expected result of the test at ``path`` as a case (files stay in ``boundary``);
    ``pod_security`` evaluates ``validate.podSecurity`` rules."""
    test = suite_document(path.parent, path.name, boundary)
    folder = path.parent
    try:
        policies = [o for n in _names(test, "policies") for o in suite_objects(folder, n, boundary)]
        resources = [
            o for n in _names(test, "resources") for o in suite_objects(folder, n, boundary)
        ]
        variables = test.get(("variables",))
        values = (
            read_values(suite_document(folder, str(variables), boundary))
            if variables
            else KyvernoValues()
        )
    except SuiteFileError as error:
        return [SuiteCase(test.file, test.name, CaseOutcome.FAILED, str(error), test.line)]
    run = _TestRun(policies, resources, values, pod_security)
    cases: list[SuiteCase] = []
    results = test.get(("results",))
    for index, expected in enumerate(results if isinstance(results, list) else []):
        if not isinstance(expected, Mapping):
            continue
        line = test.location(("results", index)).line
        for resource_name in _strings(expected.get("resources")):
            kind = f"{expected['kind']}/" if expected.get("kind") else ""
            name = f"{expected.get('policy')}/{expected.get('rule') or '-'}/{kind}{resource_name}"
            outcome, reason = _judge(expected, resource_name, run)
            cases.append(SuiteCase(test.file, name, outcome, reason, line))
    return cases


def _judge(
    expected: Mapping[str, Any], resource_name: str, run: _TestRun
) -> tuple[CaseOutcome, str]:
    for flag, what in _RESULT_FLAGS.items():
        if expected.get(flag):
            return CaseOutcome.SKIPPED, f"{what}: gitwarden does not evaluate this policy kind"
    policy_name = str(expected.get("policy", "")).strip().rpartition("/")[2]
    named_vpol = any(is_validating_policy(p) and p.name == policy_name for p in run.policies)
    if expected.get("isValidatingPolicy") or named_vpol:
        return _judge_validating_policy(expected, policy_name, resource_name, run)
    policy = next((p for p in run.kyverno if p.name == policy_name), None)
    if policy is None:
        other = next((p for p in run.policies if p.name == policy_name), None)
        if other is not None:
            return CaseOutcome.SKIPPED, f"{other.kind} ({other.api_version}) is not evaluated"
        return CaseOutcome.FAILED, f"policy {policy_name} is not in the test's policies"
    rule_name = _pod_rule(str(expected.get("rule") or ""))
    rule = _rule(policy, rule_name)
    if rule is None:
        return CaseOutcome.FAILED, f"policy {policy_name} has no rule {rule_name}"
    not_validate = next((k for k in _NOT_VALIDATE if k in rule), None)
    if not_validate is not None:
        return CaseOutcome.SKIPPED, f"{not_validate} rule: out of scope (gitwarden only validates)"
    return _judge_resource(expected, f"kyverno:{policy.name}/{rule_name}", resource_name, run)


def _judge_validating_policy(
    expected: Mapping[str, Any], policy_name: str, resource_name: str, run: _TestRun
) -> tuple[CaseOutcome, str]:
    policy = next(
        (p for p in run.policies if is_validating_policy(p) and p.name == policy_name), None
    )
    if policy is None:
        return CaseOutcome.FAILED, f"ValidatingPolicy {policy_name} is not in the test's policies"
    return _judge_resource(expected, f"kyverno:{policy.name}", resource_name, run)


def _judge_resource(
    expected: Mapping[str, Any], rule_id: str, resource_name: str, run: _TestRun
) -> tuple[CaseOutcome, str]:
    """The expected result for the named resource against the findings of ``rule_id``."""
    subject = _resource(run.resources, resource_name, expected.get("kind"))
    if subject is None:
        return CaseOutcome.FAILED, f"resource {resource_name} is not in the test's resources"
    return _compare(expected, run.verdict(subject), rule_id)


def _compare(
    expected: Mapping[str, Any], verdict: _Verdicts, rule_id: str
) -> tuple[CaseOutcome, str]:
    if rule_id in verdict.unsupported:
        return CaseOutcome.SKIPPED, verdict.unsupported[rule_id]
    if verdict.broken is not None:
        return CaseOutcome.FAILED, f"gitwarden could not evaluate the policies: {verdict.broken}"
    want_failure = str(expected.get("result", "")).lower() == "fail"
    if rule_id in verdict.errors:
        return (
            CaseOutcome.FAILED,
            f"gitwarden could not evaluate the rule: {verdict.errors[rule_id]}",
        )
    found = verdict.failed.get(rule_id, [])
    if bool(found) == want_failure:
        return CaseOutcome.PASSED, ""
    if want_failure:
        return CaseOutcome.FAILED, "expected fail, gitwarden found no violation"
    return (
        CaseOutcome.FAILED,
        f"expected {expected.get('result')}, gitwarden found: {found[0].message}",
    )


def _evaluate(
    policies: Sequence[K8sObject],
    resources: Sequence[K8sObject],
    values: KyvernoValues,
    pod_security: PodSecurityEvaluator | None,
) -> dict[str, _Verdicts]:
    """What the engines say about each resource (by ``Kind/namespace/name``): all resources
    are evaluated at once, so each policy compiles once per test."""
    everything = [*policies, *resources]
    bodies = ObjectBodies(resources)
    results = evaluate_kyverno_policies(
        everything, resources, bodies, values=values, pod_security=pod_security
    )
    results.extend(evaluate_validating_policies(everything, resources, bodies))
    verdicts = {r.resource: _Verdicts() for r in resources}
    for finding in results.findings:
        rule_id = _rule_id_of(finding, policies)
        if rule_id is None:
            if _unattributed(finding):
                # Not about one rule (a policy without rules...): no rule can be trusted.
                for verdict in verdicts.values():
                    verdict.broken = finding.message
            continue
        if finding.rule_id == POLICY_UNSUPPORTED.id:
            for verdict in verdicts.values():
                verdict.unsupported.setdefault(rule_id, finding.message)
        elif finding.rule_id == POLICY_ERROR.id:
            listed = finding.details.get("resources")
            affected = listed.split("\n") if listed else list(verdicts)
            for resource in affected:
                verdicts.setdefault(resource, _Verdicts()).errors.setdefault(
                    rule_id, finding.message
                )
        else:
            verdict = verdicts.setdefault(finding.location.resource or "", _Verdicts())
            verdict.failed.setdefault(finding.rule_id, []).append(finding)
    return verdicts


def _rule_id_of(finding: Finding, policies: Sequence[K8sObject]) -> str | None:
    """The rule a finding is about: its own id, its details, or the rule it points into."""
    if finding.rule_id.startswith("kyverno:"):
        return finding.rule_id
    policy, rule = finding.details.get("kyverno_policy"), finding.details.get("rule")
    if policy and rule:
        return f"kyverno:{policy}/{rule}"
    owner = next((p for p in policies if p.resource == finding.location.resource), None)
    if owner is not None and is_validating_policy(owner):
        return f"kyverno:{owner.name}"
    if policy:
        return f"kyverno:{policy}"
    where = _RULE_AT.match(finding.location.field_path or "")
    if where is None or owner is None:
        return None
    rules = owner.get(("spec", "rules"))
    index = int(where.group(1))
    if not isinstance(rules, list) or index >= len(rules) or not isinstance(rules[index], Mapping):
        return None
    return f"kyverno:{owner.name}/{rules[index].get('name')}"


def _unattributed(finding: Finding) -> bool:
    return finding.rule_id in (POLICY_ERROR.id, POLICY_UNSUPPORTED.id)


def _pod_rule(name: str) -> str:
    for prefix in ("autogen-cronjob-", "autogen-"):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _rule(policy: K8sObject, name: str) -> Mapping[str, Any] | None:
    rules = policy.get(("spec", "rules"))
    for rule in rules if isinstance(rules, list) else []:
        if isinstance(rule, Mapping) and rule.get("name") == name:
            return rule
    return None


def _resource(resources: Sequence[K8sObject], name: str, kind: Any) -> K8sObject | None:
    namespace, _, plain = name.rpartition("/")
    for resource in resources:
        if resource.name != plain or (kind and resource.kind != kind):
            continue
        if namespace and (resource.namespace or "default") != namespace:
            continue
        return resource
    return None


def _names(test: K8sObject, key: str) -> list[str]:
    return _strings(test.get((key,)))


def _strings(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []
