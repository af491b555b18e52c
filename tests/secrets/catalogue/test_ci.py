"""The CI/CD credential formats: Octopus Deploy keys only where they stand as a value."""

from __future__ import annotations

import pytest
from family_examples import examples_that_disagree, found

from gitwarden.secrets.catalogue import ci
from gitwarden.secrets.rule_spec import HEX, UPPER_ALNUM, UPPER_HEX, fill

KEY = "API-" + fill("octopus-test", 26, UPPER_ALNUM)


def test_ci_rules_agree_with_their_own_examples() -> None:
    assert examples_that_disagree(ci) == []


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        (f"OCTOPUS_CLI_API_KEY={KEY}", True),
        (f'headers: {{"X-Octopus-ApiKey": "{KEY}"}}', True),
        (f"https://acme.notion.site/Deploy-API-{fill('page', 32, UPPER_HEX)}", False),
        (f"https://acme.notion.site/API-{fill('page', 32, UPPER_HEX)}", False),
        (f"https://www.notion.so/acme/API-{fill('page', 32, HEX)}?pvs=4", False),
    ],
)
def test_octopus_key_fires_as_a_value_never_in_a_url_path(text: str, fires: bool) -> None:
    assert ("octopus-deploy-api-key" in found(text)) is fires
