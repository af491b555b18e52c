"""`fill`: the example tokens of the secret rules, deterministic and drawn from their alphabet."""

from __future__ import annotations

import pytest

from gitwarden.secrets.rule_spec import BASE64, DIGITS, HEX, fill


@pytest.mark.parametrize(
    "alphabet", [HEX, BASE64, DIGITS, "αβγδ"], ids=["hex", "b64", "dig", "greek"]
)
@pytest.mark.parametrize("length", [1, 32, 33, 100])
def test_fill_gives_length_characters_of_its_alphabet(alphabet: str, length: int) -> None:
    token = fill("seed", length, alphabet)
    assert len(token) == length
    assert set(token) <= set(alphabet)


def test_fill_is_the_same_every_call_and_differs_by_seed() -> None:
    assert fill("one", 40, BASE64) == fill("one", 40, BASE64)
    assert fill("one", 40, BASE64) != fill("two", 40, BASE64)


def test_fill_picks_the_same_positions_in_an_ascii_and_a_non_ascii_alphabet() -> None:
    ascii_token = fill("seed", 64, "abcd")
    other_token = fill("seed", 64, "αβγδ")
    assert ["abcd".index(c) for c in ascii_token] == ["αβγδ".index(c) for c in other_token]
