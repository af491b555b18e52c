"""CODEOWNERS patterns as GitHub and GitLab read them, compiled once into one matcher.

The two forges disagree, so each has its own translation to a regular expression over a
repository-relative path (no leading ``/``):

* **GitHub** follows .gitignore with its documented exceptions: no ``!`` negation, no
  ``[ ]`` character ranges, no ``\\#`` escape. A pattern without a ``/`` (or with only a
  trailing one) matches at any depth, any other is anchored at the root; a trailing ``/``
  means the folder's contents; a pattern naming a file or folder also owns everything below
  it, except that a last segment of a lone ``*`` (``docs/*``) matches only direct children.
* **GitLab** normalises the pattern (``/**/`` in front unless it starts with ``/``, ``**/*``
  after a trailing ``/``) and matches it with Ruby's ``File.fnmatch`` under
  ``FNM_PATHNAME | FNM_DOTMATCH``: ``*``, ``?`` and ``[...]`` stay inside one folder,
  ``**/`` spans folders, and a pattern without a trailing ``/`` names exactly one path.

`PatternSet` evaluates all of a file's patterns against a path in a few RE2 set passes
(linear time, no backtracking); a set that RE2 cannot run within its memory budget falls
back to matching that set's patterns one by one, so a path is never reported unowned
because the matcher gave up.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import re2

MAX_PATTERN_CHARS = 4096
# What a pattern that can never match compiles to (RE2 has no `(?!)`).
NEVER_MATCHES = r"\b\B"
# Patterns per RE2 set: small sets keep the lazily built DFAs small and fast to warm up.
_CHUNK = 128
_SET_MEMORY = 32 << 20
# RE2 works on UTF-8; a path or pattern that is not valid UTF-8 (a surrogate-escaped byte)
# is matched with each lone surrogate mapped to its own private-use code point.
_SURROGATES = {code: 0x10F800 + code - 0xD800 for code in range(0xD800, 0xE000)}
_GITLAB_ESCAPED_SPACE = re.compile(r"\\\s+")


class PatternError(ValueError):
    """A pattern the forge cannot use; the message says why, for a finding."""


def encodable(text: str) -> str:
    """``text`` with lone surrogates replaced so that it encodes as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.translate(_SURROGATES)
    return text


def github_regex(pattern: str) -> str:
    """The regular expression for one GitHub CODEOWNERS pattern; PatternError if unusable."""
    _check_length(pattern)
    if pattern.startswith("!"):
        raise PatternError("GitHub does not support negating a pattern with `!`")
    if pattern.startswith("\\#"):
        raise PatternError("GitHub does not support escaping a leading `#` with `\\`")
    if "[" in pattern:
        raise PatternError("GitHub does not support character ranges with `[ ]`")
    if "***" in pattern:
        raise PatternError("a pattern cannot contain three consecutive asterisks")
    if pattern.endswith("\\") and not pattern.endswith("\\\\"):
        raise PatternError("a pattern cannot end with an escaping `\\`")
    if pattern == "/":
        raise PatternError("the pattern `/` never matches anything; did you mean `*`?")
    segments = encodable(pattern).split("/")
    if segments[0] == "":
        segments = segments[1:]
    elif (len(segments) == 1 or (len(segments) == 2 and segments[1] == "")) and segments[0] != "**":
        segments = ["**", *segments]
    if len(segments) > 1 and segments[-1] == "":
        segments[-1] = "**"
    return "(?s)" + _github_segments(segments)


def _github_segments(segments: Sequence[str]) -> str:
    out: list[str] = []
    last = len(segments) - 1
    need_slash = False
    for index, segment in enumerate(segments):
        if segment == "**":
            if index == 0:
                out.append(".+" if index == last else "(?:.+/)?")
            elif index == last:
                out.append("/.*")
            else:
                out.append("(?:/.+)?")
            need_slash = 0 < index < last
            continue
        if need_slash:
            out.append("/")
        need_slash = True
        if segment == "*":
            # A lone `*` names one level only: `docs/*` does not own `docs/a/b`.
            out.append("[^/]+")
            continue
        out.append(_glob_segment(segment, brackets=False))
        if index == last:
            out.append("(?:/.*)?")  # a file or folder, and everything below it
    return "".join(out)


def gitlab_regex(pattern: str) -> str:
    """The regular expression for one GitLab CODEOWNERS pattern; PatternError if unusable."""
    _check_length(pattern)
    # GitLab's own normalisation before fnmatch: a leading `\#` and escaped blanks.
    text = "#" + pattern[2:] if pattern.startswith("\\#") else pattern
    text = _GITLAB_ESCAPED_SPACE.sub(" ", text)
    if not text:
        raise PatternError("an empty pattern matches nothing")
    if text == "*":
        text = "/**/*"
    if not text.startswith("/"):
        text = "/**/" + text
    if text.endswith("/"):
        text += "**/*"
    segments = _fnmatch_levels(encodable(text)[1:])
    out: list[str] = []
    last = len(segments) - 1
    for index, segment in enumerate(segments):
        if segment == "**" and index < last:
            out.append("(?:[^/]+/)*")  # fnmatch's `**/`: zero or more folders
            continue
        out.append(_glob_segment(segment, brackets=True))
        if index < last:
            out.append("/")
    return "(?s)" + "".join(out)


