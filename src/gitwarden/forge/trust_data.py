"""The trust policy as the forge checks need it: plain data, filled in by the command layer.

The forge package is a scanner and may not import `gitwarden.integrity`; the command reads the
trust policy and hands over principals, their keys and the branches they may sign for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fnmatch import fnmatchcase


@dataclass(frozen=True)
class TrustedKey:
    """A key of the trust policy: ``SHA256:...`` for SSH, the fingerprint for OpenPGP."""

    scheme: str
    fingerprint: str
    added: date | None = None


@dataclass(frozen=True)
class TrustedPrincipal:
    """A principal, the forge login it is known by, its keys, the branches it signs for."""

    name: str
    login: str
    keys: tuple[TrustedKey, ...] = ()
    signs_for: tuple[str, ...] = ()

    def may_sign_for(self, branch: str) -> bool:
        return any(
            fnmatchcase(branch, pattern.removeprefix("refs/heads/")) for pattern in self.signs_for
        )


@dataclass(frozen=True)
class ForgeTrust:
    """``present`` is False when the repository has no trust policy (drift is then unknown)."""

    present: bool = False
    principals: tuple[TrustedPrincipal, ...] = ()
    max_key_age_days: int | None = None
    key_warning_days: int | None = None

    def by_login(self, login: str) -> TrustedPrincipal | None:
        wanted = login.lower()
        return next((p for p in self.principals if p.login.lower() == wanted), None)
