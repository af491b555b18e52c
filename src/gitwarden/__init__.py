"""gitwarden: a security gate for GitOps repositories. May this revision be deployed?

The public API is imported lazily so that `import gitwarden.findings` (or the CLI) does not
pay for every scanner.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from gitwarden.version import __version__

if TYPE_CHECKING:
    from gitwarden.commands.approve import ApproveOptions, approve
    from gitwarden.commands.attest import attest_verify
    from gitwarden.commands.audit import (
        audit_export,
        audit_head,
        audit_trace,
        audit_verify,
        record_audit_entry,
        record_gate_decision,
    )
    from gitwarden.commands.delegate import DelegateOptions, delegate
    from gitwarden.commands.drift import DriftOptions, drift
    from gitwarden.commands.fleet import FleetScan, FleetScanOptions, fleet_scan
    from gitwarden.commands.forge_audit import ForgeAuditOptions, forge_audit
    from gitwarden.commands.gate import GateOptions, GateResult, gate
    from gitwarden.commands.history import HistoryOptions, history
    from gitwarden.commands.ledger import (
        LedgerRecordOptions,
        LedgerVerifyOptions,
        ledger_export,
        ledger_record,
        ledger_verify,
    )
    from gitwarden.commands.policy_test import policy_test
    from gitwarden.commands.review import ReviewOptions, ReviewResult, review
    from gitwarden.commands.rollback import (
        RollbackApproveOptions,
        RollbackApproveResult,
        rollback_approve,
    )
    from gitwarden.commands.scan import ScanOptions, scan
    from gitwarden.commands.schema import schema
    from gitwarden.commands.serve import ServeOptions, ServeSession, serve
    from gitwarden.commands.trust import (
        TrustInitOptions,
        trust_add,
        trust_allow,
        trust_approve,
        trust_init,
        trust_revoke,
        trust_show,
    )
    from gitwarden.commands.verify import VerifyOptions, VerifyResult, verify, verify_result
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
    "gate": "gitwarden.commands.gate",
    "argocd_generate": "gitwarden.commands.argocd",
    "ArgocdOptions": "gitwarden.commands.argocd",
    "ArgocdResult": "gitwarden.commands.argocd",
    "flux_promote": "gitwarden.commands.flux",
    "FluxPromoteOptions": "gitwarden.commands.flux",
    "FluxPromoteResult": "gitwarden.commands.flux",
    "GateOptions": "gitwarden.commands.gate",
    "GateResult": "gitwarden.commands.gate",
    "rollback_approve": "gitwarden.commands.rollback",
    "RollbackApproveOptions": "gitwarden.commands.rollback",
    "RollbackApproveResult": "gitwarden.commands.rollback",
    "Config": "gitwarden.config",
    "load_config": "gitwarden.config",
    "Finding": "gitwarden.findings",
    "Location": "gitwarden.findings",
    "Severity": "gitwarden.findings",
    "Suppression": "gitwarden.findings",
    "history": "gitwarden.commands.history",
    "HistoryOptions": "gitwarden.commands.history",
    "Report": "gitwarden.report.model",
    "DriftOptions": "gitwarden.commands.drift",
    "drift": "gitwarden.commands.drift",
    "ForgeAuditOptions": "gitwarden.commands.forge_audit",
    "forge_audit": "gitwarden.commands.forge_audit",
    "ScanOptions": "gitwarden.commands.scan",
    "scan": "gitwarden.commands.scan",
    "schema": "gitwarden.commands.schema",
    "verify": "gitwarden.commands.verify",
    "verify_result": "gitwarden.commands.verify",
    "VerifyOptions": "gitwarden.commands.verify",
    "VerifyResult": "gitwarden.commands.verify",
    "ledger_verify": "gitwarden.commands.ledger",
    "ledger_record": "gitwarden.commands.ledger",
    "ledger_export": "gitwarden.commands.ledger",
    "LedgerVerifyOptions": "gitwarden.commands.ledger",
    "LedgerRecordOptions": "gitwarden.commands.ledger",
    "trust_init": "gitwarden.commands.trust",
    "trust_show": "gitwarden.commands.trust",
    "trust_add": "gitwarden.commands.trust",
    "trust_allow": "gitwarden.commands.trust",
    "trust_revoke": "gitwarden.commands.trust",
    "trust_approve": "gitwarden.commands.trust",
    "TrustInitOptions": "gitwarden.commands.trust",
    "policy_test": "gitwarden.commands.policy_test",
    "review": "gitwarden.commands.review",
    "ReviewOptions": "gitwarden.commands.review",
    "ReviewResult": "gitwarden.commands.review",
    "approve": "gitwarden.commands.approve",
    "ApproveOptions": "gitwarden.commands.approve",
    "delegate": "gitwarden.commands.delegate",
    "DelegateOptions": "gitwarden.commands.delegate",
    "FleetScan": "gitwarden.commands.fleet",
    "FleetScanOptions": "gitwarden.commands.fleet",
    "fleet_scan": "gitwarden.commands.fleet",
    "ServeOptions": "gitwarden.commands.serve",
    "ServeSession": "gitwarden.commands.serve",
    "serve": "gitwarden.commands.serve",
}

__all__ = [
    "ApproveOptions",
    "ArgocdOptions",
    "ArgocdResult",
    "Config",
    "DelegateOptions",
    "DriftOptions",
    "Finding",
    "FleetScan",
    "FleetScanOptions",
    "FluxPromoteOptions",
    "FluxPromoteResult",
    "ForgeAuditOptions",
    "GateOptions",
    "GateResult",
    "HistoryOptions",
    "LedgerRecordOptions",
    "LedgerVerifyOptions",
    "Location",
    "Report",
    "ReviewOptions",
    "ReviewResult",
    "RollbackApproveOptions",
    "RollbackApproveResult",
    "ScanOptions",
    "ServeOptions",
    "ServeSession",
    "Severity",
    "Suppression",
    "TrustInitOptions",
    "VerifyOptions",
    "VerifyResult",
    "__version__",
    "approve",
    "argocd_generate",
    "attest_verify",
    "audit_export",
    "audit_head",
    "audit_trace",
    "audit_verify",
    "delegate",
    "drift",
    "fleet_scan",
    "flux_promote",
    "forge_audit",
    "gate",
    "history",
    "ledger_export",
    "ledger_record",
    "ledger_verify",
    "load_config",
    "policy_test",
    "record_audit_entry",
    "record_gate_decision",
    "review",
    "rollback_approve",
    "scan",
    "schema",
    "serve",
    "trust_add",
    "trust_allow",
    "trust_approve",
    "trust_init",
    "trust_revoke",
    "trust_show",
    "verify",
    "verify_result",
]


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'gitwarden' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


class _Package(types.ModuleType):
    """The package module, keeping ``gitwarden.drift`` the command, not the scanner package.

    Importing ``gitwarden.drift.*`` sets the subpackage as an attribute of this package;
    ``from gitwarden.drift.scanner import ...`` still works (through ``sys.modules``).
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _PUBLIC and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
