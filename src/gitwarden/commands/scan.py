"""`gitwarden.scan(target, config, options) -> Report`: what a repository will deploy, checked.

The scan pipeline (`gitwarden.pipeline`) finds the findings; this module resolves the
config, applies it and builds the report, as every command does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from gitwarden.commands.report_assembly import assemble_report, config_for
from gitwarden.config import Config
from gitwarden.errors import UsageError
from gitwarden.findings import Severity
from gitwarden.pipeline.scan_pipeline import run_scan_pipeline
from gitwarden.policy.sources import PolicySource
from gitwarden.report.model import Report
from gitwarden.rule_catalogue import all_rules
from gitwarden.suppressions import read_annotation_suppressions


@dataclass(frozen=True)
class ScanOptions:
    """How to scan: render overlays and charts (or read files as they are), network use."""

    render: bool = True
    allow_network: bool = False
    fail_on: Severity | None = None
    today: date | None = None
    # Policy folders given on the command line (relative to the working directory).
    policies: tuple[PolicySource, ...] = ()
    # Secret detection over every text file; values are redacted unless show_secrets.
    secrets: bool = True
    show_secrets: bool = False


def scan(
    path: str | Path,
    config: Config | None = None,
    options: ScanOptions | None = None,
) -> Report:
    """Scan the repository (or file) at ``path``; the config defaults to its `.gitwarden.yaml`."""
    target = Path(path)
    if not target.exists():
        raise UsageError(f"{path}: no such file or folder")
    options = options or ScanOptions()
    config = config_for(target, config)
    result = run_scan_pipeline(target.resolve(), config, options)
    annotations, problems = read_annotation_suppressions(result.objects)
    return assemble_report(
        "scan",
        str(path),
        [*result.findings, *problems],
        config=config,
        rules={rule.id: rule for rule in all_rules()} | dict(result.extra_rules),
        fail_on=options.fail_on,
        today=options.today,
        annotations=annotations,
        files_scanned=result.files_scanned,
        objects_scanned=len(result.objects),
        inline_root=target.resolve(),
    )
