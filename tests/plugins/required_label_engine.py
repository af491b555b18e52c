"""A test-only policy engine: `RequiredLabel` objects name a label every Deployment must carry.

Written as a built-in engine is (one module with `evaluate(inputs) -> PolicyResults`);
registered by one entry in `gitwarden.policy.engines.POLICY_ENGINES`.
"""

from __future__ import annotations

from gitwarden.findings import Severity
from gitwarden.policy.engine import PolicyInputs
from gitwarden.policy.results import PolicyResults
from gitwarden.policy.rules import policy_rule

KIND = "RequiredLabel"


def evaluate(inputs: PolicyInputs) -> PolicyResults:
    results = PolicyResults()
    for policy in (o for o in inputs.everything if o.kind == KIND):
        label = str(policy.get(("spec", "label"), ""))
        rule = policy_rule(
            f"plugin-label:{policy.name}",
            Severity.MEDIUM,
            f"Deployments carry the label {label}",
            f"Required by {policy.file}.",
        )
        for obj in inputs.subjects:
            if obj.kind == "Deployment" and label not in obj.labels:
                results.add(rule, f"{obj.resource} has no label {label}.", obj.location())
    return results
