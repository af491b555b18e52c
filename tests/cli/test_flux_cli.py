"""`gitwarden flux promote`: exit 0 and the tag moved on allow, 1 and the tag untouched on deny."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gitops_checkout import CONFIGMAP, SignedRepo, git, gpg_key, signed_repo, stop_gpg_agent
from gitwarden.cli import EXIT_FINDINGS, EXIT_PASS, main


@pytest.fixture
def gnupghome(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "gnupg"
    monkeypatch.setenv("GNUPGHOME", str(home))
    yield home
    stop_gpg_agent(home)


def run(repo: SignedRepo, revision: str, key: str) -> int:
    return main(
        [
            *("flux", "promote", "--repo", str(repo.path), "--rev", revision, "--env", "prod"),
            *("--tag-key", key, "--signing-key", str(repo.gate_key), "--audit", repo.audit),
        ]
    )


@pytest.mark.parametrize(
    ("signed", "code", "tagged"),
    [(True, EXIT_PASS, "gitwarden/allowed/prod"), (False, EXIT_FINDINGS, "")],
    ids=["allowed-tag-moved", "denied-no-tag"],
)
def test_promote_exit_code_follows_the_gate(
    tmp_path: Path,
    gnupghome: Path,
    capsys: pytest.CaptureFixture[str],
    signed: bool,
    code: int,
    tagged: str,
) -> None:
    repo = signed_repo(tmp_path)
    key = gpg_key(gnupghome, "gate@example.com")
    revision = repo.commit({"clusters/prod/more.yaml": CONFIGMAP}, signed=signed)

    assert run(repo, revision, key) == code

    assert git(repo.path, "tag", "--list") == tagged
    assert ("ALLOW" if signed else "DENY") in capsys.readouterr().err
