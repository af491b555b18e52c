"""`gitwarden.history(target, config, options)`: secrets in every object of a repository's history.

The secret scanner walks history and returns findings with their values; here a baseline is
applied (or written), the config obeyed and the report assembled, as for every command.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from gitwarden.commands.report_assembly import assemble_report, config_for
from gitwarden.config import Config
from gitwarden.errors import UsageError
from gitwarden.findings import Finding, Severity
from gitwarden.input_rules import INPUT_RULES
from gitwarden.progress import SILENT, Progress
from gitwarden.report.model import Report
from gitwarden.secrets import all_secret_rules
from gitwarden.secrets.baseline import Baseline, apply_baseline, load_baseline, write_baseline
from gitwarden.secrets.blob_cache import default_cache_dir
from gitwarden.secrets.cache_location import cache_key_file
from gitwarden.secrets.history_scan import HistoryScan, HistoryScanOptions, scan_history


@dataclass(frozen=True)
class HistoryOptions:
    """What `gitwarden history` is asked to do, beside the repository and its config.

    ``baseline`` accepts the secrets a baseline file lists; ``write_baseline`` (re)writes one
    accepting everything found now. ``cache_dir=None`` rescans every blob (gate runs that
    cannot trust a cache folder should pass it).
    """

    since: str | None = None
    unreachable: bool = False
    show_secrets: bool = False
    cache_dir: Path | None = field(default_factory=default_cache_dir)
    cache_key_file: Path = field(default_factory=cache_key_file)
    baseline: Path | None = None
    write_baseline: Path | None = None
    fail_on: Severity | None = None
    today: date | None = None
    progress: Progress = SILENT


def history(
    target: str | Path, config: Config | None = None, options: HistoryOptions | None = None
) -> Report:
    """Secrets in every object reachable from every ref of the repository at ``target``."""
    root = Path(target)
    options = options or HistoryOptions()
    if options.baseline is not None and options.write_baseline is not None:
        raise UsageError("use a baseline or write one, not both")
    config = config_for(root, config)
    scanned = scan_history(
        root,
        HistoryScanOptions(
            since=options.since,
            unreachable=options.unreachable,
            show_secrets=options.show_secrets,
            cache_dir=options.cache_dir,
            cache_key_file=options.cache_key_file,
            max_blob_bytes=config.max_file_bytes,
        ),
        progress=options.progress,
    )
    return assemble_report(
        "history",
        str(target),
        [*_with_baseline(scanned, options), *scanned.problems],
        config=config,
        rules=(*INPUT_RULES, *all_secret_rules()),
        fail_on=options.fail_on,
        today=options.today,
        files_scanned=scanned.blobs_scanned + scanned.blobs_from_cache,
        objects_scanned=scanned.commits,
    )


def _with_baseline(scanned: HistoryScan, options: HistoryOptions) -> list[Finding]:
    pairs = [(secret.finding, secret.value) for secret in scanned.secrets]
    if options.write_baseline is not None:
        path = options.write_baseline
        previous = load_baseline(path) if path.is_file() else Baseline.new()
        accepted = [(finding, value) for finding, value in pairs if not finding.suppressed]
        return apply_baseline(write_baseline(path, previous, accepted), pairs, str(path))
    if options.baseline is not None:
        return apply_baseline(load_baseline(options.baseline), pairs, str(options.baseline))
    return [finding for finding, _ in pairs]
