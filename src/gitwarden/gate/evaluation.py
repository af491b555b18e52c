"""One gate run: find the protected base, materialise REV, judge the environment's policy.

Everything that goes wrong becomes a deny with its reason: a shallow clone, a missing object,
an undeclared environment, a crashing check, the time budget. `evaluate_gate` never raises a
`GitwardenError`; the decision says ``errored`` instead.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import MappingProxyType

from gitwarden import decision_rules as rules
from gitwarden.attestation.decision_predicate import CommitRecord, ImageRecord, PolicyVersion
from gitwarden.attestation.dsse import Envelope
from gitwarden.config import Config
from gitwarden.errors import GitwardenError
from gitwarden.findings import Finding, Location, Severity
from gitwarden.gate.context import GateContext
from gitwarden.gate.decision import GateDecision
from gitwarden.gate.deployed_images import deployed_images
from gitwarden.gate.protected_base import BRANCH_TIP, ProtectedBase, find_protected_base
from gitwarden.gate.requirement_registry import environment_policy
from gitwarden.gate.requirement_result import RequirementResult
from gitwarden.gate.requirements import evaluated
from gitwarden.rules import Rule
from gitwarden.sources.git_repository import GitError, GitRepository
from gitwarden.sources.revision_tree import materialise_tree

# The commits a decision lists (between the last deployment and REV) are bounded: one record.
MAX_RECORDED_COMMITS = 1000
BASE_FILES = (("config", ".gitwarden.yaml"), ("trust", ".gitwarden/trust.yaml"))


@dataclass(frozen=True)
class GateRequest:
    repo_path: Path
    repository_name: str
    revision: str
    environment: str
    now: datetime
    work_dir: Path
    timeout_seconds: float
    last_deployed: str | None = None
    branch: str | None = None
    rollback_approval: Envelope | None = None
    # An out-of-band configuration that replaces the base's (the operator's choice).
    config: Config | None = None


@dataclass(frozen=True)
class GateEvaluation:
    """The decision, every finding behind it, and the base's config the report obeys."""

    decision: GateDecision
    findings: tuple[Finding, ...]
    rules: Mapping[str, Rule]
    config: Config
    fail_on: Severity | None


def evaluate_gate(request: GateRequest) -> GateEvaluation:
    """Judge ``request`` within its time budget (a run over budget is a deny)."""
    deadline = time.monotonic() + request.timeout_seconds
    done: list[GateEvaluation] = []
    # A daemon thread: a run over budget is abandoned, and never holds the process at exit.
    worker = threading.Thread(
        target=lambda: done.append(_evaluate(request, deadline)), name="gitwarden-gate", daemon=True
    )
    worker.start()
    worker.join(max(request.timeout_seconds, 0.0))
    if worker.is_alive():
        message = f"timeout: not decided within {request.timeout_seconds:g} s"
        return failed_evaluation(request, message, rules.TIMEOUT)
    if not done:
        reason = "error: the gate stopped without a decision"
        return failed_evaluation(request, reason, rules.CHECK_ERROR)
    return done[0]


