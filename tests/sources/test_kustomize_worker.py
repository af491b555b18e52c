"""What the kustomize worker proves before it answers in JSON instead of YAML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gitwarden.sources.kustomize import pykustomize_worker
from gitwarden.sources.kustomize_worker import (
    MAX_JSON_DEPTH,
    Library,
    json_reads_as_yaml,
    warm_up,
)

BOUND = 1 << 20


def answer(*values: object) -> str:
    return json.dumps({"count": len(values), "resources": list(values)}, separators=(",", ":"))


@pytest.mark.parametrize(
    "value",
    [
        1000,
        0.5,
        0.0001,
        123456789.5,
        -7,
        "1e20",  # in a string: not a number
        "0.00005 9007199254740993",
        True,
        None,
        "multi\nline",  # escaped in JSON: still one line
    ],
)
def test_json_that_reads_as_its_yaml_is_accepted(value: object) -> None:
    assert json_reads_as_yaml(answer({"spec": {"v": value}}), BOUND)


@pytest.mark.parametrize(
    "number",
    ["1e+21", "100000000000000000000", "9007199254740993", "0.00005", "1.5E-7"],
)
def test_a_number_yaml_reads_otherwise_is_refused(number: str) -> None:
    text = answer({"spec": {"v": 0}}).replace('"v":0', f'"v":{number}')
    assert not json_reads_as_yaml(text, BOUND)


def test_nesting_deeper_than_the_yaml_path_accepts_is_refused() -> None:
    deep: object = 1
    for _ in range(MAX_JSON_DEPTH):
        deep = {"a": deep}
    assert not json_reads_as_yaml(answer(deep), BOUND)


def test_nesting_within_the_bound_is_accepted() -> None:
    deep: object = 1
    for _ in range(MAX_JSON_DEPTH - 3):
        deep = [deep]
    assert json_reads_as_yaml(answer(deep), BOUND)


@pytest.mark.parametrize(("bound", "accepted"), [(10_000, False), (BOUND, True)])
def test_json_whose_yaml_could_pass_the_document_bound_is_refused(
    bound: int, accepted: bool
) -> None:
    text = answer({"data": {"blob": "x" * 2000}})
    assert json_reads_as_yaml(text, bound) is accepted


def test_json_on_several_lines_is_refused() -> None:
    assert not json_reads_as_yaml(json.dumps({"resources": [{"a": 1}]}, indent=1), BOUND)


@pytest.mark.skipif(pykustomize_worker() is None, reason="needs pykustomize")
def test_the_warm_up_builds_in_the_work_folder_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert warm_up(Library())
    assert list(tmp_path.iterdir()) == []
