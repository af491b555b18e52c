"""The scan pipeline's orchestrator: sources -> objects -> scanners -> findings.

Like pip-audit's `Auditor` over a `DependencySource`, it only wires stages together; each
stage is a function of the previous stage's frozen result. All state of a run lives in the
objects it creates, so two scans in one process (or two threads) never see each other.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gitwarden.checks.check import CheckContext, run_checks
from gitwarden.checks.registry import all_checks, rules_of_findings
from gitwarden.config import Config
from gitwarden.findings import Finding
from gitwarden.manifests.objects import K8sObject
from gitwarden.pipeline.deduplication import deduplicate
from gitwarden.pipeline.object_loading import ObjectLimits, RenderSettings, load_objects
from gitwarden.pipeline.render_cache import RENDER_CACHE_REJECTED, RenderCache
from gitwarden.pipeline.scan_sources import ScanSources, collect_sources
from gitwarden.policy.evaluate import run_policies
from gitwarden.rules import Rule
from gitwarden.secrets.tree_scan import scan_tree_secrets

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


def run_scan_pipeline(target: Path, config: Config, options: ScanOptions) -> ScanResult:
    """Scan ``target`` (an existing folder or file, resolved) under ``config``."""
    sources = collect_sources(
        target, config, render=options.render, allow_network=options.allow_network
    )
    limits = ObjectLimits(config.max_file_bytes, config.max_document_bytes, options.allow_network)
    with tempfile.TemporaryDirectory(prefix="gitwarden-") as work_dir:
        loaded = load_objects(sources, limits, Path(work_dir), render_settings(options))
    # The order findings are gathered in is kept: de-duplication keeps the first sighting.
    findings: list[Finding] = [*sources.findings]
    if options.secrets:
        findings.extend(
            scan_tree_secrets(
                sources.files,
                config.max_file_bytes,
                show_secrets=options.show_secrets,
                unparsed=loaded.unparsed_files,
            )
        )
    findings.extend(sources.plan.findings)
    findings.extend(loaded.findings)
    findings.extend(run_checks(all_checks(), check_context(sources, loaded.objects, config)))
    policy_results = run_policies(
        loaded.objects,
        command_line=options.policies,
        configured=config.policies,
        root=sources.root,
    )
    findings.extend(policy_results.findings)
    return ScanResult(
        objects=loaded.objects,
        findings=tuple(deduplicate(findings)),
        extra_rules=policy_results.rules | rules_of_findings(findings) | _cache_rules(findings),
        files_scanned=loaded.files_scanned,
    )


def _cache_rules(findings: list[Finding]) -> dict[str, Rule]:
    # Not in the catalogue yet (input_rules is another branch's file): named here when used.
    used = any(f.rule_id == RENDER_CACHE_REJECTED.id for f in findings)
    return {RENDER_CACHE_REJECTED.id: RENDER_CACHE_REJECTED} if used else {}


def render_settings(options: ScanOptions) -> RenderSettings:
    """Threads bounded by the cores (or ``options.jobs``); the cache unless turned off."""
    jobs = options.jobs if options.jobs is not None else (os.cpu_count() or 1)
    cache = None
    if options.cache and options.render:
        opened = RenderCache.open(options.cache_dir, max_bytes=options.cache_max_bytes)
        # A cache that cannot be trusted (shared key file) is not used: renders still run.
        cache = opened if isinstance(opened, RenderCache) else None
    return RenderSettings(jobs=max(1, jobs), cache=cache)


def check_context(
    sources: ScanSources, objects: tuple[K8sObject, ...], config: Config
) -> CheckContext:
    """A fresh context per scan: what checks derive from it dies with the scan."""
    return CheckContext(objects, config.checks, inputs=sources.inputs)
