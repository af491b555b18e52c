"""OPA's sprintf for Gatekeeper templates: what regorus prints, plus Go's missing arguments."""

from __future__ import annotations

import json

import pytest
import regorus

from gitwarden.policy.rego_sprintf import go_sprintf

CASES = [
    ('"you must provide labels: %v"', '[{"owner", "team"}]'),
    ('"%v|%v|%v"', '[[1, 2.5, "x"], {"k": {"n": 1}}, 3]'),
    ('"container <%v> has an invalid image repo <%v>"', '["app", "nginx:1.27"]'),
    ('"%s=%d (%q) %.2f"', '["replicas", 7, "q", 1.234]'),
    ('"100%% sure: %v"', "[null]"),
]


def _regorus(format_text: str, arguments: str, *, ours: bool) -> str:
    engine = regorus.Engine()
    if ours:
        engine.add_extension("sprintf", 2, go_sprintf)
    engine.add_policy(
        "p.rego", f"package p\nimport rego.v1\nm := sprintf({format_text}, {arguments})"
    )
    answer = json.loads(engine.eval_query_as_json("data.p.m"))
    return str(answer["result"][0]["expressions"][0]["value"])


@pytest.mark.parametrize(("format_text", "arguments"), CASES)
def test_prints_what_regorus_prints(format_text: str, arguments: str) -> None:
    assert _regorus(format_text, arguments, ours=True) == _regorus(
        format_text, arguments, ours=False
    )


def test_missing_argument_prints_as_go_does() -> None:
    assert go_sprintf("%v <%v> spread %v", ["HPA", "web"]) == "HPA <web> spread %!v(MISSING)"


def test_extra_argument_is_shown() -> None:
    assert go_sprintf("%v", ["a", 1]) == "a%!(EXTRA json.Number=1)"


def test_booleans_print_as_go_does() -> None:
    assert go_sprintf("%t/%v", [True, False]) == "true/false"
