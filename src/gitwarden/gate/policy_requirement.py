"""``policy``: the base's policies as code (Rego, admission, Kyverno) over REV's tree."""

from __future__ import annotations

from dataclasses import dataclass

from gitwarden import decision_rules as rules
from gitwarden.gate.context import GateContext
from gitwarden.gate.finding_summary import result_from_findings
from gitwarden.gate.requirement_result import RequirementResult
from gitwarden.gate.tree_scan import in_paths, is_policy, tree_report
from gitwarden.policy.rules import POLICY_ERROR


@dataclass(frozen=True)
class PolicyRequirement:
    name: str = "policy"

    def evaluate(self, context: GateContext) -> RequirementResult:
        if not context.config.policies:
            message = "no policies are declared (policies:) in the base's .gitwarden.yaml"
            finding = rules.REQUIREMENT_UNAVAILABLE.finding(message, context.location)
            return RequirementResult(
                self.name,
                "not-configured",
                message,
                (finding,),
                {rules.REQUIREMENT_UNAVAILABLE.id: rules.REQUIREMENT_UNAVAILABLE},
            )
        report = tree_report(context)
        paths = context.environment.paths
        counted = [
            finding
            for finding in report.findings
            # A policy that could not be read or run fails the gate wherever it is.
            if is_policy(finding)
            and (finding.rule_id == POLICY_ERROR.id or in_paths(finding, paths))
        ]
        return result_from_findings(
            self.name, counted, context.fail_on, report.rules, "policies passed"
        )
