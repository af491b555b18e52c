"""`gitwarden delegate --to NAME --role GROUP --until DATE -m REASON`: a signed delegation."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

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
    parser.add_argument("--to", required=True, metavar="PRINCIPAL")
    parser.add_argument("--role", required=True, metavar="GROUP")
    parser.add_argument("--until", required=True, type=date.fromisoformat, metavar="YYYY-MM-DD")
    parser.add_argument("-m", "--message", required=True, help="why (e.g. on leave)")
    parser.add_argument("--repo", type=Path, default=Path(), help="repository (default: .)")
    signer = parser.add_mutually_exclusive_group(required=True)
    signer.add_argument("--signing-key", type=Path, metavar="FILE", help="SSH private key")
    signer.add_argument("--gpg-key", metavar="KEYID", help="sign with this key of your gpg")
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
