"""`gitwarden.trust_*`: author the trust policy in the working tree, and approve commits.

``trust_init``, ``trust_add``, ``trust_allow``, ``trust_revoke`` write
``.gitwarden/trust.yaml`` (never what could not be read back); ``trust_show`` reads it;
``trust_approve`` records a signed approval of a commit (the in-toto/DSSE statement
``gitwarden approve`` writes, under ``refs/gitwarden/approvals``) that counts towards k-of-n
thresholds. Each returns a typed result with a ``.report``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Protocol

from gitwarden.attestation.approval_statements import ApprovalClaim
from gitwarden.commands.approve import record_approval, tree_of
from gitwarden.commands.report_assembly import assemble_report, config_for
from gitwarden.config import Config
from gitwarden.errors import UsageError
from gitwarden.findings import Severity
from gitwarden.integrity import rules, trust_authoring
from gitwarden.integrity.trust_policy import TrustPolicy
from gitwarden.report.model import Report
from gitwarden.sources.git_repository import GitRepository


@dataclass(frozen=True)
class TrustInitOptions:
    """``force``: replace an existing policy (refused otherwise)."""

    max_key_age_days: int | None = None
    force: bool = False
    fail_on: Severity | None = None
    today: date | None = None


@dataclass(frozen=True)
class TrustShowOptions:
    fail_on: Severity | None = None
    today: date | None = None


@dataclass(frozen=True)
class TrustAddOptions:
    """Add the public key in ``key_file`` (SSH or armored OpenPGP) to principal ``name``,
    with the identities that tie commits and forge reviews to it (``emails``, ``github``,
    ``gitlab``)."""

    name: str
    key_file: Path
    valid_after: datetime | None = None
    valid_before: datetime | None = None
    fail_on: Severity | None = None
    today: date | None = None
    emails: tuple[str, ...] = ()
    github: str | None = None
    gitlab: str | None = None


@dataclass(frozen=True)
class TrustAllowOptions:
    """Let principal ``name`` sign commits to ``branch`` touching ``paths``."""

    name: str
    branch: str
    paths: tuple[str, ...] = ("**",)
    threshold: int | None = None
    fail_on: Severity | None = None
    today: date | None = None


@dataclass(frozen=True)
class TrustRevokeOptions:
    """Revoke a principal (by name) or one key (fingerprint or public key file)."""

    target: str
    reason: str = ""
    fail_on: Severity | None = None
    today: date | None = None


@dataclass(frozen=True)
class TrustApproveOptions:
    """Approve ``commit`` with an SSH private key file or a key of the user's gpg (the key
    the approver holds in the trust policy). ``branch``: the target branch the statement
    names (default: the current branch); ``message``: what the approver checked."""

    commit: str
    signing_key: Path | None = None
    gpg_key: str | None = None
    fail_on: Severity | None = None
    today: date | None = None
    message: str = ""
    branch: str | None = None
    now: datetime | None = None


@dataclass(frozen=True)
class ApprovalResult:
    """The approved commit, the envelope's signature, the record's name in
    ``refs/gitwarden/approvals`` and the (empty) report."""

    commit: str
    signature: bytes
    report: Report
    record: str = ""


@dataclass(frozen=True)
class TrustPolicyResult:
    """The policy (as written or read), where it lives, and the (empty) report."""

    policy: TrustPolicy
    path: Path
    report: Report

    def as_dict(self) -> dict[str, object]:
        policy = self.policy
        return {
            "fingerprint": policy.policy_id,
            "principals": {
                p.name: [
                    {
                        "scheme": k.scheme,
                        "fingerprint": k.fingerprint,
                        "revoked": policy.revocation_of(p.name, k) is not None,
                    }
                    for k in p.keys
                ]
                for p in policy.principals
            },
            "rules": [
                {
                    "branches": r.branches,
                    "paths": r.paths,
                    "principals": r.principals,
                    "threshold": r.threshold,
                }
                for r in policy.rules
            ],
        }

    def as_text(self) -> str:
        policy = self.policy
        revoked_keys = {r.key for r in policy.revoked if r.key}
        revoked_people = {r.principal for r in policy.revoked if r.principal}
        lines = [f"policy fingerprint: {policy.policy_id}", "principals:"]
        for principal in policy.principals:
            lines.append(
                f"  {principal.name}" + (" (revoked)" if principal.name in revoked_people else "")
            )
            for key in principal.keys:
                state = " revoked" if key.fingerprint in revoked_keys else ""
                lines.append(f"    {key.scheme} {key.fingerprint}{state}")
        lines.append("rules:")
        for rule in policy.rules:
            lines.append(
                f"  {', '.join(rule.branches)} {', '.join(rule.paths)}: {rule.threshold} of "
                f"{', '.join(rule.principals)}"
            )
        return "\n".join(lines) + "\n"


def trust_init(
    target: Path, config: Config | None = None, options: TrustInitOptions | None = None
) -> TrustPolicyResult:
    """Write an empty trust policy into the working tree at ``target``."""
    options = options or TrustInitOptions()
    path = trust_authoring.policy_file(target)
    if path.exists() and not options.force:
        raise UsageError(f"{path} exists", hint="use --force to replace it")
    policy = trust_authoring.init(options.max_key_age_days)
    return _saved("trust init", target, config, options, policy)


def trust_show(
    target: Path, config: Config | None = None, options: TrustShowOptions | None = None
) -> TrustPolicyResult:
    """The working tree's trust policy and its fingerprint."""
    options = options or TrustShowOptions()
    policy = trust_authoring.load(target)
    path = trust_authoring.policy_file(target)
    return TrustPolicyResult(policy, path, _report("trust show", target, config, options))


