"""The scan pipeline's orchestrator: sources -> objects -> scanners -> findings.

Like pip-audit's `Auditor` over a `DependencySource`, it only wires stages together; each
stage is a function of the previous stage's frozen result. All state of a run lives in the
objects it creates, so two scans in one process (or two threads) never see each other.
"""

from __future__ import annotations

import contextlib
import importlib
import posixpath
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from gitwarden.config import Config
from gitwarden.findings import Finding
from gitwarden.manifests.objects import K8sObject
from gitwarden.pipeline.change_set import ChangeSet
from gitwarden.pipeline.git_changes import changes_since
from gitwarden.pipeline.object_loading import ObjectLimits, RenderSettings, load_objects
from gitwarden.pipeline.render_cache import RenderCache
from gitwarden.pipeline.render_workers import RenderHint, RenderWorkers, render_jobs
from gitwarden.pipeline.scan_sources import ScanSources, collect_sources
from gitwarden.rules import Rule

if TYPE_CHECKING:  # the command module defines the options and imports this one
    from gitwarden.commands.scan import ScanOptions


@dataclass(frozen=True)
class ScanResult:
    """What a scan found, before the config is applied and a report is built."""

    objects: tuple[K8sObject, ...]
    # De-duplicated, in the order the stages produced them.
    findings: tuple[Finding, ...]
    # Rules behind findings that the catalogue does not list (user policies, tool codes).
    extra_rules: Mapping[str, Rule]
    files_scanned: int
    # Objects the findings are about: all of them, or those a change touches.
    objects_reported: int
    # What the plan had to render: the next scan's `RenderHint`.
    planned: RenderHint = field(default_factory=RenderHint)


def run_scan_pipeline(
    target: Path, config: Config, options: ScanOptions, change: ChangeSet | None = None
) -> ScanResult:
    """Scan ``target`` (an existing folder or file, resolved) under ``config``.

    With a ``change`` (or ``options.paths`` / ``options.diff_base``) the whole repository is
    still read for context; the result holds the full scan's findings of what the change
    affects and of what it brings about elsewhere (see `change_set`).
    """
    sources = collect_sources(
        target, config, render=options.render, allow_network=options.allow_network
    )
    change = change or scope_of(options, sources)
    limits = ObjectLimits(config.max_file_bytes, config.max_document_bytes, options.allow_network)
    with _work_dir(options.render_workers) as work_dir:
        settings = replace(render_settings(options), preparations=preparations(options, config))
        loaded = load_objects(sources, limits, work_dir, settings)
    # Imported while the renders were awaited (see `preparations`), if there were any.
    from gitwarden.pipeline import finding_stages

    found = finding_stages.find_in_objects(sources, loaded, config, options, change, limits)
    return ScanResult(
        objects=loaded.objects,
        findings=found.findings,
        extra_rules=found.extra_rules,
        files_scanned=found.files_scanned,
        objects_reported=found.objects_reported,
        planned=loaded.planned,
    )


@contextlib.contextmanager
def _work_dir(workers: RenderWorkers | None) -> Iterator[Path]:
    """The folder renders work in: the given workers' (their owner removes it), else a
    temporary one for this scan."""
    if workers is not None:
        yield workers.work_dir
        return
    with tempfile.TemporaryDirectory(prefix="gitwarden-") as work_dir:
        yield Path(work_dir)


def scope_of(options: ScanOptions, sources: ScanSources) -> ChangeSet | None:
    """The change a scan is narrowed to: named paths, or what differs from a revision."""
    if options.diff_base is not None:
        return changes_since(sources.root, options.diff_base, sources.files)
    if options.paths:
        files = {f.path for f in sources.files}
        named = ["" if p in ("", ".") else p for p in map(posixpath.normpath, options.paths)]
        return ChangeSet(
            files=frozenset(p for p in named if p in files),
            folders=tuple(p for p in named if p not in files),
        )
    return None


def render_settings(options: ScanOptions) -> RenderSettings:
    """Threads bounded by the cores (or ``options.jobs``); the cache unless turned off (it
    keeps parsed plain files too, so it serves a scan that renders nothing)."""
    cache = None
    if options.cache:
        opened = RenderCache.open(options.cache_dir, max_bytes=options.cache_max_bytes)
        # A cache that cannot be trusted (shared key file) is not used: renders still run.
        cache = opened if isinstance(opened, RenderCache) else None
    return RenderSettings(
        jobs=render_jobs(options.jobs),
        cache=cache,
        progress=options.progress,
        workers=options.render_workers,
        kustomize_origins=options.kustomize_origins,
    )


def preparations(options: ScanOptions, config: Config) -> tuple[Callable[[], object], ...]:
    """What the stages after the renders load first (their code, the release's schemas, the
    shipped CRD schemas, the secret engine): the object stage does it while renders are
    awaited, a step at a time, so that a render that finishes meanwhile waits little."""
    steps: list[Callable[[], object]] = [
        partial(importlib.import_module, module) for module in _LATER_MODULES
    ]
    if options.manifests:
        steps.append(lambda: _finding_stages().load_release_schemas(config.checks))
        steps.append(lambda: _finding_stages().load_shipped_definitions())
    if options.secrets:
        steps.append(lambda: _finding_stages().default_engine())
    return tuple(steps)


# The code of the stages after the objects, in steps of a few ms to 20 ms: the checks (the
# registry imports every family), the policy engines, the secret catalogue, the report's
# rule catalogue. A cold scan plans and starts its renders before they load.
_LATER_MODULES = (
    "gitwarden.checks.registry",
    "gitwarden.policy.evaluate",
    "gitwarden.secrets.engine",
    "gitwarden.secrets.tree_scan",
    "gitwarden.pipeline.finding_stages",
    "gitwarden.rule_catalogue",
)


def _finding_stages() -> ModuleType:
    from gitwarden.pipeline import finding_stages

    return finding_stages
