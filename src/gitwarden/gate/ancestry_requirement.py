"""``ancestry`` (always required): REV descends from the revision last deployed to the
environment; anything else is a rollback or a force push and needs a signed approval."""

from __future__ import annotations

from dataclasses import dataclass

from gitwarden import decision_rules as rules
from gitwarden.attestation.statement import AttestationError
from gitwarden.gate.context import GateContext
from gitwarden.gate.requirement_result import RequirementResult
from gitwarden.gate.rollback_approval import check_rollback_approval, trust_policy_at

RULES = {rules.ROLLBACK_UNAPPROVED.id: rules.ROLLBACK_UNAPPROVED}


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
        if context.rollback_approval is None:
            return self._denied(context, f"rollback: {move}, no signed rollback approval")
        policy = trust_policy_at(context.repo, context.base.revision)
        if policy is None:
            return self._denied(context, f"rollback: {move}; the base has no trust policy")
        try:
            approved = check_rollback_approval(
                context.rollback_approval,
                policy,
                environment=context.environment.name,
                from_revision=last,
                to_revision=context.revision,
            )
        except AttestationError as error:
            return self._denied(context, f"rollback: {move}; approval refused: {error.message}")
        who = ", ".join(approved.principals)
        return RequirementResult(self.name, "pass", f"rollback approved by {who}")

    def _denied(self, context: GateContext, message: str) -> RequirementResult:
        finding = rules.ROLLBACK_UNAPPROVED.finding(message, context.location)
        return RequirementResult(self.name, "fail", message, (finding,), RULES)