def _evaluate(request: GateRequest, deadline: float) -> GateEvaluation:
    try:
        repo = GitRepository(request.repo_path)
        if repo.is_shallow() or repo.is_partial():
            raise GitError(
                f"{request.repo_path} is a shallow or partial clone: history cannot be judged",
                hint="fetch the full history (git fetch --unshallow / --refetch)",
            )
        revision = repo.resolve(f"{request.revision}^{{commit}}")
        base = find_protected_base(repo, request.environment, request.branch, request.config)
        tree = materialise_tree(repo, revision, request.work_dir / "tree")
    except GitwardenError as error:
        return failed_evaluation(request, f"error: {error.message}", rules.CHECK_ERROR)
    except Exception as error:  # fail closed on a bug too, naming it
        reason = f"error: internal error {type(error).__name__}: {error}"
        return failed_evaluation(request, reason, rules.CHECK_ERROR)
    context = GateContext(
        repo=repo,
        repository_name=request.repository_name,
        revision=revision,
        tree=tree,
        base=base,
        last_deployed=request.last_deployed,
        now=request.now,
        work_dir=request.work_dir,
        deadline=deadline,
        rollback_approval=request.rollback_approval,
    )
    combined = evaluated(environment_policy(base.environment), context)
    images, listing_error = _images(context)
    results = (*(combined.parts or (combined,)), *listing_error)
    findings = [finding for result in results for finding in result.findings]
    if base.source == BRANCH_TIP:
        findings.append(
            rules.BASE_UNRECORDED.finding(
                f"the environment was read from {base.branch} at {base.revision[:12]} (branch "
                "tip): the ledger records no tip for this branch",
                Location(file=f"refs/heads/{base.branch}"),
            )
        )
    known: dict[str, Rule] = {rule.id: rule for rule in rules.GATE_RULES}
    for result in results:
        known.update(result.rules)
    decision = GateDecision(
        repository=request.repository_name,
        environment=request.environment,
        revision=revision,
        allowed=combined.passed and not listing_error,
        errored=any(result.outcome == "error" for result in results),
        reasons=tuple(result.reason() for result in results if not result.passed),
        results=results,
        decided_at=request.now,
        tree=tree.tree,
        base_branch=base.branch,
        base_revision=base.revision,
        base_source=base.source,
        last_deployed=request.last_deployed,
        policies=_policies(repo, base),
        commits=_commits(repo, request.last_deployed, revision, context.scans.signers),
        approvals=context.scans.approvals,
        images=images,
    )
    return GateEvaluation(
        decision, tuple(findings), MappingProxyType(known), base.config, context.fail_on
    )


def _images(
    context: GateContext,
) -> tuple[tuple[ImageRecord, ...], tuple[RequirementResult, ...]]:
    """What the environment deploys, for the record; a listing that fails denies (a decision
    must name what it lets run), as an ``images-record`` error result."""
    try:
        return deployed_images(context), ()
    except GitwardenError as error:
        reason = error.message
    except Exception as error:  # fail closed on a bug too, naming it
        reason = f"internal error {type(error).__name__}: {error}"
    message = f"cannot list the deployed images: {reason}"
    finding = rules.CHECK_ERROR.finding(f"images-record: {message}", context.location)
    result = RequirementResult(
        "images-record", "error", message, (finding,), {rules.CHECK_ERROR.id: rules.CHECK_ERROR}
    )
    return (), (result,)


def failed_evaluation(request: GateRequest, reason: str, rule: Rule) -> GateEvaluation:
    """The deny of a gate that could not evaluate: it is recorded like any other decision,
    naming the commit when ``request.revision`` still resolves (else as it was given)."""
    finding = rule.finding(reason, Location(file=f"gate {request.environment}"))
    result = RequirementResult("gate", "error", reason, (finding,), {rule.id: rule})
    decision = GateDecision(
        repository=request.repository_name,
        environment=request.environment,
        revision=_commit_or_given(request),
        allowed=False,
        errored=True,
        reasons=(reason,),
        results=(result,),
        decided_at=request.now,
        last_deployed=request.last_deployed,
    )
    return GateEvaluation(
        decision, (finding,), MappingProxyType({r.id: r for r in rules.GATE_RULES}), Config(), None
    )


def _commit_or_given(request: GateRequest) -> str:
    try:
        return GitRepository(request.repo_path).resolve(f"{request.revision}^{{commit}}")
    except Exception:  # the failure being recorded may be this very one
        return request.revision


def _policies(repo: GitRepository, base: ProtectedBase) -> tuple[PolicyVersion, ...]:
    """The base's config and trust policy, by blob id: which rules judged this revision."""
    names = {f"{base.revision}:{path}": kind for kind, path in BASE_FILES}
    return tuple(
        PolicyVersion(names[name], f"gitsha:{oid}", base.revision)
        for name, oid in repo.object_ids(list(names)).items()
        if oid is not None
    )


def _commits(
    repo: GitRepository, last: str | None, revision: str, signers: Mapping[str, str]
) -> tuple[CommitRecord, ...]:
    span = f"{last}..{revision}" if last and repo.is_ancestor(last, revision) else revision
    out = repo.run(
        "log", f"--max-count={MAX_RECORDED_COMMITS}", "--format=%H%x00%an <%ae>%x00%s", span, "--"
    )
    records = []
    for line in out.splitlines():
        sha, author, subject = [*line.split("\0"), "", ""][:3]
        records.append(CommitRecord(sha, author or None, signers.get(sha), subject or None))
    return tuple(records)
