"""The stages after the objects: secrets, built-in checks and user policies over what the
object stage loaded, narrowed to a change when the scan has one.

`scan_pipeline` imports this module once the objects are loading (its `preparations`
import it while the renders are awaited): the checks, the policy engines and the secret
catalogue are not needed to plan and start the renders, and a cold scan starts them
sooner without them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from gitwarden.checks.api_schema import load_release_schemas
from gitwarden.checks.api_schema.shipped_crds import load_shipped_definitions
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
from gitwarden.pipeline.object_loading import ObjectLimits, ScanObjects
from gitwarden.pipeline.pod_security_bridge import pod_security_evaluator
from gitwarden.pipeline.scan_sources import ScanSources
from gitwarden.pipeline.unchecked_inputs import not_checked_findings, unchecked_in
from gitwarden.policy.evaluate import run_policies
from gitwarden.policy.results import PolicyResults
from gitwarden.policy.sources import PolicySource
from gitwarden.rules import Rule
from gitwarden.secrets.engine import default_engine
from gitwarden.secrets.tree_scan import scan_tree_secrets
from gitwarden.sources.tree import MANIFEST_SUFFIXES

if TYPE_CHECKING:  # the command module defines the options and imports the pipeline
    from gitwarden.commands.scan import ScanOptions

# The loaders among them are imported for `scan_pipeline.preparations`, which calls them.
__all__ = [
    "StageFindings",
    "default_engine",
    "find_in_objects",
    "load_release_schemas",
    "load_shipped_definitions",
]


@dataclass(frozen=True)
class StageFindings:
    """What the stages found about the loaded objects (see `scan_pipeline.ScanResult`)."""

    findings: tuple[Finding, ...]
    extra_rules: Mapping[str, Rule]
    files_scanned: int
    objects_reported: int


def find_in_objects(
    sources: ScanSources,
    loaded: ScanObjects,
    config: Config,
    options: ScanOptions,
    change: ChangeSet | None,
    limits: ObjectLimits,
) -> StageFindings:
    """Secrets, checks and policies over ``loaded``, de-duplicated, narrowed to ``change``."""
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
    return StageFindings(
        findings=tuple(deduplicate(findings)),
        extra_rules={**policy_rules, **rules_of_findings(findings)},
        files_scanned=files_scanned,
        objects_reported=reported_objects,
    )


def check_context(
    sources: ScanSources, objects: tuple[K8sObject, ...], config: Config
) -> CheckContext:
    """A fresh context per scan: what checks derive from it dies with the scan."""
    return CheckContext(objects, config.checks, inputs=sources.inputs)


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
