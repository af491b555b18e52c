"""A CEL policy applied object by object: findings on the object, errors tallied once."""

from __future__ import annotations

import pytest

from gitwarden.findings import Severity
from gitwarden.policy.admission_judgement import AdmissionJudgement
from gitwarden.policy.cel_program import cel_environment, compile_cel
from gitwarden.policy.results import PolicyResults
from gitwarden.policy.rules import policy_rule
from k8s_fixtures import load_objects

POLICY = """\
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: replicas}
spec:
  validations:
    - expression: "object.spec.replicas >= 2"
      message: "two replicas or more"
"""
DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec: {replicas: REPLICAS}
"""
RULE = policy_rule("vap:replicas", Severity.HIGH, "replicas", "test")


def judgement(results: PolicyResults) -> AdmissionJudgement:
    policy = load_objects(POLICY, "policy.yaml")[0]
    compiled = compile_cel(
        cel_environment(),
        policy,
        policy.get(("spec",)),
        ("spec",),
        validations_key="validations",
        label="policy",
        results=results,
    )
    return AdmissionJudgement(
        compiled, RULE, Severity.HIGH, "cel", results, details={"binding": "b"}
    )


@pytest.mark.parametrize(("replicas", "fires"), [("1", True), ("3", False)])
def test_failed_validation_is_a_finding_on_the_object(replicas: str, fires: bool) -> None:
    results = PolicyResults()
    deployment = load_objects(DEPLOYMENT.replace("REPLICAS", replicas))[0]
    judgement(results).judge(deployment, dict(deployment.body), None)
    assert [f.message for f in results.findings] == (["two replicas or more"] if fires else [])
    if fires:
        assert list(results.findings[0].details) == ["policy", "engine", "expression", "binding"]
        assert results.findings[0].details["policy"] == "policy.yaml"


def test_evaluation_errors_are_reported_once_naming_every_object() -> None:
    results = PolicyResults()
    judged = judgement(results)
    for name in ("a", "b"):
        obj = load_objects(DEPLOYMENT.replace("web", name).replace("REPLICAS", "'x'"))[0]
        judged.judge(obj, dict(obj.body), None)
    judged.report_errors("policy", "The cluster would reject them.")
    assert [f.rule_id for f in results.findings] == ["policy-error"]
    assert "and 1 more objects" in results.findings[0].message
