"""`gitwarden.verify(target, config, options)`: signed history under a trust policy.

The root of trust is the history's own ``.gitwarden/trust.yaml`` (pinned with a trust anchor
or a policy fingerprint), or one given out of band: ``keys`` (keyrings, allowed_signers,
Argo CD / Flux key manifests) or a whole ``policy`` file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from gitwarden.commands.report_assembly import assemble_report, config_for
from gitwarden.config import Config
from gitwarden.errors import UsageError
from gitwarden.findings import Severity
from gitwarden.integrity import rules
from gitwarden.integrity.adoption import Adoption, adoption_of
from gitwarden.integrity.external_trust import ExternalTrust, trust_from_keys, trust_from_policy
from gitwarden.integrity.signature_verdict import SignatureVerdict
from gitwarden.integrity.verification import HistoryRequest, verify_history
from gitwarden.progress import SILENT, Progress
from gitwarden.report.model import Report
from gitwarden.sources.git_repository import GitRepository


@dataclass(frozen=True)
class VerifyOptions:
    """``trust_anchor`` (alias ``since``): verify only what came after this commit.
    ``keys`` / ``policy``: the out-of-band root of trust (at most one of them)."""

    refs: tuple[str, ...] = ()
    trust_anchor: str | None = None
    policy_fingerprint: str | None = None
    keys: tuple[str, ...] = ()
    policy: Path | None = None
    use_cache: bool = True
    fail_on: Severity | None = None
    now: datetime | None = None
    today: date | None = None
    progress: Progress = SILENT


@dataclass(frozen=True)
class VerifyResult:
    """The report, the verdict on every commit's own signature, and the adoption counts."""

    report: Report
    verdicts: tuple[SignatureVerdict, ...]
    trust_root: ExternalTrust | None

    @property
    def adoption(self) -> Adoption:
        return adoption_of(self.verdicts)


def verify(
    target: Path, config: Config | None = None, options: VerifyOptions | None = None
) -> Report:
    """Verify the refs of the repository at ``target``; the findings say what failed."""
    return verify_result(target, config, options).report


def verify_result(
    target: Path, config: Config | None = None, options: VerifyOptions | None = None
) -> VerifyResult:
    options = options or VerifyOptions()
    repo = GitRepository(target)
    external = _external_trust(options, repo)
    history = verify_history(
        repo,
        HistoryRequest(
            refs=options.refs,
            trust_anchor=options.trust_anchor,
            policy_fingerprint=options.policy_fingerprint,
            external=external,
            use_cache=options.use_cache,
            now=options.now,
        ),
        options.progress,
    )
    report = assemble_report(
        "verify",
        str(target),
        history.findings,
        config=config_for(target, config),
        rules=rules.ALL_INTEGRITY_RULES,
        fail_on=options.fail_on,
        today=options.today or (options.now.date() if options.now else None),
        objects_scanned=history.commits,
    )
    return VerifyResult(report, history.verdicts, external)


def _external_trust(options: VerifyOptions, repo: GitRepository) -> ExternalTrust | None:
    if options.keys and options.policy is not None:
        raise UsageError("give --keys or --policy, not both: each is the whole root of trust")
    if (options.keys or options.policy is not None) and options.policy_fingerprint:
        raise UsageError(
            "--policy-fingerprint pins the history's own first policy; with --keys or "
            "--policy the history's policy is not used"
        )
    if options.keys:
        return trust_from_keys(options.keys, repo)
    if options.policy is not None:
        return trust_from_policy(options.policy)
    return None
