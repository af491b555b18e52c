"""`gitwarden hook`: the server-side pre-receive gate, the post-receive ledger record, and
installing both into a bare repository."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gitwarden.cli import output
from gitwarden.findings import Severity
from gitwarden.integrity import hooks
from gitwarden.sources.git_repository import GitRepository

PIN_HELP = (
    "a pushed root commit (a new history) must carry the trust policy with this fingerprint "
    "(see `gitwarden trust show`)"
)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("hook", help="enforce the trust policy where pushes arrive")
    actions = parser.add_subparsers(dest="hook_action", required=True, metavar="ACTION")

    pre = actions.add_parser(
        "pre-receive",
        help="git server hook: refuse unsigned, unallowed, non-fast-forward pushes and "
        "deletions (reads 'old new ref' lines on stdin)",
    )
    pre.add_argument(
        "--fail-on",
        type=output.severity_argument,
        default=Severity.HIGH,
        metavar="SEVERITY",
        help="lowest severity that refuses the push: one of critical, high, medium, low, "
        "info (default: high)",
    )
    pre.add_argument("--policy-fingerprint", metavar="SHA256", help=PIN_HELP)
    pre.set_defaults(handler=run_pre_receive)

    post = actions.add_parser("post-receive", help="git server hook: record the push in the ledger")
    post.add_argument(
        "--signing-key",
        type=Path,
        required=True,
        metavar="FILE",
        help="SSH private key that signs the ledger entries",
    )
    post.set_defaults(handler=run_post_receive)

    install = actions.add_parser("install", help="install the hooks into a bare repository")
    install.add_argument(
        "--server", type=Path, required=True, metavar="PATH", help="the bare repository"
    )
    install.add_argument(
        "--signing-key",
        type=Path,
        metavar="FILE",
        help="recorder key: also install post-receive, recording accepted pushes in the ledger",
    )
    install.add_argument(
        "--fail-on",
        type=output.severity_argument,
        default=Severity.HIGH,
        metavar="SEVERITY",
        help="lowest severity the installed hook refuses: one of critical, high, medium, "
        "low, info (default: high)",
    )
    install.add_argument("--policy-fingerprint", metavar="SHA256", help=PIN_HELP)
    install.set_defaults(handler=run_install)


def run_pre_receive(args: argparse.Namespace) -> bool:
    updates = hooks.parse_updates(sys.stdin.read().splitlines())
    reasons = hooks.pre_receive(
        GitRepository(Path()), updates, args.fail_on, args.policy_fingerprint
    )
    for reason in reasons:
        print(f"gitwarden: rejected: {reason}", file=sys.stderr)
    return not reasons


def run_post_receive(args: argparse.Namespace) -> bool:
    sys.stdin.read()
    hooks.post_receive(GitRepository(Path()), args.signing_key)
    return True


def run_install(args: argparse.Namespace) -> bool:
    paths = hooks.install(args.server, args.signing_key, args.fail_on, args.policy_fingerprint)
    for path in paths:
        print(f"installed {path}")
    return True
