"""Hardened git on a repository that may be hostile."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from gitwarden.sources.git_repository import GitError, GitRepository


def init(path: Path, *args: str) -> Path:
    subprocess.run(["git", "init", "-q", *args, str(path)], check=True)
    return path


def test_not_a_repository_is_refused(tmp_path: Path) -> None:
    with pytest.raises(GitError, match="not a Git repository"):
        GitRepository(tmp_path)


def test_repository_hooks_never_run(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    marker = tmp_path / "ran"
    hook = repo / ".git" / "hooks" / "post-checkout"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\n")
    hook.chmod(0o755)
    GitRepository(repo).run("checkout", "-q", "-b", "other", check=False)
    assert not marker.exists()


@pytest.mark.parametrize(("configured", "expected"), [("~/k", "~/k"), (None, None)])
def test_user_signing_key_reads_the_configured_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, configured: str | None, expected: str | None
) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    repo = init(tmp_path / "repo")
    if configured is not None:
        subprocess.run(
            ["git", "-C", str(repo), "config", "user.signingkey", configured], check=True
        )
    assert GitRepository(repo).user_signing_key() == expected


def test_user_signing_key_reads_the_users_global_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = init(tmp_path / "repo")
    global_config = tmp_path / "gitconfig"
    global_config.write_text("[user]\n\tsigningkey = /keys/mine\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(global_config))
    assert GitRepository(repo).user_signing_key() == "/keys/mine"


def test_sha256_repository_object_ids_resolve(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo", "--object-format=sha256")
    blob = GitRepository(repo).write_object("blob", b"hello\n")
    assert len(blob) == 64
    assert GitRepository(repo).read_object(blob).data == b"hello\n"
