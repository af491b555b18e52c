"""The object stage: units rendered or their refusals reported, other manifests loaded once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pipeline_repos import make_repo

from gitwarden.config import Config
from gitwarden.pipeline import object_loading
from gitwarden.pipeline.object_loading import (
    ObjectLimits,
    RenderSettings,
    ScanObjects,
    load_objects,
)
from gitwarden.pipeline.render_units import OverlayUnit
from gitwarden.pipeline.scan_sources import collect_sources
from gitwarden.sources.helm import helm_renderer_name

needs_kustomize = pytest.mark.skipif(
    shutil.which("kubectl") is None and shutil.which("kustomize") is None,
    reason="needs kubectl or kustomize on PATH",
)
needs_helm = pytest.mark.skipif(helm_renderer_name() is None, reason="needs a Helm renderer")

POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec: {containers: []}\n"
DEPLOYMENT = (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
    "spec:\n  template:\n    spec:\n      containers: [{name: web, image: nginx}]\n"
)
OVERLAY_REPO = {
    "base/kustomization.yaml": "resources:\n- deployment.yaml\n",
    "base/deployment.yaml": DEPLOYMENT,
    "prod/kustomization.yaml": "namespace: prod\nresources:\n- ../base\n",
    "loose/pod.yaml": POD,
}
CHART_REPO = {
    "chart/Chart.yaml": "apiVersion: v2\nname: app\nversion: 1.0.0\n",
    "chart/values.yaml": "name: web\n",
    "chart/values-prod.yaml": "name: web-prod\n",
    "chart/templates/pod.yaml": (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: {{ .Values.name }}}\nspec: {containers: []}\n"
    ),
}
LIMITS = ObjectLimits(max_file_bytes=1 << 20, max_document_bytes=1 << 20)


def objects_of(root: Path, tmp_path: Path, *, render: bool = True) -> ScanObjects:
    sources = collect_sources(root, Config(), render=render, allow_network=False)
    work_dir = tmp_path / "work"
    work_dir.mkdir(exist_ok=True)
    return load_objects(sources, LIMITS, work_dir)


@needs_kustomize
def test_overlay_objects_are_rendered_and_attributed_to_their_base(tmp_path: Path) -> None:
    loaded = objects_of(make_repo(tmp_path / "repo", OVERLAY_REPO), tmp_path)
    by_resource = {obj.resource: (obj.file, obj.origin) for obj in loaded.objects}
    assert by_resource == {
        "Deployment/prod/web": ("base/deployment.yaml", "kustomize prod"),
        "Pod/web": ("loose/pod.yaml", None),
    }
    assert loaded.findings == ()


def test_without_rendering_every_manifest_is_loaded_as_it_is(tmp_path: Path) -> None:
    loaded = objects_of(make_repo(tmp_path / "repo", OVERLAY_REPO), tmp_path, render=False)
    assert sorted(obj.file for obj in loaded.objects) == ["base/deployment.yaml", "loose/pod.yaml"]
    assert loaded.files_scanned == 2


@needs_kustomize
def test_files_scanned_counts_plain_and_rendered_sources_once(tmp_path: Path) -> None:
    loaded = objects_of(make_repo(tmp_path / "repo", OVERLAY_REPO), tmp_path)
    assert loaded.files_scanned == 2  # loose/pod.yaml read, base/deployment.yaml rendered


@needs_helm
def test_chart_renders_once_per_values_variant(tmp_path: Path) -> None:
    loaded = objects_of(make_repo(tmp_path / "repo", CHART_REPO), tmp_path)
    assert sorted((obj.name, obj.origin) for obj in loaded.objects) == [
        ("web", "helm chart"),
        ("web-prod", "helm chart (values-prod.yaml)"),
    ]


def test_refused_units_become_findings_in_plan_order(tmp_path: Path) -> None:
    files = {**CHART_REPO, "other/Chart.yaml": "apiVersion: v2\nname: o\nversion: 1.0.0\n"}
    loaded = objects_of(make_repo(tmp_path / "repo", files), tmp_path, render=False)
    assert [f.location.file for f in loaded.findings] == ["chart/Chart.yaml", "other/Chart.yaml"]
    assert loaded.objects == ()


@needs_helm
def test_chart_that_fails_to_render_is_a_finding(tmp_path: Path) -> None:
    broken = {**CHART_REPO, "chart/templates/pod.yaml": "{{ .Values.name | nosuchfunction }}\n"}
    loaded = objects_of(make_repo(tmp_path / "repo", broken), tmp_path)
    assert {f.rule_id for f in loaded.findings} == {"render-failed"}
    assert "values-prod.yaml" in loaded.findings[-1].message


@pytest.mark.parametrize(
    ("text", "unparsed"),
    [("a: [\n", True), (POD, False), (POD + "---\nb: {\n", True)],
    ids=["broken", "clean", "one-broken-document"],
)
def test_plain_files_that_do_not_parse_are_named(tmp_path: Path, text: str, unparsed: bool) -> None:
    loaded = objects_of(make_repo(tmp_path / "repo", {"app.yaml": text}), tmp_path)
    assert loaded.unparsed_files == (frozenset({"app.yaml"}) if unparsed else frozenset())


@needs_kustomize
@needs_helm
def test_the_network_isolation_is_probed_once_per_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    probes: list[int] = []
    real = object_loading.network_isolation

    def counting() -> tuple[str, ...]:
        probes.append(1)
        return real()

    monkeypatch.setattr(object_loading, "network_isolation", counting)
    repo = make_repo(tmp_path / "repo", {**OVERLAY_REPO, **CHART_REPO})
    sources = collect_sources(repo, Config(), render=True, allow_network=False)
    (tmp_path / "work").mkdir()
    loaded = load_objects(sources, LIMITS, tmp_path / "work", RenderSettings(jobs=2))
    assert len([obj for obj in loaded.objects if obj.origin]) == 3  # overlay + 2 chart renders
    assert probes == [1]


@pytest.mark.parametrize(
    ("base_bytes", "asks_for_json"), [(1_000, True), (200_000, False)], ids=["small", "large"]
)
def test_an_overlay_with_large_inputs_is_asked_for_yaml_at_once(
    tmp_path: Path, base_bytes: int, asks_for_json: bool
) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app/kustomization.yaml").write_text("resources: [cm.yaml]\n", encoding="utf-8")
    (tmp_path / "app/cm.yaml").write_text("#" * base_bytes, encoding="utf-8")
    overlay = OverlayUnit(
        "app", "app/kustomization.yaml", inputs=("app/kustomization.yaml", "app/cm.yaml")
    )
    assert overlay.inputs is not None
    input_bytes = object_loading._input_bytes(tmp_path, overlay.inputs)
    bound = object_loading._json_bound(input_bytes, 5 << 20)
    assert (bound is not None) is asks_for_json


def test_an_overlay_with_unknown_inputs_is_asked_for_json() -> None:
    assert object_loading._json_bound(None, 5 << 20) == 5 << 20
