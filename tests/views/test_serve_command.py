"""`gitwarden serve`: options checked before anything listens (issue 21.2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitwarden.commands.serve import ServeOptions, dashboard_settings
from gitwarden.errors import UsageError


def test_store_url_defaults_to_the_environment() -> None:
    settings = dashboard_settings(
        None, ServeOptions(environ={"GITWARDEN_AUDIT_URL": "sqlite:///x.db"})
    )
    assert settings.audit_url == "sqlite:///x.db"


def test_loopback_is_the_default_address() -> None:
    settings = dashboard_settings("sqlite:///x.db", ServeOptions())
    assert settings.access.host == "127.0.0.1" and not settings.access.public


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (ServeOptions(host="0.0.0.0"), "--public and --token"),
        (ServeOptions(host="0.0.0.0", public=True), "--token"),
        (ServeOptions(port=0), "--port"),
        (ServeOptions(reports=Path("/nonexistent/reports")), "--reports"),
    ],
)
def test_unsafe_or_wrong_options_are_refused(options: ServeOptions, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        dashboard_settings("sqlite:///x.db", options)


def test_command_line_refuses_a_public_host_without_the_flag(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from gitwarden.cli import main

    assert main(["serve", "--audit", "sqlite:///x.db", "--host", "0.0.0.0"]) == 2
    assert "--public" in capsys.readouterr().err
