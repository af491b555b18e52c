"""What a forge enforces on one repository, in terms both forges share.

The forge modules (`github`, `gitlab`) read their APIs into this model; the posture checks
judge only this model. ``None`` means "could not be read": such a fact is never taken as
safe, and the reason is in `ForgePosture.unreadable`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

AccessLevel = Literal["admin", "maintain", "write", "read"]
KeyKind = Literal["ssh-auth", "ssh-signing", "gpg", "deploy"]
WRITE_LEVELS: tuple[AccessLevel, ...] = ("admin", "maintain", "write")


@dataclass(frozen=True)
class Unreadable:
    """A fact the token may not read: what, from which endpoint, the scope that would allow it."""

    what: str
    endpoint: str
    scope: str
    status: int


@dataclass(frozen=True)
class BranchPolicy:
    """The effective protection of one branch: classic protection and active rulesets merged.

    ``sources`` names where each protection came from (for messages); ``bypass`` the actors
    exempt from it; ``pushers`` who may push when pushes are restricted (None: everyone with
    write access).
    """

    branch: str
    production: bool
    protected: bool
    force_push_allowed: bool = True
    deletion_allowed: bool = True
    required_approvals: int = 0
    code_owner_review: bool = False
    dismiss_stale_reviews: bool = False
    last_push_approval: bool = False
    status_checks: tuple[str, ...] = ()
    signed_commits: bool = False
    linear_history: bool = False
    admins_exempt: bool = True
    bypass: tuple[str, ...] = ()
    unenforced: tuple[str, ...] = ()
    pushers: tuple[str, ...] | None = None
    sources: tuple[str, ...] = ()
    # What could not be read (the token's scope): this policy may be stricter than it looks.
    unknown: tuple[str, ...] = ()
    # Settings one forge has and the other lacks: None where the forge has no such setting.
    author_may_approve: bool | None = None
    member_check: bool | None = None
    committer_check: bool | None = None


@dataclass(frozen=True)
class TagPolicy:
    """Whether release tags (``v*``) are protected against moves and deletion, and by what."""

    pattern: str
    protected_from_deletion: bool
    protected_from_moves: bool
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class AccessGrant:
    """Someone (a user or a team) with access to the repository, at ``level``."""

    name: str
    kind: Literal["user", "team"]
    level: AccessLevel
    outside: bool = False


@dataclass(frozen=True)
class ForgeKey:
    """A key the forge lists: a user's SSH/GPG key or a repository's deploy key.

    ``fingerprint`` is ``SHA256:...`` for SSH keys (as ssh-keygen and the trust policy write
    it) and the key id for GPG keys.
    """

    owner: str
    kind: KeyKind
    title: str
    fingerprint: str | None
    created: datetime | None = None
    expires: datetime | None = None
    can_write: bool = False


@dataclass(frozen=True)
class PushActivity:
    """When ``user`` last pushed to the repository (None: no push the forge remembers)."""

    user: str
    last_push: datetime | None


@dataclass(frozen=True)
class OrganisationPosture:
    """The owning organisation (GitHub) or group (GitLab) and its 2FA settings."""

    name: str
    two_factor_required: bool | None
    members_without_two_factor: tuple[str, ...] | None = None


@dataclass(frozen=True)
class ForgePosture:
    """Everything the audit read about one project on one forge."""

    forge: str
    project: str
    default_branch: str
    branches: tuple[BranchPolicy, ...]
    tags: TagPolicy | None
    access: tuple[AccessGrant, ...] | None
    keys: tuple[ForgeKey, ...]
    organisation: OrganisationPosture | None
    unreadable: tuple[Unreadable, ...] = ()
    # Users whose keys were read (others' keys are unknown, not absent).
    key_owners_read: tuple[str, ...] = ()
    # Last pushes of the users who can push; None where the forge does not tell (GitLab).
    activity: tuple[PushActivity, ...] | None = None

    def writers(self) -> tuple[AccessGrant, ...] | None:
        """Users and teams who can push (write, maintain or admin); None if unreadable."""
        if self.access is None:
            return None
        return tuple(grant for grant in self.access if grant.level in WRITE_LEVELS)
