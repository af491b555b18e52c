"""A signed record takes exactly one key: an SSH private key file or a gpg key id."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from gitwarden.cli.signer_options import add_signer_arguments


def parser() -> argparse.ArgumentParser:
    made = argparse.ArgumentParser()
    add_signer_arguments(made)
    return made


@pytest.mark.parametrize(
    ("argv", "signing_key", "gpg_key"),
    [
        (["--signing-key", "id_ed25519"], Path("id_ed25519"), None),
        (["--gpg-key", "ABCD"], None, "ABCD"),
    ],
)
def test_either_key_is_taken(
    argv: list[str], signing_key: Path | None, gpg_key: str | None
) -> None:
    args = parser().parse_args(argv)
    assert (args.signing_key, args.gpg_key) == (signing_key, gpg_key)


@pytest.mark.parametrize("argv", [[], ["--signing-key", "id_ed25519", "--gpg-key", "ABCD"]])
def test_none_or_both_is_a_usage_error(argv: list[str]) -> None:
    with pytest.raises(SystemExit):
        parser().parse_args(argv)
