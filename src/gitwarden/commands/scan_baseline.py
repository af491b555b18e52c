"""A baseline for manifest findings: adopt gitwarden on a repository, fail only on new findings.

The file is `history`'s baseline (`gitwarden.secrets.baseline`: version, random key, entries
of rule + HMAC + file), read and written by the same code. What is hashed is the finding's
fingerprint (rule, file, resource, field path, origin; no line), so moved lines keep
matching and the file names no object in clear beyond its path.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from gitwarden.findings import Finding, Location, Suppression
from gitwarden.report.model import Report
from gitwarden.secrets.baseline import Baseline, load_baseline, write_baseline
from gitwarden.secrets.coverage_rules import BASELINE_STALE

# Findings about suppressions and baselines judge the waivers themselves: never waived.
UNWAIVABLE_PREFIXES = ("suppression-", "baseline-")


def write_scan_baseline(report: Report, path: Path) -> Report:
    """Write (or refresh, keeping its key) a baseline accepting every active finding."""
    previous = load_baseline(path) if path.is_file() else Baseline.new()
    accepted = [(f, f.fingerprint) for f in report.active if _waivable(f)]
    return apply_scan_baseline(report, write_baseline(path, previous, accepted), str(path))


def read_scan_baseline(report: Report, path: Path) -> Report:
    """``report`` with the findings the baseline at ``path`` accepts marked as suppressed."""
    return apply_scan_baseline(report, load_baseline(path), str(path))


def apply_scan_baseline(report: Report, baseline: Baseline, baseline_file: str) -> Report:
    """Accepted findings suppressed (kept, so SARIF and JSON still show them); one
    `baseline-stale` finding per entry that matched nothing, so the baseline shrinks as
    findings are fixed instead of silently waiving their return."""
    accepted = baseline.keys()
    matched: set[tuple[str, str]] = set()
    findings: list[Finding] = []
    waiver = Suppression(source="baseline", reason=f"accepted in {baseline_file}")
    for finding in report.findings:
        key = (finding.rule_id, baseline.digest(finding.fingerprint))
        if key in accepted and not finding.suppressed and _waivable(finding):
            matched.add(key)
            finding = finding.with_suppression(waiver)
        findings.append(finding)
    for entry in baseline.entries:
        if (entry.rule, entry.hash) not in matched:
            findings.append(
                BASELINE_STALE.finding(
                    f"Baseline entry for '{entry.rule}' in {entry.file or 'an unknown file'} no "
                    "longer matches any finding; rewrite the baseline with `gitwarden scan "
                    "--write-baseline`.",
                    Location(file=baseline_file),
                    details={"baseline_hash": entry.hash[:16]},
                )
            )
    rules = {**report.rules, BASELINE_STALE.id: BASELINE_STALE}
    return replace(report, findings=tuple(findings), rules=rules)


def _waivable(finding: Finding) -> bool:
    return not finding.rule_id.startswith(UNWAIVABLE_PREFIXES)
