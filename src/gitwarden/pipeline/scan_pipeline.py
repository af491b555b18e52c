"""The scan pipeline's orchestrator: sources -> objects -> scanners -> findings.

Like pip-audit's `Auditor` over a `DependencySource`, it only wires stages together; each
stage is a function of the previous stage's frozen result. All state of a run lives in the
objects it creates, so two scans in one process (or two threads) never see each other.
"""

from __future__ import annotations

import contextlib
import posixpath
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from gitwarden.checks.api_schema import load_release_schemas
from gitwarden.checks.check import Check, CheckContext, run_checks, run_checks_for_files
from gitwarden.checks.registry import all_checks, rules_of_findings
from gitwarden.config import Config
from gitwarden.findings import Finding
from gitwarden.manifests.loader import load_manifest_text
from gitwarden.manifests.objects import K8sObject
from gitwarden.pipeline.change_set import (
    AffectedScope,
    ChangeSet,
    affected_scope,
    findings_the_change_brings,
    policy_findings_of_changed_sources,
    policy_findings_the_change_brings,
    touched_findings,
)
from gitwarden.pipeline.deduplication import deduplicate
from gitwarden.pipeline.git_changes import changes_since
from gitwarden.pipeline.object_loading import ObjectLimits, RenderSettings, load_objects
from gitwarden.pipeline.pod_security_bridge import pod_security_evaluator
from gitwarden.pipeline.render_cache import RenderCache
from gitwarden.pipeline.render_workers import RenderHint, RenderWorkers, render_jobs
from gitwarden.pipeline.scan_sources import ScanSources, collect_sources
from gitwarden.pipeline.unchecked_inputs import not_checked_findings, unchecked_in
from gitwarden.policy.evaluate import run_policies
from gitwarden.policy.results import PolicyResults
from gitwarden.policy.sources import PolicySource
from gitwarden.rules import Rule
from gitwarden.secrets.engine import default_engine
from gitwarden.secrets.tree_scan import scan_tree_secrets
from gitwarden.sources.tree import MANIFEST_SUFFIXES

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
    # The order findings are gathered in is kept: de-duplication keeps the first sighting.
    findings: list[Finding] = [*sources.findings]
    if options.secrets:
        # A secret is a finding about one file: untouched files need no reading.
        secret_files = [f for f in sources.files if change is None or change.touches(f.path)]
        findings.extend(
            scan_tree_secrets(
                secret_files,
                config.max_file_bytes,
                show_secrets=options.show_secrets,
                unparsed=loaded.unparsed_files,
                objects=loaded.objects,
            )
        )
    policy_rules: Mapping[str, Rule] = {}
    scope = None if change is None else affected_scope(sources.plan, change, loaded.objects)
    brought: frozenset[tuple[str, ...]] = frozenset()
    # Each changed plain manifest's objects at the base revision (a narrowed scan only).
    replaced: Mapping[str, Sequence[K8sObject]] = {}
    if options.manifests:
        findings.extend(sources.plan.findings)
        findings.extend(loaded.findings)
        context = check_context(sources, loaded.objects, config)
        if scope is None:
            findings.extend(run_checks(all_checks(), context))
        else:
            replaced = replaced_objects(scope, sources, loaded.objects, limits)
            checks = checks_for_change(all_checks(), scope, replaced)
            found = run_checks_for_files(checks, context, scope.files)
            findings.extend(found)
            brought = findings_the_change_brings(checks, context, found, replaced)

        def policies_over(objects: Sequence[K8sObject]) -> PolicyResults:
            return run_policies(
                objects,
                command_line=options.policies,
                configured=config.policies,
                root=sources.root,
                pod_security=pod_security_evaluator,
            )

        policy_results = policies_over(loaded.objects)
        findings.extend(policy_results.findings)
        policy_rules = policy_results.rules
        if scope is not None:
            # A referential policy judges one object by others: what it now finds at an
            # unchanged object is the change's doing, told apart by a run at the base.
            brought |= policy_findings_the_change_brings(
                lambda before: policies_over(before).findings,
                loaded.objects,
                policy_results.findings,
                replaced,
            )
            brought |= policy_findings_of_changed_sources(
                scope.change,
                repository_policy_paths(sources.root, options.policies, config.policies),
                policy_results.findings,
            )
    reported_objects = len(loaded.objects)
    # A secrets-only scan reads every walked file, not only the manifests.
    files_scanned = loaded.files_scanned if options.manifests else len(sources.files)
    if scope is not None:
        findings = touched_findings(findings, scope.change, scope.units, brought)
        reported_objects = len(scope.objects)
        files_scanned = len({f.path for f in sources.files if scope.change.touches(f.path)})
    if options.manifests:
        # After the narrowing: a change lists the unchecked files it touches, whichever they are.
        findings.extend(not_checked_findings(unchecked_in(loaded.unchecked_files, change)))
    return ScanResult(
        objects=loaded.objects,
        findings=tuple(deduplicate(findings)),
        extra_rules={**policy_rules, **rules_of_findings(findings)},
        files_scanned=files_scanned,
        objects_reported=reported_objects,
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


def checks_for_change(
    checks: Sequence[Check], scope: AffectedScope, replaced: Mapping[str, Sequence[K8sObject]]
) -> list[Check]:
    """``checks``, those whose context kinds a changed plain manifest holds (now or at the
    base revision) without their file scope, so that what the change brings about at other
    files is found: a Namespace relabelled changes the Pod Security findings of its pods."""
    kinds = {obj.kind for obj in scope.objects if obj.origin is None and obj.file in replaced}
    kinds.update(obj.kind for objects in replaced.values() for obj in objects)
    return [
        replace(check, scope=None)
        if check.scope is not None and check.scope.context_kinds & kinds
        else check
        for check in checks
    ]


def replaced_objects(
    scope: AffectedScope, sources: ScanSources, objects: Sequence[K8sObject], limits: ObjectLimits
) -> dict[str, list[K8sObject]]:
    """The objects of each changed plain manifest as the base revision held them (none for
    a file the change adds, or one too large to read there: its findings are then reported).

    A file a touched unit may render is left out: what the unit rendered at the base
    revision is not known without rendering it there, so the cross-object findings a change
    to an overlay brings about at unchanged objects are not told apart (see `change_set`).
    When a touched unit's inputs are unknown, only what it rendered now is left out: taking
    a rendered file for a plain one can only report more of the change's findings.
    """
    base = dict(scope.change.base_texts)
    rendered = {obj.file for obj in objects if obj.origin is not None} | sources.plan.not_plain
    rendered |= scope.units.inputs or frozenset()
    replaced: dict[str, list[K8sObject]] = {}
    for path in sorted(scope.change.files):
        if path in rendered or not path.lower().endswith(MANIFEST_SUFFIXES):
            continue
        text = base.get(path)
        replaced[path] = (
            []
            if text is None
            else load_manifest_text(
                text, path, max_document_bytes=limits.max_document_bytes
            ).objects
        )
    return replaced


def repository_policy_paths(
    root: Path, command_line: Sequence[PolicySource], configured: Sequence[PolicySource]
) -> list[str]:
    """The policy sources inside the repository, relative to its root: the config's are
    named from the root, the command line's from the working directory."""
    named = [Path.cwd() / s.path for s in command_line] + [root / s.path for s in configured]
    paths: list[str] = []
    for path in named:
        resolved = path.resolve()
        if resolved.is_relative_to(root):
            paths.append(resolved.relative_to(root).as_posix())
    return paths


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
    )


def preparations(options: ScanOptions, config: Config) -> tuple[Callable[[], object], ...]:
    """What the stages after the renders load first (the release's schemas, the secret
    engine): the object stage does it while renders are awaited."""
    steps: list[Callable[[], object]] = []
    if options.manifests:
        steps.append(partial(load_release_schemas, config.checks))
    if options.secrets:
        steps.append(default_engine)
    return tuple(steps)


def check_context(
    sources: ScanSources, objects: tuple[K8sObject, ...], config: Config
) -> CheckContext:
    """A fresh context per scan: what checks derive from it dies with the scan."""
    return CheckContext(objects, config.checks, inputs=sources.inputs)
