"""Kyverno variables and conditions: nested substitution, projections, JMESPath functions."""

from __future__ import annotations

from typing import Any

import pytest

from gitwarden.policy.kyverno_conditions import VariableError, conditions_hold, substitute

CONTEXT: dict[str, Any] = {
    "request": {
        "object": {
            "metadata": {"name": "web", "labels": {"version": "v1.2.3"}},
            "spec": {"containers": [{"name": "a", "resources": None}]},
            "rules": [{"verbs": ["get"]}],
        }
    },
    "element": {"verbs": ["use"]},
}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("{{ request.object.metadata.name }}", "web"),
        ("name={{ request.object.metadata.name }}!", "name=web!"),
        (
            "{{ regex_match('^v[0-9]', '{{ request.object.metadata.labels.version }}') }}",
            True,
        ),
        ("{{ to_upper('{{ request.object.metadata.name }}') }}", "WEB"),
        ("{{ regex_replace_all('([a-z])e', 'web', '${1}E') }}", "wEb"),
        ("{{ split('a,b', ',') }}", ["a", "b"]),
        ("{{ base64_decode('aGk=') }}", "hi"),
        ("{{ parse_json('{\"a\": 1}').a }}", 1),
        ("{{ parse_yaml('a: [1, 2]').a[1] }}", 2),
        ("{{ divide('12Mi', '3Mi') }}", 4.0),
        ("{{ request.object.spec.containers[].resources.keys(@)[] }}", []),
        ("{{ request.object.rules[].resourceNames[] }}", []),
        ("{{ element.resourceNames[] }}", None),
    ],
)
def test_substitution(text: str, value: Any) -> None:
    assert substitute(text, CONTEXT) == value


def test_plain_missing_field_is_an_error() -> None:
    with pytest.raises(VariableError):
        substitute("{{ request.object.metadata.namespace }}", CONTEXT)


def test_division_by_zero_is_an_error_not_a_crash() -> None:
    with pytest.raises(VariableError):
        substitute("{{ divide('1', '0') }}", CONTEXT)


@pytest.mark.parametrize(
    ("operator", "key", "value", "holds"),
    [
        ("AnyIn", ["*"], ["pods"], True),
        ("AnyIn", ["*"], ["*"], True),
        ("AllIn", ["pods", "se*"], ["pods", "secrets"], True),
        ("AnyNotIn", ["*"], ["pods"], False),
        ("AnyIn", "anyuid", None, False),
    ],
)
def test_wildcard_keys_in_set_operators(operator: str, key: Any, value: Any, holds: bool) -> None:
    condition = {"key": key, "operator": operator, "value": value}
    assert conditions_hold([condition], CONTEXT) is holds
