"""Suppression comments in YAML: ``# gitwarden:ignore RULE[,RULE] -- reason``.

A comment at the end of a line suppresses findings on that line; a comment alone on its line
suppresses findings on the next line. Unlike the ``gitwarden.io/ignore`` annotation it does
not change the deployed object, so it need not be templated into Helm charts.

Only plain files are read (a rendered object's lines are not the file's lines), only the
files that have findings (a comment elsewhere suppresses nothing), each within a size bound
and inside the scanned folder; what cannot be read suppresses nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from gitwarden.findings import Finding, Location, Suppression
from gitwarden.input_rules import SUPPRESSION_INVALID
from gitwarden.path_patterns import compile_name_glob, name_glob_match

MARKER = "gitwarden:ignore"
# A YAML comment starts a line or follows a blank; the marker must open the comment.
COMMENT = re.compile(r"(?:^|\s)#\s*gitwarden:ignore\b(?P<rest>.*)$")
YAML_SUFFIXES = (".yaml", ".yml")
MAX_FILE_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class InlineSuppression:
    rules: tuple[str, ...]
    reason: str
    line: int  # where the comment is written


InlineSuppressions = Mapping[tuple[str, int], InlineSuppression]


def read_inline_suppressions(
    root: Path, findings: Iterable[Finding]
) -> tuple[dict[tuple[str, int], InlineSuppression], list[Finding]]:
    """``(file, line) -> suppression`` for the lines the comments cover, and malformed ones."""
    folder = root if root.is_dir() else root.parent
    files = sorted({f.location.file for f in findings if _may_carry_comments(f)})
    covered: dict[tuple[str, int], InlineSuppression] = {}
    problems: list[Finding] = []
    for file in files:
        text = _read_bounded(folder, file)
        if text is None or "gitwarden:ignore" not in text:
            continue  # one substring test spares a regex search per line of most files
        for number, line in enumerate(text.splitlines(), start=1):
            match = COMMENT.search(line)
            if match is None:
                continue
            parsed = parse_ignore_comment(match.group("rest"), number)
            if parsed is None:
                problems.append(_invalid(file, number, match.start()))
                continue
            alone = not line[: match.start()].strip()
            covered[(file, number + 1 if alone else number)] = parsed
    return covered, problems


def parse_ignore_comment(rest: str, line: int) -> InlineSuppression | None:
    """What follows the marker: ``RULE[,RULE] -- reason``; None without a rule or reason."""
    rules_text, separator, reason = rest.partition("--")
    rules = tuple(r.strip() for r in rules_text.replace(" ", ",").split(",") if r.strip())
    if not separator or not rules or not reason.strip():
        return None
    if not all(_is_valid_glob(rule) for rule in rules):
        return None
    return InlineSuppression(rules, reason.strip(), line)


def inline_match(finding: Finding, inline: InlineSuppressions) -> Suppression | None:
    if not inline or not _may_carry_comments(finding):
        return None
    entry = inline.get((finding.location.file, finding.location.line))
    if entry and any(name_glob_match(rule, finding.rule_id) for rule in entry.rules):
        return Suppression(source="inline", reason=entry.reason)
    return None


def _may_carry_comments(finding: Finding) -> bool:
    loc = finding.location
    return (
        loc.origin is None
        and loc.file.endswith(YAML_SUFFIXES)
        and not finding.rule_id.startswith("suppression-")
    )


def _read_bounded(folder: Path, file: str) -> str | None:
    path = (folder / file).resolve()
    # A finding's path comes from the scanned tree; never follow it out of that tree.
    if not path.is_relative_to(folder.resolve()) or not path.is_file():
        return None
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _is_valid_glob(pattern: str) -> bool:
    try:
        compile_name_glob(pattern)
    except ValueError:
        return False
    return True


def _invalid(file: str, line: int, column: int) -> Finding:
    return SUPPRESSION_INVALID.finding(
        f"Comment `# {MARKER}` on line {line} has no rule id or no reason and is ignored; "
        f"write it as `# {MARKER} <rule>[,<rule>] -- <reason>`.",
        Location(file=file, line=line, column=column + 1),
    )
