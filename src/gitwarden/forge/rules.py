"""Every rule the forge audit reports, for the rule catalogue.

Apart from `audit`: the catalogue is read at every scan, and the audit's checks need the
posture model, which a scan never does (the check modules import it only to audit).
"""

from __future__ import annotations

from gitwarden.forge import access, branch_protection, keys, permissions, trust_drift
from gitwarden.rules import Rule

FORGE_RULES: tuple[Rule, ...] = (
    *permissions.RULES,
    *branch_protection.RULES,
    *access.RULES,
    *keys.RULES,
    *trust_drift.RULES,
)
