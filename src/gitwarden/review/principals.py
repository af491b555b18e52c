"""The people a review knows: principals of the trust policy and the identities tied to them.

Handed in as data by the command (which reads the trust policy): the review scanner never
imports another scanner. A person who is in none of these maps can never approve.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


def _empty() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Principals:
    """Key fingerprint, e-mail (lower case) and ``forge:user`` (lower case) -> principal."""

    by_key: Mapping[str, str] = field(default_factory=_empty)
    by_email: Mapping[str, str] = field(default_factory=_empty)
    by_forge_user: Mapping[str, str] = field(default_factory=_empty)

    def owner_of_key(self, fingerprint: str) -> str | None:
        return self.by_key.get(fingerprint)

    def of_email(self, email: str) -> str | None:
        return self.by_email.get(email.strip().lower()) if email else None

    def of_forge_user(self, forge: str, user: str) -> str | None:
        return self.by_forge_user.get(f"{forge}:{user.strip().lower()}") if user else None
