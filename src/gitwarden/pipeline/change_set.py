"""What a scoped scan reports: the findings of the objects a change (or a list of paths)
touches, out of a scan of the whole repository.

The whole repository is still read, rendered (through the render cache) and checked, so
that cross-object rules (NetworkPolicies per namespace, the RBAC graph) judge the touched
objects with their full context; only the report is narrowed. A render unit is touched when
its input set (`render_inputs`, the same computation as the cache key) holds a touched path.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from gitwarden.findings import Finding
from gitwarden.manifests.objects import K8sObject
from gitwarden.pipeline.deduplication import deduplicate, deduplication_key
from gitwarden.pipeline.render_units import RenderPlan


@dataclass(frozen=True)
class ChangeSet:
    """Repository-relative files, and whole folders, that a scan is narrowed to."""

    files: frozenset[str] = frozenset()
    folders: tuple[str, ...] = ()

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


def touched_units(plan: RenderPlan, change: ChangeSet) -> TouchedUnits:
    """Units whose inputs hold a touched path; a unit with unknown inputs is always touched."""
    origins: set[str] = set()
    unit_files: set[str] = set()
    for overlay in plan.overlays:
        if _touched(overlay.inputs, overlay.folder, change):
            origins.add(f"kustomize {overlay.folder or '.'}")
            unit_files.add(overlay.kustomization_file)
    for chart in plan.charts:
        if _touched(chart.inputs, chart.folder, change):
            label = f"helm {chart.folder or '.'}"
            origins.add(label)
            origins.update(f"{label} ({values.name})" for values in chart.values_variants)
            unit_files.add(chart.location.file)
    return TouchedUnits(frozenset(origins), frozenset(unit_files))


def touched_findings(
    findings: Sequence[Finding], change: ChangeSet, units: TouchedUnits
) -> list[Finding]:
    """Of the de-duplicated ``findings``, those seen (in any sighting) in a touched file, on
    an object a touched unit rendered, or on a touched unit itself (its render failure).

    A problem seen through several overlays is reported once, at its first sighting, as the
    full scan reports it, even when only a later sighting's overlay is touched.
    """
    touched = {
        deduplication_key(finding)
        for finding in findings
        if change.touches(finding.location.file)
        or finding.location.origin in units.origins
        or (finding.location.origin is None and finding.location.file in units.unit_files)
    }
    return [f for f in deduplicate(findings) if deduplication_key(f) in touched]


def touched_objects(
    objects: Sequence[K8sObject], change: ChangeSet, units: TouchedUnits
) -> list[K8sObject]:
    return [obj for obj in objects if change.touches(obj.file) or obj.origin in units.origins]


def _touched(inputs: tuple[str, ...] | None, folder: str, change: ChangeSet) -> bool:
    if inputs is None:
        return True
    # A deleted file is in no input set any more; the folder it was in still says whose.
    return change.touches_any(inputs) or any(
        folder == "" or path.startswith(f"{folder}/") for path in change.files
    )
