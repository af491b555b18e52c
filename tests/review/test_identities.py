"""Authors, committers and co-authors tied to principals by e-mail and by signing key."""

from __future__ import annotations

from gitwarden.review.change import Change, ChangeCommit
from gitwarden.review.identities import change_people
from gitwarden.review.principals import Principals


def change(*commits: ChangeCommit) -> Change:
    return Change("refs/heads/main", "b" * 40, "h" * 40, "t" * 40, (), commits)


PRINCIPALS = Principals(
    by_key={"SHA256:dave": "dave"},
    by_email={f"{name}@example.com": name for name in ("alice", "bob", "carol")},
)


def test_people_are_tied_by_email() -> None:
    policy = PRINCIPALS
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


def test_the_signing_key_makes_its_owner_an_author() -> None:
    policy = PRINCIPALS
    dave_key = "SHA256:dave"
    people = change_people(
        change(ChangeCommit("1" * 40, "ghost@example.com", "ghost@example.com", (), (dave_key,))),
        policy,
    )
    assert set(people.authors) == {"dave"}


def test_a_person_of_no_principal_is_nobody() -> None:
    people = change_people(
        change(ChangeCommit("1" * 40, "eve@example.com", "eve@example.com")), PRINCIPALS
    )
    assert (people.authors, people.committers) == ({}, {})
