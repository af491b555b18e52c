"""`gitwarden scan`: what a repository will deploy, checked. Usable as `gitwarden.scan(...)`.

Flow: walk the tree -> find overlays and charts -> render them (safely) or load files as they
are -> run every check over all objects together -> apply config, suppressions -> Report.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from gitwarden.checks.check import CheckContext, run_checks
from gitwarden.checks.registry import all_checks, all_rules, rules_of_findings
from gitwarden.config import Config, find_config, load_config
from gitwarden.errors import UsageError
from gitwarden.findings import Finding, Location, Severity
from gitwarden.input_rules import (
    PARSE_ERROR,
    REMOTE_REFUSED,
    RENDER_FAILED,
    RENDERER_MISSING,
)
from gitwarden.manifests.kustomizations import (
    Kustomization,
    closure,
    is_kustomization_file,
    overlay_roots,
    read_kustomization,
)
from gitwarden.manifests.loader import load_manifest_text
from gitwarden.manifests.objects import K8sObject
from gitwarden.manifests.rendered import objects_from_helm, objects_from_kustomize
from gitwarden.path_patterns import PathFilter
from gitwarden.policy.evaluate import run_policies
from gitwarden.policy.sources import PolicySource
from gitwarden.report.model import Report
from gitwarden.secrets.tree_scan import scan_tree_secrets
from gitwarden.sources.helm import RELEASE_NAMESPACE, helm_renderer_name, render_chart
from gitwarden.sources.kustomize import find_kustomize, render_overlay
from gitwarden.sources.tree import RepoFile, TreeWalk, read_manifest_text, walk_repository
from gitwarden.suppressions import apply_config, read_annotation_suppressions
from gitwarden.version import __version__

_HELM_VALUES_VARIANTS = ("values-*.yaml", "values-*.yml", "values.*.yaml", "values.*.yml")


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


def scan(
    path: str | Path,
    config: Config | None = None,
    options: ScanOptions | None = None,
) -> Report:
    """Scan the repository at ``path``; the config defaults to its `.gitwarden.yaml`."""
    root = Path(path)
    if not root.exists():
        raise UsageError(f"{path}: no such file or folder")
    options = options or ScanOptions()
    if config is None:
        found = find_config(root) if root.is_dir() else None
        config = load_config(found, found.name) if found else Config()
    with tempfile.TemporaryDirectory(prefix="gitwarden-") as work_dir:
        state = _ScanState(root.resolve(), config, options, Path(work_dir))
        state.run()
    policy_results = run_policies(
        state.objects,
        command_line=options.policies,
        configured=config.policies,
        root=root.resolve() if root.is_dir() else root.resolve().parent,
    )
    state.findings.extend(policy_results.findings)
    rules = {rule.id: rule for rule in all_rules()} | policy_results.rules
    rules |= rules_of_findings(state.findings)
    findings = _finalise(state.findings, state.objects, config, options)
    return Report(
        command="scan",
        target=str(path),
        findings=tuple(findings),
        rules=rules,
        fail_on=options.fail_on or config.fail_on or Severity.HIGH,
        files_scanned=state.files_scanned + len(state.rendered_sources()),
        objects_scanned=len(state.objects),
        tool_version=__version__,
    )


@dataclass
class _ScanState:
    root: Path
    config: Config
    options: ScanOptions
    work_dir: Path
    objects: list[K8sObject] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    files_scanned: int = 0
    _file_cache: dict[str, list[K8sObject]] = field(default_factory=dict)
    _plain_files: list[str] = field(default_factory=list)
    _walk: TreeWalk | None = None

    def run(self) -> None:
        if self.root.is_file():
            self._load_single_file(self.root)
            return
        walk = walk_repository(self.root, PathFilter(self.config.include, self.config.exclude))
        self._walk = walk
        self.findings.extend(walk.findings)
        if self.options.secrets:
            self.findings.extend(
                scan_tree_secrets(
                    walk.all_files,
                    self.config.max_file_bytes,
                    show_secrets=self.options.show_secrets,
                )
            )
        existing = {f.path for f in walk.all_files} | _folders_of(walk.all_files)
        kustomizations = self._read_kustomizations(walk, existing)
        charts = sorted(f.folder for f in walk.all_files if f.name == "Chart.yaml")
        skip: set[str] = set()
        for kustomization in kustomizations.values():
            skip.add(kustomization.file)
            skip.update(kustomization.fragment_files)
        skip.update(_chart_template_files(walk.manifest_files, charts))
        skip.update(_chart_own_files(walk.manifest_files, charts))
        if self.options.render:
            skip.update(self._render_overlays(kustomizations))
            self._render_charts(charts)
        else:
            skip.update(self._charts_not_rendered(charts))
        for repo_file in walk.manifest_files:
            if repo_file.path not in skip:
                self.objects.extend(self._file_objects(repo_file))
        context = CheckContext(self.objects, self.config.checks, repository=walk)
        self.findings.extend(run_checks(all_checks(), context))

    def rendered_sources(self) -> set[str]:
        """Source files that reached the checks through a renderer, not read as they are."""
        return {obj.file for obj in self.objects if obj.origin} - set(self._plain_files)

    # -- plain files ------------------------------------------------------------------

    def _load_single_file(self, path: Path) -> None:
        self.root = path.parent
        repo_file = RepoFile(path.name, path)
        self.objects.extend(self._file_objects(repo_file))
        if self.options.secrets:
            self.findings.extend(
                scan_tree_secrets(
                    [repo_file], self.config.max_file_bytes, show_secrets=self.options.show_secrets
                )
            )
        self.findings.extend(
            run_checks(all_checks(), CheckContext(self.objects, self.config.checks))
        )

    def _file_objects(self, repo_file: RepoFile) -> list[K8sObject]:
        cached = self._file_cache.get(repo_file.path)
        if cached is not None:
            return cached
        self.files_scanned += 1
        self._plain_files.append(repo_file.path)
        text, problem = read_manifest_text(repo_file, self.config.max_file_bytes)
        if problem is not None:
            self.findings.append(problem)
            self._file_cache[repo_file.path] = []
            return []
        assert text is not None
        loaded = load_manifest_text(
            text, repo_file.path, max_document_bytes=self.config.max_document_bytes
        )
        self.findings.extend(loaded.findings)
        self._file_cache[repo_file.path] = loaded.objects
        return loaded.objects

    def _source_objects(self, path: str) -> list[K8sObject]:
        """Objects of a source file named by a kustomize origin (loaded once, unreported)."""
        absolute = self.root / path
        if not absolute.is_file():
            return []
        if path in self._file_cache:
            return self._file_cache[path]
        text, problem = read_manifest_text(RepoFile(path, absolute), self.config.max_file_bytes)
        if text is None or problem is not None:
            return []
        objects = load_manifest_text(text, path).objects
        self._file_cache[path] = objects
        return objects

    # -- kustomize ----------------------------------------------------------------------

    def _read_kustomizations(self, walk: TreeWalk, existing: set[str]) -> dict[str, Kustomization]:
        found: dict[str, Kustomization] = {}
        for repo_file in walk.all_files:
            if not is_kustomization_file(repo_file.name) or repo_file.folder in found:
                continue
            text, problem = read_manifest_text(repo_file, self.config.max_file_bytes)
            if text is None:
                if problem:
                    self.findings.append(problem)
                continue
            kustomization = read_kustomization(repo_file.folder, repo_file.path, text, existing)
            if kustomization.error:
                self.findings.append(
                    PARSE_ERROR.finding(
                        f"Invalid kustomization: {kustomization.error}. Fix the syntax; the "
                        "overlay could not be rendered.",
                        Location(file=repo_file.path, line=kustomization.error_line),
                    )
                )
            found[repo_file.folder] = kustomization
        return found

    def _render_overlays(self, kustomizations: dict[str, Kustomization]) -> set[str]:
        """Render every overlay root; returns the source files the renders covered."""
        covered: set[str] = set()
        if not kustomizations:
            return covered
        renderer = find_kustomize()
        for folder in overlay_roots(kustomizations):
            overlay = kustomizations[folder]
            if overlay.error:
                continue
            location = Location(file=overlay.file, line=1)
            if renderer is None:
                self.findings.append(
                    RENDERER_MISSING.finding(
                        f"Kustomize overlay '{folder or '.'}' was not rendered: neither "
                        "kustomize nor kubectl is installed. Its files were checked as they "
                        "are; install kubectl to check what it really deploys.",
                        location,
                    )
                )
                continue
            refusal = self._render_refusal(folder, kustomizations)
            if refusal is not None:
                self.findings.append(refusal)
                continue
            output = render_overlay(
                renderer,
                self.root / folder,
                self.work_dir,
                allow_network=self.options.allow_network,
            )
            if output.text is None:
                # Paths elsewhere in the repository read best relative to its root.
                error = (output.error or "").replace(f"{self.root}/", "")
                self.findings.append(
                    RENDER_FAILED.finding(
                        f"`{renderer.name}` failed on '{folder or '.'}': {error}. Its "
                        "files were checked as they are; fix the overlay so that it builds.",
                        location,
                    )
                )
                continue
            objects, problems = objects_from_kustomize(
                output.text,
                overlay_file=overlay.file,
                origin=f"kustomize {folder or '.'}",
                wrapper_dir=output.wrapper_dir,
                root=self.root,
                source_objects=self._source_objects,
                max_document_bytes=self.config.max_document_bytes,
            )
            self.objects.extend(objects)
            self.findings.extend(problems)
            covered.update(obj.file for obj in objects)
        return covered

    def _render_refusal(
        self, folder: str, kustomizations: dict[str, Kustomization]
    ) -> Finding | None:
        chain = closure(folder, kustomizations)
        location = Location(file=kustomizations[folder].file, line=1)
        remote = [ref for k in chain for ref in k.remote_refs]
        if remote and not self.options.allow_network:
            return REMOTE_REFUSED.finding(
                f"Overlay '{folder or '.'}' was not rendered: it pulls remote bases "
                f"({', '.join(remote[:3])}) and network use is off. Vendor or pin them, or "
                "run with --allow-network. Its local files were checked as they are.",
                location,
            )
        helm_users = [k.file for k in chain if k.uses_helm]
        if helm_users:
            # kustomize inflates helmCharts by running a helm binary: never on hostile input.
            return RENDER_FAILED.finding(
                f"Overlay '{folder or '.'}' was not rendered: {helm_users[0]} uses helmCharts, "
                "which makes kustomize run helm and fetch charts. Vendor the chart into the "
                "repository and render it as a Helm chart, or commit the rendered manifests. "
                "Its plain files were checked as they are.",
                location,
            )
        outside = [ref for k in chain for ref in k.outside_refs]
        if outside:
            return RENDER_FAILED.finding(
                f"Overlay '{folder or '.'}' was not rendered: it refers outside the scanned "
                f"folder ({', '.join(outside[:3])}). Scan the repository root instead.",
                location,
            )
        tainted = self._walk.tainted_folders if self._walk else set()
        folders = {k.folder for k in chain}
        if any(_is_within(t, f) for t in tainted for f in folders):
            return RENDER_FAILED.finding(
                f"Overlay '{folder or '.'}' was not rendered: it holds a symbolic link out of "
                "the repository, which a renderer could follow. Replace the link.",
                location,
            )
        return None

    # -- helm ---------------------------------------------------------------------------

    def _render_charts(self, charts: list[str]) -> None:
        if not charts:
            return
        renderer = helm_renderer_name()
        tainted = self._walk.tainted_folders if self._walk else set()
        for chart in charts:
            if _is_nested_chart(chart, charts):
                continue  # rendered as a dependency of its parent
            location = Location(file=f"{chart}/Chart.yaml" if chart else "Chart.yaml")
            if renderer is None:
                self.findings.append(
                    RENDERER_MISSING.finding(
                        f"Helm chart '{chart or '.'}' was not rendered: no Helm renderer is "
                        "installed (pip install 'gitwarden[helm]', or helm). Its templates "
                        "were not checked.",
                        location,
                    )
                )
                continue
            if any(_is_within(t, chart) for t in tainted):
                self.findings.append(
                    RENDER_FAILED.finding(
                        f"Helm chart '{chart or '.'}' was not rendered: it holds a symbolic "
                        "link out of the repository. Replace the link.",
                        location,
                    )
                )
                continue
            for values_file in [None, *self._values_variants(chart)]:
                self._render_chart(chart, values_file, location)

    def _values_variants(self, chart: str) -> list[Path]:
        chart_dir = self.root / chart
        variants = {p for pattern in _HELM_VALUES_VARIANTS for p in chart_dir.glob(pattern)}
        return sorted(p for p in variants if p.is_file() and not p.is_symlink())

    def _render_chart(self, chart: str, values_file: Path | None, location: Location) -> None:
        chart_dir = self.root / chart
        label = f"helm {chart or '.'}" + (f" ({values_file.name})" if values_file else "")
        output = render_chart(chart_dir, values_file, RELEASE_NAMESPACE, self.work_dir)
        if output.error is not None:
            self.findings.append(
                RENDER_FAILED.finding(
                    f"Helm chart '{chart or '.'}' failed to render"
                    + (f" with {values_file.name}" if values_file else "")
                    + f": {output.error}. Fix the chart or vendor its dependencies.",
                    location,
                )
            )
            return
        objects, problems = objects_from_helm(
            output.manifests,
            chart_folder=chart,
            chart_dir=chart_dir,
            origin=label,
            max_document_bytes=self.config.max_document_bytes,
        )
        self.objects.extend(objects)
        self.findings.extend(problems)

    def _charts_not_rendered(self, charts: list[str]) -> set[str]:
        for chart in charts:
            if not _is_nested_chart(chart, charts):
                self.findings.append(
                    RENDERER_MISSING.finding(
                        f"Helm chart '{chart or '.'}' was not rendered (--no-render): its "
                        "templates were not checked. Scan without --no-render to check them.",
                        Location(file=f"{chart}/Chart.yaml" if chart else "Chart.yaml"),
                    )
                )
        return set()


def _folders_of(files: Iterable[RepoFile]) -> set[str]:
    folders: set[str] = set()
    for repo_file in files:
        parts = repo_file.path.split("/")[:-1]
        for end in range(1, len(parts) + 1):
            folders.add("/".join(parts[:end]))
    folders.add("")
    return folders


def _is_within(path: str, folder: str) -> bool:
    return folder == "" or path == folder or path.startswith(folder + "/")


def _is_nested_chart(chart: str, charts: list[str]) -> bool:
    """A subchart under another chart's ``charts/`` folder (the parent may be the root)."""
    return any(
        other != chart
        and _is_within(chart, other)
        and "/charts/" in "/" + chart[len(other) :].lstrip("/") + "/"
        for other in charts
    )


