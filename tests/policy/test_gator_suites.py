"""gator verify assertions: yes, no, counts and messages."""

from __future__ import annotations

import pytest

from gitwarden.policy.gatekeeper_templates import Violation
from gitwarden.policy.gator_suites import check_assertion

TWO = [Violation("container <a> is bad", {}), Violation("initContainer <b> is bad", {})]


@pytest.mark.parametrize(
    ("assertion", "holds"),
    [
        ({}, True),
        ({"violations": "yes"}, True),
        ({"violations": True}, True),
        ({"violations": "no"}, False),
        ({"violations": 2}, True),
        ({"violations": "2"}, True),
        ({"violations": 1}, False),
        ({"violations": 1, "message": "^container"}, True),
        ({"violations": "no", "message": "ephemeral"}, True),
    ],
)
def test_assertion_counts_matching_violations(assertion: dict[str, object], holds: bool) -> None:
    assert (check_assertion(assertion, TWO) is None) is holds


def test_no_violations_satisfy_no() -> None:
    assert check_assertion({"violations": False}, []) is None


@pytest.mark.parametrize(
    "assertion", [{"violations": "maybe"}, {"message": "("}, "violations: yes"]
)
def test_malformed_assertion_fails_with_a_reason(assertion: object) -> None:
    assert check_assertion(assertion, TWO)
