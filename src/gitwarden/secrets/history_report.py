"""`gitwarden history` as a library call: scan history, apply baseline and config, Report."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from gitwarden.config import Config, find_config, load_config
from gitwarden.findings import Severity
from gitwarden.input_rules import INPUT_RULES
from gitwarden.report.model import Report
from gitwarden.secrets import all_secret_rules
from gitwarden.secrets.baseline import Baseline, apply_baseline, load_baseline, write_baseline
from gitwarden.secrets.history_scan import HistoryOptions, scan_history
from gitwarden.suppressions import apply_config
from gitwarden.version import __version__


@dataclass(frozen=True)
class BaselineOptions:
    use: Path | None = None
    write: Path | None = None


def history(
    path: str | Path,
    config: Config | None = None,
    options: HistoryOptions | None = None,
    *,
    baseline: BaselineOptions | None = None,
    fail_on: Severity | None = None,
    today: date | None = None,
) -> Report:
    """Secrets in every object reachable from every ref of the repository at ``path``."""
    root = Path(path)
    if config is None:
        found = find_config(root) if root.is_dir() else None
        config = load_config(found, found.name) if found else Config()
    options = replace(options or HistoryOptions(), max_blob_bytes=config.max_file_bytes)
    scanned = scan_history(root, options)
    pairs = [(s.finding, s.value) for s in scanned.secrets]
    baseline = baseline or BaselineOptions()
    if baseline.write is not None:
        previous = load_baseline(baseline.write) if baseline.write.is_file() else Baseline.new()
        accepted = [(f, v) for f, v in pairs if not f.suppressed]
        written = write_baseline(baseline.write, previous, accepted)
        findings = apply_baseline(written, pairs, str(baseline.write))
    elif baseline.use is not None:
        findings = apply_baseline(load_baseline(baseline.use), pairs, str(baseline.use))
    else:
        findings = [f for f, _ in pairs]
    findings = apply_config(
        [*findings, *scanned.problems], config, annotations={}, today=today or date.today()
    )
    return Report(
        command="history",
        target=str(path),
        findings=tuple(findings),
        rules={rule.id: rule for rule in (*INPUT_RULES, *all_secret_rules())},
        fail_on=fail_on or config.fail_on or Severity.HIGH,
        files_scanned=scanned.blobs_scanned + scanned.blobs_from_cache,
        objects_scanned=scanned.commits,
        tool_version=__version__,
    )
