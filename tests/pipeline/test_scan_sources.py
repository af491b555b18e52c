"""The source stage: a folder's walk, render plan and check inputs; a single file as is."""

from __future__ import annotations

from pathlib import Path

from pipeline_repos import make_repo

from gitwarden.config import Config
from gitwarden.pipeline.scan_sources import ScanSources, collect_sources

POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec: {containers: []}\n"


def sources_of(target: Path, config: Config | None = None) -> ScanSources:
    return collect_sources(target, config or Config(), render=False, allow_network=False)


def test_folder_sources_list_every_kept_file_and_the_manifests(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"pod.yaml": POD, "Dockerfile": "FROM scratch\n"})
    sources = sources_of(root)
    assert [f.path for f in sources.files] == ["Dockerfile", "pod.yaml"]
    assert [f.path for f in sources.manifest_files] == ["pod.yaml"]
    assert [d.path for d in sources.inputs.dockerfiles] == ["Dockerfile"]


def test_walk_refusals_are_source_findings(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"pod.yaml": POD})
    (root / "escape").symlink_to(tmp_path)
    assert [f.rule_id for f in sources_of(root).findings] == ["symlink-outside-repo"]


def test_config_excludes_reach_the_walk(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"pod.yaml": POD, "vendor/pod.yaml": POD})
    sources = sources_of(root, Config(exclude=("vendor/",)))
    assert [f.path for f in sources.manifest_files] == ["pod.yaml"]


def test_single_file_is_its_own_source_with_nothing_to_render(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"notes.txt": POD, ".sops.yaml": "creation_rules: []\n"})
    sources = sources_of(root / "notes.txt")
    assert sources.root == root
    assert [f.path for f in sources.manifest_files] == ["notes.txt"]
    assert (sources.plan.overlays, sources.plan.charts, sources.inputs.paths) == ((), (), ())
