from __future__ import annotations

import pytest

from gitwarden.manifests.yaml_nodes import (
    ParsedDocument,
    YamlLimitError,
    YamlSyntaxError,
    parse_documents,
)

HUGE_HEX = "0x" + "f" * 4400


def parse_one(text: str) -> ParsedDocument:
    [document] = list(parse_documents(text))
    return document


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("a: !!int", ""),
        ("a: !!int abc", "abc"),
        ("a: !!float", ""),
        ("a: !!timestamp x", "x"),
        ("a: !!bool maybe", "maybe"),
        ("a: !!set x", "x"),
        ("a: !!seq x", "x"),
        ("a: !!omap x", "x"),
        (f"a: {HUGE_HEX}", HUGE_HEX),
        ("a: " + "9" * 5000, "9" * 5000),
    ],
    ids=[
        "empty-int",
        "bad-int",
        "empty-float",
        "bad-timestamp",
        "bad-bool",
        "set",
        "seq",
        "omap",
        "huge-hex",
        "huge-decimal",
    ],
)
def test_broken_scalar_keeps_its_text_and_is_a_problem_at_its_position(
    text: str, kept: str
) -> None:
    document = parse_one("x: 1\n" + text + "\n")
    assert document.value["a"] == kept
    assert [(p.line, p.column) for p in document.problems] == [(2, 4)]


def test_huge_integer_key_keeps_its_text() -> None:
    document = parse_one(f"? {HUGE_HEX}\n: value\n")
    assert document.value == {HUGE_HEX: "value"}
    assert len(document.problems) == 1


@pytest.mark.parametrize(
    "text",
    ["a: 2025-13-01", "a: !custom value", "a: '0x1'", "a: 0x1f", "a: 12", "a: 1.5"],
    ids=["looks-like-date", "unknown-tag", "quoted", "hex", "int", "float"],
)
def test_values_that_read_as_their_type_or_as_text_are_no_problem(text: str) -> None:
    assert parse_one(text).problems == ()


def test_scalar_reached_again_through_an_alias_is_one_problem() -> None:
    document = parse_one("a: &x !!int\nb: *x\nc: *x\n")
    assert (document.value, len(document.problems)) == ({"a": "", "b": "", "c": ""}, 1)


def test_two_parses_do_not_share_state() -> None:
    first = parse_one("a: !!int\n")
    second = parse_one("a: !!int\n")
    assert (len(first.problems), len(second.problems)) == (1, 1)


def test_alias_bomb_is_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 7)]
    with pytest.raises(YamlLimitError):
        parse_one("\n".join(lines))


def test_invalid_yaml_is_a_syntax_error_with_its_line() -> None:
    with pytest.raises(YamlSyntaxError) as raised:
        parse_one("a: 1\nb: [unclosed\n")
    assert raised.value.line == 2


@pytest.mark.parametrize(
    "text",
    [
        "a: true\nb: 'true'\nc: true\nd: \"true\"\n",
        "a: 1\nb: '1'\nc: 1\nd: !!str 1\n",
        "a: null\nb: ~\nc: 'null'\nd: null\n",
        "a: 2024-01-02\nb: '2024-01-02'\nc: 2024-01-02\n",
        "a: [yes, 'yes', yes, no, 0o17, 1_000, .inf, 0x1f]\n",
        "true: 1\n'true': 2\n12: a\n'13': b\n",
    ],
    ids=["bool", "int", "null", "timestamp", "yaml-1.1-forms", "typed-keys"],
)
def test_plain_and_quoted_scalars_read_as_pyyaml_safe_load_reads_them(text: str) -> None:
    # The same text written plain and quoted, again and again: a tag remembered for a plain
    # scalar must never be reused for a quoted or explicitly tagged one.
    import yaml

    # Keys are kept as text (`true:` is the key "True"), as gitwarden always did.
    expected = {str(k): v for k, v in yaml.safe_load(text).items()}
    value = parse_one(text).value
    assert value == expected
    assert [type(v) for v in value.values()] == [type(v) for v in expected.values()]


MANIFEST = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
          args: [--port, "8080", 8081]
          securityContext:
            privileged: false
        - {name: sidecar, image: envoy}
"""


@pytest.mark.parametrize(
    "variant",
    [MANIFEST + "# R&D team\n", MANIFEST + "extra: &unused x\n"],
    ids=["ampersand-in-comment", "unused-anchor"],
)
def test_a_document_with_an_anchor_reads_as_the_same_document_without(variant: str) -> None:
    # Anchor-free text is converted without alias bookkeeping; the result must not differ.
    plain, anchored = parse_one(MANIFEST), parse_one(variant)
    anchored.value.pop("extra", None)
    anchored.positions.pop(("extra",), None)
    assert anchored.value == plain.value
    assert list(anchored.positions.items()) == list(plain.positions.items())
