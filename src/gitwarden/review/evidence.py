"""The evidence a review is judged on: approvals (from Git or a forge) and delegations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from gitwarden.attestation.approval_statements import DelegationClaim

GIT = "git"


@dataclass(frozen=True)
class Approval:
    """One approval. ``principal`` is None when its identity matches no principal (it is
    listed, never counted). Git approvals bind ``tree``; forge approvals a ``head`` commit
    (or nothing, when the forge does not say which commit was approved)."""

    who: str
    principal: str | None
    source: str
    message: str
    head: str | None = None
    tree: str | None = None
    target_ref: str | None = None
    at: datetime | None = None
    # The fingerprint of the key whose signature made it evidence (Git records); None: a forge.
    key: str | None = None


@dataclass(frozen=True)
class Delegation:
    """A verified delegation: ``delegator`` (the principal whose key signed it) lets
    ``claim.delegate`` act for ``claim.role``."""

    delegator: str
    claim: DelegationClaim


@dataclass(frozen=True)
class InvalidEvidence:
    """A record that could not be verified (forged, unknown key, malformed)."""

    name: str
    reason: str


@dataclass(frozen=True)
class Evidence:
    approvals: tuple[Approval, ...] = ()
    delegations: tuple[Delegation, ...] = ()
    invalid: tuple[InvalidEvidence, ...] = ()
