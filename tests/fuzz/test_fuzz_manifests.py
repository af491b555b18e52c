"""Fuzzing the manifest parsers: none may raise anything but its own error types."""

from __future__ import annotations

import contextlib
import datetime
from pathlib import Path
from typing import Any

import pytest
from fuzz_inputs import corpus, mapping_with, yaml_inputs
from hypothesis import given
from hypothesis import strategies as st

from gitwarden.manifests.kustomizations import read_kustomization
from gitwarden.manifests.loader import load_manifest_text
from gitwarden.manifests.yaml_nodes import YamlLimitError, YamlSyntaxError, parse_documents

KUSTOMIZATION_KEYS = (
    "resources",
    "bases",
    "components",
    "patches",
    "patchesStrategicMerge",
    "patchesJson6902",
    "transformers",
    "generators",
    "validators",
    "openapi",
    "crds",
    "configurations",
    "helmCharts",
    "configMapGenerator",
    "replacements",
    "kind",
)
EXISTING = {"", "app", "app/kustomization.yaml", "app/pod.yaml"}


def load_every_way(text: str) -> None:
    for file in ("fuzz.yaml", "fuzz.json"):
        result = load_manifest_text(text, file, max_document_bytes=1 << 20)
        for obj in result.objects:
            # What the checks touch first: it must hold up too.
            _ = (obj.body, obj.resource, obj.location(("spec",)), obj.labels)


PLAIN_DATA = (dict, list, str, int, float, bool, bytes, type(None), datetime.date)


def assert_plain_data(value: Any) -> None:
    """What a parse yields is plain data a check can read: no half-built objects."""
    assert isinstance(value, PLAIN_DATA), type(value)
    children = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, child in children:
        assert isinstance(key, str | int), type(key)
        assert_plain_data(child)


def parse_strictly(text: str) -> None:
    with contextlib.suppress(YamlSyntaxError, YamlLimitError):
        for document in parse_documents(text):
            assert_plain_data(document.value)


@given(yaml_inputs)
def test_manifest_loader_turns_any_text_into_objects_and_findings(text: str) -> None:
    load_every_way(text)


@given(yaml_inputs)
def test_yaml_nodes_raise_only_their_own_errors(text: str) -> None:
    parse_strictly(text)


@given(mapping_with(KUSTOMIZATION_KEYS), st.sampled_from(["", "app"]))
def test_kustomization_reader_never_raises(text: str, folder: str) -> None:
    file = f"{folder}/kustomization.yaml" if folder else "kustomization.yaml"
    read_kustomization(folder, file, text, EXISTING)


@pytest.mark.parametrize("case", corpus("manifests"), ids=lambda path: path.name)
def test_manifest_inputs_that_once_crashed_load(case: Path) -> None:
    text = case.read_text(encoding="utf-8")
    load_every_way(text)
    parse_strictly(text)
    read_kustomization("app", "app/kustomization.yaml", text, EXISTING)
