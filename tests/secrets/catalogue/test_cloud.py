"""The cloud credential formats, a GCP key file and Amazon Bedrock keys among them."""

from __future__ import annotations

import json

import pytest
from family_examples import examples_that_disagree, found

from gitwarden.secrets.catalogue import cloud
from gitwarden.secrets.rule_spec import BASE64, HEX, fill

PEM_BODY = "\n".join(fill(f"sa-{line}", 64, BASE64) for line in range(10))
PRIVATE_KEY = f"-----BEGIN PRIVATE KEY-----\n{PEM_BODY}\n-----END PRIVATE KEY-----\n"


def key_file(**fields: str) -> str:
    return json.dumps({"type": "service_account", "project_id": "p", **fields}, indent=2)


def test_cloud_rules_agree_with_their_own_examples() -> None:
    assert examples_that_disagree(cloud) == []


def test_service_account_key_file_is_named_as_such_not_as_a_bare_private_key() -> None:
    assert found(key_file(private_key=PRIVATE_KEY)) == {"gcp-service-account-private-key"}


def test_service_account_key_file_with_its_key_id_reports_both() -> None:
    text = key_file(private_key_id=fill("sa-id", 40, HEX), private_key=PRIVATE_KEY)
    assert found(text) == {"gcp-service-account-private-key", "gcp-service-account-key"}


def test_private_key_outside_a_service_account_file_stays_a_private_key() -> None:
    text = json.dumps({"type": "authorized_user", "private_key": PRIVATE_KEY})
    assert found(text) == {"private-key-pkcs8"}


@pytest.mark.parametrize(
    ("text", "rule_id"),
    [
        (f"AWS_BEARER_TOKEN_BEDROCK=ABSK{fill('b', 130, BASE64)}=", "aws-bedrock-api-key"),
        (
            "AWS_BEARER_TOKEN_BEDROCK=bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t"
            + fill("s", 300, BASE64),
            "aws-bedrock-short-term-api-key",
        ),
    ],
)
def test_bedrock_api_keys_are_found(text: str, rule_id: str) -> None:
    assert rule_id in found(text)
