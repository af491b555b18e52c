"""Principals as the review sees them: lookups ignore case where identities do."""

from __future__ import annotations

import pytest

from gitwarden.review.principals import Principals

PRINCIPALS = Principals(
    {"SHA256:k": "alice"}, {"alice@example.com": "alice"}, {"github:al": "alice"}
)


@pytest.mark.parametrize(
    ("found", "expected"),
    [
        (PRINCIPALS.owner_of_key("SHA256:k"), "alice"),
        (PRINCIPALS.owner_of_key("SHA256:K"), None),
        (PRINCIPALS.of_email(" Alice@Example.com "), "alice"),
        (PRINCIPALS.of_email(""), None),
        (PRINCIPALS.of_forge_user("github", "AL"), "alice"),
        (PRINCIPALS.of_forge_user("gitlab", "al"), None),
    ],
)
def test_lookups(found: str | None, expected: str | None) -> None:
    assert found == expected
