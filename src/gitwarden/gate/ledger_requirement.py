"""``ledger``: the ref-state ledger is intact and records no force push, deletion or loss."""

from __future__ import annotations

from dataclasses import dataclass

from gitwarden.commands.ledger import LedgerVerifyOptions, ledger_verify
from gitwarden.gate.context import GateContext
from gitwarden.gate.finding_summary import result_from_findings
from gitwarden.gate.requirement_result import RequirementResult


@dataclass(frozen=True)
class LedgerRequirement:
    name: str = "ledger"

    def evaluate(self, context: GateContext) -> RequirementResult:
        report = ledger_verify(
            context.repo.path,
            context.config,
            # The recorders allowed are the base's; a gate never writes the witness file.
            LedgerVerifyOptions(
                policy_ref=context.base.revision,
                update_witness=False,
                fail_on=context.fail_on,
                today=context.now.date(),
            ),
        )
        return result_from_findings(
            self.name, report.findings, context.fail_on, report.rules, "ledger intact"
        )
