"""Forge teams as members of review groups: ``github:org/team``, ``gitlab:group/subgroup``.

A group of ``.gitwarden/review.yaml`` lists principals and may name forge teams. A team's
members are read from the forge by the command (the review scanner calls no API) and tied to
principals through their forge identities; the policy the engine judges with holds
principals only. A team whose members could not be read never stands for "nobody": the
command stops with an error instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from gitwarden.review.policy import ReviewPolicy

TEAM_FORGES = ("github", "gitlab")
_GITHUB_TEAM = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_GITLAB_GROUP = re.compile(
    r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}(?:/[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}){0,20}"
)
_SHAPES = {"github": (_GITHUB_TEAM, "ORG/TEAM-SLUG"), "gitlab": (_GITLAB_GROUP, "GROUP/SUBGROUP")}


@dataclass(frozen=True, order=True)
class ForgeTeam:
    forge: str
    path: str

    def __str__(self) -> str:
        return f"{self.forge}:{self.path}"


def team_of(entry: str) -> ForgeTeam | None:
    """The team a group entry names; None when the entry is a principal's name."""
    forge, colon, path = entry.partition(":")
    if not colon:
        return None
    return ForgeTeam(forge, path)


def team_problem(entry: str) -> str | None:
    """Why ``entry`` is not a valid team reference (None: it is one, or a principal)."""
    team = team_of(entry)
    if team is None:
        return None
    if team.forge not in _SHAPES:
        return f"{entry!r}: teams are github:ORG/TEAM or gitlab:GROUP, not {team.forge}:"
    pattern, shape = _SHAPES[team.forge]
    if not pattern.fullmatch(team.path):
        return f"{entry!r} is not {team.forge}:{shape}"
    return None


def teams_needed(policy: ReviewPolicy) -> tuple[ForgeTeam, ...]:
    """The teams of every group a rule (the built-in security rule included) asks for."""
    groups = {g for rule in policy.effective_rules() for g in rule.from_groups}
    found = {
        team
        for group in groups
        for entry in policy.groups.get(group, ())
        if (team := team_of(entry)) is not None
    }
    return tuple(sorted(found))


def with_team_members(
    policy: ReviewPolicy, members: Mapping[ForgeTeam, tuple[str, ...]]
) -> ReviewPolicy:
    """``policy`` with each team entry replaced by the principals in that team. A team that
    was not read is a programming error, not an empty team."""
    groups: dict[str, tuple[str, ...]] = {}
    for group, entries in policy.groups.items():
        expanded: list[str] = []
        for entry in entries:
            team = team_of(entry)
            if team is None:
                expanded.append(entry)
            elif team in members:
                expanded.extend(members[team])
            elif any(g == group for rule in policy.effective_rules() for g in rule.from_groups):
                raise KeyError(f"the members of {team} were not read")
        groups[group] = tuple(dict.fromkeys(expanded))
    return replace(policy, groups=MappingProxyType(groups))
