"""Object sizes read in one batch, missing objects left out."""

from __future__ import annotations

import subprocess
from pathlib import Path

from gitwarden.sources.git_repository import GitRepository
from gitwarden.sources.object_sizes import object_sizes


def test_sizes_of_present_objects_only(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path / "repo")], check=True)
    repo = GitRepository(tmp_path / "repo")
    blob = repo.write_object("blob", b"12345")
    assert object_sizes(repo, [blob, "0" * 40]) == {blob: 5}


def test_duplicate_ids_are_asked_once(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path / "repo")], check=True)
    repo = GitRepository(tmp_path / "repo")
    blob = repo.write_object("blob", b"abc")
    assert object_sizes(repo, [blob, blob]) == {blob: 3}
