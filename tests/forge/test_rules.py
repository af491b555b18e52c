"""The forge rules reach the rule catalogue without the audit's posture code."""

from __future__ import annotations

import subprocess
import sys

from gitwarden.forge import audit
from gitwarden.forge.rules import FORGE_RULES
from gitwarden.rule_catalogue import all_rules


def test_the_rule_catalogue_leaves_the_forge_audit_and_posture_unimported() -> None:
    code = (
        "import sys, gitwarden.rule_catalogue; "
        "print(sorted(m for m in ('gitwarden.forge.audit', 'gitwarden.forge.posture', "
        "'gitwarden.forge.audit_context', 'gitwarden.forge.trust_data') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_audit_reports_the_rules_the_catalogue_lists() -> None:
    catalogue_ids = {rule.id for rule in all_rules()}
    assert audit.FORGE_RULES is FORGE_RULES
    assert {rule.id for rule in FORGE_RULES} <= catalogue_ids
