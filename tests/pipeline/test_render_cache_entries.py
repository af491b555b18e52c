"""Render cache entries: a unit's records and findings, and nothing of another shape."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gitwarden.findings import Location
from gitwarden.input_rules import INVALID_VALUE, RENDER_FAILED
from gitwarden.manifests.rendered_records import PositionsFrom, RenderedRecord
from gitwarden.pipeline.render_cache_entries import RenderedUnit, unit_from_json, unit_to_json

RECORD = RenderedRecord(
    api_version="v1",
    kind="ConfigMap",
    name="settings",
    namespace=None,
    file="app/config.yaml",
    line=3,
    origin="kustomize app",
    rendered_from="app/",
    body={"data": {"mode": "debug"}},
    positions=PositionsFrom.SOURCE,
)
UNIT = RenderedUnit(
    (RECORD,),
    (
        INVALID_VALUE.finding(
            "`!!int` value 'x' is not valid",
            Location(file="app/kustomization.yaml", line=7, column=9, origin="kustomize app"),
        ),
        RENDER_FAILED.finding("it failed", Location(file="b/kustomization.yaml")),
    ),
)


def test_a_unit_survives_json() -> None:
    assert unit_from_json(json.loads(json.dumps(unit_to_json(UNIT)))) == UNIT


@pytest.mark.parametrize(
    ("part", "value"),
    [
        ("format", 1),
        ("records", {}),
        ("findings", [{"rule_id": "x"}]),
        ("findings", [{**unit_to_json(UNIT)["findings"][0], "severity": "dire"}]),
        ("findings", [{**unit_to_json(UNIT)["findings"][0], "details": {"a": 1}}]),
    ],
    ids=["old-format", "records-not-a-list", "finding-incomplete", "severity", "details"],
)
def test_an_entry_of_another_shape_is_refused(part: str, value: Any) -> None:
    with pytest.raises(ValueError):
        unit_from_json({**unit_to_json(UNIT), part: value})
