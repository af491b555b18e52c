"""The rule catalogue: every rule any gitwarden scanner can report, in catalogue order.

Assembled here, above the families that define rules (input, checks, policy, integrity,
secrets), so that no scanner imports another to list them. `gitwarden rules`, `docs/rules.md`
and the config's rule-id validation read it.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

from gitwarden.attestation.rules import ATTESTATION_RULES
from gitwarden.audit.rules import AUDIT_RULES
from gitwarden.checks.registry import all_checks, is_tool_rule_id
from gitwarden.decision_rules import DECISION_RULES
from gitwarden.drift.rules import DRIFT_RULES
from gitwarden.forge.rules import FORGE_RULES
from gitwarden.input_rules import INPUT_RULES
from gitwarden.integrity.rules import ALL_INTEGRITY_RULES
from gitwarden.policy.rules import POLICY_RULES
from gitwarden.review.codeowners_rules import CODEOWNERS_RULES
from gitwarden.review.rules import REVIEW_RULES
from gitwarden.rules import Rule
from gitwarden.secrets import all_secret_rules


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule gitwarden can report, input rules included, in catalogue order."""
    rules = (
        *INPUT_RULES,
        *(check.rule for check in all_checks()),
        *POLICY_RULES,
        *ALL_INTEGRITY_RULES,
        *all_secret_rules(),
        *FORGE_RULES,
        *AUDIT_RULES,
        *ATTESTATION_RULES,
        *DECISION_RULES,
        *DRIFT_RULES,
        *REVIEW_RULES,
        *CODEOWNERS_RULES,
    )
    # Counted in one pass: list.count per id was quadratic, milliseconds at every scan's start.
    counts = Counter(rule.id for rule in rules)
    duplicates = {rule_id for rule_id, count in counts.items() if count > 1}
    if duplicates:
        raise RuntimeError(f"duplicate rule ids: {sorted(duplicates)}")
    return rules


@cache
def _catalogue_ids() -> frozenset[str]:
    return frozenset(rule.id for rule in all_rules())


def is_known_rule_id(rule_id: str) -> bool:
    """A catalogue rule, or an id a family reports from a tool's own codes (dockerfile-DL3007)."""
    return rule_id in _catalogue_ids() or is_tool_rule_id(rule_id)
