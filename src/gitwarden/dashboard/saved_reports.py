"""The JSON reports gitwarden wrote (``--format json``) in a folder, as open findings.

Bounded: at most `MAX_REPORTS` files of at most `MAX_REPORT_BYTES` each; links are not
followed. A file that is not a gitwarden JSON report is skipped and counted.
"""

from __future__ import annotations

import json
import os
import stat
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gitwarden.dashboard.trail_index import OpenFinding

MAX_REPORTS = 500
MAX_REPORT_BYTES = 32 << 20


@dataclass(frozen=True)
class SavedFindings:
    findings: tuple[OpenFinding, ...]
    reports_read: int
    unreadable: tuple[str, ...]


def read_saved_reports(folder: Path) -> SavedFindings:
    findings: list[OpenFinding] = []
    unreadable: list[str] = []
    read = 0
    names = sorted(path.name for path in folder.iterdir() if path.name.endswith(".json"))
    for name in names[:MAX_REPORTS]:
        path = folder / name
        document = _document(path)
        if document is None:
            unreadable.append(name)
            continue
        read += 1
        target = str(document.get("target") or name)
        moment = datetime.fromtimestamp(path.lstat().st_mtime, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        for item in document["findings"]:
            if not isinstance(item, dict) or item.get("suppressed"):
                continue
            findings.append(
                OpenFinding(
                    repository=target,
                    severity=str(item.get("severity", "")),
                    rule=str(item.get("rule", "")),
                    title=str(item.get("title", "")),
                    message=str(item.get("message", "")),
                    file=str(item.get("file", "")),
                    line=item["line"] if isinstance(item.get("line"), int) else 0,
                    reported_at=moment,
                )
            )
    unreadable.extend(names[MAX_REPORTS:])
    return SavedFindings(tuple(findings), read, tuple(unreadable))


def _document(path: Path) -> dict[str, Any] | None:
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_REPORT_BYTES:
            return None
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(descriptor, "rb") as handle:
            document = json.loads(handle.read(MAX_REPORT_BYTES + 1))
    except (OSError, ValueError):
        return None
    if not isinstance(document, dict) or not isinstance(document.get("findings"), list):
        return None
    return document


class SavedReports:
    """The folder's findings, read again at most every ``refresh_seconds``."""

    def __init__(self, folder: Path | None, refresh_seconds: float = 10.0) -> None:
        self._folder = folder
        self._refresh_seconds = refresh_seconds
        self._lock = threading.Lock()
        self._saved = SavedFindings((), 0, ())
        self._read_at: float | None = None

    def current(self) -> SavedFindings:
        if self._folder is None:
            return self._saved
        with self._lock:
            now = time.monotonic()
            if self._read_at is None or now - self._read_at >= self._refresh_seconds:
                self._saved = read_saved_reports(self._folder)
                self._read_at = now
            return self._saved
