"""The policy family's own rules, and the rules made on the fly for each user policy."""

from __future__ import annotations

from gitwarden.findings import Severity
from gitwarden.rules import Rule

FAMILY = "policy"
# Rule ids made from user policies carry the engine as a prefix (``rego:main/deny``).
POLICY_RULE_PREFIXES = ("rego:", "vap:", "kyverno:", "gatekeeper:")

POLICY_ERROR = Rule(
    id="policy-error",
    family=FAMILY,
    severity=Severity.HIGH,
    title="A policy could not be read or evaluated",
    rationale=(
        "A policy with a syntax error, or one that fails while it evaluates an object, "
        "checks nothing; passing the run anyway would let through what it was written to "
        "stop. gitwarden fails closed."
    ),
    remediation=(
        "Fix the policy at the reported line (`gitwarden policy test DIR` runs its unit "
        "tests), or remove it from `policies:` / `--policy`."
    ),
)

POLICY_UNSUPPORTED = Rule(
    id="policy-unsupported",
    family=FAMILY,
    severity=Severity.HIGH,
    title="A policy uses a construct gitwarden cannot evaluate offline",
    rationale=(
        "Kyverno and admission policies can call the API server, look up images or use "
        "features beyond the common subset; what cannot be evaluated is reported, never "
        "treated as passed."
    ),
    remediation=(
        "Rewrite the rule with the supported subset (docs/policies.md), or accept the gap "
        "with a suppression that says why."
    ),
)

POLICY_PARAMS_MISSING = Rule(
    id="policy-params-missing",
    family=FAMILY,
    severity=Severity.HIGH,
    title="An admission policy's parameters are not in the repository",
    rationale=(
        "A ValidatingAdmissionPolicy with a paramKind is evaluated with the parameter "
        "objects its binding names; without them the cluster denies (or skips) every "
        "request, and gitwarden cannot check anything."
    ),
    remediation=(
        "Commit the parameter objects the binding's paramRef names, or set "
        "`parameterNotFoundAction: Allow` if skipping is intended."
    ),
)

POLICY_TEST_FAILED = Rule(
    id="policy-test-failed",
    family=FAMILY,
    severity=Severity.HIGH,
    title="A policy test failed",
    rationale=(
        "Rego `test_` rules, gator suites and Kyverno CLI tests pin down what a policy must "
        "and must not reject; a failing test means the policy no longer does what its author "
        "meant (reported by `gitwarden policy test`)."
    ),
    remediation="Fix the policy or the test; run `gitwarden policy test DIR` until it passes.",
)

POLICY_RULES: tuple[Rule, ...] = (
    POLICY_ERROR,
    POLICY_UNSUPPORTED,
    POLICY_PARAMS_MISSING,
    POLICY_TEST_FAILED,
)


def policy_rule(
    rule_id: str, severity: Severity, title: str, rationale: str, remediation: str = ""
) -> Rule:
    """The rule behind the findings of one user policy (shown in reports, SARIF help)."""
    return Rule(
        id=rule_id,
        family=FAMILY,
        severity=severity,
        title=title,
        rationale=rationale,
        remediation=remediation or "Change the object so that it satisfies the policy.",
    )
