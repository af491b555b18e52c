"""``review``: the change from the last deployed revision to REV reviewed as the review policy
says, through `gitwarden.commands.review` when this build has it.

Without the capability the requirement denies, naming what is missing: an environment that
requires review is never deployed unreviewed because a module is absent.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gitwarden import decision_rules as rules
from gitwarden.attestation.decision_predicate import Approval
from gitwarden.gate.context import GateContext
from gitwarden.gate.requirement_result import RequirementResult

if TYPE_CHECKING:  # typing only: the capability itself is imported when it runs
    from gitwarden.review.engine import RuleVerdict

REVIEW_MODULE = "gitwarden.commands.review"
UNAVAILABLE = "the review capability is not available in this build"


@dataclass(frozen=True)
class ReviewRequirement:
    name: str = "review"
    module: str = REVIEW_MODULE

    def evaluate(self, context: GateContext) -> RequirementResult:
        try:
            review = importlib.import_module(self.module)
        except ImportError:
            return unavailable(self.name, context, UNAVAILABLE)
        base = context.last_deployed or context.base.revision
        result = review.review(
            context.repo.path,
            context.config,
            review.ReviewOptions(
                base=base, head=context.revision, branch=context.base.branch, now=context.now
            ),
        )
        report = result.report
        findings = tuple(report.findings)
        context.scans.approvals = counted_approvals(result.rules)
        if result.satisfied:
            return RequirementResult(self.name, "pass", "approved", findings, report.rules)
        failing = [f.message for f in report.active if f.severity >= context.fail_on]
        summary = "; ".join(failing[:2]) or "the review policy is not satisfied"
        return RequirementResult(self.name, "fail", summary, findings, report.rules)


def unavailable(name: str, context: GateContext, message: str) -> RequirementResult:
    finding = rules.REQUIREMENT_UNAVAILABLE.finding(f"{name}: {message}", context.location)
    return RequirementResult(
        name,
        "not-configured",
        message,
        (finding,),
        {rules.REQUIREMENT_UNAVAILABLE.id: rules.REQUIREMENT_UNAVAILABLE},
    )


def counted_approvals(verdicts: Iterable[RuleVerdict]) -> tuple[Approval, ...]:
    """The approvals the review's rules counted, once each, naming every rule each counted for."""
    roles: dict[tuple[str, str, str | None, str | None], list[str]] = {}
    for verdict in verdicts:
        for approval in verdict.approvals:
            who = approval.principal or approval.who
            key = (who, approval.source, approval.key, approval.message or None)
            roles.setdefault(key, [])
            if verdict.name not in roles[key]:
                roles[key].append(verdict.name)
    return tuple(
        Approval(who, ", ".join(names), message, signer, source)
        for (who, source, signer, message), names in roles.items()
    )
