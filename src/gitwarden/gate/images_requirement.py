"""``images``: every image under the environment's paths pinned by digest, whatever severity
the config gives the rule elsewhere (production runs what was reviewed, byte for byte)."""

from __future__ import annotations

from dataclasses import dataclass

from gitwarden.findings import Severity
from gitwarden.gate.context import GateContext
from gitwarden.gate.finding_summary import result_from_findings
from gitwarden.gate.requirement_result import RequirementResult
from gitwarden.gate.tree_scan import in_paths, tree_report

NOT_PINNED = "images-not-pinned-by-digest"


@dataclass(frozen=True)
class ImagesRequirement:
    name: str = "images"

    def evaluate(self, context: GateContext) -> RequirementResult:
        report = tree_report(context)
        counted = [
            finding
            for finding in report.findings
            if finding.rule_id == NOT_PINNED and in_paths(finding, context.environment.paths)
        ]
        return result_from_findings(
            self.name, counted, Severity.INFO, report.rules, "every image pinned by digest"
        )
