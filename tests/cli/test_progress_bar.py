"""The progress bar: on a terminal's standard error for text output; never on a pipe, never
with a machine format, never with --quiet. A real pseudo-terminal stands in for the user's."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from argparse import Namespace
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from forge.forge_server import make_repository, serve
from gitwarden.cli import main
from gitwarden.cli.progress import progress_for
from gitwarden.cli.progress_bar import RichProgress
from gitwarden.progress import SILENT

GITWARDEN = str(Path(sys.executable).parent / "gitwarden")
STAGE = "rendering 1 overlays and charts"
needs_kustomize = pytest.mark.skipif(
    shutil.which("kubectl") is None and shutil.which("kustomize") is None,
    reason="needs kubectl or kustomize on PATH",
)


def overlay_repo(root: Path) -> Path:
    (root / "app").mkdir(parents=True)
    (root / "app" / "settings.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: shop}\n"
    )
    (root / "app" / "kustomization.yaml").write_text("resources: [settings.yaml]\n")
    return root


def stderr_on_a_terminal(*args: str, cwd: Path) -> str:
    """What ``gitwarden ARGS`` writes to standard error when that is a pseudo-terminal."""
    controller, terminal = os.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "GITWARDEN_STATE_DIR": str(cwd / "state")}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen(
        [GITWARDEN, *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=terminal,
        env=env,
    )
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=300)
    os.close(controller)
    return b"".join(chunks).decode("utf-8", "replace")


def run_on_a_pipe(*args: str, cwd: Path, state: Path) -> subprocess.CompletedProcess[str]:
    """``gitwarden ARGS`` with its standard output and error on pipes."""
    return subprocess.run(
        [GITWARDEN, *args],
        cwd=cwd,
        env={**os.environ, "GITWARDEN_STATE_DIR": str(state)},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@needs_kustomize
def test_a_scan_on_a_terminal_shows_what_it_renders(tmp_path: Path) -> None:
    repo = overlay_repo(tmp_path / "repo")

    assert STAGE in stderr_on_a_terminal("scan", ".", "--no-cache", cwd=repo)


@needs_kustomize
@pytest.mark.parametrize(
    "options",
    [("--format", "json"), ("--format", "sarif"), ("--quiet",), ("-q",)],
    ids=["json", "sarif", "quiet", "q"],
)
def test_no_bar_with_a_machine_format_or_quiet(tmp_path: Path, options: tuple[str, ...]) -> None:
    repo = overlay_repo(tmp_path / "repo")

    assert STAGE not in stderr_on_a_terminal("scan", ".", "--no-cache", *options, cwd=repo)


@needs_kustomize
def test_nothing_extra_on_a_pipe(tmp_path: Path) -> None:
    repo = overlay_repo(tmp_path / "repo")

    done = run_on_a_pipe("scan", ".", "--no-cache", cwd=repo, state=tmp_path / "state")

    assert done.stderr == ""
    assert STAGE not in done.stdout


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("args", "stream", "rich"),
    [
        (Namespace(format="text", quiet=False), _Terminal(), True),
        (Namespace(format="text", quiet=False), io.StringIO(), False),
        (Namespace(format="json", quiet=False), _Terminal(), False),
        (Namespace(format="text", quiet=True), _Terminal(), False),
    ],
    ids=["terminal-text", "pipe", "terminal-json", "terminal-quiet"],
)
def test_the_bar_is_chosen_only_for_a_person_at_a_terminal(
    args: Namespace, stream: io.StringIO, rich: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM", "xterm")

    progress = progress_for(args, stream)

    assert isinstance(progress, RichProgress) is rich
    assert (progress is SILENT) is not rich


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def history_repo(root: Path, commits: int) -> Path:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    identity = ["-c", "user.name=T", "-c", "user.email=t@example.com"]
    root.mkdir(parents=True)
    subprocess.run(["git", "-C", str(root), "init", "-q", "-b", "main"], env=env, check=True)
    for number in range(commits):
        (root / f"file{number}.txt").write_text(f"content {number}\n")
        for args in (["add", "-A"], [*identity, "commit", "-q", "-m", f"change {number}"]):
            subprocess.run(["git", "-C", str(root), *args], env=env, check=True)
    return root


def counts_shown(stderr: str, stage: str) -> list[tuple[int, int]]:
    """Every "done/total" the bar of ``stage`` drew, in order."""
    plain = ANSI.sub("", stderr)
    return [
        (int(done), int(total))
        for done, total in re.findall(rf"{re.escape(stage)} [━╸╺ ]*\s*(\d+)/(\d+)", plain)
    ]


def assert_counted_up_to(seen: list[tuple[int, int]], total: int) -> None:
    """Drawn from 0 of ``total`` to all of it, never going back."""
    assert seen[0] == (0, total) and seen[-1] == (total, total)
    assert {t for _, t in seen} == {total}
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


COMMANDS = {
    "history": (("history", ".", "--no-cache"), "walking the history for secrets"),
    "verify": (("verify",), "verifying commit signatures"),
}


@pytest.mark.parametrize("command", COMMANDS)
def test_history_and_verify_count_the_commits_on_a_terminal(tmp_path: Path, command: str) -> None:
    repo = history_repo(tmp_path / "repo", 5)
    args, stage = COMMANDS[command]

    seen = counts_shown(stderr_on_a_terminal(*args, cwd=repo), stage)

    assert_counted_up_to(seen, 5)


def test_history_counts_the_blobs_it_scans_on_a_terminal(tmp_path: Path) -> None:
    repo = history_repo(tmp_path / "repo", 4)

    stderr = stderr_on_a_terminal("history", ".", "--no-cache", cwd=repo)

    assert_counted_up_to(counts_shown(stderr, "scanning 4 blobs for secrets"), 4)


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("options", [("--format", "json"), ("--quiet",)], ids=["json", "quiet"])
def test_history_and_verify_draw_no_bar_for_json_or_quiet(
    tmp_path: Path, command: str, options: tuple[str, ...]
) -> None:
    repo = history_repo(tmp_path / "repo", 3)
    args, stage = COMMANDS[command]

    assert stage not in stderr_on_a_terminal(*args, *options, cwd=repo)


@pytest.mark.parametrize("command", COMMANDS)
def test_history_and_verify_write_nothing_extra_on_a_pipe(tmp_path: Path, command: str) -> None:
    repo = history_repo(tmp_path / "repo", 3)
    args, stage = COMMANDS[command]

    done = run_on_a_pipe(*args, cwd=repo, state=tmp_path / "state")

    assert done.stderr == ""
    assert stage not in done.stdout


def replayed_audit(
    tmp_path: Path, server: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[str], int]:
    """`forge audit` arguments replaying a weak GitHub's answers, recorded once from a
    served forge (one saved file per API call), and how many calls it makes."""
    repo = make_repository(tmp_path / "gitops", "git@github.com:acme/gitops.git")
    serve(server, "github_weak")
    saved = tmp_path / "saved"
    recording = ["forge", "audit", "--repo", str(repo), "--save-forge-data", str(saved), "-q"]
    monkeypatch.setenv("GITHUB_API_URL", server.url_for("").rstrip("/"))
    main(recording)
    return ["forge", "audit", "--repo", str(repo), "--forge-data", str(saved)], len(
        list(saved.iterdir())
    )


def test_forge_audit_counts_its_api_calls_on_a_terminal(
    tmp_path: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    audit, calls = replayed_audit(tmp_path, httpserver, monkeypatch)

    plain = ANSI.sub("", stderr_on_a_terminal(*audit, cwd=tmp_path))

    done = [int(n) for n in re.findall(r"settings of acme/gitops (\d+) done", plain)]
    assert calls > 1 and done[-1] == calls and done == sorted(done)


@pytest.mark.parametrize("options", [("--format", "json"), ("--quiet",)], ids=["json", "quiet"])
def test_forge_audit_draws_no_bar_for_json_or_quiet(
    tmp_path: Path,
    httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    options: tuple[str, ...],
) -> None:
    audit, _ = replayed_audit(tmp_path, httpserver, monkeypatch)

    assert "settings of acme/gitops" not in stderr_on_a_terminal(*audit, *options, cwd=tmp_path)
