"""The provider registry: every family once, in the catalogue's order."""

from __future__ import annotations

from gitwarden.secrets.catalogue.providers import PROVIDER_FAMILIES, provider_rules


def test_provider_rules_are_the_families_rules_in_registry_order() -> None:
    expected = [rule.id for family in PROVIDER_FAMILIES for rule in family.rules()]
    assert [rule.id for rule in provider_rules()] == expected


def test_each_family_is_registered_once() -> None:
    names = [family.__name__ for family in PROVIDER_FAMILIES]
    assert len(names) == len(set(names)) == 10


def test_catalogue_opens_with_the_cloud_family() -> None:
    assert provider_rules()[0].id == "aws-access-key-id"
