"""Kyverno's value comparisons, as patterns and conditions use them."""

from __future__ import annotations

from typing import Any

import pytest

from gitwarden.policy.kyverno_pattern import match_pattern
from gitwarden.policy.kyverno_values import matches_string_pattern


@pytest.mark.parametrize(
    ("value", "pattern"),
    [
        ("nginx:1.2", "*:*"),
        ("nginx:1.2", "!*:latest"),
        ("ghcr.io/x/web:1", "eu.foo.io/* | ghcr.io/*"),
        ("512Mi", "<=1Gi"),
        (3, ">2"),
        ("250m", "<1"),
        (5, "1-10"),
        (15, "1!-10"),
        ("web", "?*"),
        (False, "false"),
        (8080, ">1024 & <65536"),
        ("90s", "<2m"),
    ],
)
def test_value_matches_pattern(value: Any, pattern: str) -> None:
    assert matches_string_pattern(value, pattern)


@pytest.mark.parametrize(
    ("value", "pattern"),
    [
        ("nginx", "*:*"),
        ("nginx:latest", "!*:latest"),
        ("docker.io/web:1", "eu.foo.io/* | ghcr.io/*"),
        ("2Gi", "<=1Gi"),
        (11, "1-10"),
        ("", "?*"),
        (True, "false"),
        (80, ">1024 & <65536"),
    ],
)
def test_value_does_not_match_pattern(value: Any, pattern: str) -> None:
    assert not matches_string_pattern(value, pattern)


@pytest.mark.parametrize(
    ("resource", "pattern"),
    [
        ({"spec": {"hostNetwork": False}}, {"spec": {"(hostNetwork)": True, "x": "y"}}),
        ({"spec": {}}, {"spec": {"X(hostPID)": "null"}}),
        ({"a": [{"n": 1}, {"n": 2}]}, {"^(a)": [{"n": 2}]}),
        ({"kind": "Service"}, {"<(kind)": "Pod", "spec": {"x": 1}}),
    ],
    ids=["conditional-skips", "negation-absent", "existence-one-matches", "global-skips"],
)
def test_anchors_let_the_resource_pass(resource: Any, pattern: Any) -> None:
    assert match_pattern(resource, pattern) is None


@pytest.mark.parametrize(
    ("resource", "pattern", "path"),
    [
        (
            {"spec": {"hostNetwork": True}},
            {"spec": {"(hostNetwork)": True, "x": "y"}},
            ("spec", "x"),
        ),
        ({"spec": {"hostPID": True}}, {"spec": {"X(hostPID)": "null"}}, ("spec", "hostPID")),
        ({"a": [{"n": 1}]}, {"^(a)": [{"n": 2}]}, ("a",)),
        ({"a": [{"n": 1}, {"n": 3}]}, {"a": [{"n": "<2"}]}, ("a", 1, "n")),
    ],
    ids=["conditional-holds", "negation-present", "existence-none", "every-element"],
)
def test_pattern_failure_names_the_field(
    resource: Any, pattern: Any, path: tuple[Any, ...]
) -> None:
    failure = match_pattern(resource, pattern)
    assert failure is not None
    assert failure.path == path
