"""GitLab's CODEOWNERS dialect: sections, approval counts, default and role owners.

* ``[Name]`` starts a section, ``^[Name]`` an optional one, ``[Name][2]`` one that needs two
  approvals, ``[Name] @a @b`` one whose entries without owners inherit ``@a @b``. Names are
  case-insensitive and a repeated section continues the first (required if any heading is,
  the highest count wins). Entries before the first heading form an unnamed section.
* Each section is judged on its own: the last matching entry of each section owns a path,
  and a ``!pattern`` of a section removes what it matches from that section.
* Owners: ``@user`` or ``@group`` (a top-level group reads the same), ``@group/subgroup``,
  ``@@developer``/``@@maintainer``/``@@owner``, ``name@example.com``. GitLab ignores a
  malformed owner and keeps the line; ``#`` after the pattern is no comment (GitLab reads
  owners in it too).
* A heading GitLab cannot parse is read as an entry of the current section, as GitLab does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from gitwarden.findings import Finding, Location
from gitwarden.review.codeowners import (
    EMAIL,
    UNNAMED_SECTION,
    CodeOwners,
    Owner,
    OwnershipRule,
    Section,
    codeowners_lines,
    line_tokens,
)
from gitwarden.review.codeowners_patterns import NEVER_MATCHES, PatternError, gitlab_regex
from gitwarden.review.codeowners_rules import (
    INVALID_APPROVALS,
    INVALID_OWNER,
    INVALID_PATTERN,
    INVALID_SECTION,
    NO_OWNERS,
)
from gitwarden.rules import Rule

_HEADING = re.compile(r"(\^)?\[([^\]]*)\](?:\[([^\]]*)\])?(.*)", re.DOTALL)
_NAME = re.compile(r"@([A-Za-z0-9_.][A-Za-z0-9_.+-]*(?:/[A-Za-z0-9_.][A-Za-z0-9_.+-]*)*)")
_ROLES = frozenset({"developer", "maintainer", "owner"})
# More approvals than this cannot be given by anyone; the count stays unsatisfiable.
_MAX_APPROVALS = 10**9


@dataclass(frozen=True)
class _Heading:
    name: str
    optional: bool
    approvals: int
    owners: tuple[tuple[str, int], ...]  # default owners as words with their columns


class _Reader:
    """The state of one pass over the file: sections so far, the current one, findings."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.sections: list[Section] = [UNNAMED_SECTION]
        self.keys: dict[str, int] = {}
        self.current = 0
        self.defaults: tuple[Owner, ...] = ()
        self.rules: list[OwnershipRule] = []
        self.problems: list[Finding] = []
        self.regexes: dict[str, str] = {}  # a pattern repeated on many lines: translated once

    def report(self, rule: Rule, line: int, column: int, message: str) -> None:
        location = Location(self.file, line, column)
        self.problems.append(rule.finding(f"line {line}: {message}", location))

    def heading(self, heading: _Heading, line: int) -> None:
        key = heading.name.strip().lower()
        number = self.keys.get(key)
        if number is None:
            number = self.keys[key] = len(self.sections)
            self.sections.append(Section(heading.name, heading.approvals, heading.optional))
        else:
            # A repeated section is required if any heading is; the highest count wins.
            known = self.sections[number]
            self.sections[number] = Section(
                known.name,
                max(known.approvals_required, heading.approvals),
                known.optional and heading.optional,
            )
        self.current = number
        self.defaults = self.owners(heading.owners, line)

    def owners(self, words: Sequence[tuple[str, int]], line: int) -> tuple[Owner, ...]:
        found = [(_owner(word), word, column) for word, column in words]
        invalid = [(word, column) for owner, word, column in found if owner is None]
        if invalid:
            names = ", ".join(f"`{word}`" for word, _ in invalid)
            self.report(
                INVALID_OWNER,
                line,
                invalid[0][1],
                f"{names} is not a GitLab user, group, role or e-mail address; GitLab ignores it",
            )
        return tuple(dict.fromkeys(owner for owner, _, _ in found if owner is not None))

    def entry(self, tokens: Sequence[tuple[str, int]], line: int) -> None:
        (pattern, column), words = tokens[0], tokens[1:]
        exclusion = pattern.startswith("!")
        text = pattern[1:] if exclusion else pattern
        try:
            regex = self.regexes.get(text) or self.regexes.setdefault(text, gitlab_regex(text))
        except PatternError as error:
            self.report(INVALID_PATTERN, line, column, f"`{pattern}`: {error}")
            return
        owners = self.owners(words, line)
        if exclusion:
            self.rules.append(OwnershipRule(pattern, (), line, regex, self.current, True))
            return
        if not words:
            owners = self.defaults  # GitLab: default owners stand in for an empty owner list
        if not owners:
            self.report(
                NO_OWNERS,
                line,
                column,
                f"`{pattern}` has no owners, so its approval can never be given",
            )
        self.rules.append(OwnershipRule(pattern, owners, line, regex, self.current))

    def result(self) -> CodeOwners:
        return CodeOwners(
            self.file, "gitlab", tuple(self.problems), tuple(self.rules), tuple(self.sections)
        )


