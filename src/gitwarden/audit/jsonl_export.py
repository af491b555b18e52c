"""`audit export`: the trail as JSON lines for a SIEM, one entry per line.

Each line follows ``audit/schemas/audit-entry.schema.json`` (`ENTRY_SCHEMA_PATH`), and carries
everything needed to re-verify the chain elsewhere.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import socket
from collections.abc import Iterable
from importlib import resources
from typing import Any, TextIO

from gitwarden.audit.entries import AuditEntry
from gitwarden.errors import UsageError

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


SYSLOG_IDENT = "gitwarden-audit: "


class _StrictSysLogHandler(logging.handlers.SysLogHandler):
    """The stdlib handler reports a failed send on stderr and goes on; an export must not."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - stdlib name
        raise  # called inside the handler's except block: re-raises what failed


def syslog_address(text: str) -> str | tuple[str, int]:
    """``/dev/log`` (a Unix socket path) or ``HOST:PORT`` (UDP)."""
    if text.startswith("/"):
        return text
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise UsageError(f"--syslog {text!r}: give a socket path (/dev/log) or HOST:PORT")
    return host, int(port)


def send_to_syslog(entries: Iterable[AuditEntry], address: str | tuple[str, int]) -> int:
    """Send each entry as one syslog message (facility auth, severity info); the count sent.

    A handler of its own, never attached to a logger: nothing else of the process's logging
    reaches the SIEM, and nothing of ours reaches other handlers.
    """
    try:
        handler = _StrictSysLogHandler(
            address=address,
            facility=logging.handlers.SysLogHandler.LOG_AUTH,
            socktype=socket.SOCK_DGRAM,
        )
    except OSError as error:
        raise UsageError(f"--syslog {address!r}: cannot connect ({error.strerror})") from None
    handler.ident = SYSLOG_IDENT
    count = 0
    try:
        for entry in entries:
            line = export_line(entry)
            handler.emit(
                logging.LogRecord("gitwarden.audit", logging.INFO, "", 0, line, None, None)
            )
            count += 1
    except OSError as error:
        raise UsageError(
            f"--syslog {address!r}: sending entry {count + 1} failed ({error.strerror}); "
            f"{count} entries were sent"
        ) from None
    finally:
        handler.close()
    return count
