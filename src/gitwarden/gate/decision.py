"""The gate's verdict: allow or deny, the reasons, every requirement's result, and what the
decision was made from (base, last deployment, tree)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from gitwarden.attestation.decision_predicate import (
    Approval,
    CheckResult,
    CommitRecord,
    DecisionPredicate,
    ImageRecord,
    PolicyVersion,
)
from gitwarden.gate.requirement_result import RequirementResult
from gitwarden.version import __version__


@dataclass(frozen=True)
class GateDecision:
    """``errored``: a check could not run (exit 2); that is a deny too."""

    repository: str
    environment: str
    revision: str
    allowed: bool
    errored: bool
    reasons: tuple[str, ...]
    results: tuple[RequirementResult, ...]
    decided_at: datetime
    tree: str | None = None
    base_branch: str | None = None
    base_revision: str | None = None
    base_source: str | None = None
    last_deployed: str | None = None
    policies: tuple[PolicyVersion, ...] = ()
    commits: tuple[CommitRecord, ...] = ()
    approvals: tuple[Approval, ...] = ()
    images: tuple[ImageRecord, ...] = ()

    @property
    def verdict(self) -> str:
        return "allow" if self.allowed else "deny"

    def predicate(self) -> DecisionPredicate:
        """The attested form (schema: attestation/schemas/decision-predicate.schema.json)."""
        return DecisionPredicate(
            repository=self.repository,
            revision=self.revision,
            environment=self.environment,
            decision="allow" if self.allowed else "deny",
            decided_at=self.decided_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            gitwarden_version=__version__,
            reasons=self.reasons,
            checks=tuple(
                CheckResult(
                    result.name,
                    result.outcome,
                    result.summary,
                    sum(1 for finding in result.findings if not finding.suppressed),
                )
                for result in self.results
            ),
            tree=self.tree,
            base_revision=self.base_revision,
            policies=self.policies,
            commits=self.commits,
            approvals=self.approvals,
            images=self.images,
        )
