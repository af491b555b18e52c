"""The gate's view of an Argo CD checkout: origin's branches as branches, the checkout untouched."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from gitwarden.commands.argocd_checkout import gate_view
from gitwarden.sources.git_repository import GitRepository

GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(folder), *args],
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def argocd_like_clone(tmp_path: Path) -> tuple[Path, str]:
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, "init", "-q", "-b", "main")
    (origin / "app.yaml").write_text("kind: ConfigMap\n")
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "first")
    head = git(origin, "rev-parse", "HEAD")
    git(origin, "tag", "v1")
    clone = tmp_path / "clone"
    clone.mkdir()
    git(clone, "init", "-q")
    git(clone, "remote", "add", "origin", str(origin))
    git(clone, "fetch", "-q", "origin", "--tags", "--force", "--prune")
    git(clone, "checkout", "-q", "--force", head)
    return clone, head


def test_the_view_holds_origins_branches_as_branches(tmp_path: Path) -> None:
    clone, head = argocd_like_clone(tmp_path)

    view = gate_view(GitRepository(clone), tmp_path / "view")

    refs = view.refs()
    assert refs["refs/heads/main"] == head
    assert "refs/tags/v1" in refs
    assert view.read_object(head).kind == "commit"


def test_the_view_leaves_the_checkout_as_it_was(tmp_path: Path) -> None:
    clone, _ = argocd_like_clone(tmp_path)
    before = GitRepository(clone).refs()

    gate_view(GitRepository(clone), tmp_path / "view")

    assert GitRepository(clone).refs() == before
    assert "refs/heads/main" not in before


def test_a_shallow_checkout_is_judged_as_it_is(tmp_path: Path) -> None:
    clone, _ = argocd_like_clone(tmp_path)
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{clone.parent / 'origin'}", str(shallow))

    view = gate_view(GitRepository(shallow), tmp_path / "view")

    assert view.path == shallow
    assert view.is_shallow()
