"""One scan's manifest files: read once, reported once, looked up quietly."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from pipeline_repos import make_repo

from gitwarden.manifests.loader import DEFAULT_MAX_DOCUMENT_BYTES
from gitwarden.manifests.objects import K8sObject
from gitwarden.pipeline import manifest_files
from gitwarden.pipeline.manifest_files import ManifestFiles
from gitwarden.pipeline.parsed_file_cache import ParsedFileCache
from gitwarden.pipeline.render_cache import RenderCache
from gitwarden.sources.tree import RepoFile

POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec: {containers: []}\n"


def files_of(root: Path) -> ManifestFiles:
    return ManifestFiles(root, max_file_bytes=1 << 20, max_document_bytes=1 << 20)


def test_checked_file_yields_its_objects_once(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"pod.yaml": POD})
    files = files_of(root)
    first = files.check(RepoFile("pod.yaml", root / "pod.yaml"))
    again = files.check(RepoFile("pod.yaml", root / "pod.yaml"))
    assert [obj.resource for obj in first] == ["Pod/web"]
    assert again is first
    assert files.checked == ["pod.yaml"]


def test_problems_of_a_checked_file_are_findings(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"bad.yaml": "a: [\n"})
    files = files_of(root)
    assert files.check(RepoFile("bad.yaml", root / "bad.yaml")) == []
    assert [f.rule_id for f in files.findings] == ["parse-error"]


def test_looked_up_file_is_not_reported(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"bad.yaml": "a: [\n", "pod.yaml": POD})
    files = files_of(root)
    assert files.look_up("bad.yaml") == []
    assert [obj.name for obj in files.look_up("pod.yaml")] == ["web"]
    assert (files.findings, files.checked) == ([], [])


def test_missing_source_file_looks_up_nothing(tmp_path: Path) -> None:
    assert files_of(tmp_path).look_up("absent.yaml") == []


def test_look_up_reuses_a_checked_file(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"pod.yaml": POD})
    files = files_of(root)
    checked = files.check(RepoFile("pod.yaml", root / "pod.yaml"))
    assert files.look_up("pod.yaml") is checked


def test_two_scans_share_no_file(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"pod.yaml": POD})
    first, second = files_of(root), files_of(root)
    first.check(RepoFile("pod.yaml", root / "pod.yaml"))
    assert second.checked == []


def cached_files_of(root: Path, state: Path) -> ManifestFiles:
    opened = RenderCache.open(state / "cache", state / "cache.key")
    assert isinstance(opened, RenderCache)
    return ManifestFiles(
        root,
        max_file_bytes=1 << 20,
        max_document_bytes=1 << 20,
        parsed_cache=ParsedFileCache(opened, root),
    )


def test_a_second_scans_files_come_from_the_parsed_file_cache(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"pod.yaml": POD, "bad.yaml": "a: [\n"})
    first = cached_files_of(root, tmp_path)
    (parsed,) = first.check(RepoFile("pod.yaml", root / "pod.yaml"))
    first.check(RepoFile("bad.yaml", root / "bad.yaml"))
    second = cached_files_of(root, tmp_path)
    (cached,) = second.check(RepoFile("pod.yaml", root / "pod.yaml"))
    assert second.check(RepoFile("bad.yaml", root / "bad.yaml")) == []
    assert cached is not parsed
    assert (cached.resource, cached.body) == (parsed.resource, parsed.body)
    assert second.findings == first.findings
    assert [f.rule_id for f in second.findings] == ["parse-error"]


@pytest.mark.parametrize("looked_up", [False, True], ids=["checked", "looked-up"])
def test_a_tampered_entry_of_a_file_is_reported(tmp_path: Path, looked_up: bool) -> None:
    root = make_repo(tmp_path / "repo", {"pod.yaml": POD})

    def read(files: ManifestFiles) -> list[K8sObject]:
        if looked_up:
            return files.look_up("pod.yaml")
        return files.check(RepoFile("pod.yaml", root / "pod.yaml"))

    read(cached_files_of(root, tmp_path))
    (entry,) = (tmp_path / "cache").rglob("*.entry")
    entry.write_bytes(entry.read_bytes().replace(b'"web"', b'"api"'))
    files = cached_files_of(root, tmp_path)
    (pod,) = read(files)
    assert pod.name == "web"
    assert [(f.rule_id, f.location.file) for f in files.findings] == [
        ("render-cache-rejected", "pod.yaml")
    ]


def test_a_file_parsed_ahead_is_checked_and_reported_as_if_parsed_then(tmp_path: Path) -> None:
    tree = {"pod.yaml": POD, "bad.yaml": "a: [\n"}
    root = make_repo(tmp_path, tree)
    plain, ahead = files_of(root), files_of(root)
    paths = list(ahead.prefetch(RepoFile(p, root / p) for p in tree))
    assert paths == list(tree)
    assert ahead.findings == []  # nothing is said before the check
    for files in (plain, ahead):
        for path in tree:
            files.check(RepoFile(path, root / path))
    assert ahead.findings == plain.findings and [f.rule_id for f in ahead.findings] == [
        "parse-error"
    ]
    assert ahead.checked == plain.checked


def test_a_file_parsed_ahead_serves_its_look_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo(tmp_path, {"pod.yaml": POD})
    # A look-up parses under the default document bound: the parse ahead must have too.
    files = ManifestFiles(root, 1 << 20, max_document_bytes=DEFAULT_MAX_DOCUMENT_BYTES)
    list(files.prefetch([RepoFile("pod.yaml", root / "pod.yaml")]))
    monkeypatch.setattr(
        manifest_files, "load_manifest_text", lambda *a, **k: pytest.fail("parsed twice")
    )
    assert [obj.resource for obj in files.look_up("pod.yaml")] == ["Pod/web"]


def test_a_file_changed_after_its_parse_ahead_is_parsed_again(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"pod.yaml": POD})
    files = files_of(root)
    list(files.prefetch([RepoFile("pod.yaml", root / "pod.yaml")]))
    (root / "pod.yaml").write_text(POD.replace("web", "api"), encoding="utf-8")
    objects = files.check(RepoFile("pod.yaml", root / "pod.yaml"))
    assert [obj.resource for obj in objects] == ["Pod/api"]


def test_a_large_file_is_left_for_its_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo(tmp_path, {"pod.yaml": POD})
    monkeypatch.setattr(manifest_files, "PREFETCH_MAX_BYTES", len(POD) - 1)
    files = files_of(root)
    list(files.prefetch([RepoFile("pod.yaml", root / "pod.yaml")]))
    parsed: list[str] = []
    load = manifest_files.load_manifest_text
    monkeypatch.setattr(
        manifest_files,
        "load_manifest_text",
        lambda text, path, **k: parsed.append(path) or load(text, path, **k),
    )
    files.check(RepoFile("pod.yaml", root / "pod.yaml"))
    assert parsed == ["pod.yaml"]


@pytest.mark.parametrize("tampered", [False, True], ids=["parsed", "tampered-entry"])
@pytest.mark.parametrize("bound", [DEFAULT_MAX_DOCUMENT_BYTES, 1 << 16], ids=["same", "other"])
def test_a_file_looked_up_and_then_checked_is_checked_and_reported_once(
    tmp_path: Path, tampered: bool, bound: int
) -> None:
    # A base's file whose objects an overlay deletes: an identity look-up reads it first,
    # and it is still a plain file of the scan.
    root = make_repo(tmp_path / "repo", {"pod.yaml": POD + "---\na: [\n"})
    cached_files_of(root, tmp_path).look_up("pod.yaml")
    if tampered:
        (entry,) = (tmp_path / "cache").rglob("*.entry")
        entry.write_bytes(entry.read_bytes().replace(b'"web"', b'"api"'))
    files = replace(cached_files_of(root, tmp_path), max_document_bytes=bound)
    looked_up = files.look_up("pod.yaml")
    checked = files.check(RepoFile("pod.yaml", root / "pod.yaml"))
    assert [obj.name for obj in checked] == [obj.name for obj in looked_up] == ["web"]
    assert files.checked == ["pod.yaml"]
    rejected = ["render-cache-rejected"] if tampered else []
    assert sorted(f.rule_id for f in files.findings) == ["parse-error", *rejected]
