"""``ancestry`` (always required): REV descends from the revision last deployed to the
environment; anything else is a rollback or a force push and needs a signed approval: the
one given to the gate (``--rollback-approval``), else one of those stored for the
environment under ``refs/gitwarden/rollbacks`` (`gitwarden rollback approve`)."""

from __future__ import annotations

from dataclasses import dataclass

from gitwarden import decision_rules as rules
from gitwarden.attestation.dsse import Envelope
from gitwarden.attestation.statement import AttestationError
from gitwarden.gate.context import GateContext
from gitwarden.gate.requirement_result import RequirementResult
from gitwarden.gate.rollback_approval import (
    ApprovedRollback,
    check_rollback_approval,
    trust_policy_at,
)
from gitwarden.gate.rollback_store import ROLLBACKS_REF, stored_rollback_approvals
from gitwarden.integrity.trust_policy import TrustPolicy

RULES = {rules.ROLLBACK_UNAPPROVED.id: rules.ROLLBACK_UNAPPROVED}
# How many refusals of stored approvals the reason lists (the findings carry one each).
LISTED_REFUSALS = 3


@dataclass(frozen=True)
class AncestryRequirement:
    name: str = "ancestry"

    def evaluate(self, context: GateContext) -> RequirementResult:
        last = context.last_deployed
        if last is None:
            return RequirementResult(self.name, "pass", "first recorded deployment")
        # A missing last deployment is an error (shallow clone, rewritten history), not a pass.
        context.repo.read_object(last)
        if last == context.revision or context.repo.is_ancestor(last, context.revision):
            return RequirementResult(self.name, "pass", f"descends from {last[:7]}")
        move = f"{context.revision[:7]} does not descend from deployed {last[:7]}"
        candidates = self._candidates(context)
        if not candidates:
            return self._denied(context, f"rollback: {move}, no signed rollback approval")
        policy = trust_policy_at(context.repo, context.base.revision)
        if policy is None:
            return self._denied(context, f"rollback: {move}; the base has no trust policy")
        refusals = []
        for name, envelope in candidates:
            try:
                approved = _checked(envelope, policy, context, last)
            except AttestationError as error:
                refusals.append(f"{name}: {error.message}" if name else error.message)
                continue
            who = ", ".join(approved.principals)
            return RequirementResult(self.name, "pass", f"rollback approved by {who}")
        listed = "; ".join(refusals[:LISTED_REFUSALS])
        more = (
            f" (and {len(refusals) - LISTED_REFUSALS} more)"
            if len(refusals) > LISTED_REFUSALS
            else ""
        )
        return self._denied(context, f"rollback: {move}; approval refused: {listed}{more}")

    def _candidates(self, context: GateContext) -> list[tuple[str, Envelope]]:
        """The approval given to the gate, else the stored ones (named by their path)."""
        if context.rollback_approval is not None:
            return [("", context.rollback_approval)]
        found = []
        for stored in stored_rollback_approvals(context.repo, context.environment.name):
            if stored.envelope is not None:
                found.append((f"{ROLLBACKS_REF}:{stored.name}", stored.envelope))
        return found

    def _denied(self, context: GateContext, message: str) -> RequirementResult:
        finding = rules.ROLLBACK_UNAPPROVED.finding(message, context.location)
        return RequirementResult(self.name, "fail", message, (finding,), RULES)


def _checked(
    envelope: Envelope, policy: TrustPolicy, context: GateContext, last: str
) -> ApprovedRollback:
    return check_rollback_approval(
        envelope,
        policy,
        environment=context.environment.name,
        from_revision=last,
        to_revision=context.revision,
        now=context.now,
    )
