from __future__ import annotations

from pathlib import Path

import pytest

from gitwarden.findings import Finding, Location, Severity
from gitwarden.pipeline.change_set import ChangeSet, touched_findings, touched_units
from gitwarden.pipeline.render_units import ChartUnit, OverlayUnit, RenderPlan


def finding(file: str, origin: str | None = None, rule: str = "r", line: int = 1) -> Finding:
    return Finding(
        rule_id=rule,
        severity=Severity.HIGH,
        title="t",
        message="m",
        location=Location(file=file, line=line, origin=origin),
    )


PLAN = RenderPlan(
    overlays=(
        OverlayUnit(
            "prod", "prod/kustomization.yaml", inputs=("base/d.yaml", "prod/kustomization.yaml")
        ),
        OverlayUnit("db", "db/kustomization.yaml", inputs=("db/kustomization.yaml",)),
        OverlayUnit("odd", "odd/kustomization.yaml", inputs=None),
    ),
    charts=(
        ChartUnit(
            "charts/api",
            (Path("/r/charts/api/values-prod.yaml"),),
            inputs=("charts/api/Chart.yaml",),
        ),
    ),
)


@pytest.mark.parametrize(
    ("path", "touched"),
    [
        ("a.yaml", True),
        ("apps/x.yaml", True),
        ("apps", True),
        ("b.yaml", False),
        ("appsx/y", False),
    ],
)
def test_a_change_touches_its_files_and_what_its_folders_hold(path: str, touched: bool) -> None:
    change = ChangeSet(frozenset({"a.yaml"}), folders=("apps",))
    assert change.touches(path) is touched


def test_a_unit_is_touched_when_one_of_its_inputs_changed() -> None:
    units = touched_units(PLAN, ChangeSet(frozenset({"base/d.yaml"})))
    assert "kustomize prod" in units.origins
    assert "kustomize db" not in units.origins


def test_a_unit_with_unknown_inputs_is_always_touched() -> None:
    assert "kustomize odd" in touched_units(PLAN, ChangeSet(frozenset({"x.yaml"}))).origins


def test_a_file_deleted_from_a_unit_folder_touches_the_unit() -> None:
    assert "kustomize db" in touched_units(PLAN, ChangeSet(frozenset({"db/gone.yaml"}))).origins


def test_a_touched_chart_covers_every_values_variant() -> None:
    units = touched_units(PLAN, ChangeSet(frozenset({"charts/api/Chart.yaml"})))
    assert units.origins >= {"helm charts/api", "helm charts/api (values-prod.yaml)"}


def test_findings_of_untouched_files_and_units_are_left_out() -> None:
    change = ChangeSet(frozenset({"base/d.yaml"}))
    kept = finding("base/d.yaml", "kustomize prod")
    other = finding("db/pod.yaml", "kustomize db")
    plain = finding("plain.yaml")
    assert touched_findings([kept, other, plain], change, touched_units(PLAN, change)) == [kept]


def test_a_render_failure_of_a_touched_unit_is_kept() -> None:
    change = ChangeSet(frozenset({"base/d.yaml"}))
    failed = finding("prod/kustomization.yaml", rule="render-failed")
    assert touched_findings([failed], change, touched_units(PLAN, change)) == [failed]


def test_a_problem_seen_first_through_an_untouched_unit_keeps_its_first_sighting() -> None:
    # The full scan reports the first sighting; the narrowed scan must report the same one.
    change = ChangeSet(frozenset({"prod/kustomization.yaml"}))
    first = finding("base/d.yaml", "kustomize stage")
    later = finding("base/d.yaml", "kustomize prod")
    assert touched_findings([first, later], change, touched_units(PLAN, change)) == [first]
