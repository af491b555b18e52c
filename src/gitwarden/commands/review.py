"""`gitwarden.review(target, config, options) -> ReviewResult`: may this change merge?

The review policy and the trust policy come from the BASE revision (a change cannot relax
the rules that judge it); the evidence from ``refs/gitwarden/approvals`` and, when asked,
the forge. What could not be read is an error, never a pass.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from gitwarden.commands.report_assembly import assemble_report
from gitwarden.commands.review_signatures import (
    claimed_signers,
    note_approvals,
    review_principals,
    statement_verifier,
)
from gitwarden.config import Config, parse_config
from gitwarden.config_schema.review_yaml import read_review_policy
from gitwarden.errors import UsageError
from gitwarden.findings import Finding, Location, Severity
from gitwarden.forge.interface import ForgeClient, ForgeKind
from gitwarden.forge.project_names import infer_project
from gitwarden.forge.registry import FORGES
from gitwarden.forge.saved_responses import SavedResponses
from gitwarden.forge.transport import HttpTransport
from gitwarden.integrity.trust_file import parse_trust_policy
from gitwarden.integrity.trust_policy import POLICY_PATH as TRUST_PATH
from gitwarden.integrity.trust_policy import TrustPolicy
from gitwarden.report.escaping import printable as plain_text
from gitwarden.report.markdown import text_cell
from gitwarden.report.model import Report
from gitwarden.review import rules
from gitwarden.review.change import Change
from gitwarden.review.change_reading import read_change
from gitwarden.review.codeowners import Flavour
from gitwarden.review.codeowners_requirement import codeowners_requirement
from gitwarden.review.codeowners_rules import CODEOWNERS_RULES
from gitwarden.review.engine import ReviewInputs, RuleVerdict, judge
from gitwarden.review.evidence import Evidence
from gitwarden.review.evidence_reading import forge_evidence, git_evidence
from gitwarden.review.forge_teams import ForgeTeam, teams_needed, with_team_members
from gitwarden.review.identities import change_people
from gitwarden.review.policy import POLICY_PATH, ReviewPolicy
from gitwarden.review.principals import Principals
from gitwarden.sources.approval_store import stored_records
from gitwarden.sources.git_repository import GitRepository

MAX_POLICY_BLOB_BYTES = 4 * 1024 * 1024
T = TypeVar("T")
CONFIG_FILE = ".gitwarden.yaml"


@dataclass(frozen=True)
class ReviewOptions:
    """``branch``: the target branch (default: the branch whose tip is ``base``). ``forge``
    and ``pr``: also count that pull/merge request's approvals (``forge_data``: saved API
    responses; ``project``: default from the origin remote)."""

    base: str
    head: str
    branch: str | None = None
    forge: str | None = None
    pr: int | None = None
    forge_data: Path | None = None
    project: str | None = None
    now: datetime | None = None
    fail_on: Severity | None = None


@dataclass(frozen=True)
class ReviewResult:
    satisfied: bool
    rules: tuple[RuleVerdict, ...]
    report: Report
    target_ref: str = ""
    invalid_evidence: tuple[str, ...] = ()


def review(
    target: str | Path, config: Config | None = None, options: ReviewOptions | None = None
) -> ReviewResult:
    if options is None:
        raise UsageError("review needs a change: ReviewOptions(base=..., head=...)")
    root = Path(target)
    repo = GitRepository(root)
    now = options.now or datetime.now(UTC)
    base = repo.resolve(options.base)
    target_ref = _target_ref(repo, base, options.branch)
    findings: list[Finding] = []
    policy_text = _blob_text(repo, base, POLICY_PATH)
    verdicts: tuple[RuleVerdict, ...] = ()
    invalid: tuple[str, ...] = ()
    if policy_text is None:
        findings.append(
            rules.POLICY_MISSING.finding(
                f"{base[:12]} has no {POLICY_PATH}: nothing says who must approve changes "
                f"to {target_ref}, so the change is not reviewed.",
                Location(file=POLICY_PATH),
            )
        )
    else:
        policy = read_review_policy(policy_text, f"{base[:12]}:{POLICY_PATH}")
        config = config or _base_config(repo, base)
        production_paths = config.checks.production.paths
        if policy.asks_for_production() and not production_paths:
            raise UsageError(
                f"{POLICY_PATH} has rules for production paths, but the configuration "
                "names none (production.paths in .gitwarden.yaml)",
                hint="add production.paths to the target branch's .gitwarden.yaml",
            )
        trust = _trust_policy(repo, base)
        principals = review_principals(trust)
        policy = _with_teams(policy, principals, options)
        change = read_change(
            repo, target_ref, base, options.head, policy.kinds_of_interest(), claimed_signers
        )
        evidence = _evidence(repo, trust, principals, change, options, now)
        codeowners = None
        if any(rule.codeowners for rule in policy.rules):
            codeowners = codeowners_requirement(
                lambda path: _blob_text(repo, base, path),
                principals,
                _codeowners_flavour(repo, base, options.forge),
            )
            findings.extend(codeowners.problems)
        inputs = ReviewInputs(
            policy=policy,
            change=change,
            people=change_people(change, principals),
            evidence=evidence,
            now=now,
            codeowners=None if codeowners is None else codeowners.check,
            production_paths=production_paths,
        )
        verdicts = judge(inputs)
        findings.extend(_findings(verdicts))
        invalid = tuple(f"{e.name}: {e.reason}" for e in evidence.invalid)
        findings.extend(
            rules.EVIDENCE_INVALID.finding(
                f"{e.name} in refs/gitwarden/approvals does not count: {plain_text(e.reason)}",
                Location(file="refs/gitwarden/approvals"),
            )
            for e in evidence.invalid
        )
    report = assemble_report(
        "review",
        f"{root}:{options.base}..{options.head}",
        findings,
        config=config if config is not None else _base_config(repo, base),
        rules=(*rules.REVIEW_RULES, *CODEOWNERS_RULES),
        fail_on=options.fail_on,
        today=now.date(),
        objects_scanned=len(verdicts),
    )
    satisfied = policy_text is not None and all(v.satisfied for v in verdicts) and report.passed
    return ReviewResult(satisfied, verdicts, report, target_ref, invalid)


def _target_ref(repo: GitRepository, base: str, branch: str | None) -> str:
    if branch is not None:
        return branch if branch.startswith("refs/") else f"refs/heads/{branch}"
    tips = sorted(name for name, oid in repo.refs(["refs/heads"]).items() if oid == base)
    if not tips:
        raise UsageError(
            f"no branch has {base[:12]} as its tip", hint="name the target branch with --branch"
        )
    # One branch (or main among several) is the target; anything else is ambiguous.
    if len(tips) > 1 and "refs/heads/main" not in tips:
        raise UsageError(
            f"several branches end at {base[:12]}: {', '.join(tips)}",
            hint="name the target branch with --branch",
        )
    return "refs/heads/main" if len(tips) > 1 else tips[0]


def _base_config(repo: GitRepository, base: str) -> Config:
    """The base revision's `.gitwarden.yaml`: the change under review cannot move its own
    production paths or suppress its own findings."""
    text = _blob_text(repo, base, CONFIG_FILE)
    return Config() if text is None else parse_config(text, f"{base[:12]}:{CONFIG_FILE}")


def _codeowners_flavour(repo: GitRepository, base: str, forge: str | None) -> Flavour:
    """The forge whose CODEOWNERS semantics apply: the one asked for, else GitLab when the
    base revision is set up for GitLab (``.gitlab-ci.yml`` or ``.gitlab/``), else GitHub."""
    if forge in ("github", "gitlab"):
        return "gitlab" if forge == "gitlab" else "github"
    names = [f"{base}:.gitlab-ci.yml", f"{base}:.gitlab"]
    return "gitlab" if any(repo.object_ids(names).values()) else "github"


def _blob_text(repo: GitRepository, revision: str, path: str) -> str | None:
    name = f"{revision}:{path}"
    if repo.object_ids([name]).get(name) is None:
        return None
    blob = repo.read_object(name)
    if len(blob.data) > MAX_POLICY_BLOB_BYTES:
        raise UsageError(f"{name} is larger than {MAX_POLICY_BLOB_BYTES} bytes")
    return blob.data.decode("utf-8", "replace")


def _trust_policy(repo: GitRepository, base: str) -> TrustPolicy:
    # No trust policy: nobody is a principal, so no approval can count (fail closed).
    text = _blob_text(repo, base, TRUST_PATH)
    return TrustPolicy() if text is None else parse_trust_policy(text, f"{base[:12]}:{TRUST_PATH}")


def _evidence(
    repo: GitRepository,
    trust: TrustPolicy,
    principals: Principals,
    change: Change,
    options: ReviewOptions,
    now: datetime,
) -> Evidence:
    found = git_evidence(stored_records(repo), statement_verifier(trust, now), change)
    notes = note_approvals(repo, trust, change.head, now)
    found = Evidence((*found.approvals, *notes), found.delegations, found.invalid)
    if options.forge is None:
        return found
    if options.forge not in FORGES or options.pr is None:
        raise UsageError(
            "--forge needs a known forge and --pr N", hint="one of: " + ", ".join(FORGES)
        )
    kind = FORGES[options.forge]
    project = options.project or infer_project(repo)[1]
    pr = options.pr
    approvals = _ask_forge(kind, options, lambda client: client.approvals(project.strip("/"), pr))
    tied = forge_evidence(kind.name, approvals, principals)
    return Evidence((*found.approvals, *tied), found.delegations, found.invalid)


def _ask_forge(kind: ForgeKind, options: ReviewOptions, ask: Callable[[ForgeClient], T]) -> T:
    """``ask`` the forge's client, over saved responses (``--forge-data``) or its API (token
    and URL from the forge's environment variables)."""
    if options.forge_data is not None:
        return ask(kind.client(SavedResponses(options.forge_data)))
    url = os.environ.get(kind.url_variable) or kind.default_url
    http = HttpTransport(url, kind.auth_headers(os.environ.get(kind.token_variable)))
    try:
        return ask(kind.client(http))
    finally:
        http.close()


