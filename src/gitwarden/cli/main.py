"""The entry point: build the parser from the command modules, run one, pick the exit code.

Exit codes: 0 pass; 1 findings at or above --fail-on (or a failed verification); 2 usage or
configuration error (printed without a traceback); 3 internal error (with a traceback).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import os
import sys
import traceback
from collections.abc import Sequence
from typing import NoReturn

from gitwarden.errors import GitwardenError
from gitwarden.version import __version__

EXIT_PASS = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
# The cycle collector's thresholds while a command runs. A scan builds hundreds of
# thousands of small, acyclic containers (parsed manifests) that reference counting frees;
# at Python's default (700, 10, 10) the collector still walks the growing heap again and
# again: a fifth of a warm scan's CPU on 16 copies of the issue-19 tree, for the same peak
# memory (docs/benchmarks.md).
COLLECTOR_THRESHOLDS = (50_000, 20, 100)

# command name -> module with register(subparsers); its handler returns True when the run
# passes. Only the module of the command being run is imported: startup stays cheap.
COMMANDS = {
    "scan": "gitwarden.cli.scan",
    "rules": "gitwarden.cli.rules",
    "policy": "gitwarden.cli.policy",
    "verify": "gitwarden.cli.verify",
    "trust": "gitwarden.cli.trust",
    "ledger": "gitwarden.cli.ledger",
    "hook": "gitwarden.cli.hook",
    "history": "gitwarden.cli.history",
    "schema": "gitwarden.cli.schema",
    "audit": "gitwarden.cli.audit",
    "attest": "gitwarden.cli.attest",
    "forge": "gitwarden.cli.forge",
    "drift": "gitwarden.cli.drift",
    "completion": "gitwarden.cli.completion",
    "gate": "gitwarden.cli.gate",
    "rollback": "gitwarden.cli.rollback",
    "review": "gitwarden.cli.review",
    "approve": "gitwarden.cli.approve",
    "delegate": "gitwarden.cli.delegate",
    "serve": "gitwarden.cli.serve",
    "fleet": "gitwarden.cli.fleet",
    "argocd": "gitwarden.cli.argocd",
    "flux": "gitwarden.cli.flux",
}


class CommandParser(argparse.ArgumentParser):
    """A (sub)command's parser that rejects options it does not know with its own usage.

    argparse hands a subcommand's unknown options up to the top parser, which prints
    ``gitwarden [-h] COMMAND`` — useless to someone who mistyped an option of ``scan``.
    Nested subparsers inherit this class, so the innermost command complains.
    """

    def parse_known_args(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        namespace: argparse.Namespace | None = None,
    ) -> tuple[argparse.Namespace, list[str]]:
        parsed, extras = super().parse_known_args(args, namespace)
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return parsed, extras


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(arguments[:1]).parse_args(arguments)
    thresholds = gc.get_threshold()
    gc.set_threshold(*COLLECTOR_THRESHOLDS)
    try:
        return _run(args)
    finally:
        gc.set_threshold(*thresholds)  # a caller's own settings, as they were


def console_main() -> NoReturn:
    """The ``gitwarden`` program: `main`, then an exit that skips the interpreter's teardown.

    A command has closed what it opened (files, renderer children, temporary folders)
    before `main` returns; what is left is the heap, which the system frees at once and
    Python object by object (50 ms after a scan of the issue-19 tree, docs/benchmarks.md).
    An exit by ``SystemExit`` (``--help``, a usage error) takes Python's own way out, as
    does a run under a profiler or a tracer (``python -m cProfile -m gitwarden``, coverage).
    """
    code = main()
    if sys.gettrace() is not None or sys.getprofile() is not None:
        sys.exit(code)  # a profiler or coverage writes its results at the normal exit
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe, a closed stream
            stream.flush()
    os._exit(code)


def _run(args: argparse.Namespace) -> int:
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


def build_parser(first_argument: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The parser; with the command name as ``first_argument`` only that command loads."""
    parser = argparse.ArgumentParser(
        prog="gitwarden",
        description="A security gate for GitOps repositories: may this revision be deployed?",
        epilog="Exit codes: 0 pass, 1 findings at or above --fail-on, 2 usage/config error, "
        "3 internal error.",
    )
    parser.add_argument("--version", "-V", action="version", version=f"gitwarden {__version__}")
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=CommandParser
    )
    wanted = [name for name in first_argument if name in COMMANDS] or list(COMMANDS)
    for name in wanted:
        importlib.import_module(COMMANDS[name]).register(commands)
    return parser
