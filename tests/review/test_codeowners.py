"""Finding and reading a CODEOWNERS file: where each forge looks, at the base revision, and
the bounds that hold whatever the file says."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from gitwarden.review.codeowners import (
    CODEOWNERS_LOCATIONS,
    MAX_CODEOWNERS_BYTES,
    Flavour,
    Owner,
    find_codeowners,
    line_tokens,
    parse_codeowners,
)
from gitwarden.sources.git_repository import GitRepository

GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV},
        check=True,
    )
    return done.stdout.strip()


def commit_files(repo: Path, files: dict[str, str]) -> str:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    git(repo, "add", "-A")
    git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "change")
    return git(repo, "rev-parse", "HEAD")


def reader_at(repo: Path, revision: str) -> Callable[[str], str | None]:
    """What the review command passes: a file's text at the base revision, or None."""
    git_repository = GitRepository(repo)

    def read(path: str) -> str | None:
        name = f"{revision}:{path}"
        if git_repository.object_ids([name])[name] is None:
            return None
        return git_repository.read_object(name).data.decode("utf-8", "surrogateescape")

    return read


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    path = tmp_path / "repo"
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    return path


@pytest.mark.parametrize(
    ("flavour", "present", "used"),
    [
        ("github", ("CODEOWNERS", "docs/CODEOWNERS", ".github/CODEOWNERS"), ".github/CODEOWNERS"),
        ("github", ("docs/CODEOWNERS", "CODEOWNERS"), "CODEOWNERS"),
        ("github", ("docs/CODEOWNERS", ".gitlab/CODEOWNERS"), "docs/CODEOWNERS"),
        ("gitlab", ("CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS"), "CODEOWNERS"),
        ("gitlab", ("docs/CODEOWNERS", ".gitlab/CODEOWNERS"), "docs/CODEOWNERS"),
        ("gitlab", (".github/CODEOWNERS", ".gitlab/CODEOWNERS"), ".gitlab/CODEOWNERS"),
    ],
)
def test_the_first_location_the_forge_searches_wins(
    repo: Path, flavour: Flavour, present: tuple[str, ...], used: str
) -> None:
    base = commit_files(
        repo, {path: f"* @owner-of-{path.replace('/', '-').replace('.', '')}\n" for path in present}
    )
    codeowners = find_codeowners(reader_at(repo, base), flavour)
    assert codeowners is not None
    assert codeowners.file == used
    [match] = codeowners.owners_of("any/file")
    assert match.owners == (Owner("user", f"owner-of-{used.replace('/', '-').replace('.', '')}"),)


def test_the_base_revision_decides_not_the_change(repo: Path) -> None:
    base = commit_files(repo, {"CODEOWNERS": "* @security\n"})
    commit_files(repo, {"CODEOWNERS": "* @author\n"})
    codeowners = find_codeowners(reader_at(repo, base), "github")
    assert codeowners is not None
    assert codeowners.owners_of("a")[0].owners == (Owner("user", "security"),)


@pytest.mark.parametrize("flavour", ["github", "gitlab"])
def test_no_codeowners_file_is_none(repo: Path, flavour: Flavour) -> None:
    base = commit_files(repo, {"README.md": "hello\n", ".github/CODEOWNERS/x": "a dir\n"})
    read = reader_at(repo, base)
    assert all(read(path) is None for path in ("CODEOWNERS", "docs/CODEOWNERS"))
    assert find_codeowners(lambda path: None, flavour) is None


def test_the_locations_are_the_documented_ones_in_order() -> None:
    assert CODEOWNERS_LOCATIONS == {
        "github": (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"),
        "gitlab": ("CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS"),
    }


@pytest.mark.parametrize("flavour", ["github", "gitlab"])
def test_a_file_of_three_megabytes_is_not_loaded_and_says_so(flavour: Flavour) -> None:
    line = "* @owner\n"
    text = line * (MAX_CODEOWNERS_BYTES // len(line) + 1)
    codeowners = parse_codeowners(text, "CODEOWNERS", flavour)
    [problem] = codeowners.problems
    assert problem.rule_id == "codeowners-too-large"
    assert codeowners.rules == ()
    assert codeowners.owners_of("a") == ()


def test_a_file_just_under_the_limit_is_read() -> None:
    line = "* @owner #" + "x" * 990 + "\n"  # long lines: the bound, not the line count
    text = line * ((MAX_CODEOWNERS_BYTES - 1) // len(line))
    codeowners = parse_codeowners(text, "CODEOWNERS", "github")
    assert codeowners.problems == ()
    assert codeowners.owners_of("a")[0].line == len(text.splitlines())


def test_the_size_limit_counts_bytes_not_characters() -> None:
    line = "* @owner # ünïcödé\n"
    count = MAX_CODEOWNERS_BYTES // len(line.encode()) + 1
    assert len(line) * count < MAX_CODEOWNERS_BYTES
    [problem] = parse_codeowners(line * count, "CODEOWNERS", "github").problems
    assert problem.rule_id == "codeowners-too-large"


@pytest.mark.parametrize("flavour", ["github", "gitlab"])
def test_crlf_line_ends_and_a_byte_order_mark_are_read_as_the_forges_do(flavour: Flavour) -> None:
    codeowners = parse_codeowners("\ufeff*.md @docs\r\n*.go @go\r\n", "CODEOWNERS", flavour)
    assert codeowners.problems == ()
    assert [m.line for m in codeowners.owners_of("a.go")] == [2]
    assert codeowners.owners_of("a.md")[0].owners == (Owner("user", "docs"),)


@pytest.mark.parametrize("path", ["/docs/a.md", "./docs/a.md", "docs/a.md"])
def test_paths_may_be_written_with_a_leading_slash_or_dot(path: str) -> None:
    codeowners = parse_codeowners("/docs/ @docs\n", "CODEOWNERS", "github")
    assert [m.line for m in codeowners.owners_of(path)] == [1]


def test_a_path_that_is_not_utf8_is_matched_by_its_other_characters() -> None:
    codeowners = parse_codeowners("/data/*.csv @data\n", "CODEOWNERS", "github")
    path = b"data/caf\xe9.csv".decode("utf-8", "surrogateescape")
    assert [m.line for m in codeowners.owners_of(path)] == [1]


def test_an_unknown_flavour_is_refused() -> None:
    with pytest.raises(ValueError, match="bitbucket"):
        parse_codeowners("* @a\n", "CODEOWNERS", "bitbucket")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("owner", "text"),
    [
        (Owner("user", "alice"), "@alice"),
        (Owner("team", "org/team"), "@org/team"),
        (Owner("email", "a@b.c"), "a@b.c"),
        (Owner("role", "maintainer"), "@@maintainer"),
    ],
)
def test_an_owner_is_written_back_as_in_the_file(owner: Owner, text: str) -> None:
    assert owner.text == text


def test_line_tokens_keep_escaped_blanks_and_give_columns() -> None:
    assert line_tokens("  a\\ b\t@c  d") == [("a\\ b", 3), ("@c", 8), ("d", 12)]


def test_two_files_parsed_in_one_process_do_not_share_rules() -> None:
    first = parse_codeowners("* @first\n", "CODEOWNERS", "github")
    second = parse_codeowners("*.md @second\n", "CODEOWNERS", "github")
    assert first.owners_of("a.md")[0].owners == (Owner("user", "first"),)
    assert second.owners_of("a.md")[0].owners == (Owner("user", "second"),)
    assert second.owners_of("a.go") == ()
