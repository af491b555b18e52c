"""The progress bar: on a terminal's standard error for text output; never on a pipe, never
with a machine format, never with --quiet. A real pseudo-terminal stands in for the user's."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from argparse import Namespace
from pathlib import Path

import pytest

from gitwarden.cli.progress import RichProgress, progress_for
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
    env = {**os.environ, "GITWARDEN_STATE_DIR": str(tmp_path / "state")}

    done = subprocess.run(
        [GITWARDEN, "scan", ".", "--no-cache"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )

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
