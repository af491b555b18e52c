"""The pre-receive gate end to end: real `git push` into a real bare repository."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from integrity_fixtures import GIT_ENV, SshKey, commit, git, make_repo

from gitwarden.cli import main
from gitwarden.integrity.ledger_store import read_chain
from gitwarden.sources.git_repository import GitRepository


@pytest.fixture
def pushed(tmp_path: Path, keys: dict[str, SshKey]) -> tuple[Path, Path]:
    """A server with the hooks installed and a working clone whose main is pushed."""
    server = tmp_path / "server.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(server)], check=True)
    assert (
        main(
            [
                "hook",
                "install",
                "--server",
                str(server),
                "--signing-key",
                str(keys["carol"].private),
            ]
        )
        == 0
    )
    work = make_repo(tmp_path / "work")
    policy = {
        "version": 1,
        "principals": {n: {"ssh_keys": [keys[n].public_line]} for n in ("alice", "bob", "carol")},
        "rules": [
            {
                "branches": ["main"],
                "paths": ["clusters/prod/**", ".gitwarden/**"],
                "principals": ["alice"],
            },
            {"branches": ["main"], "principals": ["alice", "bob"]},
        ],
        "protected_refs": ["refs/heads/main", "refs/tags/*"],
    }
    commit(work, {".gitwarden/trust.yaml": yaml.safe_dump(policy)}, "policy", keys["alice"])
    git(work, "remote", "add", "origin", str(server))
    assert push(work, "main").returncode == 0
    return server, work


def push(work: Path, *refspecs: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(work), "push", "-q", "origin", *refspecs],
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV},
        check=False,
    )


def test_signed_allowed_push_is_accepted_and_recorded(
    pushed: tuple[Path, Path], keys: dict[str, SshKey]
) -> None:
    server, work = pushed
    oid = commit(work, {"clusters/dev/app.yaml": "a"}, "dev change", keys["bob"])
    assert push(work, "main").returncode == 0
    entries = [e.parse() for e in read_chain(GitRepository(server))]
    assert entries[-1].refs["refs/heads/main"] == oid


def test_first_push_was_recorded(pushed: tuple[Path, Path]) -> None:
    server, _ = pushed
    assert len(read_chain(GitRepository(server))) == 1


@pytest.mark.parametrize(
    ("signer", "path", "reason"),
    [
        (None, "clusters/dev/a.yaml", "unsigned-commit"),
        ("bob", "clusters/prod/a.yaml", "signer-not-allowed"),
        ("eve", "clusters/dev/a.yaml", "unknown-signer"),
    ],
    ids=["unsigned", "not-allowed-path", "unknown-key"],
)
def test_push_of_unacceptable_commit_is_rejected(
    pushed: tuple[Path, Path], keys: dict[str, SshKey], signer: str | None, path: str, reason: str
) -> None:
    server, work = pushed
    before = git(server, "rev-parse", "main")
    commit(work, {path: "x"}, "bad change", keys[signer] if signer else None)
    result = push(work, "main")
    assert result.returncode != 0
    assert f"[{reason}]" in result.stderr
    assert git(server, "rev-parse", "main") == before


def test_non_fast_forward_push_is_rejected(
    pushed: tuple[Path, Path], keys: dict[str, SshKey]
) -> None:
    _, work = pushed
    commit(work, {"a.txt": "a"}, "one", keys["alice"])
    assert push(work, "main").returncode == 0
    git(work, "reset", "-q", "--hard", "HEAD~1")
    commit(work, {"b.txt": "b"}, "rewrite", keys["alice"])
    result = push(work, "+main")
    assert result.returncode != 0
    assert "non-fast-forward" in result.stderr


def test_deleting_a_protected_branch_is_rejected(pushed: tuple[Path, Path]) -> None:
    _, work = pushed
    result = push(work, ":main")
    assert result.returncode != 0
    assert "deleting a protected ref" in result.stderr


def test_moving_a_tag_is_rejected(pushed: tuple[Path, Path], keys: dict[str, SshKey]) -> None:
    _, work = pushed
    git(work, "tag", "v1")
    assert push(work, "v1").returncode == 0
    commit(work, {"a.txt": "a"}, "one", keys["alice"])
    git(work, "tag", "-f", "v1")
    result = push(work, "+v1")
    assert result.returncode != 0
    assert "moving a tag" in result.stderr


def test_install_refuses_a_non_bare_repository(tmp_path: Path) -> None:
    work = make_repo(tmp_path / "work")
    assert main(["hook", "install", "--server", str(work)]) == 2


def pinned_server(tmp_path: Path, fingerprint: str) -> Path:
    server = tmp_path / "pinned.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(server)], check=True)
    args = ["hook", "install", "--server", str(server), "--policy-fingerprint", fingerprint]
    assert main(args) == 0
    return server


def first_history(tmp_path: Path, keys: dict[str, SshKey], server: Path) -> Path:
    work = make_repo(tmp_path / "first")
    policy = {
        "version": 1,
        "principals": {"alice": {"ssh_keys": [keys["alice"].public_line]}},
        "rules": [{"branches": ["main"], "principals": ["alice"]}],
    }
    commit(work, {".gitwarden/trust.yaml": yaml.safe_dump(policy)}, "policy", keys["alice"])
    git(work, "remote", "add", "origin", str(server))
    return work


@pytest.mark.parametrize(("pin_matches", "accepted"), [(True, True), (False, False)])
def test_pinned_hook_accepts_a_new_root_commit_only_with_the_pinned_policy(
    tmp_path: Path, keys: dict[str, SshKey], pin_matches: bool, accepted: bool
) -> None:
    probe = first_history(tmp_path / "probe", keys, tmp_path / "unused.git")
    shown = subprocess.run(
        [sys.executable, "-m", "gitwarden", "trust", "show", "--repo", str(probe), "-f", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    fingerprint = json.loads(shown.stdout)["fingerprint"] if pin_matches else "sha256:" + "0" * 64
    server = pinned_server(tmp_path, fingerprint)
    work = first_history(tmp_path, keys, server)
    result = push(work, "main")
    assert (result.returncode == 0) is accepted
    if not accepted:
        assert "[trust-root-mismatch]" in result.stderr


@pytest.mark.parametrize(
    ("oid", "zero"), [("0" * 40, True), ("0" * 64, True), ("0" * 39 + "1", False)]
)
def test_zero_ids_of_both_object_formats_mean_no_object(oid: str, zero: bool) -> None:
    from gitwarden.integrity.hooks import is_zero

    assert is_zero(oid) is zero
