from __future__ import annotations

import pytest

from gitwarden.forge.trust_data import ForgeTrust, TrustedPrincipal


@pytest.mark.parametrize(
    ("patterns", "branch", "may"),
    [
        (("main",), "main", True),
        (("refs/heads/main",), "main", True),
        (("release/*",), "release/1", True),
        (("main",), "dev", False),
    ],
)
def test_principal_signs_for_matching_branches(
    patterns: tuple[str, ...], branch: str, may: bool
) -> None:
    assert TrustedPrincipal("alice", "alice", signs_for=patterns).may_sign_for(branch) is may


def test_principal_is_found_by_login_whatever_the_case() -> None:
    trust = ForgeTrust(True, (TrustedPrincipal("alice", "Alice"),))
    assert trust.by_login("alice") is not None
    assert trust.by_login("bob") is None
