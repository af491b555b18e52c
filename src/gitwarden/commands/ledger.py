"""`gitwarden.ledger_verify`, `ledger_record`, `ledger_export`: the ref-state ledger."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from gitwarden.commands.report_assembly import assemble_report, config_for
from gitwarden.config import Config
from gitwarden.errors import UsageError
from gitwarden.findings import Finding, Severity
from gitwarden.integrity import ledger, rules
from gitwarden.integrity.ledger_store import LedgerEntry, export_chain, read_chain
from gitwarden.report.model import Report
from gitwarden.sources.git_repository import GitRepository


@dataclass(frozen=True)
class LedgerVerifyOptions:
    mirror: Path | None = None
    exported: Path | None = None
    policy_ref: str = "HEAD"
    update_witness: bool = True
    fail_on: Severity | None = None
    today: date | None = None


@dataclass(frozen=True)
class LedgerRecordOptions:
    """``signing_key``: the recorder's SSH private key (default: ``user.signingkey``).
    ``rewrite_ref``: record that this ref's move to its current tip is intended."""

    signing_key: Path | None = None
    policy_ref: str = "HEAD"
    rewrite_ref: str | None = None
    fail_on: Severity | None = None
    today: date | None = None


@dataclass(frozen=True)
class LedgerRecordResult:
    entry: LedgerEntry
    report: Report


def ledger_verify(
    target: Path, config: Config | None = None, options: LedgerVerifyOptions | None = None
) -> Report:
    """Force pushes, deletions, moved tags, lost commits and a tampered ledger."""
    options = options or LedgerVerifyOptions()
    findings = ledger.verify_ledger(
        GitRepository(target),
        ledger.LedgerOptions(
            mirror=options.mirror,
            exported=options.exported,
            policy_ref=options.policy_ref,
            update_witness=options.update_witness,
        ),
    )
    return _ledger_report("ledger verify", target, config, findings, options)


def ledger_record(
    target: Path, config: Config | None = None, options: LedgerRecordOptions | None = None
) -> LedgerRecordResult:
    """Append a signed entry with the tips of the protected refs (an accept-rewrite entry
    when ``options.rewrite_ref`` is set)."""
    options = options or LedgerRecordOptions()
    repo = GitRepository(target)
    key = signing_key(repo, options.signing_key)
    if options.rewrite_ref is not None:
        entry = ledger.accept_rewrite(repo, key, options.rewrite_ref, policy_ref=options.policy_ref)
    else:
        entry = ledger.record(repo, key, policy_ref=options.policy_ref)
    report = _ledger_report("ledger record", target, config, (), options)
    return LedgerRecordResult(entry, report)


@dataclass(frozen=True)
class LedgerExportOptions:
    file: Path
    fail_on: Severity | None = None
    today: date | None = None


@dataclass(frozen=True)
class LedgerExportResult:
    entries: int
    report: Report


def ledger_export(
    target: Path, config: Config | None, options: LedgerExportOptions
) -> LedgerExportResult:
    """Write the ledger to ``options.file`` (JSON lines), to compare against later."""
    chain = read_chain(GitRepository(target))
    export_chain(chain, options.file)
    report = _ledger_report("ledger export", target, config, (), options)
    return LedgerExportResult(len(chain), report)


class _ReportOptions(Protocol):
    @property
    def fail_on(self) -> Severity | None: ...
    @property
    def today(self) -> date | None: ...


def _ledger_report(
    command: str,
    target: Path,
    config: Config | None,
    findings: Sequence[Finding],
    options: _ReportOptions,
) -> Report:
    """Every ledger command's report: the ledger rules, the target's config, the gate."""
    return assemble_report(
        command,
        str(target),
        findings,
        config=config_for(target, config),
        rules=rules.LEDGER_RULES,
        fail_on=options.fail_on,
        today=options.today,
    )


def signing_key(repo: GitRepository, given: Path | None) -> Path:
    """The key given, else the user's ``user.signingkey`` (a path, or ``key::`` + path)."""
    if given is not None:
        return given
    configured = repo.user_signing_key()
    if configured is None:
        raise UsageError("no signing key", hint="pass --signing-key FILE or set user.signingkey")
    return Path(configured.removeprefix("key::")).expanduser()
