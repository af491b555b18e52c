"""Kept positions: the parser's positions come back exactly, path for path and in order,
from numbers alone; positions that are not their value's walk, and codes of another
shape, are not used."""

from __future__ import annotations

import pytest

from gitwarden.manifests.yaml_nodes import ParsedDocument, parse_documents
from gitwarden.pipeline.kept_positions import decode, encode, field_paths
from k8s_fixtures import CORPORA

TEXTS = {
    "pod": (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n"
        "    - name: app\n      image: nginx\n      args: [a, b]\n"
    ),
    "flow-and-block": "a: {b: [1, {c: d}], e: []}\nf:\n- - x\n  - y\n- {}\n",
    "scalars": "a: 1\nb: true\nc: null\nd: 0.5\ne: '2025-01-01'\n",
    "anchor-and-alias": "base: &b {x: 1, y: [2]}\ncopy: *b\n",
    "duplicate-scalar-key": "a: 1\na: 2\nb: 3\n",
    "indented-later": "\n\n# comment\nkey:\n      deep: value\n",
    "a-scalar-document": "just text\n",
}


def document_of(text: str, first_line: int = 1) -> ParsedDocument:
    (document,) = parse_documents(text, first_line)
    return document


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_positions_come_back_as_the_parser_made_them(text: str) -> None:
    document = document_of(text, first_line=7)
    code = encode(document.positions, document.value)
    assert code is not None
    back = decode(code, document.value)
    assert back is not None
    assert list(back.items()) == list(document.positions.items())


def test_every_document_of_the_shared_corpora_comes_back_exactly() -> None:
    if not CORPORA.is_dir():
        pytest.skip("corpora not present")
    documents = 0
    for path in sorted(CORPORA.rglob("*.yaml")):
        try:
            parsed = list(parse_documents(path.read_text(encoding="utf-8")))
        except Exception:  # broken or template YAML: not a document the loader keeps
            continue
        for document in parsed:
            code = encode(document.positions, document.value)
            if code is None:
                continue
            documents += 1
            back = decode(code, document.value)
            assert back is not None and list(back.items()) == list(document.positions.items())
    assert documents > 1000


@pytest.mark.parametrize(
    "text",
    [
        "base: &b {x: 1}\nown:\n  <<: *b\n  y: 2\n",  # merged fields come first in positions
        "a: {x: 1}\na: 2\n",  # the value replaced, the mapping's fields still positioned
    ],
    ids=["merge-key", "duplicate-key-hiding-a-mapping"],
)
def test_positions_that_are_not_the_values_walk_are_not_kept(text: str) -> None:
    document = document_of(text)
    assert list(document.positions) != field_paths(document.value)
    assert encode(document.positions, document.value) is None


def test_positions_of_another_value_are_not_kept() -> None:
    document = document_of(TEXTS["pod"])
    other = document_of(TEXTS["flow-and-block"])
    assert encode(document.positions, other.value) is None


def test_field_paths_are_depth_first_a_node_before_its_children() -> None:
    value = {"a": {"b": [1, {"c": 2}]}, "d": 3}
    assert field_paths(value) == [
        (),
        ("a",),
        ("a", "b"),
        ("a", "b", 0),
        ("a", "b", 1),
        ("a", "b", 1, "c"),
        ("d",),
    ]


def test_a_code_keeps_lines_as_steps() -> None:
    document = document_of("a: 1\nb: 2\n", first_line=10)
    assert encode(document.positions, document.value) == "10,1,0,1,1,1"


@pytest.mark.parametrize(
    "code",
    [
        "10,1,0,1",  # one node short
        "10,1,0,1,1,1,1,1",  # one node more
        "10,1,0,1,1,x",
        "10,1,0,1,1,1.5",
        "10,1,0,1,1,1e3",
        "10,1,0,1,1,0",  # column 0
        "0,1,0,1,1,1",  # line 0
        "10,1,0,1,-11,1",  # a line before the first
        "",
        " 10,1,0,1,1,1",
        "[10,1,0,1,1,1]",
    ],
    ids=[
        "short",
        "long",
        "letter",
        "float",
        "exponent",
        "column-zero",
        "line-zero",
        "line-negative",
        "empty",
        "blank",
        "brackets",
    ],
)
def test_a_code_of_another_shape_gives_no_positions(code: str) -> None:
    assert decode(code, {"a": 1, "b": 2}) is None
