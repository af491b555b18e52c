"""The render plan: which overlays and charts a repository holds and how each is rendered."""

from __future__ import annotations

from pathlib import Path

import pytest
from pipeline_repos import make_repo, walk

from gitwarden.pipeline import render_units
from gitwarden.pipeline.render_units import RenderPlan, is_nested_chart, plan_renders
from gitwarden.sources.kustomize import KustomizeRenderer
from gitwarden.sources.tree import RepoFile

OVERLAY_REPO = {
    "base/kustomization.yaml": "resources:\n- deployment.yaml\n",
    "base/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n",
    "prod/kustomization.yaml": "resources:\n- ../base\npatches:\n- path: patch.yaml\n",
    "prod/patch.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n",
}
CHART_REPO = {
    "chart/Chart.yaml": "apiVersion: v2\nname: app\nversion: 1.0.0\n",
    "chart/values.yaml": "replicas: 1\n",
    "chart/values-prod.yaml": "replicas: 3\n",
    "chart/values.staging.yml": "replicas: 2\n",
    "chart/templates/deployment.yaml": "kind: Deployment\nmetadata: {name: {{ .Release.Name }}}\n",
    "chart/charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 1.0.0\n",
}
FAKE_KUSTOMIZE = KustomizeRenderer(("/nonexistent/kustomize", "build"))


def plan(root: Path, *, render: bool = True, allow_network: bool = False) -> RenderPlan:
    return plan_renders(
        walk(root), max_file_bytes=1 << 20, render=render, allow_network=allow_network
    )


@pytest.fixture
def kustomize_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render_units, "find_kustomize", lambda: FAKE_KUSTOMIZE)


@pytest.mark.usefixtures("kustomize_found")
def test_only_overlay_roots_are_planned(tmp_path: Path) -> None:
    planned = plan(make_repo(tmp_path, OVERLAY_REPO))
    assert [(o.folder, o.kustomization_file, o.refusal) for o in planned.overlays] == [
        ("prod", "prod/kustomization.yaml", None)
    ]
    assert planned.kustomize == FAKE_KUSTOMIZE


@pytest.mark.usefixtures("kustomize_found")
def test_kustomization_files_and_patches_are_not_plain_manifests(tmp_path: Path) -> None:
    planned = plan(make_repo(tmp_path, OVERLAY_REPO))
    assert {"base/kustomization.yaml", "prod/kustomization.yaml", "prod/patch.yaml"} <= (
        planned.not_plain
    )
    assert "base/deployment.yaml" not in planned.not_plain


def test_overlay_without_a_renderer_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render_units, "find_kustomize", lambda: None)
    [overlay] = plan(make_repo(tmp_path, OVERLAY_REPO)).overlays
    assert overlay.refusal is not None and overlay.refusal.rule_id == "renderer-missing"


@pytest.mark.usefixtures("kustomize_found")
def test_no_render_plans_no_overlay(tmp_path: Path) -> None:
    assert plan(make_repo(tmp_path, OVERLAY_REPO), render=False).overlays == ()


@pytest.mark.usefixtures("kustomize_found")
@pytest.mark.parametrize(
    ("text", "reported"),
    [("resources: [\n", True), ("resources: []\n", False)],
    ids=["invalid", "valid"],
)
def test_invalid_kustomization_is_a_parse_error_and_not_planned(
    tmp_path: Path, text: str, reported: bool
) -> None:
    planned = plan(make_repo(tmp_path, {"kustomization.yaml": text}))
    assert [f.rule_id for f in planned.findings] == (["parse-error"] if reported else [])
    assert len(planned.overlays) == (0 if reported else 1)


@pytest.fixture
def helm_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render_units, "helm_renderer_name", lambda: "helm")


@pytest.mark.usefixtures("helm_found")
def test_chart_is_planned_with_its_values_variants(tmp_path: Path) -> None:
    [chart] = plan(make_repo(tmp_path, CHART_REPO)).charts
    assert (chart.folder, chart.refusal) == ("chart", None)
    assert [p.name for p in chart.values_variants] == ["values-prod.yaml", "values.staging.yml"]


def test_chart_without_a_renderer_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render_units, "helm_renderer_name", lambda: None)
    [chart] = plan(make_repo(tmp_path, CHART_REPO)).charts
    assert chart.refusal is not None and chart.refusal.rule_id == "renderer-missing"
    assert chart.refusal.location.file == "chart/Chart.yaml"


def test_subchart_is_not_planned_on_its_own(tmp_path: Path) -> None:
    assert [c.folder for c in plan(make_repo(tmp_path, CHART_REPO)).charts] == ["chart"]


def test_no_render_refuses_every_chart(tmp_path: Path) -> None:
    [chart] = plan(make_repo(tmp_path, CHART_REPO), render=False).charts
    assert chart.refusal is not None and "--no-render" in chart.refusal.message
    assert chart.values_variants == ()


def test_chart_templates_and_values_are_not_plain_manifests(tmp_path: Path) -> None:
    planned = plan(make_repo(tmp_path, CHART_REPO))
    assert {
        "chart/Chart.yaml",
        "chart/values.yaml",
        "chart/values-prod.yaml",
        "chart/templates/deployment.yaml",
    } <= planned.not_plain


@pytest.mark.parametrize(
    ("chart", "charts", "nested"),
    [
        ("app/charts/sub", ["app", "app/charts/sub"], True),
        ("charts/sub", ["", "charts/sub"], True),
        ("apps/web", ["apps", "apps/web"], False),
    ],
    ids=["subchart", "subchart-of-root-chart", "sibling-folder"],
)
def test_nested_charts_are_those_under_a_charts_folder(
    chart: str, charts: list[str], nested: bool
) -> None:
    assert is_nested_chart(chart, charts) is nested


@pytest.mark.parametrize(
    ("path", "template"),
    [
        ("chart/templates/deployment.yaml", True),
        ("chart/templates/sub/service.yaml", True),
        ("templates/root.yaml", True),
        ("chart/charts/sub/templates/deployment.yaml", True),
        ("chart/other/templates/deployment.yaml", False),
        ("chart/templates", False),
        ("elsewhere/templates/deployment.yaml", False),
    ],
)
def test_chart_template_files_are_those_below_a_charts_templates_folder(
    path: str, template: bool
) -> None:
    charts = (
        ["", "chart", "chart/charts/sub"]
        if path.startswith("templates/")
        else [
            "chart",
            "chart/charts/sub",
        ]
    )
    files = [RepoFile(path, Path("/repo") / path)]
    assert (path in render_units.chart_template_files(files, charts)) is template
