"""Keys of a Secret that hold descriptive data are not reported; the others are."""

from __future__ import annotations

import base64

import pytest

from gitwarden.secrets.content import scan_content
from gitwarden.secrets.engine import default_engine
from gitwarden.secrets.secret_data_keys import PUBLIC_KEYS


def reported(key: str) -> bool:
    value = base64.b64encode(b"Zq8-w!e2-v9").decode()
    text = f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  {key}: {value}\n"
    return bool(scan_content("s.yaml", text.encode(), default_engine()).hits)


@pytest.mark.parametrize(("key", "expected"), [("username", False), ("password", True)])
def test_descriptive_keys_are_not_reported(key: str, expected: bool) -> None:
    assert (key in PUBLIC_KEYS, reported(key)) == (not expected, expected)
