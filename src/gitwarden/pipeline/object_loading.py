"""The object stage: every render unit rendered (or its refusal reported) and every other
manifest loaded as it is, each file parsed once, each object attributed to its source file.

A rendered unit becomes records (`rendered_records`) before it becomes objects; the render
cache keeps the records, so an unchanged unit is neither rendered nor parsed again.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import chain
from pathlib import Path
from typing import Any

from gitwarden.findings import Finding, Location
from gitwarden.input_rules import (
    DOCUMENT_TOO_LARGE,
    PARSE_ERROR,
    RENDER_CACHE_REJECTED,
    RENDER_FAILED,
    YAML_LIMIT,
)
from gitwarden.manifests.objects import K8sObject
from gitwarden.manifests.rendered import (
    helm_records,
    kustomize_records,
    kustomize_records_by_identity,
)
from gitwarden.manifests.rendered_records import RenderedSources, objects_of
from gitwarden.pipeline.manifest_files import ManifestFiles
from gitwarden.pipeline.ordered_parallel import map_in_order
from gitwarden.pipeline.parsed_file_cache import ParsedFileCache
from gitwarden.pipeline.render_cache import RenderCache, cache_key
from gitwarden.pipeline.render_cache_entries import RenderedUnit, unit_from_json, unit_to_json
from gitwarden.pipeline.render_inputs import InputDigests
from gitwarden.pipeline.render_keys import RenderKeys
from gitwarden.pipeline.render_units import ChartUnit, OverlayUnit
from gitwarden.pipeline.render_workers import RenderHint, RenderWorkers
from gitwarden.pipeline.scan_sources import ScanSources
from gitwarden.pipeline.unchecked_inputs import (
    TOOL_CONFIG,
    ServedKinds,
    is_tool_config,
    language_files,
)
from gitwarden.progress import SILENT, Progress, advancing
from gitwarden.sources import helm, kustomize
from gitwarden.sources.helm import RELEASE_NAMESPACE, HelmOutput, helm_renderer_name, render_chart
from gitwarden.sources.kustomize import KustomizeOutput, KustomizeRenderer, render_overlay
from gitwarden.sources.offline import network_isolation
from gitwarden.sources.worker_process import WorkerPool

# See `_json_bound`.
_JSON_INPUT_SHARE = 64
# Renders taken ahead of the one the stage waits for, per job: within them the largest
# start first (see `map_in_order`); their outputs are held until their turn.
_RENDERS_AHEAD_PER_JOB = 8
# Overlay input bytes per kustomize child beyond the first. A child takes about 60 ms of
# CPU to start (Python and kustomize's Go library); the issue-19 tree's 0.4 MB of overlay
# inputs build in about 150 ms, faster in one child than in two (docs/benchmarks.md).
_OVERLAY_BYTES_PER_CHILD = 1 << 20

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
    # Files recognised but not checked (Jsonnet, CUE, tool configs), by kind: reported once
    # per kind by `unchecked_inputs.not_checked_findings`, after a change narrows them.
    unchecked_files: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # The overlays and charts the plan had to render (from the cache or not).
    planned: RenderHint = field(default_factory=RenderHint)


@dataclass(frozen=True)
class RenderSettings:
    """How the units are rendered: how many at once, through which cache (None: off; it
    keeps the parsed plain files too) and in which children (None: the stage's own)."""

    jobs: int = 1
    cache: RenderCache | None = None
    progress: Progress = SILENT
    workers: RenderWorkers | None = None
    # Work the later stages start with and the process keeps (schemas, the secret engine):
    # done while renders are awaited, once the plain files are parsed.
    preparations: tuple[Callable[[], object], ...] = ()
    # Every overlay rendered with kustomize's origin annotations, none attributed by kind
    # and name (`OverlayUnit.sources`): slower, the same objects.
    kustomize_origins: bool = False


@dataclass(frozen=True)
class _Task:
    """One render: an overlay, or a chart with one values variant (None: its defaults)."""

    overlay: OverlayUnit | None = None
    chart: ChartUnit | None = None
    values_file: Path | None = None


@dataclass(frozen=True)
class _Output:
    """A task's unit read from the cache, or its renderer output (to be kept under ``key``),
    and the cache's complaint."""

    cached: RenderedUnit | None = None
    kustomize: KustomizeOutput | None = None
    helm: HelmOutput | None = None
    key: str | None = None
    cache_finding: Finding | None = None


def load_objects(
    sources: ScanSources,
    limits: ObjectLimits,
    work_dir: Path,
    settings: RenderSettings | None = None,
) -> ScanObjects:
    """Render the plan of ``sources`` under ``work_dir`` and load the remaining manifests.

    Renders run on up to ``settings.jobs`` threads; their outputs are parsed here, one
    after another in plan order, so objects and findings are those of a serial run.
    """
    settings = settings or RenderSettings()
    parsed_cache = None if settings.cache is None else ParsedFileCache(settings.cache, sources.root)
    files = ManifestFiles(
        sources.root, limits.max_file_bytes, limits.max_document_bytes, parsed_cache=parsed_cache
    )
    objects: list[K8sObject] = []
    findings: list[Finding] = []
    covered: set[str] = set()
    plan = sources.plan
    renderer = _Renderer(sources.root, plan.kustomize, limits, work_dir, settings)
    # Rendered objects read their positions from the source files when a finding needs them.
    rendered_sources = RenderedSources(sources.root, files.look_up)
    # Refusals keep their place among the renders: the order of a serial run, unit by unit.
    overlay_items: list[_Task | Finding] = []
    for overlay in plan.overlays:
        if overlay.refusal is not None:
            overlay_items.append(overlay.refusal)
        elif plan.kustomize is not None:  # the plan refuses every overlay when it has none
            overlay_items.append(_Task(overlay=overlay))
    chart_items: list[_Task | Finding] = []
    for chart in plan.charts:
        if chart.refusal is not None:
            chart_items.append(chart.refusal)
        else:
            chart_items.extend(
                _Task(chart=chart, values_file=v) for v in (None, *chart.values_variants)
            )
    tasks = [item for item in (*overlay_items, *chart_items) if isinstance(item, _Task)]
    # Cache lookups are quick: here, in order; only the misses go to the render threads.
    found = [renderer.from_cache(task) for task in tasks]
    misses = [(task, out) for task, out in zip(tasks, found, strict=True) if out.cached is None]
    renderer.prestart([task for task, _ in misses])
    progress = settings.progress if misses else SILENT  # nothing to render: no bar at all
    step = progress.start(f"rendering {len(misses)} overlays and charts", len(misses))
    # While a render is awaited, this thread parses the plain files: their checks and the
    # rendered objects' look-ups need them later anyway.
    ahead = chain(
        files.prefetch(f for f in sources.manifest_files if f.path not in plan.not_plain),
        _prepared(settings.preparations),
    )
    renders = advancing(
        map_in_order(
            renderer.render,
            misses,
            settings.jobs,
            ahead,
            cost=lambda pending: renderer.cost(pending[0]),
            ahead=_RENDERS_AHEAD_PER_JOB * settings.jobs,
        ),
        step,
    )
    outputs = (output if output.cached is not None else next(renders) for output in found)
    for item in overlay_items:
        if isinstance(item, Finding):
            findings.append(item)
            continue
        unit = _overlay_unit(item, next(outputs), renderer, files, limits)
        rendered = objects_of(list(unit.records), rendered_sources)
        objects.extend(rendered)
        findings.extend(unit.findings)
        covered.update(obj.file for obj in rendered)
    for item in chart_items:
        if isinstance(item, Finding):
            findings.append(item)
            continue
        unit = _chart_unit(sources.root, item, next(outputs), limits, settings.cache)
        objects.extend(objects_of(list(unit.records), rendered_sources))
        findings.extend(unit.findings)
    step.finish()
    renderer.close()
    skip = plan.not_plain | covered
    plain: list[K8sObject] = []
    for repo_file in sources.manifest_files:
        if repo_file.path not in skip:
            plain.extend(files.check(repo_file))
    unchecked = language_files(sources.files)
    tool_configs = _tool_configs([*objects, *plain])
    if tool_configs:
        unchecked[TOOL_CONFIG] = [obj.file for obj in tool_configs]
    objects.extend(obj for obj in plain if obj not in tool_configs)
    findings.extend(files.findings)
    through_renderer = {obj.file for obj in objects if obj.origin} - set(files.checked)
    if settings.cache is not None:
        settings.cache.evict()
    return ScanObjects(
        objects=tuple(objects),
        findings=tuple(findings),
        files_scanned=len(files.checked) + len(through_renderer),
        unparsed_files=frozenset(
            f.location.file for f in files.findings if f.rule_id in _UNPARSED_RULES
        ),
        unchecked_files={kind: tuple(paths) for kind, paths in unchecked.items()},
        planned=RenderHint(
            overlays=sum(task.overlay is not None for task in tasks),
            charts=sum(task.chart is not None for task in tasks),
        ),
    )


def _prepared(preparations: Sequence[Callable[[], object]]) -> Iterator[None]:
    """One step per preparation. A failure is left for the stage that needs the result,
    which meets it again in its own place."""
    for prepare in preparations:
        with contextlib.suppress(Exception):
            prepare()
        yield None


def _tool_configs(objects: list[K8sObject]) -> set[K8sObject]:
    """The plain documents that are a tool's configuration, not Kubernetes objects."""
    candidates = [obj for obj in objects if obj.origin is None and "metadata" not in obj.head]
    if not candidates:
        return set()  # the usual case: the release's schemas need not be read for this
    # The api-schema family (and jsonschema_rs: 20 ms of imports) is not needed to plan
    # and start the renders: a scan loads it while they run (`scan_pipeline.preparations`).
    from gitwarden.checks.api_schema.crd_schemas import CustomResourceDefinitions
    from gitwarden.checks.api_schema.kubernetes_schemas import load_schemas, newest_version

    served = ServedKinds(
        builtin_groups=load_schemas(newest_version()).groups,
        custom_kinds=frozenset(CustomResourceDefinitions.of(objects).by_group_kind),
    )
    return {obj for obj in candidates if is_tool_config(obj, served)}


class _Renderer:
    """Renders one task on a worker thread: from the cache when an entry verifies, else by
    the renderer (an opaque call); the object stage parses the output and keeps it.
    Renderer children live in ``workers`` (one per job): the settings' (their owner ends
    them), or the renderer's own, ended by `close`."""

    def __init__(
        self,
        root: Path,
        kustomize: KustomizeRenderer | None,
        limits: ObjectLimits,
        work_dir: Path,
        settings: RenderSettings,
    ) -> None:
        self.root = root
        self.kustomize = kustomize
        self.limits = limits
        self.work_dir = work_dir
        self.cache = settings.cache
        self.kustomize_origins = settings.kustomize_origins
        self.keys = RenderKeys(
            root,
            allow_network=limits.allow_network,
            max_document_bytes=limits.max_document_bytes,
        )
        self.digests = InputDigests(root)
        # Units' input bytes by kind and folder (`input_bytes`); threads that count one
        # unit at once both store the same sum.
        self._input_sizes: dict[tuple[str, str], int] = {}
        given = settings.workers
        self._isolation: tuple[str, ...] | None = given.isolation if given else None
        self._probe_lock = threading.Lock()
        self.workers = given.pool if given else WorkerPool(settings.jobs)
        # Should the stage end by an exception, its own children still end with it.
        self.close = weakref.finalize(self, (lambda: None) if given else self.workers.close)

    @cached_property
    def helm_name(self) -> str:
        return helm_renderer_name() or "none"

    def isolation(self) -> tuple[str, ...]:
        """The network isolation prefix, probed once per scan (a process each time)."""
        with self._probe_lock:
            if self._isolation is None:
                self._isolation = network_isolation()
            return self._isolation

    def prestart(self, pending: Sequence[_Task]) -> None:
        """Start the children the renders of ``pending`` need (kustomize children, as overlays
        render first: one per job for much work, else fewer; and a Helm one) so that the
        libraries load while this process goes on."""
        overlays = [task for task in pending if task.overlay is not None]
        if self.kustomize is not None and self.kustomize.worker and overlays:
            command = kustomize.worker_command(
                self.kustomize,
                self.work_dir,
                allow_network=self.limits.allow_network,
                isolation=self.isolation(),
            )
            work = sum(map(self.cost, overlays))
            children = min(len(overlays), self.workers.size, 1 + work // _OVERLAY_BYTES_PER_CHILD)
            self.workers.limit(command, children)
            self.workers.prestart(command, children)
        if any(task.chart is not None for task in pending):
            chart_command = helm.worker_command(self.work_dir, isolation=self.isolation())
            if chart_command is not None:
                # One more than the jobs: it loads the SDK while the overlays render, then
                # renders the charts as the kustomize children finish.
                self.workers.prestart(chart_command, spare=True)

    def cost(self, task: _Task) -> int:
        """What a render is guessed to cost: the bytes of its inputs (0 when unknown)."""
        unit = task.overlay or task.chart
        assert unit is not None
        return self.input_bytes(unit) or 0

    def input_bytes(self, unit: OverlayUnit | ChartUnit) -> int | None:
        """The bytes of ``unit``'s inputs (None when unknown), counted once per unit: its
        cost ranks it (twice for an overlay: its workers, its place) and sizes its JSON."""
        if unit.inputs is None:
            return None
        key = (type(unit).__name__, unit.folder)
        if key not in self._input_sizes:
            self._input_sizes[key] = _input_bytes(self.root, unit.inputs)
        return self._input_sizes[key]

    def from_cache(self, task: _Task) -> _Output:
        """The task's unit from a verified entry, or its key and the cache's complaint."""
        if task.overlay is not None:
            kustomize = self.kustomize
            assert kustomize is not None
            overlay = task.overlay
            key = self._key(
                overlay.inputs, lambda d: self.keys.overlay(kustomize, overlay.folder, d)
            )
            location = _overlay_location(overlay)
        else:
            chart, renderer = task.chart, self.helm_name
            assert chart is not None
            root, values_file = self.root, task.values_file
            values = values_file.relative_to(root).as_posix() if values_file else None
            key = self._key(
                chart.inputs, lambda d: self.keys.chart(renderer, chart.folder, values, d)
            )
            location = chart.location
        cached, finding = self._lookup(key, location)
        return _Output(cached=cached, key=key, cache_finding=finding)

    def render(self, pending: tuple[_Task, _Output]) -> _Output:
        """Run the renderer for a task the cache did not answer (on a worker thread)."""
        task, looked_up = pending
        if task.overlay is not None:
            output = self.render_overlay(task.overlay, origins=not self.by_identity(task.overlay))
            return replace(looked_up, kustomize=output)
        assert task.chart is not None
        helm_output = render_chart(
            self.root / task.chart.folder,
            task.values_file,
            RELEASE_NAMESPACE,
            self.work_dir,
            isolation=self.isolation(),
            workers=self.workers,
        )
        return replace(looked_up, helm=helm_output)

    def by_identity(self, overlay: OverlayUnit) -> bool:
        """Whether ``overlay`` renders without origins, its objects found by kind and name."""
        return overlay.sources is not None and not self.kustomize_origins

    def render_overlay(self, overlay: OverlayUnit, *, origins: bool) -> KustomizeOutput:
        kustomize = self.kustomize
        assert kustomize is not None
        return render_overlay(
            kustomize,
            self.root / overlay.folder,
            self.work_dir,
            allow_network=self.limits.allow_network,
            isolation=self.isolation(),
            workers=self.workers,
            json_within=_json_bound(self.input_bytes(overlay), self.limits.max_document_bytes),
            origins=origins,
        )

    def _key(
        self,
        inputs: tuple[str, ...] | None,
        parts: Callable[[dict[str, str]], dict[str, Any]],
    ) -> str | None:
        """The unit's cache key; None (not cached) when its inputs are unknown or unreadable."""
        if self.cache is None or inputs is None:
            return None
        digests = self.digests.of(inputs)
        return cache_key(parts(digests)) if digests is not None else None

    def _lookup(
        self, key: str | None, location: Location
    ) -> tuple[RenderedUnit | None, Finding | None]:
        if key is None or self.cache is None:
            return None, None
        found = self.cache.lookup(key)
        if found.payload is not None:
            try:
                return unit_from_json(found.payload), None
            except ValueError:
                pass  # sealed by us but not an entry we can read: rendered again, and said
        elif not found.rejected:
            return None, None
        return None, RENDER_CACHE_REJECTED.finding(
            f"The render cache entry for this unit failed its integrity check "
            f"({self.cache.directory}); it was ignored and the unit rendered again.",
            location,
        )


def _kept(unit: RenderedUnit, key: str | None, cache: RenderCache | None) -> RenderedUnit:
    """``unit``, stored under ``key`` first (a render, or a failure the same inputs repeat:
    it stays a finding, so what was not checked is never served as clean)."""
    if key is not None and cache is not None:
        cache.store(key, unit_to_json(unit))
    return unit


def _overlay_unit(
    task: _Task,
    rendered: _Output,
    renderer: _Renderer,
    files: ManifestFiles,
    limits: ObjectLimits,
) -> RenderedUnit:
    if rendered.cached is not None:
        return rendered.cached
    overlay, output, kustomize = task.overlay, rendered.kustomize, renderer.kustomize
    assert overlay is not None and output is not None and kustomize is not None
    cache = renderer.cache
    cache_findings = (rendered.cache_finding,) if rendered.cache_finding else ()
    folder = overlay.folder
    origin = f"kustomize {folder or '.'}"
    attributed = None
    if output.rendered and renderer.by_identity(overlay):
        assert overlay.sources is not None
        attributed = kustomize_records_by_identity(
            _rendered(output),
            overlay_file=overlay.kustomization_file,
            origin=origin,
            sources=overlay.sources.files,
            source_objects=files.look_up,
            max_document_bytes=limits.max_document_bytes,
            renamed_kinds=overlay.sources.renamed_kinds,
        )
        if attributed is None:
            # An object of no unique kind and name among the sources: only kustomize's
            # origins say where it comes from (rare: rendered again, here, with them).
            output = renderer.render_overlay(overlay, origins=True)
    if not output.rendered:
        # Paths elsewhere in the repository read best relative to its root.
        error = (output.error or "").replace(f"{files.root}/", "")
        failed = RENDER_FAILED.finding(
            f"`{kustomize.name}` failed on '{folder or '.'}': {error}. Its "
            "files were checked as they are; fix the overlay so that it builds.",
            _overlay_location(overlay),
        )
        failure = RenderedUnit((), (failed,))
        if output.reproducible:
            failure = _kept(failure, rendered.key, cache)
        return RenderedUnit((), (*cache_findings, *failure.findings))
    if attributed is None:
        attributed = kustomize_records(
            _rendered(output),
            overlay_file=overlay.kustomization_file,
            origin=origin,
            wrapper_dir=output.wrapper_dir,
            root=files.root,
            source_objects=files.look_up,
            max_document_bytes=limits.max_document_bytes,
        )
    records, problems = attributed
    unit = _kept(RenderedUnit(tuple(records), tuple(problems)), rendered.key, cache)
    return RenderedUnit(unit.records, (*cache_findings, *unit.findings))


def _rendered(output: KustomizeOutput) -> str | tuple[Any, ...]:
    """The YAML stream or the JSON values of a render that succeeded."""
    rendered = output.text if output.resources is None else output.resources
    assert rendered is not None
    return rendered


def _json_bound(input_bytes: int | None, max_document_bytes: int) -> int | None:
    """The bound to ask the worker for JSON with, or None to ask for YAML at once, for an
    overlay of ``input_bytes`` (None: unknown).

    The worker answers in JSON only when it can prove no document passes the bound, which
    its proof cannot do for a large output (Argo CD's install, 0.7 MB of JSON): asking for
    JSON there would build the overlay twice. Large inputs make large outputs, so an
    overlay whose inputs pass a 64th of the bound is asked for YAML. Speed only: exactness
    rests on the worker's proof.
    """
    if input_bytes is None:
        return max_document_bytes
    limit = max_document_bytes // _JSON_INPUT_SHARE
    return None if input_bytes > limit else max_document_bytes


def _input_bytes(root: Path, inputs: Sequence[str]) -> int:
    """The bytes of the readable ``inputs``."""
    total = 0
    for name in inputs:
        try:
            total += (root / name).stat().st_size
        except OSError:
            continue
    return total


def _overlay_location(overlay: OverlayUnit) -> Location:
    return Location(file=overlay.kustomization_file, line=1)


def _chart_unit(
    root: Path, task: _Task, rendered: _Output, limits: ObjectLimits, cache: RenderCache | None
) -> RenderedUnit:
    if rendered.cached is not None:
        return rendered.cached
    chart, values_file, output = task.chart, task.values_file, rendered.helm
    assert chart is not None and output is not None
    cache_findings = (rendered.cache_finding,) if rendered.cache_finding else ()
    folder = chart.folder
    label = f"helm {folder or '.'}" + (f" ({values_file.name})" if values_file else "")
    if output.error is not None:
        failed = RENDER_FAILED.finding(
            f"Helm chart '{folder or '.'}' failed to render"
            + (f" with {values_file.name}" if values_file else "")
            + f": {output.error}. Fix the chart or vendor its dependencies.",
            chart.location,
        )
        failure = RenderedUnit((), (failed,))
        if output.reproducible:
            failure = _kept(failure, rendered.key, cache)
        return RenderedUnit((), (*cache_findings, *failure.findings))
    records, problems = helm_records(
        output.manifests,
        chart_folder=folder,
        chart_dir=root / folder,
        origin=label,
        max_document_bytes=limits.max_document_bytes,
    )
    unit = _kept(RenderedUnit(tuple(records), tuple(problems)), rendered.key, cache)
    return RenderedUnit(unit.records, (*cache_findings, *unit.findings))
