from __future__ import annotations

import pytest

from gitwarden.audit.canonical_json import CanonicalJsonError, canonical_bytes, sha256_hex


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        ({"b": 1, "a": [True, None]}, b'{"a":[true,null],"b":1}'),
        ({"n": 1.0}, b'{"n":1}'),
        ({"n": 1e21}, b'{"n":1e+21}'),
        ({"\u00e9": "\u20ac", "e": "x"}, '{"e":"x","\u00e9":"\u20ac"}'.encode()),
        # RFC 8785 sorts by UTF-16 code units: U+1F600 (D83D...) before U+FB01.
        ({"\ufb01": 1, "\U0001f600": 2}, '{"\U0001f600":2,"\ufb01":1}'.encode()),
    ],
)
def test_canonical_bytes_follow_rfc_8785(value: object, encoded: bytes) -> None:
    assert canonical_bytes(value) == encoded


@pytest.mark.parametrize("value", [{"n": float("nan")}, {1: "int key"}, {"s": {1, 2}}])
def test_value_without_canonical_form_is_refused(value: object) -> None:
    with pytest.raises(CanonicalJsonError):
        canonical_bytes(value)


def test_key_order_does_not_change_the_hash() -> None:
    assert sha256_hex(canonical_bytes({"a": 1, "b": 2})) == sha256_hex(
        canonical_bytes({"b": 2, "a": 1})
    )
