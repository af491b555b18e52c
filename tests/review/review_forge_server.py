"""Serving recorded forge responses (tests/review/responses/*.json) from pytest-httpserver.

``{base}`` in a header is the server's URL (Link headers); other ``{name}`` placeholders in
headers and bodies are filled from ``fill`` (the change's head commit).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer

RESPONSES = Path(__file__).parent / "responses"


def serve(server: HTTPServer, name: str, **fill: str) -> None:
    values = {"base": server.url_for("").rstrip("/"), **fill}
    document = json.loads((RESPONSES / f"{name}.json").read_text(encoding="utf-8"))
    for exchange in document["exchanges"]:
        headers = {key: _fill(value, values) for key, value in exchange["headers"].items()}
        body = json.loads(_fill(json.dumps(exchange["body"]), values))
        expect = server.expect_oneshot_request if exchange.get("once") else server.expect_request
        expect(
            exchange["path"], method="GET", query_string=exchange["query"] or None
        ).respond_with_json(body, status=exchange["status"], headers=headers)


def _fill(value: Any, values: dict[str, str]) -> Any:
    for key, filled in values.items():
        value = value.replace("{" + key + "}", filled)
    return value
