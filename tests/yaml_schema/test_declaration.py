"""A `Section` refuses in gitwarden's words: not a mapping, unknown keys, missing keys."""

from __future__ import annotations

from typing import ClassVar

import pytest
from pydantic import ValidationError

from gitwarden.yaml_schema.declaration import REFUSAL, OrText, Section, did_you_mean, refuse
from gitwarden.yaml_schema.values import Text


class Entry(Section):
    rule: Text
    reason: Text
    path: Text = "**"


class Root(Section):
    not_a_mapping: ClassVar[str | None] = "must be a mapping of settings"

    entry: Entry | None = None


def refusal(model: type[Section], value: object) -> dict[str, object]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(value)
    (error,) = caught.value.errors()
    assert error["type"] == REFUSAL
    return dict(error["ctx"])


def test_unknown_key_is_refused_at_the_key_with_the_key_probably_meant() -> None:
    ctx = refusal(Entry, {"rule": "x", "reason": "y", "pth": "z"})
    assert (ctx["message"], ctx["at"], ctx["hint"]) == (
        "unknown key",
        ("pth",),
        "did you mean 'path'?",
    )


def test_missing_required_key_is_named() -> None:
    assert refusal(Entry, {"rule": "x"})["message"] == "missing required key 'reason'"


@pytest.mark.parametrize(
    ("model", "message"),
    [
        (Entry, "must be a mapping with keys rule, reason"),
        (Root, "must be a mapping of settings"),
    ],
)
def test_value_that_is_not_a_mapping_is_told_what_it_must_be(
    model: type[Section], message: str
) -> None:
    assert refusal(model, ["rule"])["message"] == message


def test_section_without_required_keys_lists_the_keys_it_takes() -> None:
    class Scope(Section):
        paths: Text = "**"
        names: Text = "*"

    assert refusal(Scope, "x")["message"] == "must be a mapping with any of the keys paths, names"


@pytest.mark.parametrize(
    ("word", "hint"),
    [("exlude", "did you mean 'exclude'?"), ("colour", "known keys: exclude, include")],
)
def test_did_you_mean_suggests_the_closest_key_or_lists_them(word: str, hint: str) -> None:
    assert did_you_mean(word, ["include", "exclude"]) == hint


def test_refusal_carries_its_place_below_the_value() -> None:
    error = refuse("bad", at=("a", 0), hint="fix it")
    assert error.context == {"message": "bad", "at": ("a", 0), "hint": "fix it"}


def test_or_text_lets_the_json_schema_take_the_text_form_too() -> None:
    from typing import Annotated

    from pydantic import TypeAdapter

    adapter: TypeAdapter[Entry] = TypeAdapter(Annotated[Entry, OrText("the rule alone")])
    variants = adapter.json_schema()["anyOf"]
    assert variants[0]["type"] == "string" and "$ref" in variants[1]
