"""Errors located by field path: the line of the field, or of its nearest written ancestor."""

from __future__ import annotations

import pytest

from gitwarden.located_errors import config_error_at, key_text, line_of

POSITIONS = {(): (1, 1), ("suppressions",): (2, 1), ("suppressions", 0): (3, 5)}


@pytest.mark.parametrize(
    ("path", "line"),
    [
        (("suppressions", 0), 3),
        (("suppressions", 0, "reason"), 3),
        (("suppressions", 7), 2),
        (("unknown",), 1),
    ],
    ids=["written", "child-not-written", "index-not-written", "root"],
)
def test_line_of_falls_back_to_the_nearest_written_ancestor(
    path: tuple[str | int, ...], line: int
) -> None:
    assert line_of(POSITIONS, path) == line


def test_line_of_is_none_when_nothing_was_written() -> None:
    assert line_of({}, ("a",)) is None


@pytest.mark.parametrize(
    ("path", "key"),
    [
        ((), None),
        (("fail_on",), "fail_on"),
        (("suppressions", 0, "reason"), "suppressions[0].reason"),
    ],
)
def test_key_text_reads_like_the_file(path: tuple[str | int, ...], key: str | None) -> None:
    assert key_text(path) == key


def test_config_error_names_file_line_key_and_hint() -> None:
    error = config_error_at(
        ".gitwarden.yaml",
        POSITIONS,
        ("suppressions", 0, "resouce"),
        "unknown key",
        "did you mean 'resource'?",
    )
    assert (error.file, error.line, error.key) == (".gitwarden.yaml", 3, "suppressions[0].resouce")
    assert error.diagnostics() == (
        ".gitwarden.yaml:3: suppressions[0].resouce: unknown key\nhint: did you mean 'resource'?"
    )