def parse_gitlab(text: str, file: str) -> CodeOwners:
    reader = _Reader(file)
    for number, line in codeowners_lines(text):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith(("[", "^[")):
            heading = _heading(reader, stripped, line.index(stripped), number)
            if heading is not None:
                reader.heading(heading, number)
                continue
            reader.report(
                INVALID_SECTION,
                number,
                line.index(stripped) + 1,
                f"`{stripped}` is no section heading; GitLab reads it as an entry of the "
                "section above",
            )
            _quiet_entry(reader, line_tokens(line), number)
            continue
        reader.entry(line_tokens(line), number)
    return reader.result()


def _heading(reader: _Reader, text: str, offset: int, line: int) -> _Heading | None:
    match = _HEADING.fullmatch(text)
    rest = match.group(4) if match else ""
    if match is None or (rest and not rest[0].isspace()) or not match.group(2).strip():
        return None
    approvals = 1
    count = match.group(3)
    if count is not None:
        digits = count.strip()
        value = digits.lstrip("0")
        if digits.isascii() and digits.isdigit() and value:
            approvals = _MAX_APPROVALS if len(value) > len(str(_MAX_APPROVALS)) else int(value)
            approvals = min(approvals, _MAX_APPROVALS)
        else:
            reader.report(
                INVALID_APPROVALS,
                line,
                offset + text.index("]") + 2,
                f"`[{count}]` is not a number of approvals of at least 1; GitLab requires 1",
            )
    start = offset + match.start(4)
    words = tuple((word, start + column) for word, column in line_tokens(rest))
    return _Heading(match.group(2), match.group(1) is not None, approvals, words)


def _quiet_entry(reader: _Reader, tokens: Sequence[tuple[str, int]], line: int) -> None:
    """An unparsable heading as GitLab keeps it: an entry, already reported once."""
    pattern = tokens[0][0]
    try:
        regex = gitlab_regex(pattern)
    except PatternError:
        regex = NEVER_MATCHES  # `[Section` is an unterminated `[`: it owns nothing
    owners = tuple(o for o in (_owner(word) for word, _ in tokens[1:]) if o is not None)
    if not tokens[1:]:
        owners = reader.defaults
    reader.rules.append(OwnershipRule(pattern, owners, line, regex, reader.current))


def _owner(word: str) -> Owner | None:
    if word.startswith("@@"):
        role = word[2:].lower().removesuffix("s")
        return Owner("role", role) if role in _ROLES else None
    match = _NAME.fullmatch(word)
    if match:
        return Owner("team" if "/" in match.group(1) else "user", match.group(1))
    if EMAIL.fullmatch(word):
        return Owner("email", word)
    return None
