"""What a scoped scan reports: the full scan's findings of the objects a change (or a list
of paths) touches, and the cross-object findings the change brings about.

The whole repository is still read and rendered (through the render cache) for context. A
render unit is touched when its input set (`render_inputs`, the same computation as the
cache key) holds a touched path; the affected objects are the touched files' objects and
everything a touched unit renders. File-scoped checks (`checks.check.FileScope`) run on the
affected files only, unless the change touches one of their context kinds; the others
judge the whole context, and of their findings the report keeps those at an affected object
and those the change brings about: firing now at a place where nothing fires once the
changed plain manifests hold their base revision's objects again (a NetworkPolicy deleted or
narrowed exposes unchanged workloads, a ClusterRoleBinding makes an unchanged ClusterRole
cluster-wide, a Namespace relabelled changes the Pod Security findings of its pods). Each is
reported as the full scan reports it. A policy that could not judge (it does not load, fails
while evaluating, or needs what cannot run offline) could not judge the change either: its
finding is kept wherever it is, so a narrowed scan fails closed as the full one does.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from gitwarden.checks.check import Check, CheckContext, run_checks
from gitwarden.findings import Finding
from gitwarden.manifests.objects import K8sObject
from gitwarden.pipeline.deduplication import deduplicate, deduplication_key
from gitwarden.pipeline.render_units import RenderPlan
from gitwarden.policy.rules import (
    POLICY_ERROR,
    POLICY_PARAMS_MISSING,
    POLICY_RULE_PREFIXES,
    POLICY_UNSUPPORTED,
)

# Findings that say a policy judged nothing: located at the policy, about every object.
_POLICY_PROBLEMS = frozenset(
    rule.id for rule in (POLICY_ERROR, POLICY_UNSUPPORTED, POLICY_PARAMS_MISSING)
)


@dataclass(frozen=True)
class ChangeSet:
    """Repository-relative files, and whole folders, that a scan is narrowed to."""

    files: frozenset[str] = frozenset()
    folders: tuple[str, ...] = ()
    # (path, text) at the base revision of each changed path that was a readable text file
    # there: what the change replaced (see `git_changes.base_texts`).
    base_texts: tuple[tuple[str, str], ...] = ()

    def touches(self, path: str) -> bool:
        return path in self.files or any(
            folder == "" or path.startswith(f"{folder}/") or path == folder
            for folder in self.folders
        )

    def touches_any(self, paths: Iterable[str]) -> bool:
        return any(self.touches(path) for path in paths)


@dataclass(frozen=True)
class TouchedUnits:
    """The render units a change touches: their object origins and their own files."""

    origins: frozenset[str]
    unit_files: frozenset[str]
    # Every input of the touched units; None when one of them has unknown inputs.
    inputs: frozenset[str] | None = frozenset()


@dataclass(frozen=True)
class AffectedScope:
    """What a change affects in one scan: the change, its touched units, their objects."""

    change: ChangeSet
    units: TouchedUnits
    objects: tuple[K8sObject, ...]

    @property
    def files(self) -> frozenset[str]:
        """The files of the affected objects (a rendered object's source file)."""
        return frozenset(obj.file for obj in self.objects)


def affected_scope(
    plan: RenderPlan, change: ChangeSet, objects: Sequence[K8sObject]
) -> AffectedScope:
    units = touched_units(plan, change)
    return AffectedScope(change, units, tuple(touched_objects(objects, change, units)))


def touched_units(plan: RenderPlan, change: ChangeSet) -> TouchedUnits:
    """Units whose inputs hold a touched path; a unit with unknown inputs is always touched."""
    origins: set[str] = set()
    unit_files: set[str] = set()
    inputs: set[str] | None = set()
    for overlay in plan.overlays:
        if _touched(overlay.inputs, overlay.folder, change):
            origins.add(f"kustomize {overlay.folder or '.'}")
            unit_files.add(overlay.kustomization_file)
            inputs = _joined(inputs, overlay.inputs)
    for chart in plan.charts:
        if _touched(chart.inputs, chart.folder, change):
            label = f"helm {chart.folder or '.'}"
            origins.add(label)
            origins.update(f"{label} ({values.name})" for values in chart.values_variants)
            unit_files.add(chart.location.file)
            inputs = _joined(inputs, chart.inputs)
    return TouchedUnits(
        frozenset(origins), frozenset(unit_files), None if inputs is None else frozenset(inputs)
    )


def findings_the_change_brings(
    checks: Iterable[Check],
    context: CheckContext,
    found: Sequence[Finding],
    replaced: Mapping[str, Sequence[K8sObject]],
) -> frozenset[tuple[str, ...]]:
    """Keys of the findings (among ``found``, the checks' run on ``context``) of the checks
    without a file scope that fire at a place where none fires in a run where each plain
    file of ``replaced`` holds its base revision's objects instead: what changing those
    files brings about. A finding already there whose text changed (one more workload in a
    list, one more image counted) was not brought about by the change."""
    if not replaced:
        return frozenset()
    whole = [check for check in checks if check.scope is None]
    rule_ids = {check.rule.id for check in whole}
    now = [f for f in found if f.rule_id in rule_ids]
    if not now:
        return frozenset()
    before = CheckContext(_replaced(context.objects, replaced), context.settings, context.inputs)
    places = {_place(f) for f in run_checks(whole, before)}
    return frozenset(deduplication_key(f) for f in now if _place(f) not in places)


def policy_findings_the_change_brings(
    evaluate: Callable[[Sequence[K8sObject]], Sequence[Finding]],
    objects: Sequence[K8sObject],
    found: Sequence[Finding],
    replaced: Mapping[str, Sequence[K8sObject]],
) -> frozenset[tuple[str, ...]]:
    """Keys of the user-policy findings among ``found`` (``evaluate`` run on ``objects``)
    that fire at a place where none fires when each plain file of ``replaced`` holds its
    base revision's objects instead: what a referential policy (Rego reading
    ``data.gitwarden.objects``, Gatekeeper's ``data.inventory``) now finds at an unchanged
    object, and what a changed in-repository policy object now finds anywhere."""
    if not replaced:
        return frozenset()
    now = [f for f in found if f.rule_id.startswith(POLICY_RULE_PREFIXES)]
    if not now:
        return frozenset()
    places = {_place(f) for f in evaluate(_replaced(objects, replaced))}
    return frozenset(deduplication_key(f) for f in now if _place(f) not in places)


def _place(finding: Finding) -> tuple[str, ...]:
    """Where a finding fires: its key without the message."""
    return deduplication_key(finding)[:-1]


def _replaced(
    objects: Sequence[K8sObject], replaced: Mapping[str, Sequence[K8sObject]]
) -> list[K8sObject]:
    """``objects`` with those of each plain file of ``replaced`` swapped for its base ones,
    in place (order decides which object a namespace-wide finding is anchored at)."""
    result: list[K8sObject] = []
    placed: set[str] = set()
    for obj in objects:
        if obj.origin is not None or obj.file not in replaced:
            result.append(obj)
        elif obj.file not in placed:
            placed.add(obj.file)
            result.extend(replaced[obj.file])
    for file, base in replaced.items():
        if file not in placed:  # deleted, or holding no object any more
            result.extend(base)
    return result


def touched_findings(
    findings: Sequence[Finding],
    change: ChangeSet,
    units: TouchedUnits,
    brought: Collection[tuple[str, ...]] = frozenset(),
) -> list[Finding]:
    """Of the de-duplicated ``findings``, those seen (in any sighting) in a touched file, on
    an object a touched unit rendered, or on a touched unit itself (its render failure),
    those of a policy that could not judge, and those whose key is in ``brought`` (see
    `findings_the_change_brings`).

    A problem seen through several overlays is reported once, at its first sighting, as the
    full scan reports it, even when only a later sighting's overlay is touched.
    """
    touched = {
        deduplication_key(finding)
        for finding in findings
        if change.touches(finding.location.file)
        or finding.location.origin in units.origins
        or (finding.location.origin is None and finding.location.file in units.unit_files)
        or finding.rule_id in _POLICY_PROBLEMS
    } | set(brought)
    return [f for f in deduplicate(findings) if deduplication_key(f) in touched]


def touched_objects(
    objects: Sequence[K8sObject], change: ChangeSet, units: TouchedUnits
) -> list[K8sObject]:
    return [obj for obj in objects if change.touches(obj.file) or obj.origin in units.origins]


def _joined(paths: set[str] | None, inputs: tuple[str, ...] | None) -> set[str] | None:
    return None if paths is None or inputs is None else paths | set(inputs)


def _touched(inputs: tuple[str, ...] | None, folder: str, change: ChangeSet) -> bool:
    if inputs is None:
        return True
    # A deleted file is in no input set any more; the folder it was in still says whose.
    return change.touches_any(inputs) or any(
        folder == "" or path.startswith(f"{folder}/") for path in change.files
    )
