"""The Flux pattern: the CI job's promote step, run as a runner runs it, moves the signed tag
that the shipped GitRepository follows and verifies; the manifests agree with the command."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from host_fixtures import REPOSITORY_ROOT

from gitops_checkout import (
    CONFIGMAP,
    GPG_BATCH,
    SignedRepo,
    git,
    gpg_key,
    signed_repo,
    stop_gpg_agent,
)
from gitwarden.commands.flux import default_tag

FLUX = REPOSITORY_ROOT / "integrations" / "flux"
TAG = default_tag("prod")


@pytest.fixture
def homes(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """The operator's GNUPGHOME (where the tag key is made) and the runner's (empty)."""
    operator, runner = tmp_path / "gnupg-operator", tmp_path / "gnupg-runner"
    runner.mkdir(mode=0o700)
    yield operator, runner
    stop_gpg_agent(operator)
    stop_gpg_agent(runner)


def promote_step() -> str:
    workflow = yaml.safe_load((FLUX / "promote-workflow.yml").read_text())
    [step] = [
        s for s in workflow["jobs"]["promote"]["steps"] if "gitwarden flux" in s.get("run", "")
    ]
    return str(step["run"])


def run_promote_step(
    repo: SignedRepo, revision: str, homes: tuple[Path, Path], tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    operator, runner = homes
    fingerprint = gpg_key(operator, "gate@example.com")
    secret = subprocess.run(
        [*GPG_BATCH, "--armor", "--export-secret-keys", fingerprint],
        env={**os.environ, "GNUPGHOME": str(operator)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    (tmp_path / "runner-temp").mkdir()
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "GNUPGHOME": str(runner),
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GITHUB_SHA": revision,
        "RUNNER_TEMP": str(tmp_path / "runner-temp"),
        "GITWARDEN_GATE_KEY": repo.gate_key.read_text(),
        "GITWARDEN_TAG_KEY": secret,
        "GITWARDEN_AUDIT_URL": repo.audit,
        "GITWARDEN_STATE_DIR": str(tmp_path / "state"),
    }
    return subprocess.run(
        ["bash", "-eo", "pipefail", "-c", promote_step()],
        cwd=repo.path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def with_remote(repo: SignedRepo, tmp_path: Path) -> Path:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(repo.path, "remote", "add", "origin", str(remote))
    return remote


@pytest.mark.parametrize("signed", [True, False], ids=["allowed-pushed", "denied-not-pushed"])
def test_the_ci_promote_step_pushes_a_verifiable_tag_only_on_allow(
    tmp_path: Path, homes: tuple[Path, Path], signed: bool
) -> None:
    repo = signed_repo(tmp_path)
    remote = with_remote(repo, tmp_path)
    revision = repo.commit({"clusters/prod/more.yaml": CONFIGMAP}, signed=signed)

    done = run_promote_step(repo, revision, homes, tmp_path)

    assert (done.returncode == 0) is signed, done.stdout + done.stderr
    pushed = git(remote, "tag", "--list")
    assert pushed == (TAG if signed else "")
    if signed:
        assert git(remote, "rev-parse", f"{TAG}^{{commit}}") == revision
        verified = subprocess.run(
            ["git", "-C", str(remote), "-c", "gpg.program=gpg", "verify-tag", TAG],
            env={**os.environ, "GNUPGHOME": str(homes[1]), "GIT_CONFIG_GLOBAL": "/dev/null"},
            capture_output=True,
            text=True,
            check=False,
        )
        assert verified.returncode == 0, verified.stderr


def test_the_gitrepository_follows_and_verifies_the_promoted_tag() -> None:
    source = yaml.safe_load((FLUX / "gitrepository.yaml").read_text())

    assert source["spec"]["ref"] == {"tag": TAG}
    assert source["spec"]["verify"]["mode"] in {"Tag", "TagAndHEAD"}
    assert source["spec"]["verify"]["secretRef"]["name"]


def test_the_flux_kustomization_applies_from_that_source() -> None:
    source = yaml.safe_load((FLUX / "gitrepository.yaml").read_text())
    kustomization = yaml.safe_load((FLUX / "flux-kustomization.yaml").read_text())

    assert kustomization["spec"]["sourceRef"] == {
        "kind": "GitRepository",
        "name": source["metadata"]["name"],
    }


def test_the_ci_step_pushes_the_tag_the_gitrepository_follows() -> None:
    assert f"git push --force origin refs/tags/{TAG}" in promote_step()
