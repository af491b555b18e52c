"""Hostile repositories built with the real `git`, scanned through the real command line.

Every hostile test runs `python -m gitwarden` in a child process, as CI would: a crash is
exit 3, a hang is caught by the timeout, and the JSON report is what a gate would read.
"""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import textwrap
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GIT_ENV = {
    **os.environ,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "Mallory Example",
    "GIT_AUTHOR_EMAIL": "mallory@example.org",
    "GIT_COMMITTER_NAME": "Mallory Example",
    "GIT_COMMITTER_EMAIL": "mallory@example.org",
}
CLI_TIMEOUT_SECONDS = 120

DIGEST = "0123456789abcdef" * 4
PRIVILEGED_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: root-shell
  namespace: tools
spec:
  containers:
    - name: shell
      image: registry.example.com/shell:1.0@sha256:{DIGEST}
      securityContext:
        privileged: true
""".replace("{DIGEST}", DIGEST)

QUIET_CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: tools
data:
  mode: quiet
"""


def git(repo: Path, *args: str) -> str:
    completed = subprocess.run(
        ["git", "-C", str(repo), *args], env=GIT_ENV, capture_output=True, text=True, check=True
    )
    return completed.stdout.strip()


def make_repo(root: Path, files: dict[str, str | bytes], *, commit: bool = True) -> Path:
    """A Git repository at ``root`` holding ``files`` (text is dedented), committed."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    if commit and files:
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "hostile content")
    return root


@dataclass(frozen=True)
class CliRun:
    """One run of the command line: exit code, both streams, and the JSON report if any."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def report(self) -> dict[str, Any]:
        document: dict[str, Any] = json.loads(self.stdout)
        return document

    def findings(self, rule: str) -> list[dict[str, Any]]:
        return [f for f in self.report["findings"] if f["rule"] == rule]


def run_cli(*args: str | Path, cwd: Path | None = None) -> CliRun:
    """``python -m gitwarden ARGS`` in a child process, with a hard timeout."""
    completed = subprocess.run(
        [sys.executable, "-m", "gitwarden", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_SECONDS,
        check=False,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"},
    )
    return CliRun(completed.returncode, completed.stdout, completed.stderr)


def scan_json(repo: Path, *args: str) -> CliRun:
    """``gitwarden scan REPO --format json ARGS``; fails the test on an internal error."""
    run = run_cli("scan", repo, "--format", "json", *args)
    assert run.exit_code in (0, 1), run.stderr[-3000:]
    return run


class RecordingServer:
    """An HTTP server on 127.0.0.1 that serves ``files`` and records every request path."""

    def __init__(self, files: dict[str, str]) -> None:
        self.requests: list[str] = []
        requests = self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                requests.append(self.path)
                body = files.get(self.path.lstrip("/"), "").encode()
                self.send_response(200 if body else 404)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                return  # the test reads self.requests, not a log

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> RecordingServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
