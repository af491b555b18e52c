"""Provider token formats, one module per family; this order is the catalogue's order.

Each rule follows the format the provider documents (prefix, alphabet, length), its firing
and silent examples beside it; where a token has no prefix of its own, the provider's name
must stand beside it. A new family is one new module with a ``rules()`` function, and one
line here.
"""

from __future__ import annotations

from gitwarden.secrets.catalogue import (
    ai,
    ci,
    cloud,
    infrastructure,
    messaging,
    observability,
    package_registries,
    payment,
    saas,
    vcs,
)
from gitwarden.secrets.rule_spec import SecretRule

PROVIDER_FAMILIES = (
    cloud,
    infrastructure,
    vcs,
    package_registries,
    ci,
    observability,
    messaging,
    payment,
    ai,
    saas,
)


def provider_rules() -> list[SecretRule]:
    return [rule for family in PROVIDER_FAMILIES for rule in family.rules()]
