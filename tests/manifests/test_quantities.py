"""Resource quantities read as the API server reads them; anything else is not one."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gitwarden.manifests.quantities import is_quantity, parse_quantity


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("500m", Decimal("0.5")),
        ("1Gi", Decimal(2**30)),
        (" 2k ", Decimal(2000)),
        ("1.5e3", Decimal(1500)),
        (".5", Decimal("0.5")),
        ("-3", Decimal(-3)),
        ("1.2.3", None),
        ("1Gb", None),
        ("web", None),
        ("", None),
    ],
)
def test_quantity_is_read_with_its_unit(text: str, value: Decimal | None) -> None:
    assert parse_quantity(text) == value


@pytest.mark.parametrize(("text", "exact"), [("1Gi", True), (" 1Gi", False), ("1 Gi", False)])
def test_is_quantity_wants_the_exact_text(text: str, exact: bool) -> None:
    assert is_quantity(text) is exact
