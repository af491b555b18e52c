"""What a render cache entry holds: a unit's rendered records and the findings its output
gave when it was parsed, as JSON values.

The cache's HMAC says an entry is one this user's gitwarden wrote; reading it back still
checks every value's type, so an entry of another shape (an older format under a forged
key, a bug) is refused like a tampered one, never half-used.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from gitwarden.findings import Finding, Location, Severity
from gitwarden.manifests.rendered_records import RenderedRecord, record_from_json, record_to_json

FORMAT = 2


@dataclass(frozen=True)
class RenderedUnit:
    """A rendered unit as the object stage uses it, whether rendered now or read back."""

    records: tuple[RenderedRecord, ...]
    # Problems of the renderer's output (a document too large, a value of the wrong type).
    findings: tuple[Finding, ...] = ()


def unit_to_json(unit: RenderedUnit) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "records": [record_to_json(record) for record in unit.records],
        "findings": [finding_to_json(finding) for finding in unit.findings],
    }


def unit_from_json(payload: Mapping[str, Any]) -> RenderedUnit:
    """The unit ``unit_to_json`` wrote; ValueError for anything else."""
    if payload.get("format") != FORMAT:
        raise ValueError("another entry format")
    records, findings = payload.get("records"), payload.get("findings")
    if not isinstance(records, list) or not isinstance(findings, list):
        raise ValueError("records and findings are lists")
    return RenderedUnit(
        tuple(record_from_json(record) for record in records),
        tuple(finding_from_json(finding) for finding in findings),
    )


def finding_to_json(finding: Finding) -> dict[str, Any]:
    """The finding as JSON values (the parsed-file cache keeps findings the same way)."""
    location = finding.location
    return {
        "rule_id": finding.rule_id,
        "severity": finding.severity.value,
        "title": finding.title,
        "message": finding.message,
        "location": [
            location.file,
            location.line,
            location.column,
            location.resource,
            location.field_path,
            location.origin,
        ],
        "remediation": finding.remediation,
        "references": list(finding.references),
        "details": dict(finding.details),
    }


def finding_from_json(value: Any) -> Finding:
    """The finding ``finding_to_json`` wrote; ValueError for anything else."""
    if not isinstance(value, dict):
        raise ValueError("a finding is an object")
    location = value.get("location")
    if not isinstance(location, list) or len(location) != 6:
        raise ValueError("a location has six parts")
    file, line, column, resource, field_path, origin = location
    details = value.get("details")
    if not isinstance(details, dict) or not _all_str([*details, *details.values()]):
        raise ValueError("details are text")
    references = value.get("references")
    if not isinstance(references, list) or not _all_str(references):
        raise ValueError("references are text")
    return Finding(
        rule_id=_text(value.get("rule_id")),
        severity=Severity(_text(value.get("severity"))),
        title=_text(value.get("title")),
        message=_text(value.get("message")),
        location=Location(
            file=_text(file),
            line=_number(line),
            column=_number(column),
            resource=_optional_text(resource),
            field_path=_optional_text(field_path),
            origin=_optional_text(origin),
        ),
        remediation=_text(value.get("remediation")),
        references=tuple(references),
        details=MappingProxyType(details),
    )


def _all_str(values: Sequence[Any]) -> bool:
    return all(isinstance(value, str) for value in values)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected text")
    return value


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _number(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("expected a number")
    return value
