"""`gitwarden approve BASE..HEAD -m MESSAGE`: sign an approval of a change into Git."""

from __future__ import annotations

import argparse
from pathlib import Path

from gitwarden.cli.signer_options import add_signer_arguments
from gitwarden.commands.approve import ApproveOptions, approve
from gitwarden.sources.approval_store import APPROVALS_REF


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "approve",
        help="record a signed approval of a change under refs/gitwarden/approvals",
        description="Sign an approval of BASE..HEAD (target branch, base, head and the "
        "resulting tree, with your message) with your trust-policy key, as an in-toto "
        f"statement in a DSSE envelope under {APPROVALS_REF}. Push it with: git push "
        f"origin {APPROVALS_REF}. A later push to the change voids it.",
    )
    parser.add_argument(
        "change", metavar="BASE..HEAD", help="the change you approve, as a commit range"
    )
    parser.add_argument("-m", "--message", required=True, help="what you reviewed")
    parser.add_argument("--repo", type=Path, default=Path(), help="repository (default: .)")
    parser.add_argument("--branch", help="target branch (default: the branch whose tip is BASE)")
    add_signer_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> bool:
    options = ApproveOptions(
        change=args.change,
        message=args.message,
        signing_key=args.signing_key,
        gpg_key=args.gpg_key,
        branch=args.branch,
    )
    result = approve(args.repo, options)
    claim = result.claim
    print(
        f"approved {claim.base[:12]}..{claim.head[:12]} (tree {claim.tree[:12]}) for "
        f"{claim.target_ref}: {APPROVALS_REF} {result.record}"
    )
    return True
