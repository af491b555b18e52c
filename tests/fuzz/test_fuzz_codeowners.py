"""Fuzzing the CODEOWNERS reader with lines built from the pieces both dialects treat
specially. Whatever the file says, parsing and `owners_of` never raise, and the compiled
RE2 sets answer exactly what the patterns answer one by one."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from gitwarden.review.codeowners import CodeOwners, Flavour, parse_codeowners
from gitwarden.review.codeowners_patterns import encodable

PATTERN_PIECES = (
    *("*", "**", "?", "/", "\\", "\\ ", "\\#", "#", "!", "^", "[", "]", "[!a-c]", "[z-a]"),
    *("{a,b}", "docs", "a", ".", ".git", "-", "é", "\udcff", "\x00", "\u202e", "a" * 300),
)
OWNERS = (
    *("@alice", "@org/team", "@group/sub/deeper", "@@maintainer", "@@developers", "@@guest"),
    *("a@b.co", "@", "@@", "bob", "#", "# @carol", "@-x", "@" + "a" * 40, "@a/b/c"),
)
HEADINGS = (
    *("[Docs]", "^[Docs]", "[docs][2]", "[Docs][0]", "[Docs][x]", "[]", "[Docs", "^[", "[A]]"),
    *("[Docs][" + "9" * 5000 + "]", "[Docs] @alice", "[Docs]@alice", "^[Ops][3] @@owner"),
)
BLANKS = st.sampled_from([" ", "\t", "  ", "\f", "\r"])

patterns = st.lists(st.sampled_from(PATTERN_PIECES) | st.text(max_size=3), min_size=1, max_size=8)
entry = st.builds(
    lambda pattern, owners, blank: blank.join(["".join(pattern), *owners]),
    patterns,
    st.lists(st.sampled_from(OWNERS) | st.text(max_size=5), max_size=4),
    BLANKS,
)
line = entry | st.sampled_from(HEADINGS) | st.sampled_from(["", "# comment", "  # x"])
codeowners_text = st.lists(line, max_size=30).map("\n".join) | st.text(max_size=300)
path_levels = st.sampled_from(["a", "docs", ".git", "é", "\udcff", "x.md", "b", "[", "#", "*"])
paths = st.lists(path_levels | st.text(max_size=3), min_size=1, max_size=5).map("/".join)
flavours = st.sampled_from(["github", "gitlab"])


def expected_owners(codeowners: CodeOwners, path: str) -> list[tuple[int, int]]:
    """(section, line) of the owning rules, matched one pattern at a time with Python's re."""
    last: dict[int, int] = {}
    excluded: set[int] = set()
    for rule in codeowners.rules:
        if re.fullmatch(rule.regex, encodable(path)) is None:
            continue
        if rule.exclusion:
            excluded.add(rule.section)
        else:
            last[rule.section] = rule.line
    owning = [(section, last[section]) for section in sorted(last) if section not in excluded]
    by_line = {rule.line: rule for rule in codeowners.rules}
    if codeowners.flavour == "github" and owning and not by_line[owning[0][1]].owners:
        return []
    return owning


@given(codeowners_text, flavours)
def test_parsing_never_raises_and_every_problem_has_a_line(text: str, flavour: Flavour) -> None:
    codeowners = parse_codeowners(text, "CODEOWNERS", flavour)
    lines = text.split("\n")
    for problem in codeowners.problems:
        assert 1 <= problem.location.line <= len(lines)
        assert problem.rule_id.startswith("codeowners-")


@given(codeowners_text, flavours, st.lists(paths, min_size=1, max_size=5))
def test_the_compiled_sets_agree_with_matching_pattern_by_pattern(
    text: str, flavour: Flavour, queried: list[str]
) -> None:
    codeowners = parse_codeowners(text, "CODEOWNERS", flavour)
    sections = {section: number for number, section in enumerate(codeowners.sections)}
    for path in queried:
        relative = path.lstrip("/")
        while relative.startswith("./"):
            relative = relative[2:].lstrip("/")
        got = [
            (sections[next(s for s in codeowners.sections if s.name == m.section)], m.line)
            for m in codeowners.owners_of(path)
        ]
        assert got == expected_owners(codeowners, relative)
