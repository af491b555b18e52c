"""The integrity commands' public names -> their modules, for ``gitwarden.__init__``'s lazy
``__getattr__`` (kept here so that adding one touches this file, not the package root)."""

from __future__ import annotations

from typing import Final

INTEGRITY_API: Final = {
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
}
