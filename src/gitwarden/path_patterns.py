"""Glob patterns over repository-relative paths, with ``**`` spanning folders.

A pattern with no ``/`` matches a name at any depth (as in .gitignore); otherwise it is
anchored at the repository root. ``*`` and ``?`` never cross a ``/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache


@cache
def compile_glob(pattern: str) -> re.Pattern[str]:
    """The regular expression for one glob pattern."""
    text = pattern.strip().removeprefix("./")
    anchored = "/" in text.rstrip("/")
    text = text.lstrip("/")
    if text.endswith("/"):
        text += "**"
    out = [] if anchored else ["(?:.*/)?"]
    index = 0
    while index < len(text):
        char = text[index]
        if text.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif text.startswith("**", index):
            out.append(".*")
            index += 2
        elif char == "*":
            out.append("[^/]*")
            index += 1
        elif char == "?":
            out.append("[^/]")
            index += 1
        elif char == "[":
            end = text.find("]", index + 1)
            if end == -1:
                out.append(re.escape(char))
                index += 1
            else:
                body = text[index + 1 : end].replace("\\", "\\\\")
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                index = end + 1
        else:
            out.append(re.escape(char))
            index += 1
    # A pattern naming a folder also matches everything below it.
    return re.compile("".join(out) + "(?:/.*)?", re.DOTALL)


def glob_match(pattern: str, path: str) -> bool:
    return compile_glob(pattern).fullmatch(path) is not None


@dataclass(frozen=True)
class PathFilter:
    """Include/exclude globs: a path is kept when it matches an include (or there are
    none) and no exclude."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def keeps(self, path: str) -> bool:
        if self.include and not _any_match(self.include, path):
            return False
        return not _any_match(self.exclude, path)

    def excludes_folder(self, folder: str) -> bool:
        """True when nothing under ``folder`` can be kept (walker prunes it)."""
        return _any_match(self.exclude, folder)


def _any_match(patterns: Iterable[str], path: str) -> bool:
    return any(glob_match(pattern, path) for pattern in patterns)
