"""CODEOWNERS as GitHub and GitLab read it: who owns a path, and which lines they skip.

`parse_codeowners` reads one file in one forge's dialect (`codeowners_github`,
`codeowners_gitlab`); `find_codeowners` looks for it where that forge does. The result
answers `CodeOwners.owners_of(path)` with the forge's precedence and lists every line the
forge would skip or misread as a finding (`codeowners_rules`) at its line. Nothing here
reads the file system or a forge: the caller passes the text, from the base revision of the
change, so that a change cannot pick its own owners.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from gitwarden.findings import Finding, Location
from gitwarden.review.codeowners_patterns import PatternSet
from gitwarden.review.codeowners_rules import TOO_LARGE

Flavour = Literal["github", "gitlab"]
OwnerKind = Literal["user", "team", "email", "role"]

# Searched in this order; the first file found is the one the forge uses.
CODEOWNERS_LOCATIONS: dict[Flavour, tuple[str, ...]] = {
    "github": (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"),
    "gitlab": ("CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS"),
}
# GitHub does not load a CODEOWNERS file of 3 MB or more; gitwarden holds GitLab to it too.
MAX_CODEOWNERS_BYTES = 3 * 1024 * 1024
# An address as both forges look it up among their users' verified e-mails.
# A word: anything but blanks, where a backslash takes the next character (a blank too).
_TOKEN = re.compile(r"(?:\\.|[^ \t\f\v\\]|\\\Z)+", re.DOTALL)
EMAIL = re.compile(r"[^@\s/]+@[^@\s/]+\.[^@\s/.]+")


@dataclass(frozen=True)
class Owner:
    """One owner as written: ``@alice`` is a user, ``@org/team`` a team (a GitLab group or
    subgroup), ``a@b.c`` an e-mail address, GitLab's ``@@maintainer`` a role.

    ``name`` drops the ``@``/``@@`` (``alice``, ``org/team``, ``maintainer``; plural roles
    are read as singular). A GitLab ``@name`` may be a user or a top-level group: the forge
    decides, so it is a ``user`` here. Forge names are case-insensitive; compare them so.
    """

    kind: OwnerKind
    name: str

    @property
    def text(self) -> str:
        prefix = {"user": "@", "team": "@", "email": "", "role": "@@"}[self.kind]
        return prefix + self.name


@dataclass(frozen=True)
class OwnershipMatch:
    """The rule that owns a path: the last matching one (per section on GitLab).

    ``approvals_required`` is GitLab's ``[Section][N]`` (1 otherwise, 0 for an optional
    ``^[Section]``). On GitLab an entry without owners still matches, with ``owners == ()``:
    it can never be satisfied, and its line is in `CodeOwners.problems`.
    """

    pattern: str
    owners: tuple[Owner, ...]
    line: int
    section: str | None
    approvals_required: int = 1
    optional: bool = False


@dataclass(frozen=True)
class Section:
    """A GitLab section (duplicates combined); ``name is None`` for entries before the
    first heading, and for every GitHub rule."""

    name: str | None
    approvals_required: int = 1
    optional: bool = False


@dataclass(frozen=True)
class OwnershipRule:
    """One usable line: its pattern, owners, line, section (index into
    `CodeOwners.sections`) and, for GitLab's ``!pattern``, whether it excludes."""

    pattern: str
    owners: tuple[Owner, ...]
    line: int
    regex: str = field(repr=False)
    section: int = 0
    exclusion: bool = False


UNNAMED_SECTION = Section(None)


@dataclass(frozen=True)
class _Target:
    """What one distinct compiled pattern means: per section, the last rule using it, and
    the sections in which it excludes."""

    last: dict[int, int]
    excluded: set[int]


