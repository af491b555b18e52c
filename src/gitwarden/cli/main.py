"""The entry point: build the parser from the command modules, run one, pick the exit code.

Exit codes: 0 pass; 1 findings at or above --fail-on (or a failed verification); 2 usage or
configuration error (printed without a traceback); 3 internal error (with a traceback).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from collections.abc import Sequence

from gitwarden.errors import GitwardenError
from gitwarden.version import __version__

EXIT_PASS = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3

# Each module has register(subparsers); its handler returns True when the run passes.
COMMANDS = (
    "gitwarden.cli.scan",
    "gitwarden.cli.rules",
    "gitwarden.cli.policy",
    "gitwarden.cli.verify",
    "gitwarden.cli.trust",
    "gitwarden.cli.ledger",
    "gitwarden.cli.hook",
    "gitwarden.cli.history",
)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        passed: bool = args.handler(args)
    except GitwardenError as error:
        print(f"gitwarden: error: {error.diagnostics()}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception:
        traceback.print_exc()
        print(
            "gitwarden: internal error (exit 3). This is a bug: please report it with the "
            "traceback above.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    return EXIT_PASS if passed else EXIT_FINDINGS


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gitwarden",
        description="A security gate for GitOps repositories: may this revision be deployed?",
        epilog="Exit codes: 0 pass, 1 findings at or above --fail-on, 2 usage/config error, "
        "3 internal error.",
    )
    parser.add_argument("--version", action="version", version=f"gitwarden {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module_name in COMMANDS:
        importlib.import_module(module_name).register(commands)
    return parser
