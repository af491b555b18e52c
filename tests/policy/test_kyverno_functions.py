"""Kyverno's JMESPath functions that make sense offline, through real JMESPath queries."""

from __future__ import annotations

from typing import Any

import pytest

from gitwarden.policy.kyverno_conditions import (
    UnsupportedFeatureError,
    VariableError,
    query,
)

START = "2026-12-01T08:00:00Z"


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        (f"time_add('{START}', '1h30m')", "2026-12-01T09:30:00Z"),
        (f"time_diff('{START}', '2026-12-01T09:30:05Z')", "1h30m5s"),
        (f"time_after('{START}', '2026-11-30T00:00:00Z')", True),
        (f"time_before('{START}', '2026-11-30T00:00:00Z')", False),
        (f"time_between('{START}', '2026-11-30T00:00:00Z', '2026-12-02T00:00:00Z')", True),
        ("time_utc('2026-12-01T10:00:00+02:00')", START),
        (f"time_to_cron('{START}')", "0 8 1 12 2"),
        ("time_truncate('2026-12-01T08:47:13Z', '1h')", START),
        ("multiply('2', '1.5')", 3.0),
        ("subtract('1Gi', '512Mi')", float(512 * 2**20)),
        ("equal_fold('ABC', 'abc')", True),
        ("trim_prefix('docker.io/nginx', 'docker.io/')", "nginx"),
        ("replace('a-a-a', '-', '+', `1`)", "a+a-a"),
        ("base64_encode('hi')", "aGk="),
    ],
)
def test_function(expression: str, value: Any) -> None:
    assert query(expression, {}) == value


@pytest.mark.parametrize(
    "expression", ["time_add('yesterday', '1h')", "base64_decode('%%%')", "parse_json('{')"]
)
def test_bad_argument_is_a_variable_error(expression: str) -> None:
    with pytest.raises(VariableError):
        query(expression, {})


@pytest.mark.parametrize("expression", ["time_now_utc()", "random('[a-z]{4}')"])
def test_functions_needing_a_clock_or_randomness_are_unsupported(expression: str) -> None:
    with pytest.raises(UnsupportedFeatureError):
        query(expression, {})
