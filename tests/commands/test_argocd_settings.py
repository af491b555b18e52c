"""Argo CD's variables read as gate settings: what the Application may choose, and what not."""

from __future__ import annotations

import pytest

from gitwarden.commands.argocd_settings import read_settings
from gitwarden.errors import UsageError
from gitwarden.findings import Severity

BASE = {"ARGOCD_APP_REVISION": "3f2a1c9", "ARGOCD_ENV_GITWARDEN_ENV": "prod"}


def test_argocd_variables_map_to_gate_settings() -> None:
    settings = read_settings(
        {
            **BASE,
            "ARGOCD_APP_NAME": "shop",
            "ARGOCD_APP_NAMESPACE": "shop-ns",
            "ARGOCD_APP_SOURCE_REPO_URL": "https://git.example/shop.git",
            "ARGOCD_ENV_GITWARDEN_BRANCH": "main",
            "ARGOCD_ENV_GITWARDEN_FAIL_ON": "Medium",
            "ARGOCD_ENV_GITWARDEN_TIMEOUT": "30",
            "ARGOCD_ENV_GITWARDEN_HELM_VALUES": "values-prod.yaml",
        }
    )

    assert (settings.revision, settings.environment, settings.branch) == ("3f2a1c9", "prod", "main")
    assert (settings.app_name, settings.app_namespace) == ("shop", "shop-ns")
    assert settings.repository_url == "https://git.example/shop.git"
    assert (settings.fail_on, settings.timeout_seconds) == (Severity.MEDIUM, 30.0)
    assert settings.helm_values == "values-prod.yaml"


def test_the_sidecar_pins_the_environment_when_the_application_names_none() -> None:
    settings = read_settings({"ARGOCD_APP_REVISION": "3f2a1c9", "GITWARDEN_ENV": "prod"})

    assert settings.environment == "prod"


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"ARGOCD_ENV_GITWARDEN_ENV": "prod"}, "ARGOCD_APP_REVISION is not set"),
        ({"ARGOCD_APP_REVISION": "3f2a1c9"}, "no environment"),
        ({**BASE, "GITWARDEN_ENV": "staging"}, "this plugin gates 'staging'"),
        ({**BASE, "ARGOCD_ENV_GITWARDEN_FAILON": "low"}, "not a gitwarden option"),
        ({**BASE, "ARGOCD_ENV_GITWARDEN_FAIL_ON": "severe"}, "unknown severity"),
        ({**BASE, "ARGOCD_ENV_GITWARDEN_TIMEOUT": "-1"}, "TIMEOUT"),
        ({**BASE, "ARGOCD_ENV_GITWARDEN_TIMEOUT": "3600"}, "TIMEOUT"),
        ({**BASE, "ARGOCD_ENV_GITWARDEN_HELM_VALUES": "../secret.yaml"}, "HELM_VALUES"),
        ({**BASE, "ARGOCD_ENV_GITWARDEN_HELM_VALUES": "/etc/passwd"}, "HELM_VALUES"),
    ],
    ids=[
        "no-revision",
        "no-environment",
        "environment-against-the-pinned-one",
        "misspelt-option",
        "unknown-severity",
        "negative-timeout",
        "timeout-over-the-bound",
        "values-out-of-the-folder",
        "absolute-values-path",
    ],
)
def test_a_missing_or_bad_setting_is_refused(variables: dict[str, str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        read_settings(variables)


def test_a_misspelt_option_suggests_the_known_one() -> None:
    with pytest.raises(UsageError) as raised:
        read_settings({**BASE, "ARGOCD_ENV_GITWARDEN_FAILON": "low"})

    assert raised.value.hint == "did you mean ARGOCD_ENV_GITWARDEN_FAIL_ON?"


def test_other_application_variables_are_left_to_other_tools() -> None:
    settings = read_settings({**BASE, "ARGOCD_ENV_HELM_ARGS": "--debug"})

    assert settings.environment == "prod"
