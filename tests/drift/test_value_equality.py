"""Scalars that mean the same to the API server compare equal; others do not."""

from __future__ import annotations

from typing import Any

import pytest

from gitwarden.drift.value_equality import same_value


@pytest.mark.parametrize(
    ("desired", "live", "same"),
    [
        ("0.5", "500m", True),
        ("1Gi", "1024Mi", True),
        (1, "1", True),
        (8080, "8080", True),
        ("100m", "200m", False),
        ("1G", "1Gi", False),
        (True, "true", False),
        (True, True, True),
        ("web", "web2", False),
        ({"a": 1}, {"a": 1}, True),
    ],
)
def test_values_compare_as_the_server_stores_them(desired: Any, live: Any, same: bool) -> None:
    assert same_value(desired, live) is same
