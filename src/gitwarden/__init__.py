"""gitwarden: a security gate for GitOps repositories. May this revision be deployed?

The public API is imported lazily so that `import gitwarden.findings` (or the CLI) does not
pay for every scanner.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from gitwarden.version import __version__

if TYPE_CHECKING:
    from gitwarden.config import Config, load_config
    from gitwarden.findings import Finding, Location, Severity, Suppression
    from gitwarden.report.model import Report
    from gitwarden.scanner import ScanOptions, scan

_PUBLIC = {
    "Config": "gitwarden.config",
    "load_config": "gitwarden.config",
    "Finding": "gitwarden.findings",
    "Location": "gitwarden.findings",
    "Severity": "gitwarden.findings",
    "Suppression": "gitwarden.findings",
    "Report": "gitwarden.report.model",
    "ScanOptions": "gitwarden.scanner",
    "policy_test": "gitwarden.commands.policy_test",
    "scan": "gitwarden.scanner",
}

__all__ = [
    "Config",
    "Finding",
    "Location",
    "Report",
    "ScanOptions",
    "Severity",
    "Suppression",
    "__version__",
    "load_config",
    "policy_test",
    "scan",
]


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'gitwarden' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
