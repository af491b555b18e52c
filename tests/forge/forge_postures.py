"""Small postures for the checks' own tests: one setting changed from a hardened branch."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from forge.forge_server import NOW
from gitwarden.forge.audit_context import AuditBar, AuditContext
from gitwarden.forge.posture import AccessGrant, BranchPolicy, ForgeKey, ForgePosture
from gitwarden.forge.trust_data import ForgeTrust, TrustedKey, TrustedPrincipal

HARDENED = BranchPolicy(
    branch="main",
    production=True,
    protected=True,
    force_push_allowed=False,
    deletion_allowed=False,
    required_approvals=2,
    code_owner_review=True,
    dismiss_stale_reviews=True,
    last_push_approval=True,
    status_checks=("gitwarden",),
    signed_commits=True,
    linear_history=True,
    admins_exempt=False,
    sources=("ruleset 1 (pull_request)",),
)
ALICE_KEY = "SHA256:D8mJcRu3rkpZE0P2CyU6YrUg8rNMWzC1OqA0wdGg5DI"
TRUST = ForgeTrust(
    present=True,
    principals=(TrustedPrincipal("alice", "alice", (TrustedKey("ssh", ALICE_KEY),), ("main",)),),
)


def branch(**changes: Any) -> BranchPolicy:
    return replace(HARDENED, **changes)


def context(
    *,
    branches: tuple[BranchPolicy, ...] = (HARDENED,),
    access: tuple[AccessGrant, ...] | None = (AccessGrant("alice", "user", "maintain"),),
    keys: tuple[ForgeKey, ...] = (),
    trust: ForgeTrust = TRUST,
    bar: AuditBar | None = None,
    **changes: Any,
) -> AuditContext:
    posture = ForgePosture(
        forge="github",
        project="acme/gitops",
        default_branch="main",
        branches=branches,
        access=access,
        keys=keys,
        **({"tags": None, "organisation": None} | changes),
    )
    return AuditContext(posture, NOW, bar or AuditBar(), trust)
