"""`audit export`: the trail as JSON lines for a SIEM, one entry per line.

Each line follows ``audit/schemas/audit-entry.schema.json`` (`ENTRY_SCHEMA_PATH`), and carries
everything needed to re-verify the chain elsewhere.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from importlib import resources
from typing import Any, TextIO

from gitwarden.audit.entries import AuditEntry

ENTRY_SCHEMA_NAME = "audit-entry.schema.json"


def entry_schema() -> dict[str, Any]:
    """The JSON Schema every exported line satisfies."""
    text = resources.files("gitwarden.audit").joinpath("schemas", ENTRY_SCHEMA_NAME).read_text()
    schema: dict[str, Any] = json.loads(text)
    return schema


def export_line(entry: AuditEntry) -> str:
    return json.dumps(entry.as_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def write_json_lines(entries: Iterable[AuditEntry], out: TextIO) -> int:
    """Write each entry as one line to ``out``; the number of entries written."""
    count = 0
    for entry in entries:
        out.write(export_line(entry) + "\n")
        count += 1
    return count
