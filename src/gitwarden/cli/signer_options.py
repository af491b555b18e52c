"""The key a signed record (an approval, a delegation) is made with: SSH or OpenPGP, one of."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_signer_arguments(parser: argparse.ArgumentParser) -> None:
    """``--signing-key FILE`` or ``--gpg-key KEYID``: exactly one is required."""
    signer = parser.add_mutually_exclusive_group(required=True)
    signer.add_argument("--signing-key", type=Path, metavar="FILE", help="SSH private key")
    signer.add_argument("--gpg-key", metavar="KEYID", help="sign with this key of your gpg")
