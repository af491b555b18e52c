"""``signatures``: every commit since the last deployment signed as the trust policy says."""

from __future__ import annotations

from dataclasses import dataclass

from gitwarden.commands.verify import VerifyOptions, verify_result
from gitwarden.gate.candidate_view import candidate_view
from gitwarden.gate.context import GateContext
from gitwarden.gate.finding_summary import result_from_findings
from gitwarden.gate.requirement_result import RequirementResult
from gitwarden.integrity.signature_verdict import SignatureStatus


@dataclass(frozen=True)
class SignaturesRequirement:
    name: str = "signatures"

    def evaluate(self, context: GateContext) -> RequirementResult:
        view = context.scans.candidate_view
        if view is None:
            view = candidate_view(
                context.repo, context.revision, context.base.branch, context.work_dir / "view.git"
            )
            context.scans.candidate_view = view
        anchor = _anchor(context)
        verified = verify_result(
            view.path,
            context.config,
            VerifyOptions(
                refs=(context.base.branch,),
                trust_anchor=anchor,
                policy_fingerprint=None if anchor else context.environment.policy_fingerprint,
                use_cache=False,
                fail_on=context.fail_on,
                now=context.now,
            ),
        )
        report = verified.report
        for verdict in verified.verdicts:
            if verdict.status is SignatureStatus.VALID and verdict.key:
                context.scans.signers[verdict.commit] = verdict.key
        return result_from_findings(
            self.name,
            report.findings,
            context.fail_on,
            report.rules,
            f"{report.objects_scanned} commits verified",
        )


def _anchor(context: GateContext) -> str | None:
    """After a deployment only what came since is new (for a rollback: since the fork point);
    before any, the environment's trust anchor."""
    last = context.last_deployed
    if last is None:
        return context.environment.trust_anchor
    if context.repo.is_ancestor(last, context.revision):
        return last
    fork = context.repo.run("merge-base", last, context.revision, check=False).strip()
    return fork or context.environment.trust_anchor
