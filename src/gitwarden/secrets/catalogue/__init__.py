"""The built-in secret rules: provider token formats, then structural and generic ones."""

from __future__ import annotations

from functools import cache

from gitwarden.secrets.catalogue.providers import provider_rules
from gitwarden.secrets.catalogue.structural import generic_rules, private_key_rules, url_rules
from gitwarden.secrets.rule_spec import SecretRule


@cache
def secret_rules() -> tuple[SecretRule, ...]:
    """Every built-in pattern rule, specific ones first (a generic match yields to them)."""
    return (*provider_rules(), *private_key_rules(), *generic_rules(), *url_rules())


__all__ = ["SecretRule", "secret_rules"]
