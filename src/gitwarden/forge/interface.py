"""What a forge is to gitwarden: one client per forge behind this protocol.

`gitwarden forge audit` asks for the posture of a project; `gitwarden review` (issue 15)
asks for the approvals of a change and the members of the teams its
groups name. A new forge is one module implementing `ForgeClient`
plus one line in `registry.FORGES`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from gitwarden.forge.posture import ForgePosture
from gitwarden.forge.transport import Transport


@dataclass(frozen=True)
class AuditScope:
    """What to read: the project, the branches that deploy (the default one is added by the
    forge), and the users whose keys to list (besides everyone who can push)."""

    project: str
    production_branches: tuple[str, ...] = ()
    key_users: tuple[str, ...] = ()

    def deploys_from(self, branch: str) -> bool:
        """A production branch; with none named, the default branch is the one that deploys."""
        return branch in self.production_branches or not self.production_branches


@dataclass(frozen=True)
class Approval:
    """One approval of a change (pull or merge request) by a forge user."""

    user: str
    submitted: datetime | None
    commit: str | None
    body: str = ""


class ForgeClient(Protocol):
    name: str

    def posture(self, scope: AuditScope) -> ForgePosture:
        """What the forge enforces on ``scope.project``; unreadable facts are listed, not
        assumed safe."""
        ...

    def approvals(self, project: str, change: int) -> tuple[Approval, ...]:
        """The approvals of pull/merge request ``change`` (for `gitwarden review`)."""
        ...

    def team_members(self, team: str) -> tuple[str, ...]:
        """The user names in ``team`` (GitHub ``org/team-slug``, GitLab ``group/subgroup``)
        for review groups; a team that cannot be read raises ForgeError, never ()."""
        ...


@dataclass(frozen=True)
class ForgeKind:
    """How to reach one forge: its environment variables, default API, remote hosts, and
    the client that reads it."""

    name: str
    token_variable: str
    url_variable: str
    default_url: str
    hosts: tuple[str, ...]
    auth_headers: Callable[[str | None], Mapping[str, str]]
    client: Callable[[Transport], ForgeClient]
