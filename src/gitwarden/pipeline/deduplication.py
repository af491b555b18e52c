"""The findings stage: the same problem seen through several overlays or values variants is
reported once (the first sighting wins)."""

from __future__ import annotations

from collections.abc import Iterable

from gitwarden.findings import Finding


def deduplication_key(finding: Finding) -> tuple[str, ...]:
    """What makes two findings the same problem: rule, place, resource, field and message."""
    loc = finding.location
    return (
        finding.rule_id,
        loc.file,
        str(loc.line),
        loc.resource or "",
        loc.field_path or "",
        finding.message,
    )


def deduplicate(findings: Iterable[Finding]) -> list[Finding]:
    """``findings`` without repeats, in their first order."""
    seen: set[tuple[str, ...]] = set()
    unique = []
    for finding in findings:
        key = deduplication_key(finding)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique
