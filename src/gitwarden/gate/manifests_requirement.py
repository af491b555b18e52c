"""``manifests``: REV's manifests and posture under the environment's paths, at its threshold.

Entries the tree could not hand to the scanners (links, submodules, oversized files) count
here wherever they are: what was not read cannot pass.
"""

from __future__ import annotations

from dataclasses import dataclass

from gitwarden import decision_rules as rules
from gitwarden.findings import Finding, Location
from gitwarden.gate.context import GateContext
from gitwarden.gate.finding_summary import result_from_findings
from gitwarden.gate.requirement_result import RequirementResult
from gitwarden.gate.tree_scan import in_paths, is_policy, is_secret, tree_report


@dataclass(frozen=True)
class ManifestsRequirement:
    name: str = "manifests"

    def evaluate(self, context: GateContext) -> RequirementResult:
        report = tree_report(context)
        paths = context.environment.paths
        counted = [
            finding
            for finding in report.findings
            if not is_secret(finding) and not is_policy(finding) and in_paths(finding, paths)
        ]
        counted += unchecked_entries(context)
        known = {**report.rules, rules.TREE_ENTRY_UNCHECKED.id: rules.TREE_ENTRY_UNCHECKED}
        return result_from_findings(
            self.name, counted, context.fail_on, known, f"{report.objects_scanned} objects checked"
        )


def unchecked_entries(context: GateContext) -> list[Finding]:
    return [
        rules.TREE_ENTRY_UNCHECKED.finding(
            f"{entry.path}: {entry.reason} not checked ({entry.detail})",
            Location(file=entry.path),
            details={"reason": entry.reason},
        )
        for entry in context.tree.skipped
    ]
