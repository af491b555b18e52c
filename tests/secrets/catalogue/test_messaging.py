"""The chat, webhook, e-mail and SMS formats: Slack webhooks over any scheme."""

from __future__ import annotations

import pytest
from family_examples import examples_that_disagree, found

from gitwarden.secrets.catalogue import messaging
from gitwarden.secrets.rule_spec import ALNUM, DIGITS, UPPER_ALNUM, fill

TEAM, BOT, APP = (fill(seed, 10, UPPER_ALNUM) for seed in ("team", "bot", "app"))
SERVICE = f"hooks.slack.com/services/T{TEAM}/B{BOT}/{fill('hook', 24, ALNUM)}"
WORKFLOW = (
    f"hooks.slack.com/workflows/T{TEAM}/A{APP}/{fill('wf', 18, DIGITS)}/{fill('w', 24, ALNUM)}"
)


def test_messaging_rules_agree_with_their_own_examples() -> None:
    assert examples_that_disagree(messaging) == []


@pytest.mark.parametrize("url", [f"https://{SERVICE}", f"http://{SERVICE}", SERVICE])
def test_slack_incoming_webhook_is_found_with_or_without_https(url: str) -> None:
    assert found(f"url: {url}") == {"slack-webhook-url"}


@pytest.mark.parametrize("url", [f"https://{WORKFLOW}", f"http://{WORKFLOW}"])
def test_slack_workflow_webhook_is_found(url: str) -> None:
    assert found(f"url: {url}") == {"slack-workflow-webhook-url"}
