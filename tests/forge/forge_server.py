"""Replaying recorded forge responses (tests/forge/responses/*.json) from a local HTTP server.

Each file holds real-shaped exchanges written from GitHub's and GitLab's REST API
documentation: path, query, status, headers and body. ``{base}`` in a header is the server's
URL (for ``Link`` headers); other ``{name}`` placeholders are filled from ``fill``.
"""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer

RESPONSES = Path(__file__).parent / "responses"
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
KEYS = {
    "alice": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKZn+z/rCdP5OGkTJ2vlf440UXTBc0DqkJKIUTpN6lW0",
    "bob": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFlNHXycDgQ3tUg4TL+sXmg9/UQr3wVbSDOcg3Xg6+sc",
}
TRUST_POLICY = f"""\
version: 1
max_key_age_days: 365
key_age_warning_days: 30
principals:
  alice:
    ssh_keys:
      - key: {KEYS["alice"]} alice@example.com
        added: 2026-01-10
  bob:
    ssh_keys:
      - key: {KEYS["bob"]} bob@example.com
        added: 2026-01-10
rules:
  - branches: [main]
    principals: [alice, bob]
"""


def exchanges(name: str) -> list[dict[str, Any]]:
    document = json.loads((RESPONSES / f"{name}.json").read_text(encoding="utf-8"))
    return list(document["exchanges"])


def serve(server: HTTPServer, *names: str, **fill: str) -> None:
    """Answer every exchange of the named files; earlier files win over later ones."""
    values = {"base": server.url_for("").rstrip("/"), **fill}
    for name in names:
        for exchange in exchanges(name):
            headers = {
                header: _fill(value, values)
                for header, value in exchange.get("headers", {}).items()
            }
            expect = (
                server.expect_oneshot_request if exchange.get("once") else server.expect_request
            )
            expect(
                exchange["path"], method="GET", query_string=exchange["query"] or None
            ).respond_with_json(exchange["body"], status=exchange["status"], headers=headers)


def _fill(value: str, values: dict[str, str]) -> str:
    for name, filled in values.items():
        value = value.replace("{" + name + "}", filled)
    return value


def make_repository(root: Path, origin: str, *, trust: bool = True) -> Path:
    """A real git repository at ``root`` with ``origin`` as its remote and a trust policy."""
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "remote", "add", "origin", origin], check=True)
    if trust:
        (root / ".gitwarden").mkdir()
        (root / ".gitwarden" / "trust.yaml").write_text(TRUST_POLICY, encoding="utf-8")
    return root
