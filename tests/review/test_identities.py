"""Authors, committers and co-authors tied to principals by e-mail and by signing key."""

from __future__ import annotations

from review_repos import ReviewKeys, trust_policy

from gitwarden.integrity.trust_file import parse_trust_policy
from gitwarden.review.change import Change, ChangeCommit
from gitwarden.review.identities import change_people, forge_principal


def change(*commits: ChangeCommit) -> Change:
    return Change("refs/heads/main", "b" * 40, "h" * 40, "t" * 40, (), commits)


def test_people_are_tied_by_email(keys: ReviewKeys) -> None:
    policy = parse_trust_policy(trust_policy(keys), "trust.yaml")
    people = change_people(
        change(
            ChangeCommit("1" * 40, "alice@example.com", "bob@example.com", ("carol@example.com",))
        ),
        policy,
    )
    assert (set(people.authors), set(people.committers), set(people.co_authors)) == (
        {"alice"},
        {"bob"},
        {"carol"},
    )


def test_the_signing_key_makes_its_owner_an_author(keys: ReviewKeys) -> None:
    policy = parse_trust_policy(trust_policy(keys), "trust.yaml")
    dave_key = policy.principal("dave").keys[0].fingerprint  # type: ignore[union-attr]
    people = change_people(
        change(ChangeCommit("1" * 40, "ghost@example.com", "ghost@example.com", (), (dave_key,))),
        policy,
    )
    assert set(people.authors) == {"dave"}


def test_a_forge_user_of_no_principal_ties_to_nobody(keys: ReviewKeys) -> None:
    policy = parse_trust_policy(trust_policy(keys), "trust.yaml")
    assert (
        forge_principal(policy, "github", "bob-gh"),
        forge_principal(policy, "github", "x"),
    ) == (
        "bob",
        None,
    )
