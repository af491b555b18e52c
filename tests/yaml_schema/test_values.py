"""Each value type accepts its good values (cleaned) and refuses the rest in our words."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
from pydantic_core import PydanticCustomError

from gitwarden.findings import Severity
from gitwarden.yaml_schema import values


@pytest.mark.parametrize(
    ("check", "value", "expected"),
    [
        (values.non_empty_string, "  x ", "x"),
        (values.path_glob, "apps/**", "apps/**"),
        (values.name_glob, "pss-*", "pss-*"),
        (values.severity, "Medium", Severity.MEDIUM),
        (values.positive_bytes, 1024, 1024),
        (values.calendar_date, date(2025, 6, 30), date(2025, 6, 30)),
        (values.calendar_date, "2025-06-30", date(2025, 6, 30)),
        (values.repository_path, "policies/rego", "policies/rego"),
    ],
)
def test_good_value_is_accepted_and_cleaned(
    check: Callable[[Any], Any], value: Any, expected: Any
) -> None:
    assert check(value) == expected


@pytest.mark.parametrize(
    ("check", "value", "message"),
    [
        (values.non_empty_string, "   ", "must be a non-empty string"),
        (values.non_empty_string, None, "must be a non-empty string"),
        (values.path_glob, "[z-a]", "invalid glob"),
        (values.name_glob, "[z-a]", "invalid glob"),
        (values.severity, "severe", "unknown severity"),
        (values.positive_bytes, True, "positive integer"),
        (values.positive_bytes, 0, "positive integer"),
        (values.calendar_date, datetime(2025, 6, 30, 10), "must be a date"),
        (values.calendar_date, "2025-02-30", "must be a date"),
        (values.repository_path, "../outside", "inside the repository"),
        (values.repository_path, "/etc", "inside the repository"),
    ],
)
def test_bad_value_is_refused_in_our_words(
    check: Callable[[Any], Any], value: Any, message: str
) -> None:
    with pytest.raises(PydanticCustomError) as caught:
        check(value)
    assert message in str((caught.value.context or {})["message"])


@pytest.mark.parametrize(("value", "refused"), [([], False), ("vendor/", True), ({}, True)])
def test_listed_refuses_anything_but_a_sequence(value: object, refused: bool) -> None:
    check = values.listed("must be a list of strings").func
    if refused:
        with pytest.raises(PydanticCustomError):
            check(value)  # type: ignore[call-arg]
    else:
        assert check(value) == value  # type: ignore[call-arg]
