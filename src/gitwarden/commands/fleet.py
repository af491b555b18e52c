"""`gitwarden fleet scan`: scan many local clones (and verify those with a trust policy).

Each repository's report is recorded in the audit store as a ``scan-report`` entry, the data
of the dashboard's fleet view; several runners may share one PostgreSQL store, whose appends
serialise. A bounded pool of worker threads runs the repositories; a repository that could
not be scanned is a finding of the fleet report, never a silent gap.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from gitwarden.attestation.signing_keys import SigningKey
from gitwarden.audit.entries import EntryDraft, EntryKind
from gitwarden.commands.audit import AuditStoreOptions, record_audit_entries
from gitwarden.commands.report_assembly import assemble_report
from gitwarden.commands.scan import ScanOptions, scan
from gitwarden.commands.verify import VerifyOptions, verify
from gitwarden.config import Config
from gitwarden.decision_rules import FLEET_NOT_SCANNED as NOT_SCANNED
from gitwarden.errors import GitwardenError, UsageError
from gitwarden.findings import Finding, Location, Severity
from gitwarden.report.escaping import valid_unicode
from gitwarden.report.model import Report
from gitwarden.rules import Rule

MAX_WORKERS = 16
MAX_REPOSITORIES = 10_000
# The findings a scan-report entry carries for the fleet view: the worst, not all of them.
RECORDED_FINDINGS = 50
TRUST_POLICY = Path(".gitwarden") / "trust.yaml"


@dataclass(frozen=True)
class FleetScanOptions:
    """``audit``: the store URL (None: ``GITWARDEN_AUDIT_URL`` or the default file);
    ``key``: the runner's signing key for the entries (None: record nothing)."""

    audit: str | None = None
    key: SigningKey | None = None
    workers: int = 4
    fail_on: Severity | None = None
    today: date | None = None
    environ: Mapping[str, str] | None = None


@dataclass(frozen=True)
class RepositoryRun:
    """One repository's reports (verify only when it has a trust policy), or why none."""

    path: Path
    scan: Report | None
    verify: Report | None = None
    error: str | None = None
    recorded_seq: int | None = None


@dataclass(frozen=True)
class FleetScan:
    repos_file: Path
    runs: tuple[RepositoryRun, ...]
    report: Report


def read_repos_file(path: Path) -> list[Path]:
    """One clone per line, relative to the file's folder; blank lines and ``#`` comments skipped."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"--repos {path}: cannot read ({error})") from None
    lines = [line.strip() for line in text.splitlines()]
    repos = [path.parent / line for line in lines if line and not line.startswith("#")]
    if len(repos) > MAX_REPOSITORIES:
        raise UsageError(f"--repos {path}: {len(repos)} repositories, at most {MAX_REPOSITORIES}")
    return repos


def scan_report_payload(report: Report) -> dict[str, Any]:
    """A ``scan-report`` entry's payload: the summary, counts per family and the worst findings."""
    families = Counter(
        (report.rules[f.rule_id].family if f.rule_id in report.rules else "other")
        for f in report.active
    )
    worst = sorted(report.active, key=lambda f: (-f.severity.rank, f.location.file))
    payload: dict[str, Any] = {
        "command": report.command,
        "target": report.target,
        "summary": report.summary(),
        "by_family": dict(sorted(families.items())),
        "worst": [
            {
                "rule": f.rule_id,
                "severity": f.severity.value,
                "title": f.title,
                "message": f.message[:1000],
                "file": f.location.file,
                "line": f.location.line,
                "resource": f.location.resource,
            }
            for f in worst[:RECORDED_FINDINGS]
        ],
    }
    # A file name that is not UTF-8 must still be storable as canonical JSON.
    cleaned: dict[str, Any] = valid_unicode(payload)
    return cleaned


def fleet_scan(
    target: Path, config: Config | None = None, options: FleetScanOptions | None = None
) -> FleetScan:
    """Scan every clone ``target`` (a repos file) lists; the report holds all their findings."""
    options = options or FleetScanOptions()
    if not 1 <= options.workers <= MAX_WORKERS:
        raise UsageError(f"--workers {options.workers}: choose 1 to {MAX_WORKERS}")
    repos = read_repos_file(target)
    with ThreadPoolExecutor(max_workers=options.workers) as pool:
        scanned = tuple(pool.map(lambda repo: _run_one(repo, config, options), repos))
    # Recorded after the pool, in the repos file's order, with one open of the store and one
    # lock per batch: the trail's order is the file's, and no two writers of this process
    # contend for the store.
    runs = _recorded(scanned, options)
    findings: list[Finding] = []
    rules: dict[str, Rule] = {NOT_SCANNED.id: NOT_SCANNED}
    for run in runs:
        if run.error is not None:
            findings.append(NOT_SCANNED.finding(run.error, Location(str(run.path))))
        for report in (run.scan, run.verify):
            if report is not None:
                rules.update(report.rules)
                findings.extend(_under(run.path, f) for f in report.findings)
    report = assemble_report(
        "fleet scan",
        str(target),
        findings,
        config=Config(),  # each repository's own config is already applied
        rules=rules,
        fail_on=options.fail_on,
        today=options.today,
        files_scanned=sum(r.scan.files_scanned for r in runs if r.scan),
        objects_scanned=sum(r.scan.objects_scanned for r in runs if r.scan),
    )
    return FleetScan(target, runs, report)


def _run_one(repo: Path, config: Config | None, options: FleetScanOptions) -> RepositoryRun:
    try:
        scanned = scan(repo, config, ScanOptions(fail_on=options.fail_on, today=options.today))
        verified = None
        if (repo / TRUST_POLICY).is_file():
            verified = verify(
                repo, config, VerifyOptions(fail_on=options.fail_on, today=options.today)
            )
    except GitwardenError as error:
        return RepositoryRun(repo, None, error=f"{repo}: {error}")
    return RepositoryRun(repo, scanned, verified)


def _recorded(
    runs: tuple[RepositoryRun, ...], options: FleetScanOptions
) -> tuple[RepositoryRun, ...]:
    """``runs`` with each scan report appended to the audit store (when a key signs entries)."""
    if options.key is None:
        return runs
    drafts = {
        index: _scan_report_entry(run.path, run.scan, run.verify)
        for index, run in enumerate(runs)
        if run.scan is not None
    }
    entries = record_audit_entries(
        options.audit, list(drafts.values()), options.key, AuditStoreOptions(options.environ)
    )
    seq_of = dict(zip(drafts, (entry.seq for entry in entries), strict=True))
    return tuple(
        replace(run, recorded_seq=seq_of[index]) if index in seq_of else run
        for index, run in enumerate(runs)
    )


def _scan_report_entry(path: Path, scanned: Report, verified: Report | None) -> EntryDraft:
    payload = scan_report_payload(scanned)
    if verified is not None:
        payload["verify"] = scan_report_payload(verified)
    return EntryDraft(EntryKind.SCAN_REPORT, str(path.resolve()), payload)


def _under(repo: Path, finding: Finding) -> Finding:
    """The finding with its file named under the repository, so the fleet report is unambiguous."""
    location = replace(finding.location, file=f"{repo}/{finding.location.file}")
    return replace(finding, location=location)
