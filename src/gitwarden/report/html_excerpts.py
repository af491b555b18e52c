"""The source lines around a finding, read from the report's target folder for the HTML report.

The folder is the scanned repository, so it is hostile: a path that climbs out (``..``, an
absolute name) or passes through a symbolic link is not read, nor is anything that is not a
regular file or is larger than `MAX_FILE_BYTES`. What cannot be read simply has no excerpt.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from gitwarden.report.escaping import printable

MAX_FILE_BYTES = 1 << 20
MAX_FILES = 500
CONTEXT_LINES = 3
MAX_LINE_CHARS = 300


@dataclass(frozen=True)
class ExcerptLine:
    number: int
    text: str
    marked: bool


@dataclass(frozen=True)
class Excerpt:
    lines: tuple[ExcerptLine, ...]


class ExcerptReader:
    """Reads each file of one report at most once; holds nothing beyond that report."""

    def __init__(self, root: str) -> None:
        self._root = Path(root)
        self._files: dict[str, list[str] | None] = {}

    def excerpt(self, file: str, line: int) -> Excerpt | None:
        lines = self._lines(file)
        if lines is None or not 1 <= line <= len(lines):
            return None
        first = max(1, line - CONTEXT_LINES)
        last = min(len(lines), line + CONTEXT_LINES)
        return Excerpt(
            tuple(
                ExcerptLine(number, _shown(lines[number - 1]), number == line)
                for number in range(first, last + 1)
            )
        )

    def _lines(self, file: str) -> list[str] | None:
        if file not in self._files:
            self._files[file] = self._read(file) if len(self._files) < MAX_FILES else None
        return self._files[file]

    def _read(self, file: str) -> list[str] | None:
        relative = PurePosixPath(file)
        if relative.is_absolute() or not relative.parts or ".." in relative.parts:
            return None
        try:
            if not stat.S_ISDIR(os.lstat(self._root).st_mode):
                return None
            current = self._root
            for part in relative.parts:
                current = current / part
                mode = os.lstat(current).st_mode
                if stat.S_ISLNK(mode):
                    return None  # a link could point anywhere on the machine
            if not stat.S_ISREG(mode):
                return None
            descriptor = os.open(current, os.O_RDONLY | os.O_NOFOLLOW)
            with os.fdopen(descriptor, "rb") as handle:
                content = handle.read(MAX_FILE_BYTES + 1)
        except (OSError, ValueError):
            return None
        if len(content) > MAX_FILE_BYTES:
            return None
        return content.decode("utf-8", "replace").splitlines()


def _shown(line: str) -> str:
    text = printable(line.expandtabs(4))
    return text if len(text) <= MAX_LINE_CHARS else text[:MAX_LINE_CHARS] + "…"


def field_name(field_path: str | None) -> str | None:
    """The last key of a dotted field path (``privileged`` of ``...securityContext.privileged``)."""
    if not field_path:
        return None
    last = field_path.rsplit(".", 1)[-1].split("[", 1)[0]
    return last or None
