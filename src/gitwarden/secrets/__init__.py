"""Secret detection: credential formats as data, a two-pass engine, Kubernetes-aware parsing,
the working tree and all of Git history."""

from __future__ import annotations

from functools import cache

from gitwarden.rules import Rule
from gitwarden.secrets.catalogue import secret_rules
from gitwarden.secrets.coverage_rules import COVERAGE_RULES
from gitwarden.secrets.kubernetes_rules import KUBERNETES_RULES


@cache
def all_secret_rules() -> tuple[Rule, ...]:
    """Every rule the secret scanners report, for the catalogue and the config checker."""
    return (*KUBERNETES_RULES, *(rule.rule for rule in secret_rules()), *COVERAGE_RULES)


__all__ = ["all_secret_rules"]
