"""`gitwarden.scan(target, config, options) -> Report`: what a repository will deploy, checked.

The scan pipeline (`gitwarden.pipeline`) finds the findings; this module resolves the
config, applies it and builds the report, as every command does.
"""

from __future__ import annotations

import fcntl
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from gitwarden.commands.report_assembly import assemble_report, located_config
from gitwarden.config import Config
from gitwarden.errors import UsageError
from gitwarden.findings import Severity
from gitwarden.integrity.local_state import state_file
from gitwarden.pipeline.git_changes import staged_changes, write_index
from gitwarden.pipeline.render_cache import DEFAULT_MAX_BYTES, default_cache_dir
from gitwarden.pipeline.render_workers import RenderWorkers
from gitwarden.pipeline.scan_pipeline import ScanResult, run_scan_pipeline
from gitwarden.policy.sources import PolicySource
from gitwarden.progress import SILENT, Progress
from gitwarden.report.model import Report
from gitwarden.report.repository_paths import (
    rebased_findings,
    rebased_path,
    relative_to_repository,
)
from gitwarden.sources.git_repository import GitRepository
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
    # Manifest checks and policies; False with ``secrets`` for a secrets-only scan (the
    # `gitwarden-secrets` hook): files are still walked and read, no manifest is judged.
    manifests: bool = True
    # Renders at once (None: the core count); the render cache, its folder and its bound.
    jobs: int | None = None
    cache: bool = True
    cache_dir: Path | None = None
    cache_max_bytes: int = DEFAULT_MAX_BYTES
    # Report only what these target-relative files and folders hold (the whole target is
    # still read for context), what differs from the revision ``diff_base``, or what the
    # index changes against HEAD (``staged``: the index's content is scanned).
    paths: tuple[str, ...] = ()
    diff_base: str | None = None
    staged: bool = False
    # Told how rendering advances (the CLI's bar on a terminal); silent by default.
    progress: Progress = SILENT
    # Renderer children started by the caller (`start_render_workers`), used instead of the
    # scan's own; the caller ends them. The scan then leaves its `RenderHint` in the cache.
    render_workers: RenderWorkers | None = None
    # Render every overlay with kustomize's origin annotations instead of finding the
    # objects of an overlay that keeps kinds and names by identity: slower, same report.
    kustomize_origins: bool = False


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
    _check_scope(target, options)
    # Config paths are written relative to the config's folder: a repository's root config
    # read for a scan of ``clusters/prod`` matches ``clusters/prod/app.yaml``, as reported.
    config, config_folder = located_config(target, config)
    base = config_folder or _folder(target)
    if options.staged:
        result = _scan_index(target.resolve(), config, options)
    else:
        result = run_scan_pipeline(target.resolve(), config, options)
    if options.render and options.cache and options.render_workers and target.is_dir():
        # For the caller that starts children ahead (the CLI) to read on its next scan;
        # other callers (the gate's temporary checkouts) leave no hint behind.
        result.planned.write(options.cache_dir or default_cache_dir(), target)
    annotations, problems = read_annotation_suppressions(result.objects)
    prefix = _folder(target).relative_to(base).as_posix()
    annotations = {(rebased_path(file, prefix), name): a for (file, name), a in annotations.items()}
    # The whole catalogue (every scanner's rules): loaded with the checks, after the renders.
    from gitwarden.rule_catalogue import all_rules

    report = assemble_report(
        "scan",
        str(path),
        rebased_findings((*result.findings, *problems), prefix),
        config=config,
        rules={rule.id: rule for rule in all_rules()} | dict(result.extra_rules),
        fail_on=options.fail_on,
        today=options.today,
        annotations=annotations,
        files_scanned=result.files_scanned,
        objects_scanned=result.objects_reported,
        inline_root=base,
    )
    # Config, inline comments and annotations are matched on config-relative paths; readers
    # get repository-relative ones.
    return relative_to_repository(report, base)


def _folder(target: Path) -> Path:
    return (target if target.is_dir() else target.parent).resolve()


def _check_scope(target: Path, options: ScanOptions) -> None:
    if not options.manifests and not options.secrets:
        raise UsageError("nothing to scan: both the manifests and the secrets are turned off")
    chosen = [bool(options.paths), options.diff_base is not None, options.staged]
    if sum(chosen) > 1:
        raise UsageError("choose one of several paths, --diff and --staged")
    if any(chosen) and not target.is_dir():
        raise UsageError(f"{target}: --diff, --staged and several paths need a folder")
    for path in options.paths:
        if not (target / path).exists():
            raise UsageError(f"{path}: no such file or folder in {target}")


def _scan_index(repository: Path, config: Config, options: ScanOptions) -> ScanResult:
    """Scan the index's content (what the next commit records), reported as the change
    from HEAD; written to a fixed folder per repository so the render cache applies."""
    change = staged_changes(repository)
    tree = state_file(GitRepository(repository).git_dir, "staged-tree")
    tree.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with (tree.parent / "staged-tree.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two hooks at once must not share the folder
        write_index(repository, tree)
        return run_scan_pipeline(tree, config, options, change)
