"""The other SaaS formats: Facebook page, user and app access tokens."""

from __future__ import annotations

import pytest
from family_examples import examples_that_disagree, found

from gitwarden.secrets.catalogue import saas
from gitwarden.secrets.rule_spec import ALNUM, DIGITS, HEX, fill

PAGE_TOKEN = "EAAM" + fill("fb-page-test", 180, ALNUM)
APP_TOKEN = f"{fill('fb-app-test', 16, DIGITS)}|{fill('fb-secret-test', 32, HEX)}"


def test_saas_rules_agree_with_their_own_examples() -> None:
    assert examples_that_disagree(saas) == []


def test_facebook_page_token_is_found_without_a_facebook_keyword_nearby() -> None:
    assert "facebook-access-token" in found(f"token: {PAGE_TOKEN}")


def test_run_inside_a_base64_blob_is_not_a_facebook_token() -> None:
    assert "facebook-access-token" not in found(f"ca: MIIB+{PAGE_TOKEN}/AAAB")


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        (f"FACEBOOK_APP_TOKEN={APP_TOKEN}", True),
        (f"graph.facebook.com/oauth?access_token={APP_TOKEN.replace('|', '%7C')}", True),
        (f"build: {APP_TOKEN}", False),  # the shape alone, with nothing about Facebook
    ],
)
def test_facebook_app_token_needs_facebook_in_the_file(text: str, fires: bool) -> None:
    assert ("facebook-app-access-token" in found(text)) is fires