@dataclass(frozen=True)
class CodeOwners:
    """One parsed CODEOWNERS file; its patterns are compiled once, here."""

    file: str
    flavour: Flavour
    problems: tuple[Finding, ...]
    rules: tuple[OwnershipRule, ...] = ()
    sections: tuple[Section, ...] = (UNNAMED_SECTION,)
    _matcher: PatternSet = field(init=False, repr=False, compare=False)
    _targets: tuple[_Target, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Frozen, but the compiled matcher is derived from `rules` once, at construction.
        # Rules sharing a regex share one compiled pattern (a file may repeat `*` a lot).
        targets: dict[str, _Target] = {}
        for index, rule in enumerate(self.rules):
            target = targets.setdefault(rule.regex, _Target({}, set()))
            if rule.exclusion:
                target.excluded.add(rule.section)
            else:
                target.last[rule.section] = index
        object.__setattr__(self, "_matcher", PatternSet(list(targets)))
        object.__setattr__(self, "_targets", tuple(targets.values()))

    def owners_of(self, path: str) -> tuple[OwnershipMatch, ...]:
        """Who owns ``path`` (repository-relative, ``/``-separated, case-sensitive).

        GitHub: no match or one (the last matching rule; a rule without owners unsets
        ownership). GitLab: one match per section that owns the path, in file order: the
        last matching entry of each section, unless a ``!pattern`` of that section matches.
        """
        last: dict[int, int] = {}
        excluded: set[int] = set()
        for hit in self._matcher.matching(_relative(path)):
            target = self._targets[hit]
            excluded |= target.excluded
            for section, index in target.last.items():
                if last.get(section, -1) < index:
                    last[section] = index
        rules = [self.rules[last[n]] for n in sorted(last) if n not in excluded]
        if self.flavour == "github" and rules and not rules[0].owners:
            return ()  # GitHub: the last matching line has no owners, so nobody owns it
        return tuple(self._match(rule) for rule in rules)

    def _match(self, rule: OwnershipRule) -> OwnershipMatch:
        section = self.sections[rule.section]
        return OwnershipMatch(
            pattern=rule.pattern,
            owners=rule.owners,
            line=rule.line,
            section=section.name,
            approvals_required=0 if section.optional else section.approvals_required,
            optional=section.optional,
        )


def parse_codeowners(text: str, file: str, flavour: Flavour) -> CodeOwners:
    """Read CODEOWNERS ``text`` (found at ``file``) as ``flavour`` reads it.

    Never raises for what the file says: every line the forge skips or misreads is a
    finding in ``problems``, at its line; a file of 3 MB or more has no rules at all.
    """
    if len(text) * 4 >= MAX_CODEOWNERS_BYTES and _size(text) >= MAX_CODEOWNERS_BYTES:
        message = (
            f"{file} is {_size(text):,} bytes; GitHub ignores a CODEOWNERS file of 3 MB or "
            "more, so no path has a code owner"
        )
        return CodeOwners(file, flavour, (TOO_LARGE.finding(message, Location(file)),))
    # The dialects build this module's types, so they are imported when first needed.
    if flavour == "github":
        from gitwarden.review.codeowners_github import parse_github

        return parse_github(text, file)
    if flavour == "gitlab":
        from gitwarden.review.codeowners_gitlab import parse_gitlab

        return parse_gitlab(text, file)
    raise ValueError(f"unknown CODEOWNERS flavour {flavour!r} (choose github or gitlab)")


def find_codeowners(read: Callable[[str], str | None], flavour: Flavour) -> CodeOwners | None:
    """The CODEOWNERS file the forge uses: the first of `CODEOWNERS_LOCATIONS` that
    ``read`` (a path to its text at the base revision, or None) finds; None if none is."""
    for location in CODEOWNERS_LOCATIONS[flavour]:
        text = read(location)
        if text is not None:
            return parse_codeowners(text, location, flavour)
    return None


def codeowners_lines(text: str) -> list[tuple[int, str]]:
    """The file's lines with their 1-based numbers; only ``\\n`` ends a line, as on the
    forges (a ``\\r`` before it is dropped, a byte-order mark at the start too)."""
    lines = text.removeprefix("\ufeff").split("\n")
    return [(number, line.removesuffix("\r")) for number, line in enumerate(lines, start=1)]


def line_tokens(line: str) -> list[tuple[str, int]]:
    """The words of a line with their 1-based columns; a ``\\`` keeps the next blank in
    the word (``path\\ with\\ spaces/``), as both forges read patterns."""
    return [(match.group(), match.start() + 1) for match in _TOKEN.finditer(line)]


def _relative(path: str) -> str:
    while path.startswith(("/", "./")):
        path = path[2:] if path.startswith("./") else path[1:]
    return path


def _size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))
