from __future__ import annotations

import pytest

from forge.forge_postures import branch, context
from gitwarden.findings import Severity
from gitwarden.forge.audit_context import branch_severity
from gitwarden.forge.branch_protection import BRANCH_UNPROTECTED, LINEAR_HISTORY_OFF
from gitwarden.forge.trust_data import ForgeTrust


@pytest.mark.parametrize(
    ("production", "rule", "severity"),
    [
        (True, BRANCH_UNPROTECTED, Severity.CRITICAL),
        (False, BRANCH_UNPROTECTED, Severity.MEDIUM),
        (False, LINEAR_HISTORY_OFF, Severity.LOW),
    ],
)
def test_only_production_branches_get_the_full_severity(
    production: bool, rule: object, severity: Severity
) -> None:
    assert branch_severity(rule, branch(production=production)) == severity  # type: ignore[arg-type]


def test_findings_are_filed_under_forge_and_project() -> None:
    assert context().location("branch/main").file == "github:acme/gitops"


def test_trust_policy_key_age_settings_win() -> None:
    audit = context(trust=ForgeTrust(present=True, max_key_age_days=30, key_warning_days=5))
    assert (audit.max_key_age_days, audit.key_warning_days) == (30, 5)
