"""Source lines for the HTML report, read without leaving the scanned folder (issue 21.1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitwarden.report.html_excerpts import MAX_FILE_BYTES, ExcerptReader, field_name


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "deploy").mkdir(parents=True)
    (root / "deploy" / "pod.yaml").write_text("".join(f"line {n}\n" for n in range(1, 11)))
    return root


def test_excerpt_is_the_line_and_three_on_each_side(repo: Path) -> None:
    excerpt = ExcerptReader(str(repo)).excerpt("deploy/pod.yaml", 5)
    assert excerpt is not None
    assert [line.number for line in excerpt.lines] == [2, 3, 4, 5, 6, 7, 8]
    assert [line.number for line in excerpt.lines if line.marked] == [5]


def test_excerpt_stops_at_the_file_edges(repo: Path) -> None:
    excerpt = ExcerptReader(str(repo)).excerpt("deploy/pod.yaml", 1)
    assert excerpt is not None and [line.number for line in excerpt.lines] == [1, 2, 3, 4]


@pytest.mark.parametrize("name", ["../outside.yaml", "/etc/passwd", "deploy/../../outside.yaml"])
def test_path_out_of_the_folder_is_not_read(repo: Path, name: str) -> None:
    (repo.parent / "outside.yaml").write_text("secret\n")
    assert ExcerptReader(str(repo)).excerpt(name, 1) is None


def test_linked_folder_is_not_followed(repo: Path) -> None:
    outside = repo.parent / "elsewhere"
    outside.mkdir()
    (outside / "pod.yaml").write_text("secret\n")
    (repo / "linked").symlink_to(outside)
    assert ExcerptReader(str(repo)).excerpt("linked/pod.yaml", 1) is None


def test_file_over_the_size_bound_is_not_read(repo: Path) -> None:
    (repo / "big.yaml").write_bytes(b"x: 1\n" * (MAX_FILE_BYTES // 5 + 1))
    assert ExcerptReader(str(repo)).excerpt("big.yaml", 1) is None


def test_control_characters_in_a_line_are_shown_as_escapes(repo: Path) -> None:
    (repo / "evil.yaml").write_text("name: a\x1b[2Jb\u202e\n")
    excerpt = ExcerptReader(str(repo)).excerpt("evil.yaml", 1)
    assert excerpt is not None and excerpt.lines[0].text == "name: a\\x1b[2Jb\\u202e"


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("spec.containers[0].securityContext.privileged", "privileged"),
        ("spec.containers[1]", "containers"),
        (None, None),
    ],
)
def test_field_name_is_the_last_key_of_the_path(path: str | None, name: str | None) -> None:
    assert field_name(path) == name