def _with_teams(
    policy: ReviewPolicy, principals: Principals, options: ReviewOptions
) -> ReviewPolicy:
    """The policy with each forge team its rules ask for replaced by the principals in it.
    Team members who are no principal are left out (they could never approve); a team that
    cannot be read stops the review (ForgeError, exit 2)."""
    members: dict[ForgeTeam, tuple[str, ...]] = {}
    for team in teams_needed(policy):
        users = _ask_forge(FORGES[team.forge], options, _team_reader(team.path))
        tied = (principals.of_forge_user(team.forge, user) for user in users)
        members[team] = tuple(dict.fromkeys(p for p in tied if p is not None))
    return with_team_members(policy, members)


def _team_reader(path: str) -> Callable[[ForgeClient], tuple[str, ...]]:
    return lambda client: client.team_members(path)


def _findings(verdicts: tuple[RuleVerdict, ...]) -> list[Finding]:
    findings = []
    for verdict in verdicts:
        where = Location(file=POLICY_PATH, line=verdict.line)
        if not verdict.satisfied:
            findings.append(
                rules.RULE_UNSATISFIED.finding(
                    f"rule '{plain_text(verdict.name)}': "
                    + "; ".join(plain_text(m) for m in verdict.missing),
                    where,
                )
            )
        findings.extend(
            rules.APPROVAL_NOT_COUNTED.finding(
                f"rule '{plain_text(verdict.name)}': {plain_text(str(rejected))}", where
            )
            for rejected in verdict.rejected
        )
    return findings


