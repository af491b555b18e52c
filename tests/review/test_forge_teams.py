"""Forge teams in review groups: which entries are teams, which teams a policy needs, and
the policy the engine gets once their members are known."""

from __future__ import annotations

import pytest

from gitwarden.review.forge_teams import (
    ForgeTeam,
    team_of,
    team_problem,
    teams_needed,
    with_team_members,
)
from gitwarden.review.policy import ReviewPolicy, ReviewRule, SecuritySensitivity

SECURITY_TEAM = ForgeTeam("github", "acme/security")


def policy(**groups: tuple[str, ...]) -> ReviewPolicy:
    rules = (ReviewRule("prod", from_groups=("owners",)),)
    return ReviewPolicy(groups=groups, rules=rules, security=SecuritySensitivity("security"))


@pytest.mark.parametrize(
    ("entry", "team"),
    [
        ("carol", None),
        ("github:acme/security", SECURITY_TEAM),
        ("gitlab:a/b/c", ForgeTeam("gitlab", "a/b/c")),
    ],
)
def test_an_entry_with_a_forge_prefix_is_a_team(entry: str, team: ForgeTeam | None) -> None:
    assert team_of(entry) == team


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ("github:acme/security", None),
        ("gitlab:acme", None),
        ("github:acme", "is not github:ORG/TEAM-SLUG"),
        ("github:-acme/x", "is not github:ORG/TEAM-SLUG"),
        ("gitlab:acme//x", "is not gitlab:GROUP/SUBGROUP"),
        ("gitea:acme/x", "teams are github:ORG/TEAM or gitlab:GROUP"),
    ],
)
def test_team_references_are_checked(entry: str, problem: str | None) -> None:
    found = team_problem(entry)
    assert (found is None) if problem is None else (problem in str(found))


def test_only_teams_of_groups_a_rule_asks_for_are_needed() -> None:
    needed = policy(
        owners=("dave", "gitlab:acme/owners"),
        security=("github:acme/security",),
        unused=("github:acme/nobody-asks",),
    )
    assert teams_needed(needed) == (SECURITY_TEAM, ForgeTeam("gitlab", "acme/owners"))


def test_a_team_is_replaced_by_its_principals() -> None:
    expanded = with_team_members(
        policy(owners=("dave",), security=("carol", "github:acme/security")),
        {SECURITY_TEAM: ("carol", "bob")},
    )
    assert expanded.members("security") == ("carol", "bob")


def test_an_unresolved_team_stands_for_no_one() -> None:
    assert policy(owners=("github:acme/owners",)).members("owners") == ()


def test_a_needed_team_that_was_not_read_is_refused() -> None:
    with pytest.raises(KeyError, match="github:acme/security"):
        with_team_members(policy(owners=("dave",), security=("github:acme/security",)), {})
