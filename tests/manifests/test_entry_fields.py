from __future__ import annotations

from typing import Any

import pytest

from gitwarden.manifests.entry_fields import field_path, optional, typed


@pytest.mark.parametrize(
    ("value", "kind"), [(3, int), ("x", str), ({"a": 1}, dict)], ids=["int", "str", "dict"]
)
def test_a_value_of_its_kind_is_read_back(value: Any, kind: type[Any]) -> None:
    assert typed(value, kind) == value


@pytest.mark.parametrize(
    ("value", "kind"), [(True, int), ("3", int), (None, str), ([], dict)], ids=str
)
def test_a_value_of_another_kind_is_refused(value: Any, kind: type[Any]) -> None:
    with pytest.raises(ValueError, match=f"expected {kind.__name__}"):
        typed(value, kind)


def test_an_optional_field_may_be_missing_but_not_mistyped() -> None:
    assert optional(None, str) is None
    with pytest.raises(ValueError):
        optional(1, str)


@pytest.mark.parametrize(
    ("value", "path"), [(["spec", 0, "image"], ("spec", 0, "image")), ([], ())], ids=str
)
def test_a_field_path_is_a_tuple_of_keys_and_indexes(value: Any, path: tuple[Any, ...]) -> None:
    assert field_path(value) == path


@pytest.mark.parametrize("value", ["spec", ["spec", True], ["spec", 1.5], None], ids=str)
def test_anything_else_is_not_a_field_path(value: Any) -> None:
    with pytest.raises(ValueError, match="field path"):
        field_path(value)
