"""`gitwarden delegate --to NAME --role GROUP --until DATE -m REASON`: a signed delegation."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from gitwarden.cli.signer_options import add_signer_arguments
from gitwarden.commands.delegate import DelegateOptions, delegate


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "delegate",
        help="let a principal act for your review group until a date (signed, stored in Git)",
        description="Record a delegation signed with your trust-policy key: TO may approve "
        "as a member of ROLE (a group of .gitwarden/review.yaml) until the end of UNTIL "
        "(UTC). It counts only for rules with `delegation: true` and only while you are a "
        "member of ROLE in the target branch's policy.",
    )
    parser.add_argument(
        "--to", required=True, metavar="PRINCIPAL", help="the principal who may act for the role"
    )
    parser.add_argument(
        "--role", required=True, metavar="GROUP", help="the review.yaml group you delegate"
    )
    parser.add_argument(
        "--until",
        required=True,
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="last day (UTC) the delegation counts",
    )
    parser.add_argument("-m", "--message", required=True, help="why (e.g. on leave)")
    parser.add_argument("--repo", type=Path, default=Path(), help="repository (default: .)")
    add_signer_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> bool:
    options = DelegateOptions(
        to=args.to,
        role=args.role,
        until=args.until,
        message=args.message,
        signing_key=args.signing_key,
        gpg_key=args.gpg_key,
    )
    result = delegate(args.repo, options)
    print(f"delegated {result.claim.role} to {result.claim.delegate} until {result.claim.until}")
    return True
