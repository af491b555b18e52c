from __future__ import annotations

import pytest

from gitwarden.checks.production import ProductionScope
from gitwarden.config import parse_config
from gitwarden.errors import ConfigError


@pytest.mark.parametrize(
    ("value", "production"),
    [
        ("prod", True),
        ("prod-eu", True),
        ("payments-production", True),
        ("prod1", True),
        ("PROD", True),
        ("preprod", False),
        ("products", False),
        ("staging", False),
    ],
)
def test_default_production_namespaces(value: str, production: bool) -> None:
    assert ProductionScope().matches(namespaces=[value]) is production


@pytest.mark.parametrize(
    ("path", "production"),
    [
        ("clusters/production/apps.yaml", True),
        ("./apps/prod", True),
        ("clusters/staging/apps.yaml", False),
    ],
)
def test_default_production_paths(path: str, production: bool) -> None:
    assert ProductionScope().matches(paths=[path]) is production


def test_default_production_cluster_by_server_url() -> None:
    assert ProductionScope().matches(clusters=["https://prod.k8s.example.com"])


def test_configured_globs_replace_the_default() -> None:
    scope = ProductionScope(namespaces=("live-*",), paths=("clusters/eu/**",))
    assert scope.matches(namespaces=["live-payments"])
    assert scope.matches(paths=["./clusters/eu/apps.yaml"])
    assert not scope.matches(namespaces=["prod"], paths=["clusters/production/a.yaml"])


def test_production_is_read_from_the_config() -> None:
    config = parse_config(
        "production:\n  namespaces: [live-*]\n  clusters: [https://k8s.live.example.com]\n"
        "  paths: [clusters/live/]\n",
        ".gitwarden.yaml",
    )
    assert config.checks.production == ProductionScope(
        namespaces=("live-*",),
        clusters=("https://k8s.live.example.com",),
        paths=("clusters/live/",),
    )


def test_production_config_typo_names_the_line_and_key() -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config("production:\n  namespace: [live-*]\n", ".gitwarden.yaml")
    assert "production.namespace" in str(raised.value)
    assert ":2" in str(raised.value)


def test_production_config_must_be_a_mapping() -> None:
    with pytest.raises(ConfigError):
        parse_config("production: [prod]\n", ".gitwarden.yaml")
