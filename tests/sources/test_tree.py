from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from gitwarden.findings import Finding
from gitwarden.path_patterns import PathFilter
from gitwarden.sources.tree import RepoFile, TreeWalk, read_manifest_text, walk_repository

OUTSIDE_FILE = "/etc/hostname"
MANIFEST = b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"


def make_repo(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write ``files`` (repository path -> content) under ``root``."""
    for path, content in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content)
    return root


def link(root: Path, path: str, target: str) -> None:
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).symlink_to(target)


def walk(root: Path, path_filter: PathFilter | None = None) -> TreeWalk:
    return walk_repository(root, path_filter or PathFilter(exclude=(".git/", "node_modules/")))


def paths(files: list[RepoFile]) -> list[str]:
    return [f.path for f in files]


def rule_places(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.rule_id, f.location.file) for f in findings]


def read(root: Path, path: str, max_file_bytes: int = 1024) -> tuple[str | None, Finding | None]:
    return read_manifest_text(RepoFile(path, root / path), max_file_bytes)


# -- what is listed ----------------------------------------------------------------------


def test_manifest_files_are_those_with_yaml_or_json_suffixes(tmp_path: Path) -> None:
    make_repo(tmp_path, {"a.yaml": "", "b/c.yml": "", "d.JSON": "", "README.md": ""})
    assert paths(walk(tmp_path).manifest_files) == ["a.yaml", "d.JSON", "b/c.yml"]


def test_all_files_include_files_that_are_not_manifests(tmp_path: Path) -> None:
    make_repo(tmp_path, {"a.yaml": "", "charts/x/Chart.lock": ""})
    assert sorted(paths(walk(tmp_path).all_files)) == ["a.yaml", "charts/x/Chart.lock"]


def test_repo_file_knows_its_folder_and_name(tmp_path: Path) -> None:
    make_repo(tmp_path, {"apps/web/deploy.yaml": ""})
    (repo_file,) = walk(tmp_path).manifest_files
    assert (repo_file.folder, repo_file.name) == ("apps/web", "deploy.yaml")
    assert repo_file.absolute == tmp_path.resolve() / "apps/web/deploy.yaml"


@pytest.mark.parametrize("git", [".git/config.yaml", "vendor/lib/.git/HEAD.yaml"])
def test_git_folders_are_never_read(tmp_path: Path, git: str) -> None:
    make_repo(tmp_path, {git: "", "a.yaml": ""})
    assert paths(walk(tmp_path, PathFilter()).all_files) == ["a.yaml"]


def test_exclude_glob_drops_files(tmp_path: Path) -> None:
    make_repo(tmp_path, {"a.yaml": "", "b.json": ""})
    assert paths(walk(tmp_path, PathFilter(exclude=("*.json",))).all_files) == ["a.yaml"]


def test_include_glob_keeps_only_matching_files(tmp_path: Path) -> None:
    make_repo(tmp_path, {"apps/a.yaml": "", "infra/b.yaml": ""})
    assert paths(walk(tmp_path, PathFilter(include=("apps/",))).all_files) == ["apps/a.yaml"]


@pytest.mark.parametrize("exclude", ["vendor/", "vendor", "vendor/**", "/vendor"])
def test_excluded_folder_is_not_entered(tmp_path: Path, exclude: str) -> None:
    # A link out of the repository inside the folder would be reported were it entered.
    make_repo(tmp_path, {"vendor/a.yaml": "", "b.yaml": ""})
    link(tmp_path, "vendor/host", OUTSIDE_FILE)
    result = walk(tmp_path, PathFilter(exclude=(exclude,)))
    assert (paths(result.all_files), result.findings) == (["b.yaml"], [])


def test_node_modules_is_not_entered_by_default(tmp_path: Path) -> None:
    link(tmp_path, "web/node_modules/pkg.json", OUTSIDE_FILE)
    assert walk(tmp_path).findings == []


# -- symbolic links ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("link_path", "target"),
    [
        pytest.param("apps/hostname.yaml", OUTSIDE_FILE, id="absolute-file"),
        pytest.param("apps/etc", "/etc", id="absolute-folder"),
        pytest.param("apps/up.yaml", "../../outside.yaml", id="relative-escape"),
        pytest.param("apps/gone.yaml", "/nonexistent/gone.yaml", id="dangling"),
    ],
)
def test_link_out_of_the_repository_is_reported(
    tmp_path: Path, link_path: str, target: str
) -> None:
    root = tmp_path / "repo"
    link(root, link_path, target)
    result = walk(root)
    assert rule_places(result.findings) == [("symlink-outside-repo", link_path)]
    assert target in result.findings[0].message


@pytest.mark.parametrize(
    ("link_path", "tainted"),
    [("apps/web/host.yaml", "apps/web"), ("host.yaml", "")],
)
def test_link_out_of_the_repository_taints_its_folder(
    tmp_path: Path, link_path: str, tainted: str
) -> None:
    link(tmp_path, link_path, OUTSIDE_FILE)
    assert walk(tmp_path).tainted_folders == {tainted}


@pytest.mark.parametrize(
    ("link_path", "target", "exclude"),
    [
        pytest.param("apps/host.md", OUTSIDE_FILE, "*.md", id="excluded-file"),
        pytest.param("charts/web/cache", "/etc", "cache", id="excluded-folder"),
    ],
)
def test_excluded_link_out_of_the_repository_is_still_reported(
    tmp_path: Path, link_path: str, target: str, exclude: str
) -> None:
    # The exclude hides it from gitwarden, not from a renderer run on the folder.
    link(tmp_path, link_path, target)
    result = walk(tmp_path, PathFilter(exclude=(exclude,)))
    assert rule_places(result.findings) == [("symlink-outside-repo", link_path)]
    assert result.tainted_folders == {link_path.rpartition("/")[0]}


def test_link_out_of_the_repository_is_not_followed(tmp_path: Path) -> None:
    link(tmp_path, "apps/etc", "/etc")
    link(tmp_path, "apps/host.yaml", OUTSIDE_FILE)
    result = walk(tmp_path)
    assert (result.all_files, result.manifest_files) == ([], [])


def test_link_through_the_repository_to_the_outside_is_reported(tmp_path: Path) -> None:
    link(tmp_path, "hop.yaml", OUTSIDE_FILE)
    link(tmp_path, "apps/via.yaml", "../hop.yaml")
    assert sorted(rule_places(walk(tmp_path).findings)) == [
        ("symlink-outside-repo", "apps/via.yaml"),
        ("symlink-outside-repo", "hop.yaml"),
    ]


def test_link_loop_is_reported(tmp_path: Path) -> None:
    link(tmp_path, "a.yaml", "b.yaml")
    link(tmp_path, "b.yaml", "a.yaml")
    assert len(walk(tmp_path).findings) == 2


@pytest.mark.parametrize(
    ("link_path", "target"),
    [
        pytest.param("overlays/base.yaml", "../base/deploy.yaml", id="file"),
        pytest.param("overlays/base", "../base", id="folder"),
        pytest.param("root", ".", id="repository-root"),
    ],
)
def test_link_inside_the_repository_is_neither_reported_nor_listed(
    tmp_path: Path, link_path: str, target: str
) -> None:
    make_repo(tmp_path, {"base/deploy.yaml": ""})
    link(tmp_path, link_path, target)
    result = walk(tmp_path)
    assert (result.findings, result.tainted_folders) == ([], set())
    assert paths(result.all_files) == ["base/deploy.yaml"]


# -- other files the walker refuses --------------------------------------------------------


def test_fifo_with_manifest_suffix_is_reported_and_not_listed(tmp_path: Path) -> None:
    make_repo(tmp_path, {"a.yaml": ""})
    os.mkfifo(tmp_path / "pipe.yaml")
    result = walk(tmp_path)
    assert rule_places(result.findings) == [("parse-error", "pipe.yaml")]
    assert paths(result.all_files) == ["a.yaml"]


@pytest.mark.parametrize("name", ["control", ".env", "secrets/token"])
def test_fifo_without_manifest_suffix_is_reported_and_not_listed(tmp_path: Path, name: str) -> None:
    # Issue 11.7: the README promises no silent skip, whatever the name.
    (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(tmp_path / name)
    result = walk(tmp_path)
    assert rule_places(result.findings) == [("parse-error", name)]
    assert result.all_files == []


def test_unreadable_folder_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Permissions cannot make a folder unreadable to root; fail the listing instead.
    make_repo(tmp_path, {"ok/a.yaml": "", "locked/b.yaml": ""})
    real_scandir = os.scandir
    locked = str(tmp_path.resolve() / "locked")

    def scandir(path: str) -> Iterator[os.DirEntry[str]]:
        if str(path) == locked:
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = walk(tmp_path)
    assert rule_places(result.findings) == [("parse-error", "locked")]
    assert "Permission denied" in result.findings[0].message


# -- reading a file --------------------------------------------------------------------------


def test_plain_utf8_file_is_read(tmp_path: Path) -> None:
    make_repo(tmp_path, {"a.yaml": MANIFEST})
    assert read(tmp_path, "a.yaml") == (MANIFEST.decode(), None)


@pytest.mark.parametrize(
    ("size", "too_large"),
    [pytest.param(100, False, id="at-cap"), pytest.param(101, True, id="over-cap")],
)
def test_file_over_the_size_cap_is_reported(tmp_path: Path, size: int, too_large: bool) -> None:
    make_repo(tmp_path, {"big.yaml": b"#" * size})
    text, problem = read(tmp_path, "big.yaml", max_file_bytes=100)
    assert (text is None, problem is not None) == (too_large, too_large)
    if problem is not None:
        assert (problem.rule_id, problem.location.file) == ("document-too-large", "big.yaml")


def test_binary_file_is_reported(tmp_path: Path) -> None:
    make_repo(tmp_path, {"blob.yaml": b"apiVersion: v1\n\x00\x01\x02"})
    text, problem = read(tmp_path, "blob.yaml")
    assert text is None and problem is not None
    assert (problem.rule_id, problem.location.file) == ("binary-file", "blob.yaml")


@pytest.mark.parametrize(
    ("data", "line"),
    [
        pytest.param(b"a: 1\nb: 2\nc: \xff\n", 3, id="plain"),
        pytest.param(b"\xef\xbb\xbfa: 1\n\xff\n", 2, id="after-byte-order-mark"),
    ],
)
def test_file_that_is_not_utf8_is_a_parse_error_at_its_line(
    tmp_path: Path, data: bytes, line: int
) -> None:
    make_repo(tmp_path, {"latin.yaml": data})
    text, problem = read(tmp_path, "latin.yaml")
    assert text is None and problem is not None
    assert (problem.rule_id, problem.location.line) == ("parse-error", line)
    offset = data.index(b"\xff")
    assert f"byte {offset}" in problem.message


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\xef\xbb\xbf" + MANIFEST, id="utf-8-byte-order-mark"),
        pytest.param(MANIFEST.decode().encode("utf-16"), id="utf-16-native"),
        pytest.param(b"\xff\xfe" + MANIFEST.decode().encode("utf-16-le"), id="utf-16-le"),
        pytest.param(b"\xfe\xff" + MANIFEST.decode().encode("utf-16-be"), id="utf-16-be"),
    ],
)
def test_byte_order_mark_is_decoded_and_dropped(tmp_path: Path, data: bytes) -> None:
    make_repo(tmp_path, {"a.yaml": data})
    assert read(tmp_path, "a.yaml") == (MANIFEST.decode(), None)


def test_truncated_utf16_file_is_a_parse_error_naming_utf16(tmp_path: Path) -> None:
    make_repo(tmp_path, {"a.yaml": b"\xff\xfea\x00b"})
    text, problem = read(tmp_path, "a.yaml")
    assert text is None and problem is not None
    assert problem.rule_id == "parse-error"
    assert "UTF-16" in problem.message


def test_missing_file_is_a_parse_error(tmp_path: Path) -> None:
    text, problem = read(tmp_path, "gone.yaml")
    assert text is None and problem is not None
    assert (problem.rule_id, problem.location.file) == ("parse-error", "gone.yaml")
    assert "could not be read" in problem.message


def test_reader_does_not_follow_a_link(tmp_path: Path) -> None:
    link(tmp_path, "host.yaml", OUTSIDE_FILE)
    text, problem = read(tmp_path, "host.yaml")
    assert text is None and problem is not None
    assert "symbolic link" in problem.message


def test_reader_does_not_block_on_a_fifo(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    results: list[tuple[str | None, Finding | None]] = []
    reader = threading.Thread(target=lambda: results.append(read(tmp_path, "pipe.yaml")))
    reader.daemon = True  # a blocked reader must not keep the test run alive
    reader.start()
    reader.join(timeout=5)
    assert results, "reading a FIFO blocked"
    text, problem = results[0]
    assert text is None and problem is not None
    assert problem.rule_id == "parse-error"


def test_untracked_files_git_ignores_are_skipped_but_tracked_ones_are_walked(
    tmp_path: Path,
) -> None:
    import subprocess

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True)

    git("init", "-q")
    (tmp_path / ".gitignore").write_text("build/\n*.log\n")
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "rendered.yaml").write_text("kind: ConfigMap\n")
    (tmp_path / "debug.log").write_text("noise\n")
    (tmp_path / "kept.log").write_text("tracked although ignored\n")
    (tmp_path / "app.yaml").write_text("kind: ConfigMap\n")
    git("add", "-f", "kept.log")
    paths = sorted(f.path for f in walk(tmp_path).all_files)
    assert paths == [".gitignore", "app.yaml", "kept.log"]


def test_without_git_nothing_is_treated_as_ignored(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.yaml\n")
    (tmp_path / "app.yaml").write_text("kind: ConfigMap\n")
    assert sorted(f.path for f in walk(tmp_path).all_files) == [".gitignore", "app.yaml"]


def test_socket_in_the_tree_is_reported_and_not_listed(tmp_path: Path) -> None:
    make_repo(tmp_path, {"a.yaml": ""})
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "agent.sock"))
        result = walk(tmp_path)
    assert rule_places(result.findings) == [("parse-error", "agent.sock")]
    assert paths(result.all_files) == ["a.yaml"]
