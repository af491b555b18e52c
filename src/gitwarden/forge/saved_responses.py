"""Saved API responses: one JSON file per request, for audits and air-gapped runs.

`--save-forge-data DIR` writes every answer the audit used; `--forge-data DIR` replays them
instead of asking the API. A file holds the request key, status, the kept headers and the
body; request headers (the token) are never written.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from types import MappingProxyType
from typing import Any

from gitwarden.forge.errors import ForgeError, SavedResponseMissingError
from gitwarden.forge.transport import ForgeResponse, Request, Transport

MAX_SAVED_BYTES = 16 * 1024 * 1024
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def response_file_name(request: Request) -> str:
    """A readable, collision-free file name for ``request``: its path, then a digest."""
    digest = hashlib.sha256(request.key.encode()).hexdigest()[:12]
    readable = _UNSAFE.sub("_", request.path).strip("_")[:80]
    return f"GET_{readable}_{digest}.json"


class SavedResponses:
    """Answers requests from a folder written by `RecordingTransport`."""

    def __init__(self, folder: Path) -> None:
        if not folder.is_dir():
            raise ForgeError(f"--forge-data {folder}: no such folder")
        self.folder = folder

    def get(self, request: Request) -> ForgeResponse:
        path = self.folder / response_file_name(request)
        if not path.is_file():
            raise SavedResponseMissingError(
                f"--forge-data {self.folder}: no saved response for {request.key}",
                hint="record the audit again with --save-forge-data against the live API",
            )
        if path.stat().st_size > MAX_SAVED_BYTES:
            raise ForgeError(f"{path}: larger than {MAX_SAVED_BYTES} bytes")
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
            return _response_from(saved)
        except (ValueError, KeyError, TypeError):
            raise ForgeError(f"{path}: not a saved forge response") from None


class RecordingTransport:
    """Asks ``inner`` and writes each answer into ``folder``."""

    def __init__(self, inner: Transport, folder: Path) -> None:
        self.inner = inner
        self.folder = folder
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ForgeError(
                f"--save-forge-data {folder}: cannot create ({error.strerror})"
            ) from None

    def get(self, request: Request) -> ForgeResponse:
        response = self.inner.get(request)
        document = {
            "request": request.key,
            "status": response.status,
            "headers": dict(response.headers),
            "body": response.body,
            "next_page": _request_document(response.next_page),
        }
        path = self.folder / response_file_name(request)
        path.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        return response


def _request_document(request: Request | None) -> dict[str, Any] | None:
    if request is None:
        return None
    return {"path": request.path, "query": [list(pair) for pair in request.query]}


def _response_from(saved: dict[str, Any]) -> ForgeResponse:
    following = saved.get("next_page")
    next_page = (
        None
        if following is None
        else Request(str(following["path"]), tuple((str(k), str(v)) for k, v in following["query"]))
    )
    headers = {str(k).lower(): str(v) for k, v in dict(saved.get("headers") or {}).items()}
    return ForgeResponse(
        status=int(saved["status"]),
        body=saved.get("body"),
        headers=MappingProxyType(headers),
        next_page=next_page,
    )
