"""Glob patterns over repository-relative paths, with ``**`` spanning folders.

A pattern with no ``/`` matches a name at any depth (as in .gitignore); otherwise it is
anchored at the repository root (a leading ``/`` or ``./`` anchors too). A pattern that
ends in ``/`` names a folder and matches everything below it. ``*``, ``?`` and ``[...]``
never cross a ``/``.

Rule ids and resources (``Kind/namespace/name``) use the same syntax through
:func:`name_glob_match`, but there the whole name must match: no folder semantics.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

# Characters that start a set operation or nested set inside a regex class.
_CLASS_SPECIALS = re.compile(r"([&~|\[\]])")


@cache
def compile_glob(pattern: str) -> re.Pattern[str]:
    """The regular expression for one path glob; raises ValueError when it is invalid."""
    text = pattern.strip()
    anchored = "/" in text.rstrip("/")
    text = text.removeprefix("./").lstrip("/")
    if not text:
        raise ValueError(f"glob {pattern!r} names no path")
    if text.endswith("/"):
        text += "**"
    prefix = "" if anchored else "(?:.*/)?"
    # A pattern naming a folder also matches everything below it.
    return _compile(pattern, prefix + _translate(text) + "(?:/.*)?")


@cache
def compile_name_glob(pattern: str) -> re.Pattern[str]:
    """The regular expression for a glob that must match a whole name (rule, resource)."""
    text = pattern.strip()
    if not text:
        raise ValueError("glob is empty")
    return _compile(pattern, _translate(text))


def glob_match(pattern: str, path: str) -> bool:
    return compile_glob(pattern).fullmatch(path) is not None


def name_glob_match(pattern: str, name: str) -> bool:
    return compile_name_glob(pattern).fullmatch(name) is not None


def _compile(pattern: str, regex: str) -> re.Pattern[str]:
    try:
        return re.compile(regex, re.DOTALL)
    except re.error as error:
        raise ValueError(f"invalid glob {pattern!r}: {error.msg}") from None


def _translate(text: str) -> str:
    out = []
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
            regex, index = _translate_class(text, index)
            out.append(regex)
        else:
            out.append(re.escape(char))
            index += 1
    return "".join(out)


def _translate_class(text: str, start: int) -> tuple[str, int]:
    """``[...]`` at ``start``: its regex and the index after it (a lone ``[`` is literal)."""
    index = start + 1
    negate = index < len(text) and text[index] in "!^"
    if negate:
        index += 1
    # As in fnmatch and .gitignore, a ``]`` right after the opening is a member.
    end = text.find("]", index + 1 if index < len(text) and text[index] == "]" else index)
    if end == -1:
        return re.escape("["), start + 1
    body = _CLASS_SPECIALS.sub(r"\\\1", text[index:end].replace("\\", "\\\\"))
    regex = f"[^/{body}]" if negate else f"(?!/)[{body}]"
    return regex, end + 1


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
        # ``folder + "/"`` is what a folder pattern (``node_modules/``, ``build/**``) matches
        # when everything below the folder is excluded.
        return _any_match(self.exclude, folder) or _any_match(self.exclude, folder + "/")


def _any_match(patterns: Iterable[str], path: str) -> bool:
    return any(glob_match(pattern, path) for pattern in patterns)
