"""`gitwarden argocd init`: the plugin's settings checked before any work."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_checkout import git
from gitwarden.cli import EXIT_PASS, EXIT_USAGE, main


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"ARGOCD_APP_REVISION": "abc", "ARGOCD_ENV_GITWARDEN_ENV": "prod"}, EXIT_PASS),
        ({"ARGOCD_ENV_GITWARDEN_ENV": "prod"}, EXIT_USAGE),
        ({"ARGOCD_APP_REVISION": "abc", "ARGOCD_ENV_GITWARDEN_EVN": "prod"}, EXIT_USAGE),
    ],
    ids=["complete", "no-revision", "misspelt-option"],
)
def test_init_checks_the_plugin_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], code: int
) -> None:
    git(tmp_path, "init", "-q")
    monkeypatch.chdir(tmp_path)
    for name in ("ARGOCD_APP_REVISION", "ARGOCD_ENV_GITWARDEN_ENV", "GITWARDEN_ENV"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)

    assert main(["argocd", "init"]) == code


def test_init_outside_a_checkout_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ARGOCD_APP_REVISION", "abc")
    monkeypatch.setenv("ARGOCD_ENV_GITWARDEN_ENV", "prod")

    assert main(["argocd", "init"]) == EXIT_USAGE
