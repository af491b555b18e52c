"""gitwarden: a security gate for GitOps repositories. May this revision be deployed?

The public API is imported lazily so that `import gitwarden.findings` (or the CLI) does not
pay for every scanner.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from gitwarden.version import __version__

if TYPE_CHECKING:
    from gitwarden.commands.attest import attest_verify
    from gitwarden.commands.audit import (
        audit_export,
        audit_head,
        audit_trace,
        audit_verify,
        record_audit_entry,
        record_gate_decision,
    )
    from gitwarden.commands.history import HistoryOptions, history
    from gitwarden.commands.scan import ScanOptions, scan
    from gitwarden.commands.schema import schema
    from gitwarden.config import Config, load_config
    from gitwarden.findings import Finding, Location, Severity, Suppression
    from gitwarden.report.model import Report

_PUBLIC = {
    "attest_verify": "gitwarden.commands.attest",
    "audit_export": "gitwarden.commands.audit",
    "audit_head": "gitwarden.commands.audit",
    "audit_trace": "gitwarden.commands.audit",
    "audit_verify": "gitwarden.commands.audit",
    "record_audit_entry": "gitwarden.commands.audit",
    "record_gate_decision": "gitwarden.commands.audit",
    "Config": "gitwarden.config",
    "load_config": "gitwarden.config",
    "Finding": "gitwarden.findings",
    "Location": "gitwarden.findings",
    "Severity": "gitwarden.findings",
    "Suppression": "gitwarden.findings",
    "history": "gitwarden.commands.history",
    "HistoryOptions": "gitwarden.commands.history",
    "Report": "gitwarden.report.model",
    "ScanOptions": "gitwarden.commands.scan",
    "scan": "gitwarden.commands.scan",
    "schema": "gitwarden.commands.schema",
}

__all__ = [
    "Config",
    "Finding",
    "HistoryOptions",
    "Location",
    "Report",
    "ScanOptions",
    "Severity",
    "Suppression",
    "__version__",
    "attest_verify",
    "audit_export",
    "audit_head",
    "audit_trace",
    "audit_verify",
    "history",
    "load_config",
    "record_audit_entry",
    "record_gate_decision",
    "scan",
    "schema",
]


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'gitwarden' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
