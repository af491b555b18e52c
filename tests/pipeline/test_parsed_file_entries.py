"""Parsed-file entries: a plain file's objects and findings, kept only when JSON carries
them exactly, and nothing of another shape read back."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gitwarden.manifests.loader import load_manifest_text
from gitwarden.pipeline.kept_positions import decode
from gitwarden.pipeline.parsed_file_entries import (
    ParsedFile,
    document_spans,
    file_from_json,
    file_to_json,
    parsed_file_of,
)

POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\nspec: {containers: []}\n"
LIST = (
    "apiVersion: v1\nkind: List\nitems:\n"
    "  - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}, data: {ratio: 0.5}}\n"
)
BROKEN = "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\na: [\n"
CRD = (
    "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
    "metadata: {name: widgets.example.com}\nspec:\n  group: example.com\n"
    "  names: {kind: Widget, plural: widgets}\n  scope: Namespaced\n  versions:\n"
    "    - name: v1\n      served: true\n      storage: true\n"
)


def kept(text: str, file: str = "app.yaml") -> ParsedFile:
    found = parsed_file_of(load_manifest_text(text, file), text)
    assert found is not None
    return found


@pytest.mark.parametrize("text", [POD, LIST, BROKEN, f"---\n{POD}---\n{CRD}"])
def test_a_parsed_file_survives_json(text: str) -> None:
    entry = kept(text)
    assert file_from_json(json.loads(json.dumps(file_to_json(entry)))) == entry


def test_an_entry_keeps_the_findings_of_the_parse() -> None:
    assert [f.rule_id for f in kept(BROKEN).findings] == ["parse-error"]


def test_an_entry_keeps_list_items_with_their_place_in_the_list() -> None:
    (item,) = kept(LIST).objects
    assert (item.kind, item.path_prefix, item.body["data"]) == (
        "ConfigMap",
        ("items", 0),
        {"ratio": 0.5},
    )


def test_a_lazily_parsed_document_keeps_its_header_and_span_not_its_body() -> None:
    text = f"{POD}---\n{CRD}"
    (_, crd) = kept(text).objects
    assert crd.body is None and crd.span is not None and crd.header is not None
    assert text[crd.span.start : crd.span.end].startswith("---\napiVersion: apiextensions")
    assert crd.span.first_line == POD.count("\n") + 1


@pytest.mark.parametrize(
    ("value", "exact"),
    [
        ("2025-01-01", False),  # a timestamp: JSON would bring back a string
        ("'2025-01-01'", True),
        ("!!binary aGVsbG8=", False),
        (".nan", False),
        ("0.25", True),
        ("123456789012345678901234567890", True),
    ],
    ids=["timestamp", "quoted-date", "binary", "nan", "float", "big-int"],
)
def test_an_entry_is_made_only_when_json_carries_every_value_exactly(
    value: str, exact: bool
) -> None:
    text = f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c}}\ndata:\n  v: {value}\n"
    found = parsed_file_of(load_manifest_text(text, "c.yaml"), text)
    assert (found is not None) is exact


def test_a_fully_parsed_document_keeps_its_positions_a_lazy_one_does_not() -> None:
    text = f"{POD}---\n{CRD}"
    pod, crd = kept(text).objects
    (document,) = kept(text).documents
    (parsed, _) = load_manifest_text(text, "app.yaml").objects
    assert (pod.document, crd.document) == (0, None)
    # A top-level object's document value is its body, kept once.
    assert document.value is None and document.line == 1
    assert decode(document.positions, pod.body) == parsed.document().positions


def test_the_items_of_a_list_share_one_document_kept_with_its_value() -> None:
    text = f"{LIST}  - {{apiVersion: v1, kind: Secret, metadata: {{name: b}}}}\n"
    first, second = kept(text).objects
    (document,) = kept(text).documents
    (parsed, _) = load_manifest_text(text, "app.yaml").objects
    assert (first.document, second.document) == (0, 0)
    assert document.value == parsed.document().value
    assert decode(document.positions, document.value) == parsed.document().positions


@pytest.mark.parametrize(
    "text",
    [
        # Merged fields are positioned where the merge key is, before the object's own.
        "<<: {data: {k: v}}\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: !!int x\n",
    ],
    ids=["merge-key", "value-problem"],
)
def test_a_document_whose_positions_cannot_be_kept_exactly_keeps_none(text: str) -> None:
    (obj,) = kept(text).objects
    assert obj.document is None and kept(text).documents == ()
    assert obj.body is not None


def entry_json() -> dict[str, Any]:
    return file_to_json(kept(f"{POD}---\n{CRD}"))


def object_json(index: int, part: int, value: Any) -> list[Any]:
    """Object ``index`` of `entry_json` with its part ``part`` replaced by ``value``."""
    found = list(entry_json()["objects"][index])
    found[part] = value
    return found


@pytest.mark.parametrize(
    ("part", "value"),
    [
        ("format", 1),
        ("objects", {}),
        ("objects", [["v1", "Pod"]]),
        ("objects", [object_json(0, 4, True)]),
        ("objects", [object_json(1, 8, [0, 1])]),
        ("findings", [{"rule_id": "x"}]),
        ("documents", {}),
        ("documents", []),
        ("documents", [[1, "1,1"]]),
        ("documents", [[1, 11, None]]),
        ("documents", [[1, "1,1", {"kind": "List"}]]),
        ("objects", [object_json(0, 9, -1)]),
        ("objects", [object_json(1, 9, 0)]),
        ("objects", [object_json(0, 9, "0")]),
    ],
    ids=[
        "old-format",
        "objects-not-a-list",
        "object-short",
        "line-bool",
        "span-short",
        "finding",
        "documents-not-a-list",
        "document-missing",
        "document-short",
        "positions-not-text",
        "top-level-object-with-a-list-value",
        "document-index-negative",
        "unparsed-object-with-a-document",
        "document-index-text",
    ],
)
def test_an_entry_of_another_shape_is_refused(part: str, value: Any) -> None:
    with pytest.raises(ValueError):
        file_from_json({**entry_json(), part: value})


@pytest.mark.parametrize(
    ("text", "firsts"),
    [
        (POD, [1]),
        (f"---\n{POD}---\n{LIST}", [1, 6]),
        (f"{POD}--- # the list\n{LIST}", [1, 5]),
        (f"{POD}----\n{LIST}", [1]),  # four dashes: a scalar, not a marker
        (f"%YAML 1.1\n---\n{POD}---\n{LIST}", [1]),
    ],
    ids=["one", "leading-marker", "marker-comment", "not-a-marker", "directive"],
)
def test_document_spans_are_the_loaders_parts(text: str, firsts: list[int]) -> None:
    spans = document_spans(text)
    assert [span.first_line for span in spans] == firsts
    assert "".join(text[span.start : span.end] for span in spans) == text


def test_every_object_keeps_the_span_of_its_document() -> None:
    text = f"---\n{POD}---\n{LIST}"
    pod, item = kept(text).objects
    assert pod.span is not None and item.span is not None
    assert text[pod.span.start : pod.span.end] == f"---\n{POD}"
    assert text[item.span.start : item.span.end] == f"---\n{LIST}"