def _chart_template_files(files: Iterable[RepoFile], charts: list[str]) -> set[str]:
    """Go templates are not YAML until rendered: never parse them as manifests."""
    return {
        f.path
        for f in files
        for chart in charts
        if f.path.startswith(f"{chart}/templates/" if chart else "templates/")
    }


def _chart_own_files(files: Iterable[RepoFile], charts: list[str]) -> set[str]:
    """Chart.yaml and values files configure the chart; they are not objects."""
    names = {"Chart.yaml", "Chart.lock", "values.yaml", "values.schema.json"}
    return {
        f.path
        for f in files
        for chart in charts
        if f.folder == chart and (f.name in names or f.name.startswith("values"))
    }


def _finalise(
    findings: list[Finding], objects: list[K8sObject], config: Config, options: ScanOptions
) -> list[Finding]:
    annotations, problems = read_annotation_suppressions(objects)
    return apply_config(
        _deduplicate(findings) + problems,
        config,
        annotations=annotations,
        today=options.today or date.today(),
    )


def _deduplicate(findings: list[Finding]) -> list[Finding]:
    """The same problem seen through several overlays or value files is reported once."""
    seen: set[tuple[str, ...]] = set()
    unique = []
    for finding in findings:
        loc = finding.location
        key = (
            finding.rule_id,
            loc.file,
            str(loc.line),
            loc.resource or "",
            loc.field_path or "",
            finding.message,
        )
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique
