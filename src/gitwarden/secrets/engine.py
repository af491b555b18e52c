"""The pattern engine: a keyword first pass, then RE2 for the rules whose keywords occur.

RE2 runs in time linear in the input whatever the pattern, so no input can make a scan
backtrack catastrophically.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import re2

from gitwarden.secrets.catalogue import secret_rules
from gitwarden.secrets.keyword_index import KeywordIndex, build_keyword_index
from gitwarden.secrets.placeholders import is_placeholder, shannon_entropy
from gitwarden.secrets.rule_spec import SecretRule

INLINE_ALLOW = b"gitwarden:allow"
_CODE_REFERENCE = re.compile(r"\.?[A-Za-z_]\w*(?:[.:][A-Za-z_]\w*)+$")


@dataclass(frozen=True)
class PatternMatch:
    """One credential found in a buffer: the rule, where (byte offsets) and the value."""

    rule: SecretRule
    start: int
    end: int
    value: str


class _CompiledRule:
    """A rule's RE2 program, compiled the first time the first pass lets the rule through."""

    def __init__(self, rule: SecretRule) -> None:
        self.rule = rule
        self._pattern: Any = None
        self.secret_group = 0
        self.name_group: int | None = None
        self.allow: tuple[Any, ...] = ()

    @property
    def pattern(self) -> Any:
        if self._pattern is None:
            options = re2.Options()
            options.max_mem = 64 << 20
            self._pattern = re2.compile(self.rule.pattern.encode(), options)
            groups: dict[bytes, int] = dict(self._pattern.groupindex)
            self.secret_group = groups.get(b"secret", 0)
            self.name_group = groups.get(b"name")
            self.allow = tuple(re2.compile(a) for a in self.rule.allow)
        return self._pattern


class SecretEngine:
    """Compiled once; ``scan(data)`` returns every credential the rules find in ``data``."""

    def __init__(self, rules: Sequence[SecretRule], prefilter: str | None = None) -> None:
        self._rules = [_CompiledRule(rule) for rule in rules]
        self.index: KeywordIndex = build_keyword_index(
            [r.pattern for r in rules], [r.keywords for r in rules], prefilter
        )

    @property
    def rules(self) -> list[SecretRule]:
        return [compiled.rule for compiled in self._rules]

    def scan(self, data: bytes) -> list[PatternMatch]:
        matches: list[PatternMatch] = []
        lowered: bytes | None = None
        for index in sorted(self.index.rules_in(data)):
            compiled = self._rules[index]
            if compiled.rule.keyword_in_file:
                lowered = data.lower() if lowered is None else lowered
                if not any(word.encode() in lowered for word in compiled.rule.keywords):
                    continue
            for match in compiled.pattern.finditer(data):
                found = self._accept(compiled, match)
                if found is not None:
                    matches.append(found)
        return _prefer_specific(matches)

    def _accept(self, compiled: _CompiledRule, match: Any) -> PatternMatch | None:
        group = compiled.secret_group
        start, end = match.span(group)
        value = match.group(group).decode("utf-8", "replace")
        rule = compiled.rule
        if is_placeholder(value):
            return None
        if rule.entropy is not None and shannon_entropy(value) < rule.entropy:
            return None
        if compiled.name_group is not None:
            name = match.group(compiled.name_group).decode("utf-8", "replace")
            if any(allow.search(name) for allow in compiled.allow):
                return None
            if rule.generic and not _looks_like_secret(value):
                return None
        return PatternMatch(rule, start, end, value)


def _looks_like_secret(value: str) -> bool:
    """Generic assignments: the value must mix character kinds (words-with-dashes are names)."""
    has_digit = any(c.isdigit() for c in value)
    has_alpha = any(c.isalpha() for c in value)
    has_other = any(not c.isalnum() and c not in "-_." for c in value)
    if value.startswith(("/", "./", "../", "http://", "https://", "file:")):
        return False
    if _CODE_REFERENCE.match(value):
        return False  # a dotted or module:attribute name: .Values.secret.name, pkg.mod:func
    return has_alpha and (has_digit or has_other)


def _prefer_specific(matches: list[PatternMatch]) -> list[PatternMatch]:
    """One finding per credential: a provider rule beats a structural one (a URL, a header),
    which beats a bare ``name = value`` assignment; a rule beats the rules it supersedes."""
    kept: list[PatternMatch] = []
    for match in sorted(matches, key=lambda m: (_tier(m.rule), m.start)):
        if any(k.start < match.end and match.start < k.end for k in kept if match.rule.generic):
            continue
        kept.append(match)
    kept = [
        match
        for match in kept
        if not any(
            match.rule.id in other.rule.supersedes
            and other.start < match.end
            and match.start < other.end
            for other in kept
        )
    ]
    return sorted(kept, key=lambda m: (m.start, m.rule.id))


def _tier(rule: SecretRule) -> int:
    if not rule.generic:
        return 0
    return 2 if rule.id.startswith("generic-") else 1


@cache
def default_engine() -> SecretEngine:
    return SecretEngine(secret_rules())


def line_of(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1


def line_allows(data: bytes, offset: int) -> bool:
    """True when the line holding ``offset`` carries a ``gitwarden:allow`` comment."""
    start = data.rfind(b"\n", 0, offset) + 1
    end = data.find(b"\n", offset)
    return INLINE_ALLOW in data[start : end if end != -1 else len(data)]
