"""Bare words in code are names; quoted words and bare words elsewhere stay values."""

from __future__ import annotations

import pytest

from gitwarden.secrets.code_names import is_code_file, names_a_symbol


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("src/app/keys.py", True),
        ("cmd/main.go", True),
        ("web/Client.TS", True),
        ("deploy/app.yaml", False),
        (".env", False),
        ("scripts/deploy.sh", False),
    ],
)
def test_code_files_are_known_by_their_suffix(path: str, code: bool) -> None:
    assert is_code_file(path) is code


@pytest.mark.parametrize(
    ("line", "value", "symbol"),
    [
        ("private_key: Ed25519PrivateKey", "Ed25519PrivateKey", True),
        ("token = session_token_2024", "session_token_2024", True),
        ('token = "Ed25519PrivateKey"', "Ed25519PrivateKey", False),
        ("token = 'Zq8vLw3Tp9xR5kYb2'", "Zq8vLw3Tp9xR5kYb2", False),
        ("token = Zq8v+Lw3/Tp9xR5kYb2=", "Zq8v+Lw3/Tp9xR5kYb2=", False),
    ],
)
def test_only_an_unquoted_identifier_names_a_symbol(line: str, value: str, symbol: bool) -> None:
    data = line.encode()
    assert names_a_symbol(data, data.rindex(value.encode()), value) is symbol
