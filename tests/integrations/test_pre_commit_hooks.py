"""The pre-commit hooks, run by the real pre-commit tool from a local clone of this worktree.

pre-commit installs the hooks' ``language: python`` environment once per session (pip reads
the package index configured for this machine); every test then commits or pushes in its own
repository, so the hooks run as pre-commit runs them for a user.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from host_fixtures import (
    CLEAN_CONFIGMAP,
    PRIVILEGED_POD,
    clone_of_this_worktree,
    commit_all,
    git,
    host_env,
    make_repo,
    ssh_key,
)

from secrets_values import GITHUB_TOKEN

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]
HOOK_IDS = {"gitwarden-scan", "gitwarden-secrets", "gitwarden-verify"}


@pytest.fixture(scope="session")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return clone_of_this_worktree(tmp_path_factory.mktemp("hooks") / "gitwarden")


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def env(pre_commit_home: Path, tmp_path: Path) -> dict[str, str]:
    return host_env(
        PRE_COMMIT_HOME=str(pre_commit_home),
        GITWARDEN_STATE_DIR=str(tmp_path / "state"),
        NO_COLOR="1",
    )


def use_hooks(repo: Path, hooks_repo: Path, *hook_ids: str, hook_type: str = "pre-commit") -> None:
    config = {
        "repos": [
            {
                "repo": str(hooks_repo),
                "rev": git(hooks_repo, "rev-parse", "HEAD"),
                "hooks": [{"id": hook_id} for hook_id in hook_ids],
            }
        ]
    }
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    subprocess.run(
        [*PRE_COMMIT, "install", "--hook-type", hook_type],
        cwd=repo,
        env=host_env(),
        check=True,
        capture_output=True,
    )


def git_commit(repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    git(repo, "add", "-A", env=env)
    return subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "change"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


def test_hooks_file_declares_the_three_hooks() -> None:
    from host_fixtures import REPOSITORY_ROOT

    hooks = yaml.safe_load((REPOSITORY_ROOT / ".pre-commit-hooks.yaml").read_text())
    assert {hook["id"] for hook in hooks} == HOOK_IDS


@pytest.mark.parametrize(
    ("content", "refused"),
    [(PRIVILEGED_POD, True), (CLEAN_CONFIGMAP, False)],
    ids=["privileged-pod-refused", "clean-configmap-accepted"],
)
def test_scan_hook_gates_the_commit_on_staged_manifests(
    tmp_path: Path, hooks_repo: Path, env: dict[str, str], content: str, refused: bool
) -> None:
    repo = make_repo(tmp_path / "repo")
    use_hooks(repo, hooks_repo, "gitwarden-scan")
    (repo / "apps").mkdir()
    (repo / "apps" / "web.yaml").write_text(content)

    done = git_commit(repo, env)

    assert (done.returncode != 0) is refused, done.stdout + done.stderr
    if refused:
        assert "pss-privileged" in done.stdout + done.stderr


def test_scan_hook_reports_only_what_the_commit_changes(
    tmp_path: Path, hooks_repo: Path, env: dict[str, str]
) -> None:
    repo = make_repo(tmp_path / "repo", {"apps/old.yaml": PRIVILEGED_POD})
    commit_all(repo, "an old finding, already in HEAD")
    use_hooks(repo, hooks_repo, "gitwarden-scan")
    (repo / "apps" / "settings.yaml").write_text(CLEAN_CONFIGMAP)

    done = git_commit(repo, env)

    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("content", "refused"),
    [(f"GITHUB_TOKEN={GITHUB_TOKEN}\n", True), ("GREETING=hello\n", False)],
    ids=["token-refused", "plain-settings-accepted"],
)
def test_secrets_hook_gates_the_commit_on_staged_content(
    tmp_path: Path, hooks_repo: Path, env: dict[str, str], content: str, refused: bool
) -> None:
    repo = make_repo(tmp_path / "repo")
    use_hooks(repo, hooks_repo, "gitwarden-secrets")
    (repo / "deploy.env").write_text(content)

    done = git_commit(repo, env)

    assert (done.returncode != 0) is refused, done.stdout + done.stderr
    assert GITHUB_TOKEN not in done.stdout + done.stderr


def test_secrets_hook_leaves_a_staged_manifest_problem_to_the_scan_hook(
    tmp_path: Path, hooks_repo: Path, env: dict[str, str]
) -> None:
    repo = make_repo(tmp_path / "repo")
    use_hooks(repo, hooks_repo, "gitwarden-secrets")
    (repo / "apps").mkdir()
    (repo / "apps" / "web.yaml").write_text(PRIVILEGED_POD)

    done = git_commit(repo, env)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "pss-privileged" not in done.stdout + done.stderr


@pytest.mark.parametrize("signed", [True, False], ids=["signed-pushed", "unsigned-refused"])
def test_verify_hook_gates_the_push_on_signed_commits(
    tmp_path: Path, hooks_repo: Path, env: dict[str, str], signed: bool
) -> None:
    gitwarden = shutil.which("gitwarden", path=str(Path(sys.executable).parent))
    assert gitwarden is not None
    alice = ssh_key(tmp_path / "keys", "alice")
    repo = make_repo(tmp_path / "repo")
    for command in (
        ["trust", "init"],
        ["trust", "add", "alice", "--key", f"{alice}.pub"],
        ["trust", "allow", "alice", "--branch", "main"],
    ):
        subprocess.run([gitwarden, *command], cwd=repo, env=env, check=True, capture_output=True)
    commit_all(repo, "trust policy", signing_key=alice)
    (repo / "app.txt").write_text("v2\n")
    commit_all(repo, "second", signing_key=alice if signed else None)
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(repo, "remote", "add", "origin", str(remote))
    use_hooks(repo, hooks_repo, "gitwarden-verify", hook_type="pre-push")

    done = subprocess.run(
        ["git", "push", "-q", "origin", "main"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )

    assert (done.returncode == 0) is signed, done.stdout + done.stderr
    if not signed:
        assert "not signed" in done.stdout + done.stderr
