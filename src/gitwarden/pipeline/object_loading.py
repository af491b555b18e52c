"""The object stage: every render unit rendered (or its refusal reported) and every other
manifest loaded as it is, each file parsed once, each object attributed to its source file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gitwarden.findings import Finding, Location
from gitwarden.input_rules import DOCUMENT_TOO_LARGE, PARSE_ERROR, RENDER_FAILED, YAML_LIMIT
from gitwarden.manifests.objects import K8sObject
from gitwarden.manifests.rendered import objects_from_helm, objects_from_kustomize
from gitwarden.pipeline.manifest_files import ManifestFiles
from gitwarden.pipeline.render_units import ChartUnit, OverlayUnit
from gitwarden.pipeline.scan_sources import ScanSources
from gitwarden.sources.helm import RELEASE_NAMESPACE, render_chart
from gitwarden.sources.kustomize import KustomizeRenderer, render_overlay

_UNPARSED_RULES = {PARSE_ERROR.id, YAML_LIMIT.id, DOCUMENT_TOO_LARGE.id}


@dataclass(frozen=True)
class ObjectLimits:
    """How much of a file is read, how large one YAML document may be, and network use."""

    max_file_bytes: int
    max_document_bytes: int
    allow_network: bool = False


@dataclass(frozen=True)
class ScanObjects:
    """What the object stage produced: the objects, in render-then-file order, and the
    findings about what could not be rendered, read or parsed."""

    objects: tuple[K8sObject, ...]
    findings: tuple[Finding, ...]
    # Plain files read, plus source files that reached the checks through a renderer.
    files_scanned: int
    # Plain files with a document the loader could not parse (syntax, YAML limits, size).
    unparsed_files: frozenset[str] = frozenset()


@dataclass(frozen=True)
class _Rendered:
    objects: list[K8sObject]
    findings: list[Finding]


def load_objects(sources: ScanSources, limits: ObjectLimits, work_dir: Path) -> ScanObjects:
    """Render the plan of ``sources`` under ``work_dir`` and load the remaining manifests."""
    files = ManifestFiles(sources.root, limits.max_file_bytes, limits.max_document_bytes)
    objects: list[K8sObject] = []
    findings: list[Finding] = []
    covered: set[str] = set()
    plan = sources.plan
    for overlay in plan.overlays:
        if overlay.refusal is not None:
            findings.append(overlay.refusal)
        elif plan.kustomize is not None:  # the plan refuses every overlay when it has none
            rendered = _render_overlay(overlay, plan.kustomize, files, limits, work_dir)
            objects.extend(rendered.objects)
            findings.extend(rendered.findings)
            covered.update(obj.file for obj in rendered.objects)
    for chart in plan.charts:
        if chart.refusal is not None:
            findings.append(chart.refusal)
            continue
        for values_file in (None, *chart.values_variants):
            rendered = _render_chart(sources.root, chart, values_file, limits, work_dir)
            objects.extend(rendered.objects)
            findings.extend(rendered.findings)
    skip = plan.not_plain | covered
    for repo_file in sources.manifest_files:
        if repo_file.path not in skip:
            objects.extend(files.check(repo_file))
    findings.extend(files.findings)
    through_renderer = {obj.file for obj in objects if obj.origin} - set(files.checked)
    return ScanObjects(
        objects=tuple(objects),
        findings=tuple(findings),
        files_scanned=len(files.checked) + len(through_renderer),
        unparsed_files=frozenset(
            f.location.file for f in files.findings if f.rule_id in _UNPARSED_RULES
        ),
    )


def _render_overlay(
    overlay: OverlayUnit,
    renderer: KustomizeRenderer,
    files: ManifestFiles,
    limits: ObjectLimits,
    work_dir: Path,
) -> _Rendered:
    folder = overlay.folder
    output = render_overlay(
        renderer, files.root / folder, work_dir, allow_network=limits.allow_network
    )
    if output.text is None:
        # Paths elsewhere in the repository read best relative to its root.
        error = (output.error or "").replace(f"{files.root}/", "")
        failed = RENDER_FAILED.finding(
            f"`{renderer.name}` failed on '{folder or '.'}': {error}. Its "
            "files were checked as they are; fix the overlay so that it builds.",
            _overlay_location(overlay),
        )
        return _Rendered([], [failed])
    objects, problems = objects_from_kustomize(
        output.text,
        overlay_file=overlay.kustomization_file,
        origin=f"kustomize {folder or '.'}",
        wrapper_dir=output.wrapper_dir,
        root=files.root,
        source_objects=files.look_up,
        max_document_bytes=limits.max_document_bytes,
    )
    return _Rendered(objects, problems)


def _overlay_location(overlay: OverlayUnit) -> Location:
    return Location(file=overlay.kustomization_file, line=1)


def _render_chart(
    root: Path, chart: ChartUnit, values_file: Path | None, limits: ObjectLimits, work_dir: Path
) -> _Rendered:
    folder = chart.folder
    chart_dir = root / folder
    label = f"helm {folder or '.'}" + (f" ({values_file.name})" if values_file else "")
    output = render_chart(chart_dir, values_file, RELEASE_NAMESPACE, work_dir)
    if output.error is not None:
        failed = RENDER_FAILED.finding(
            f"Helm chart '{folder or '.'}' failed to render"
            + (f" with {values_file.name}" if values_file else "")
            + f": {output.error}. Fix the chart or vendor its dependencies.",
            chart.location,
        )
        return _Rendered([], [failed])
    objects, problems = objects_from_helm(
        output.manifests,
        chart_folder=folder,
        chart_dir=chart_dir,
        origin=label,
        max_document_bytes=limits.max_document_bytes,
    )
    return _Rendered(objects, problems)
