"""gitwarden: a security gate for GitOps repositories. May this revision be deployed?

The public API is imported lazily so that `import gitwarden.findings` (or the CLI) does not
pay for every scanner.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from gitwarden.version import __version__

if TYPE_CHECKING:
    from gitwarden.commands.forge_audit import ForgeAuditOptions, forge_audit
    from gitwarden.commands.scan import ScanOptions, scan
    from gitwarden.commands.schema import schema
    from gitwarden.config import Config, load_config
    from gitwarden.findings import Finding, Location, Severity, Suppression
    from gitwarden.report.model import Report

_PUBLIC = {
    "Config": "gitwarden.config",
    "load_config": "gitwarden.config",
    "Finding": "gitwarden.findings",
    "Location": "gitwarden.findings",
    "Severity": "gitwarden.findings",
    "Suppression": "gitwarden.findings",
    "Report": "gitwarden.report.model",
    "ForgeAuditOptions": "gitwarden.commands.forge_audit",
    "forge_audit": "gitwarden.commands.forge_audit",
    "ScanOptions": "gitwarden.commands.scan",
    "scan": "gitwarden.commands.scan",
    "schema": "gitwarden.commands.schema",
}

__all__ = [
    "Config",
    "Finding",
    "ForgeAuditOptions",
    "Location",
    "Report",
    "ScanOptions",
    "Severity",
    "Suppression",
    "__version__",
    "forge_audit",
    "load_config",
    "scan",
    "schema",
]


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'gitwarden' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
