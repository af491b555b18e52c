"""The render-refusal policy: which overlays and charts never reach a renderer, and why."""

from __future__ import annotations

import pytest

from gitwarden.findings import Finding, Location
from gitwarden.manifests.kustomizations import Kustomization, read_kustomization
from gitwarden.pipeline.render_refusal import (
    chart_not_rendered,
    chart_refusal,
    helm_missing,
    is_within,
    kustomize_missing,
    overlay_refusal,
)

EXISTING = {"", "base", "base/kustomization.yaml", "overlay", "overlay/kustomization.yaml"}


def kustomizations(overlay_text: str) -> dict[str, Kustomization]:
    base = read_kustomization("base", "base/kustomization.yaml", "resources: []\n", EXISTING)
    overlay = read_kustomization("overlay", "overlay/kustomization.yaml", overlay_text, EXISTING)
    return {"base": base, "overlay": overlay}


@pytest.mark.parametrize(
    ("overlay_text", "rule_id", "says"),
    [
        ("resources:\n- github.com/org/repo//app?ref=v1\n", "remote-source-refused", "remote"),
        ("helmCharts:\n- name: app\n  repo: https://charts.example.com\n", "render-failed", "helm"),
        ("resources:\n- ../../elsewhere\n", "render-failed", "outside the scanned folder"),
    ],
    ids=["remote-base", "helm-charts", "outside-reference"],
)
def test_overlay_is_refused_with_a_reason(overlay_text: str, rule_id: str, says: str) -> None:
    refusal = overlay_refusal(
        "overlay", kustomizations(overlay_text), allow_network=False, tainted_folders=()
    )
    assert refusal is not None
    assert (refusal.rule_id, refusal.location.file) == (rule_id, "overlay/kustomization.yaml")
    assert says in refusal.message


def test_local_overlay_is_not_refused() -> None:
    found = kustomizations("resources:\n- ../base\n")
    assert overlay_refusal("overlay", found, allow_network=False, tainted_folders=()) is None


def test_remote_base_is_allowed_with_network_use() -> None:
    found = kustomizations("resources:\n- github.com/org/repo//app?ref=v1\n")
    assert overlay_refusal("overlay", found, allow_network=True, tainted_folders=()) is None


@pytest.mark.parametrize(
    ("tainted", "refused"),
    [({"base"}, True), ({"base/sub"}, True), ({"elsewhere"}, False)],
    ids=["link-in-a-base", "link-below-a-base", "link-elsewhere"],
)
def test_overlay_built_on_a_folder_with_a_link_out_is_refused(
    tainted: set[str], refused: bool
) -> None:
    found = kustomizations("resources:\n- ../base\n")
    refusal = overlay_refusal("overlay", found, allow_network=False, tainted_folders=tainted)
    assert (refusal is not None) is refused


@pytest.mark.parametrize(
    ("tainted", "refused"),
    [({"charts/app/templates"}, True), ({"charts/other"}, False)],
    ids=["link-in-the-chart", "link-elsewhere"],
)
def test_chart_holding_a_link_out_is_refused(tainted: set[str], refused: bool) -> None:
    refusal = chart_refusal("charts/app", Location("charts/app/Chart.yaml"), tainted)
    assert (refusal is not None) is refused


@pytest.mark.parametrize(
    ("finding", "names"),
    [
        (kustomize_missing("", Location("kustomization.yaml")), "overlay '.'"),
        (helm_missing("charts/app", Location("charts/app/Chart.yaml")), "chart 'charts/app'"),
        (chart_not_rendered("charts/app", Location("charts/app/Chart.yaml")), "--no-render"),
    ],
    ids=["kustomize-missing", "helm-missing", "no-render"],
)
def test_units_not_rendered_are_renderer_missing_findings(finding: Finding, names: str) -> None:
    assert finding.rule_id == "renderer-missing"
    assert names in finding.message


@pytest.mark.parametrize(
    ("path", "folder", "inside"),
    [("a/b", "", True), ("a/b", "a", True), ("a", "a", True), ("ab/c", "a", False)],
)
def test_is_within_compares_whole_path_segments(path: str, folder: str, inside: bool) -> None:
    assert is_within(path, folder) is inside
