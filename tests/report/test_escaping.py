from __future__ import annotations

import json

import pytest
from report_fixtures import make_finding, make_report

from gitwarden.findings import Severity
from gitwarden.report import get_format
from gitwarden.report.escaping import (
    indented_json,
    path_bytes,
    printable,
    printable_lines,
    valid_unicode,
)

# What os.walk returns for the file name b"p\xff.yaml": the byte as a lone surrogate.
NOT_UTF8 = b"p\xff.yaml".decode("utf-8", "surrogateescape")
FORGED = "x.yaml\nPASS  0 findings; 0 suppressed; 0 at or above high"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\nb", "a\\nb"),
        ("a\r\nb", "a\\r\\nb"),
        ("a\tb", "a\\tb"),
        ("\x1b[2J", "\\x1b[2J"),
        ("\u202eabc", "\\u202eabc"),
        (NOT_UTF8, "p\\xff.yaml"),
        ("\ud800", "\\ud800"),
        ("plain text: ok", "plain text: ok"),
    ],
    ids=["newline", "crlf", "tab", "escape", "bidi", "undecodable-byte", "surrogate", "plain"],
)
def test_printable_escapes_every_control_character(text: str, shown: str) -> None:
    assert printable(text) == shown


def test_printable_lines_keeps_line_breaks_only() -> None:
    assert printable_lines("a\nb\tc\x07") == "a\nb\\tc\\x07"


def test_valid_unicode_makes_every_string_encodable() -> None:
    document = valid_unicode({"file": NOT_UTF8, "list": [NOT_UTF8], NOT_UTF8: 1})
    json.dumps(document, ensure_ascii=False).encode("utf-8")
    assert document == {"file": "p\\xff.yaml", "list": ["p\\xff.yaml"], "p\\xff.yaml": 1}


def test_path_bytes_gives_back_the_file_systems_bytes() -> None:
    assert path_bytes(NOT_UTF8) == b"p\xff.yaml"


@pytest.mark.parametrize("name", ["json", "sarif", "junit", "markdown", "text"])
def test_every_format_renders_a_file_name_that_is_not_utf8(name: str) -> None:
    report = make_report((make_finding(file=NOT_UTF8),))
    output = get_format(name).render(report)
    output.encode("utf-8")  # strict: what a CI log or an uploader reads
    # Shown as the byte's escape (JSON doubles the backslash), or percent-encoded in a URI.
    assert any(shown in output for shown in ("p\\xff.yaml", "p\\\\xff.yaml", "p%FF.yaml"))


@pytest.mark.parametrize("name", ["text", "markdown", "junit"])
def test_a_newline_in_a_file_name_cannot_forge_a_report_line(name: str) -> None:
    finding = make_finding(
        file=FORGED, resource=FORGED, field_path=FORGED, severity=Severity.CRITICAL
    )
    report = make_report((finding,))
    output = get_format(name).render(report)
    assert not [line for line in output.splitlines() if line.lstrip().startswith("PASS")]


@pytest.mark.parametrize(
    "document",
    [
        {"file": NOT_UTF8, "list": [NOT_UTF8, ("a", NOT_UTF8)], NOT_UTF8: 1},
        {"message": "lone \ud83d half", "ok": "\U0001f600 beyond the BMP"},
        {"message": "\U0001f600 beyond the BMP", "hangul": "\ud55c", "backslash": "\\ud800"},
        {"message": "plain", "line": 3, "nested": [{"a": None, "b": True}]},
    ],
    ids=["undecodable-byte", "lone-half-of-a-pair", "no-lone-surrogate", "ascii"],
)
def test_indented_json_is_valid_utf8_and_what_the_full_walk_gives(document: object) -> None:
    text = indented_json(document)
    # What a strict reader sees: a lone surrogate escape decodes to text that is not UTF-8.
    json.dumps(json.loads(text), ensure_ascii=False).encode("utf-8")
    assert text == json.dumps(valid_unicode(document), indent=2)
