"""GitHub's CODEOWNERS dialect: ``pattern owner...`` per line, the last match wins.

GitHub skips a line it cannot read (an invalid owner, an unsupported pattern) and shows the
error in its file view; so does this reader, with a finding at the line and column. A line
with a pattern and no owners is valid: it unsets ownership of what it matches. ``#`` starts
a comment at the start of a line or after a blank.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from gitwarden.findings import Finding, Location
from gitwarden.review.codeowners import (
    EMAIL,
    CodeOwners,
    Owner,
    OwnershipRule,
    codeowners_lines,
    line_tokens,
)
from gitwarden.review.codeowners_patterns import PatternError, github_regex
from gitwarden.review.codeowners_rules import INVALID_OWNER, INVALID_PATTERN
from gitwarden.rules import Rule

# GitHub logins: letters, digits and hyphens, at most 39; team slugs after `org/`.
_USER = re.compile(r"@([A-Za-z0-9][A-Za-z0-9-]{0,38})")
_TEAM = re.compile(r"@([A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9_.-]+)")


def parse_github(text: str, file: str) -> CodeOwners:
    rules: list[OwnershipRule] = []
    problems: list[Finding] = []
    regexes: dict[str, str] = {}  # a pattern repeated on many lines is translated once
    for number, line in codeowners_lines(text):
        tokens = line_tokens(line)
        if not tokens or tokens[0][0].startswith("#"):
            continue
        (pattern, column), words = tokens[0], _before_comment(tokens[1:])
        try:
            regex = regexes.get(pattern) or regexes.setdefault(pattern, github_regex(pattern))
        except PatternError as error:
            problems.append(_skipped(INVALID_PATTERN, file, number, column, pattern, str(error)))
            continue
        owners = [(_owner(word), word, at) for word, at in words]
        invalid = [(word, at) for owner, word, at in owners if owner is None]
        if invalid:
            names = ", ".join(f"`{word}`" for word, _ in invalid)
            reason = f"{names} is not a GitHub user, team or e-mail address"
            problems.append(_skipped(INVALID_OWNER, file, number, invalid[0][1], pattern, reason))
            continue
        found = tuple(owner for owner, _, _ in owners if owner is not None)
        rules.append(OwnershipRule(pattern, _unique(found), number, regex))
    return CodeOwners(file, "github", tuple(problems), tuple(rules))


def _before_comment(tokens: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    for index, (word, _) in enumerate(tokens):
        if word.startswith("#"):
            return list(tokens[:index])
    return list(tokens)


def _owner(word: str) -> Owner | None:
    if _TEAM.fullmatch(word):
        return Owner("team", word[1:])
    if _USER.fullmatch(word):
        return Owner("user", word[1:])
    if EMAIL.fullmatch(word):
        return Owner("email", word)
    return None


def _unique(owners: tuple[Owner, ...]) -> tuple[Owner, ...]:
    return tuple(dict.fromkeys(owners))


def _skipped(rule: Rule, file: str, line: int, column: int, pattern: str, why: str) -> Finding:
    message = (
        f"line {line}: {why}; GitHub skips this line, so `{pattern}` keeps the owners of an "
        "earlier matching line, or none"
    )
    return rule.finding(
        message, Location(file, line, column), details={"pattern": pattern, "forge": "github"}
    )
