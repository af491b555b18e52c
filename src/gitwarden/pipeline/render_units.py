"""What render units a repository holds: Kustomize overlay roots and Helm charts with their
values variants, each either ready to render or refused (see `render_refusal`).

Nothing is rendered here: the plan says what the object stage will render, and which files
are not plain manifests (kustomization files and patches, chart templates and values).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from gitwarden.findings import Finding, Location
from gitwarden.input_rules import PARSE_ERROR
from gitwarden.manifests.kustomizations import (
    Kustomization,
    is_kustomization_file,
    overlay_roots,
    read_kustomization,
)
from gitwarden.pipeline.render_inputs import (
    FolderFiles,
    OverlaySources,
    chart_inputs,
    overlay_inputs,
    overlay_sources,
)
from gitwarden.pipeline.render_refusal import (
    chart_not_rendered,
    chart_refusal,
    helm_missing,
    is_within,
    kustomize_missing,
    overlay_refusal,
)
from gitwarden.sources.helm import helm_renderer_name
from gitwarden.sources.kustomize import KustomizeRenderer, find_kustomize
from gitwarden.sources.tree import RepoFile, TreeWalk, read_manifest_text

HELM_VALUES_VARIANTS = ("values-*.yaml", "values-*.yml", "values.*.yaml", "values.*.yml")
_CHART_OWN_FILES = {"Chart.yaml", "Chart.lock", "values.yaml", "values.schema.json"}


@dataclass(frozen=True)
class OverlayUnit:
    """A Kustomize overlay root; ``refusal`` says why it is not rendered, if it is not."""

    folder: str
    kustomization_file: str
    refusal: Finding | None = None
    # Every file the renderer may read (see `render_inputs`); None when unknown.
    inputs: tuple[str, ...] | None = None
    # Where its objects are found by kind and name, so that it renders without kustomize's
    # origin annotations (`render_inputs.overlay_sources`); None: with them.
    sources: OverlaySources | None = None


@dataclass(frozen=True)
class ChartUnit:
    """A Helm chart, rendered once with its defaults and once per values variant."""

    folder: str
    # Absolute paths of the values-*.yaml variants beside the chart's own values.yaml.
    values_variants: tuple[Path, ...] = ()
    refusal: Finding | None = None
    # Every file the renderer may read (see `render_inputs`); None when unknown.
    inputs: tuple[str, ...] | None = None

    @property
    def location(self) -> Location:
        return chart_location(self.folder)


@dataclass(frozen=True)
class RenderPlan:
    """Every render unit of a scan, in the order they are rendered."""

    overlays: tuple[OverlayUnit, ...] = ()
    charts: tuple[ChartUnit, ...] = ()
    kustomize: KustomizeRenderer | None = None
    # Files that are never loaded as plain manifests.
    not_plain: frozenset[str] = frozenset()
    # Kustomizations that could not be read or parsed.
    findings: tuple[Finding, ...] = ()


def chart_location(chart: str) -> Location:
    return Location(file=f"{chart}/Chart.yaml" if chart else "Chart.yaml")


def plan_renders(
    walk: TreeWalk, *, max_file_bytes: int, render: bool, allow_network: bool
) -> RenderPlan:
    """The render units of ``walk``; with ``render`` off, overlays are not planned at all and
    every chart is refused as not rendered."""
    kustomizations, findings = read_kustomizations(walk, max_file_bytes)
    charts = sorted(f.folder for f in walk.all_files if f.name == "Chart.yaml")
    not_plain: set[str] = set()
    for kustomization in kustomizations.values():
        not_plain.add(kustomization.file)
        not_plain.update(kustomization.fragment_files)
    not_plain.update(chart_template_files(walk.manifest_files, charts))
    not_plain.update(chart_own_files(walk.manifest_files, charts))
    kustomize = find_kustomize() if render and kustomizations else None
    files = FolderFiles(walk.root)
    overlays = (
        plan_overlays(
            kustomizations,
            kustomize,
            walk.tainted_folders,
            allow_network,
            files,
            file_reader(walk, max_file_bytes),
        )
        if render
        else ()
    )
    return RenderPlan(
        overlays=overlays,
        charts=plan_charts(walk.root, charts, walk.tainted_folders, render, files),
        kustomize=kustomize,
        not_plain=frozenset(not_plain),
        findings=tuple(findings),
    )


def read_kustomizations(
    walk: TreeWalk, max_file_bytes: int
) -> tuple[dict[str, Kustomization], list[Finding]]:
    """Every kustomization of the tree by folder (the first one of a folder wins)."""
    existing = {f.path for f in walk.all_files} | folders_of(walk.all_files)
    found: dict[str, Kustomization] = {}
    findings: list[Finding] = []
    for repo_file in walk.all_files:
        if not is_kustomization_file(repo_file.name) or repo_file.folder in found:
            continue
        text, problem = read_manifest_text(repo_file, max_file_bytes)
        if text is None:
            if problem:
                findings.append(problem)
            continue
        kustomization = read_kustomization(repo_file.folder, repo_file.path, text, existing)
        if kustomization.error:
            findings.append(
                PARSE_ERROR.finding(
                    f"Invalid kustomization: {kustomization.error}. Fix the syntax; the "
                    "overlay could not be rendered.",
                    Location(file=repo_file.path, line=kustomization.error_line),
                )
            )
        found[repo_file.folder] = kustomization
    return found, findings


def plan_overlays(
    kustomizations: dict[str, Kustomization],
    kustomize: KustomizeRenderer | None,
    tainted_folders: set[str],
    allow_network: bool,
    files: FolderFiles | None = None,
    read_text: Callable[[str], str | None] | None = None,
) -> tuple[OverlayUnit, ...]:
    """Overlay roots whose kustomization parsed, each with its refusal (if any); with
    ``read_text`` (a file's text by repository path), each with its sources."""
    units = []
    for folder in overlay_roots(kustomizations):
        overlay = kustomizations[folder]
        if overlay.error:
            continue  # reported as a parse error already
        refusal = (
            kustomize_missing(folder, Location(file=overlay.file, line=1))
            if kustomize is None
            else overlay_refusal(
                folder, kustomizations, allow_network=allow_network, tainted_folders=tainted_folders
            )
        )
        inputs = overlay_inputs(folder, kustomizations, files) if files is not None else None
        sources = (
            overlay_sources(folder, kustomizations, read_text)
            if read_text is not None and refusal is None
            else None
        )
        units.append(OverlayUnit(folder, overlay.file, refusal, inputs, sources))
    return tuple(units)


def file_reader(walk: TreeWalk, max_file_bytes: int) -> Callable[[str], str | None]:
    """A file of ``walk`` by repository path, read as a manifest is (bounded, never through
    a link) and once per plan (overlays share components and bases); None when it is not
    one of the walk's files or cannot be read."""
    by_path = {f.path: f for f in walk.all_files}
    texts: dict[str, str | None] = {}

    def read_text(path: str) -> str | None:
        if path not in texts:
            repo_file = by_path.get(path)
            texts[path] = (
                None if repo_file is None else read_manifest_text(repo_file, max_file_bytes)[0]
            )
        return texts[path]

    return read_text


def plan_charts(
    root: Path,
    charts: Sequence[str],
    tainted_folders: set[str],
    render: bool,
    files: FolderFiles | None = None,
) -> tuple[ChartUnit, ...]:
    """Top-level charts (subcharts render with their parent) with their values variants."""
    if not charts:
        return ()
    renderer = helm_renderer_name() if render else None
    units = []
    for chart in charts:
        if is_nested_chart(chart, charts):
            continue
        location = chart_location(chart)
        if not render:
            units.append(ChartUnit(chart, refusal=chart_not_rendered(chart, location)))
        elif renderer is None:
            units.append(ChartUnit(chart, refusal=helm_missing(chart, location)))
        elif (refusal := chart_refusal(chart, location, tainted_folders)) is not None:
            units.append(ChartUnit(chart, refusal=refusal))
        else:
            inputs = chart_inputs(chart, files) if files is not None else None
            units.append(ChartUnit(chart, values_variants(root / chart), inputs=inputs))
    return tuple(units)


def values_variants(chart_dir: Path) -> tuple[Path, ...]:
    """``values-prod.yaml`` and the like: each one is an environment the chart deploys to."""
    variants = {p for pattern in HELM_VALUES_VARIANTS for p in chart_dir.glob(pattern)}
    return tuple(sorted(p for p in variants if p.is_file() and not p.is_symlink()))


def folders_of(files: Iterable[RepoFile]) -> set[str]:
    """Every folder holding one of ``files``, the root ``""`` included."""
    folders: set[str] = set()
    for repo_file in files:
        parts = repo_file.path.split("/")[:-1]
        for end in range(1, len(parts) + 1):
            folders.add("/".join(parts[:end]))
    folders.add("")
    return folders


def is_nested_chart(chart: str, charts: Sequence[str]) -> bool:
    """A subchart under another chart's ``charts/`` folder (the parent may be the root)."""
    return any(
        other != chart
        and is_within(chart, other)
        and "/charts/" in "/" + chart[len(other) :].lstrip("/") + "/"
        for other in charts
    )


def chart_template_files(files: Iterable[RepoFile], charts: Sequence[str]) -> set[str]:
    """Go templates are not YAML until rendered: never parse them as manifests."""
    chart_set = set(charts)
    found = set()
    for repo_file in files:
        parts = repo_file.path.split("/")
        # Below "<chart>/templates/" at any depth: look at each "templates" level's parent.
        if any(
            part == "templates" and "/".join(parts[:index]) in chart_set
            for index, part in enumerate(parts[:-1])
        ):
            found.add(repo_file.path)
    return found


def chart_own_files(files: Iterable[RepoFile], charts: Sequence[str]) -> set[str]:
    """Chart.yaml and values files configure the chart; they are not objects."""
    chart_set = set(charts)
    return {
        f.path
        for f in files
        if f.folder in chart_set and (f.name in _CHART_OWN_FILES or f.name.startswith("values"))
    }
