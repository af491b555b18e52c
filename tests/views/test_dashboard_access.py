"""Who may read the dashboard: loopback by default; a token beyond it (issue 21.2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from dashboard_trail import gate_trail
from starlette.testclient import TestClient

from gitwarden.dashboard.access import TOKEN_COOKIE, AccessPolicy
from gitwarden.dashboard.app import DashboardSettings, dashboard_app
from gitwarden.errors import UsageError

TOKEN = "s3cret-token-for-tests-0123456789"


def test_non_loopback_host_needs_public() -> None:
    with pytest.raises(UsageError, match="--public and --token"):
        AccessPolicy(host="0.0.0.0")


@pytest.mark.parametrize("token", [None, "short"])
def test_public_needs_a_long_enough_token(token: str | None) -> None:
    with pytest.raises(UsageError, match="--token"):
        AccessPolicy(host="0.0.0.0", public=True, token=token)


@pytest.fixture
def public_client(tmp_path: Path) -> TestClient:
    trail = gate_trail(tmp_path)
    access = AccessPolicy(host="0.0.0.0", public=True, token=TOKEN)
    app = dashboard_app(DashboardSettings(trail.store_url, access=access))
    return TestClient(app, base_url="http://dashboard.example:8780")


def test_public_dashboard_refuses_a_request_without_the_token(public_client: TestClient) -> None:
    assert public_client.get("/").status_code == 403


@pytest.mark.parametrize("given", ["wrong-token-wrong-token", TOKEN[:-1]])
def test_public_dashboard_refuses_a_wrong_token(public_client: TestClient, given: str) -> None:
    response = public_client.get("/", headers={"Authorization": f"Bearer {given}"})
    assert response.status_code == 403


def test_public_dashboard_admits_the_bearer_token(public_client: TestClient) -> None:
    response = public_client.get("/", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200


def test_token_in_the_address_sets_a_strict_cookie(public_client: TestClient) -> None:
    response = public_client.get("/", params={"token": TOKEN})
    assert response.status_code == 200
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{TOKEN_COOKIE}=") and "HttpOnly" in cookie
    assert "samesite=strict" in cookie.lower()
    assert public_client.get("/timeline").status_code == 200  # the cookie is enough now


@pytest.mark.parametrize(
    ("host", "status"), [("127.0.0.1:8780", 200), ("localhost", 200), ("evil.example", 403)]
)
def test_loopback_dashboard_answers_only_local_host_names(
    tmp_path: Path, host: str, status: int
) -> None:
    trail = gate_trail(tmp_path)
    client = TestClient(dashboard_app(DashboardSettings(trail.store_url)))
    assert client.get("/", headers={"host": host}).status_code == status