def _fnmatch_levels(text: str) -> list[str]:
    """Split at each ``/`` as Ruby's fnmatch does: not inside an open ``[``."""
    levels: list[str] = []
    start = 0
    bracket = False
    for index, char in enumerate(text):
        if char == "[":
            bracket = True
        elif char == "]":
            bracket = False
        elif char == "/" and not bracket:
            levels.append(text[start:index])
            start = index + 1
    levels.append(text[start:])
    return levels


def _check_length(pattern: str) -> None:
    if len(pattern) > MAX_PATTERN_CHARS:
        raise PatternError(f"a pattern longer than {MAX_PATTERN_CHARS:,} characters")


def _glob_segment(segment: str, *, brackets: bool) -> str:
    """One folder level of a glob: ``*``, ``?``, ``\\`` escapes and (GitLab) ``[...]``."""
    out: list[str] = []
    index = 0
    while index < len(segment):
        char = segment[index]
        index += 1
        if char == "\\":
            # As in fnmatch, `\` takes the next character literally; at the end of a level
            # (`a\/b`, or the end of the pattern) it escapes the `/` or nothing.
            if index < len(segment):
                out.append(_literal(segment[index]))
            index += 1
        elif char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[" and brackets:
            regex, index = _bracket(segment, index)
            out.append(regex)
        else:
            out.append(_literal(char))
    return "".join(out)


def _bracket(segment: str, start: int) -> tuple[str, int]:
    """Ruby fnmatch's ``[...]`` starting after the ``[``: a class that never matches ``/``."""
    index = start
    negate = index < len(segment) and segment[index] in "!^"
    if negate:
        index += 1
    ranges: list[tuple[int, int]] = []
    while True:
        if index >= len(segment):
            raise PatternError("an unterminated `[` makes this pattern never match")
        if segment[index] == "]":
            break
        low, index = _bracket_char(segment, index)
        high = low
        if index + 1 < len(segment) and segment[index] == "-" and segment[index + 1] != "]":
            high, index = _bracket_char(segment, index + 1)
        if low <= high:  # Ruby's reversed range matches nothing
            ranges.extend(_without_slash(low, high))
    items = "".join(
        _literal(chr(low)) if low == high else f"{_literal(chr(low))}-{_literal(chr(high))}"
        for low, high in ranges
    )
    if negate:
        return f"[^/{items}]", index + 1
    if not items:
        raise PatternError("an empty `[]` makes this pattern never match")
    return f"[{items}]", index + 1


def _bracket_char(segment: str, index: int) -> tuple[int, int]:
    if segment[index] == "\\" and index + 1 < len(segment):
        index += 1
    if index >= len(segment):
        raise PatternError("an unterminated `[` makes this pattern never match")
    return ord(segment[index]), index + 1


def _without_slash(low: int, high: int) -> list[tuple[int, int]]:
    slash = ord("/")
    if not low <= slash <= high:
        return [(low, high)]
    return [(a, b) for a, b in ((low, slash - 1), (slash + 1, high)) if a <= b]


def _literal(char: str) -> str:
    # ASCII punctuation escaped with `\` reads the same in Python's re and in RE2.
    return "\\" + char if char.isascii() and not char.isalnum() else char


class PatternSet:
    """Regular expressions compiled once, asked which of them match a whole path."""

    def __init__(self, regexes: Sequence[str], *, memory: int = _SET_MEMORY) -> None:
        self._regexes = tuple(regexes)
        self._chunks: list[re2.Set | None] = []
        self._singles: dict[int, list[re2._Regexp]] = {}
        options = re2.Options()
        options.max_mem = memory
        options.log_errors = False
        for start in range(0, len(self._regexes), _CHUNK):
            self._chunks.append(_compile_set(self._regexes[start : start + _CHUNK], options))

    def __len__(self) -> int:
        return len(self._regexes)

    @property
    def chunks_matched_singly(self) -> int:
        """How many chunks RE2 could not run as a set (so far): a cost, never a wrong answer."""
        return len(self._singles)

    def matching(self, path: str) -> list[int]:
        """The indices, ascending, of every regex that matches all of ``path``."""
        text = encodable(path)
        found: list[int] = []
        for number, compiled in enumerate(self._chunks):
            start = number * _CHUNK
            hits = compiled.Match(text) if compiled is not None else None
            if hits is None:
                # The always-matching sentinel is missing: RE2 gave up (memory), or the set
                # never compiled. Match this chunk's patterns one by one instead.
                found.extend(start + i for i in self._match_singly(number, text))
            else:
                found.extend(sorted(start + i - 1 for i in hits if i))
        return found

    def _match_singly(self, number: int, text: str) -> list[int]:
        singles = self._singles.get(number)
        if singles is None:
            chunk = self._regexes[number * _CHUNK : (number + 1) * _CHUNK]
            singles = self._singles[number] = [re2.compile(regex) for regex in chunk]
        return [i for i, regex in enumerate(singles) if regex.fullmatch(text)]


def _compile_set(regexes: Sequence[str], options: re2.Options) -> re2.Set | None:
    compiled = re2.Set.FullMatchSet(options)
    try:
        compiled.Add("(?s).*")  # index 0 always matches: no result means RE2 failed
        for regex in regexes:
            compiled.Add(regex)
        compiled.Compile()
    except re2.error:
        return None
    return compiled
