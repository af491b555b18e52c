"""CEL optional chains rewritten into plain CEL that cel-python parses, with the same values."""

from __future__ import annotations

from typing import Any

import celpy
import pytest
from celpy.adapter import json_to_cel

from gitwarden.policy.cel_optional import rewrite_optionals

OBJECT = {
    "metadata": {"labels": {"app": "web"}},
    "spec": {"securityContext": {"runAsNonRoot": True}, "ports": [80, 443]},
}


def _evaluate(expression: str) -> Any:
    environment = celpy.Environment()
    program = environment.program(environment.compile(rewrite_optionals(expression)))
    return program.evaluate({"object": json_to_cel(OBJECT)})


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("object.spec.?securityContext.?runAsNonRoot.orValue(false)", True),
        ("object.spec.?securityContext.?runAsUser.orValue(1000)", 1000),
        ("object.spec.?missing.?deeper.orValue('none')", "none"),
        ("object.metadata.?labels[?'app'].orValue('')", "web"),
        ("object.metadata.?labels[?'team'].orValue('')", ""),
        ("object.spec.?ports[?1].orValue(0)", 443),
        ("object.spec.?ports[?5].orValue(0)", 0),
        ("object.spec.?securityContext.hasValue()", True),
        ("object.spec.?missing.hasValue()", False),
        ("object.spec.?ports.orValue([]).all(p, p > 0)", True),
        ("object.spec.ports.orValue([]).size()", 2),
        ("'a.?b' == 'a.?b'", True),
    ],
)
def test_optional_chain_has_the_value_kubernetes_cel_gives(expression: str, value: Any) -> None:
    assert _evaluate(expression) == value


def test_text_without_optionals_is_unchanged() -> None:
    assert rewrite_optionals("object.spec.replicas <= 3") == "object.spec.replicas <= 3"


def test_optional_kept_without_or_value_is_left_as_written() -> None:
    assert rewrite_optionals("object.spec.?x") == "object.spec.?x"
