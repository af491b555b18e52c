"""``secrets``: no secret in REV's tree, nor in the history since the last deployment."""

from __future__ import annotations

from dataclasses import dataclass

from gitwarden.commands.history import HistoryOptions, history
from gitwarden.gate.context import GateContext
from gitwarden.gate.finding_summary import result_from_findings
from gitwarden.gate.requirement_result import RequirementResult
from gitwarden.gate.tree_scan import is_secret, tree_report


@dataclass(frozen=True)
class SecretsRequirement:
    name: str = "secrets"

    def evaluate(self, context: GateContext) -> RequirementResult:
        tree = tree_report(context)
        in_tree = [finding for finding in tree.findings if is_secret(finding)]
        context.check_time()
        past = history(
            context.repo.path,
            context.config,
            # No blob cache: a gate cannot trust a cache folder someone else could write.
            HistoryOptions(
                since=context.last_deployed,
                cache_dir=None,
                fail_on=context.fail_on,
                today=context.now.date(),
            ),
        )
        return result_from_findings(
            self.name,
            [*in_tree, *past.findings],
            context.fail_on,
            {**tree.rules, **past.rules},
            "no secret found",
        )
