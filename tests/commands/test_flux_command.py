"""`gitwarden.flux_promote()`: on allow a signed tag Flux can verify moves to REV; on deny it
stays where it was. Real git, real gpg (a key in a private GNUPGHOME), real gate."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

import gitwarden
from gitops_checkout import CONFIGMAP, SignedRepo, git, gpg_key, signed_repo, stop_gpg_agent
from gitwarden.commands.flux import FluxPromoteOptions, FluxPromoteResult, flux_promote
from gitwarden.errors import UsageError

TAG = "gitwarden/allowed/prod"


@pytest.fixture
def gnupghome(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    monkeypatch.setenv("GNUPGHOME", str(home))
    yield home
    stop_gpg_agent(home)


def promote(repo: SignedRepo, revision: str, key: str, **options: object) -> FluxPromoteResult:
    settings: dict[str, object] = {
        "revision": revision,
        "environment": "prod",
        "tag_key": key,
        "signing_key": repo.gate_key,
        "audit": repo.audit,
    }
    settings.update(options)
    return flux_promote(repo.path, None, FluxPromoteOptions(**settings))  # type: ignore[arg-type]


def verify_tag(repo: SignedRepo, tag: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(repo.path), "-c", "gpg.program=gpg", "verify-tag", tag],
        env={**os.environ, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_an_allowed_revision_moves_a_tag_git_verifies(tmp_path: Path, gnupghome: Path) -> None:
    repo = signed_repo(tmp_path)
    key = gpg_key(gnupghome, "gate@example.com")
    head = git(repo.path, "rev-parse", "HEAD")

    result = promote(repo, head, key)

    assert result.allowed and result.moved
    assert git(repo.path, "rev-parse", f"{TAG}^{{commit}}") == head
    assert git(repo.path, "cat-file", "-t", TAG) == "tag"
    verified = verify_tag(repo, TAG)
    assert verified.returncode == 0, verified.stderr
    assert key in verified.stderr.replace(" ", "")


def test_a_denied_revision_leaves_the_tag_where_it_was(tmp_path: Path, gnupghome: Path) -> None:
    repo = signed_repo(tmp_path)
    key = gpg_key(gnupghome, "gate@example.com")
    allowed = git(repo.path, "rev-parse", "HEAD")
    promote(repo, allowed, key)
    before = git(repo.path, "rev-parse", TAG)
    unsigned = repo.commit({"clusters/prod/more.yaml": CONFIGMAP}, signed=False)

    result = promote(repo, unsigned, key)

    assert not result.allowed and not result.moved
    assert git(repo.path, "rev-parse", TAG) == before
    assert result.previous == before


def test_a_denied_first_promotion_creates_no_tag(tmp_path: Path, gnupghome: Path) -> None:
    repo = signed_repo(tmp_path)
    key = gpg_key(gnupghome, "gate@example.com")
    unsigned = repo.commit({"clusters/prod/more.yaml": CONFIGMAP}, signed=False)

    promote(repo, unsigned, key)

    assert git(repo.path, "tag", "--list") == ""


def test_the_tag_moves_forward_to_the_next_allowed_revision(
    tmp_path: Path, gnupghome: Path
) -> None:
    repo = signed_repo(tmp_path)
    key = gpg_key(gnupghome, "gate@example.com")
    first = promote(repo, git(repo.path, "rev-parse", "HEAD"), key)
    second_commit = repo.commit({"clusters/prod/more.yaml": CONFIGMAP.replace("settings", "more")})

    second = promote(repo, second_commit, key, tag="release/prod")
    third = promote(repo, second_commit, key)

    assert git(repo.path, "rev-parse", "release/prod^{commit}") == second_commit
    assert second.previous is None
    assert third.previous == first.tag_object
    assert git(repo.path, "rev-parse", f"{TAG}^{{commit}}") == second_commit


def test_a_key_gpg_does_not_hold_is_an_error_and_no_tag(tmp_path: Path, gnupghome: Path) -> None:
    repo = signed_repo(tmp_path)

    with pytest.raises(UsageError, match="could not sign"):
        promote(repo, "HEAD", "nobody@example.com")

    assert git(repo.path, "tag", "--list") == ""


@pytest.mark.parametrize("tag", ["bad..name", "with space", "ends/"], ids=str)
def test_an_invalid_tag_name_is_refused_before_the_gate(
    tmp_path: Path, gnupghome: Path, tag: str
) -> None:
    repo = signed_repo(tmp_path)

    with pytest.raises(UsageError, match="not a valid tag name"):
        promote(repo, "HEAD", "gate@example.com", tag=tag)


def test_the_package_exports_flux_promote() -> None:
    assert gitwarden.flux_promote is flux_promote
