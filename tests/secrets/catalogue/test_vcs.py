"""The code-hosting credential formats, Sourcegraph's three token forms among them."""

from __future__ import annotations

import pytest
from family_examples import examples_that_disagree, found

from gitwarden.secrets.catalogue import vcs
from gitwarden.secrets.rule_spec import HEX, fill

BODY = fill("sourcegraph-test", 40, HEX)


def test_vcs_rules_agree_with_their_own_examples() -> None:
    assert examples_that_disagree(vcs) == []


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        (f"token: sgp_{BODY}", True),
        (f"token: sgp_{fill('instance', 16, HEX)}_{BODY}", True),
        (f"token: sgp_local_{BODY}", True),
        (f"token: sgp_{BODY.upper()}", True),
        (f"token: sgp_local_{BODY[:30]}", False),
        (f"token: sgp_remote_{BODY}", False),
    ],
)
def test_sourcegraph_token_forms(text: str, fires: bool) -> None:
    assert ("sourcegraph-access-token" in found(text)) is fires