def trust_add(target: Path, config: Config | None, options: TrustAddOptions) -> TrustPolicyResult:
    key = replace(
        trust_authoring.read_key(options.key_file),
        valid_after=trust_authoring.as_utc(options.valid_after),
        valid_before=trust_authoring.as_utc(options.valid_before),
    )
    policy = trust_authoring.add_key(trust_authoring.load(target), options.name, key)
    if options.emails or options.github or options.gitlab:
        policy = trust_authoring.set_identities(
            policy,
            options.name,
            emails=options.emails,
            github=options.github,
            gitlab=options.gitlab,
        )
    return _saved("trust add", target, config, options, policy)


def trust_allow(
    target: Path, config: Config | None, options: TrustAllowOptions
) -> TrustPolicyResult:
    policy = trust_authoring.allow(
        trust_authoring.load(target), options.name, options.branch, options.paths, options.threshold
    )
    return _saved("trust allow", target, config, options, policy)


def trust_revoke(
    target: Path, config: Config | None, options: TrustRevokeOptions
) -> TrustPolicyResult:
    policy = trust_authoring.revoke(trust_authoring.load(target), options.target, options.reason)
    return _saved("trust revoke", target, config, options, policy)


def trust_approve(
    target: Path, config: Config | None, options: TrustApproveOptions
) -> ApprovalResult:
    """Record a signed approval of ``options.commit``; it counts towards thresholds once
    verified under the policy that governs the commit."""
    repo = GitRepository(target)
    oid = repo.resolve(options.commit)
    parents = repo.run("rev-list", "--parents", "-n", "1", oid, "--").split()[1:]
    claim = ApprovalClaim(
        target_ref=_approved_branch(repo, options.branch),
        base=parents[0] if parents else oid,
        head=oid,
        tree=tree_of(repo, oid),
        message=options.message,
        approved_at=options.now or datetime.now(UTC),
    )
    recorded = record_approval(
        repo, claim, signing_key=options.signing_key, gpg_key=options.gpg_key
    )
    signature = recorded.envelope.signatures[0].sig
    report = _report("trust approve", target, config, options)
    return ApprovalResult(oid, signature, report, recorded.record)


def _approved_branch(repo: GitRepository, branch: str | None) -> str:
    if branch is not None:
        return branch if branch.startswith("refs/") else f"refs/heads/{branch}"
    current = repo.run("symbolic-ref", "-q", "HEAD", check=False).strip()
    if not current:
        raise UsageError("HEAD is detached: name the target branch with --branch")
    return current


class _CommandOptions(Protocol):
    @property
    def fail_on(self) -> Severity | None: ...

    @property
    def today(self) -> date | None: ...


def _saved(
    command: str,
    target: Path,
    config: Config | None,
    options: _CommandOptions,
    policy: TrustPolicy,
) -> TrustPolicyResult:
    written = trust_authoring.save(target, policy)
    return TrustPolicyResult(policy, written, _report(command, target, config, options))


def _report(command: str, target: Path, config: Config | None, options: _CommandOptions) -> Report:
    return assemble_report(
        command,
        str(target),
        (),
        config=config_for(target, config),
        rules=rules.INTEGRITY_RULES,
        fail_on=options.fail_on,
        today=options.today,
    )