def review_markdown(result: ReviewResult) -> str:
    """The verdict as a pull-request comment: one section per rule, reasons listed."""
    mark = "✅ satisfied" if result.satisfied else "❌ not satisfied"
    lines = [f"## gitwarden review: {mark}", ""]
    for finding in result.report.findings:
        if finding.rule_id in (rules.POLICY_MISSING.id, rules.EVIDENCE_INVALID.id):
            lines.append(f"- ⚠️ {_md(finding.message)}")
    for verdict in result.rules:
        state = "✅" if verdict.satisfied else "❌"
        lines += [
            "",
            f"### {state} {_md(verdict.name)} ({len(verdict.counted)}/{verdict.required})",
        ]
        if verdict.counted:
            lines.append("- counted: " + ", ".join(_md(name) for name in verdict.counted))
        lines.extend(f"- not counted: {_md(str(r))}" for r in verdict.rejected)
        lines.extend(f"- **missing**: {_md(m)}" for m in verdict.missing)
    if not result.rules and result.target_ref:
        lines += [
            "",
            f"No rule of the review policy applies to this change of {result.target_ref}.",
        ]
    return "\n".join(lines) + "\n"


def review_text(result: ReviewResult) -> str:
    lines = [f"review: {'satisfied' if result.satisfied else 'NOT satisfied'}"]
    for finding in result.report.findings:
        if finding.rule_id in (rules.POLICY_MISSING.id, rules.EVIDENCE_INVALID.id):
            lines.append(f"  ! {plain_text(finding.message)}")
    for verdict in result.rules:
        state = "ok  " if verdict.satisfied else "FAIL"
        lines.append(
            f"{state} {plain_text(verdict.name)}: {len(verdict.counted)}/{verdict.required}"
        )
        if verdict.counted:
            lines.append("     counted: " + ", ".join(plain_text(n) for n in verdict.counted))
        lines.extend(f"     not counted: {plain_text(str(r))}" for r in verdict.rejected)
        lines.extend(f"     missing: {plain_text(m)}" for m in verdict.missing)
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    # Names and messages come from the repository and the forge: never live Markdown.
    return text_cell(text)
