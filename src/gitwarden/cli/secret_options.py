"""Options every command that reports secrets shares."""

from __future__ import annotations

import argparse


def add_secret_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--show-secrets",
        action="store_true",
        help="print secret values in full (default: first and last characters only)",
    )
