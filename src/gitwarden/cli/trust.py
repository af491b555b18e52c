"""`gitwarden trust`: author the trust policy (.gitwarden/trust.yaml) and approve commits."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path

from gitwarden.cli.signer_options import add_signer_arguments
from gitwarden.commands.trust import (
    TrustAddOptions,
    TrustAllowOptions,
    TrustApproveOptions,
    TrustInitOptions,
    TrustPolicyResult,
    TrustRevokeOptions,
    trust_add,
    trust_allow,
    trust_approve,
    trust_init,
    trust_revoke,
    trust_show,
)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "trust", help="create and change the trust policy (.gitwarden/trust.yaml)"
    )
    actions = parser.add_subparsers(dest="trust_action", required=True, metavar="ACTION")

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = actions.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--repo", type=Path, default=Path(), help="repository (default: .)")
        return sub

    init = action("init", "create an empty trust policy")
    init.add_argument("--max-key-age", type=int, metavar="DAYS", help="keys must rotate after")
    init.add_argument("--force", action="store_true", help="overwrite an existing policy")
    init.set_defaults(handler=run_init)

    add = action("add", "add a principal's SSH public key or armored OpenPGP certificate")
    add.add_argument("name", help="the principal's name, e.g. alice")
    add.add_argument(
        "--key", type=Path, required=True, metavar="FILE", help="public key or certificate file"
    )
    add.add_argument(
        "--valid-after",
        type=datetime.fromisoformat,
        metavar="DATE",
        help="the key signs only commits after this ISO date",
    )
    add.add_argument(
        "--valid-before",
        type=datetime.fromisoformat,
        metavar="DATE",
        help="the key signs only commits before this ISO date",
    )
    add.add_argument(
        "--email",
        action="append",
        default=[],
        metavar="ADDRESS",
        help="the principal's commit e-mail address (repeatable)",
    )
    add.add_argument("--github", metavar="USER", help="the principal's GitHub user name")
    add.add_argument("--gitlab", metavar="USER", help="the principal's GitLab user name")
    add.set_defaults(handler=run_add)

    allow = action("allow", "let a principal sign commits to a branch (and paths)")
    allow.add_argument("name", help="a principal added with `trust add`")
    allow.add_argument(
        "--branch", required=True, metavar="PATTERN", help="branch name or glob, e.g. main"
    )
    allow.add_argument(
        "--path",
        action="append",
        metavar="PATTERN",
        help="paths the principal may change (default: **); repeatable",
    )
    allow.add_argument("--threshold", type=int, metavar="N", help="signers needed (k of n)")
    allow.set_defaults(handler=run_allow)

    revoke = action("revoke", "revoke a principal (by name) or one key (fingerprint or file)")
    revoke.add_argument(
        "target", metavar="NAME|KEY", help="principal name, key fingerprint or key file"
    )
    revoke.add_argument("--reason", default="", help="why, recorded in the policy")
    revoke.set_defaults(handler=run_revoke)

    show = action("show", "print the policy and its fingerprint")
    show.add_argument(
        "--format",
        "-f",
        choices=("text", "json"),
        default="text",
        help="output format: text or json (default: text)",
    )
    show.set_defaults(handler=run_show)

    approval = action(
        "approve",
        "record a signed approval of a commit in refs/gitwarden/approvals (counts toward "
        "k-of-n thresholds)",
    )
    approval.add_argument("commit", help="the commit (or ref) to approve")
    approval.add_argument(
        "-m", "--message", default="", help="what you checked (recorded in the approval)"
    )
    approval.add_argument(
        "--branch", metavar="BRANCH", help="the target branch (default: the current branch)"
    )
    add_signer_arguments(approval)
    approval.set_defaults(handler=run_approve)


def _wrote(written: TrustPolicyResult) -> bool:
    print(f"wrote {written.path} (policy {written.policy.policy_id})")
    return True


def run_init(args: argparse.Namespace) -> bool:
    options = TrustInitOptions(max_key_age_days=args.max_key_age, force=args.force)
    return _wrote(trust_init(args.repo, options=options))


def run_add(args: argparse.Namespace) -> bool:
    options = TrustAddOptions(
        args.name,
        args.key,
        args.valid_after,
        args.valid_before,
        emails=tuple(args.email),
        github=args.github,
        gitlab=args.gitlab,
    )
    return _wrote(trust_add(args.repo, None, options))


def run_allow(args: argparse.Namespace) -> bool:
    paths = tuple(args.path or ("**",))
    options = TrustAllowOptions(args.name, args.branch, paths, args.threshold)
    return _wrote(trust_allow(args.repo, None, options))


def run_revoke(args: argparse.Namespace) -> bool:
    return _wrote(trust_revoke(args.repo, None, TrustRevokeOptions(args.target, args.reason)))


def run_show(args: argparse.Namespace) -> bool:
    shown = trust_show(args.repo)
    if args.format == "json":
        sys.stdout.write(json.dumps(shown.as_dict(), indent=2) + "\n")
    else:
        sys.stdout.write(shown.as_text())
    return True


def run_approve(args: argparse.Namespace) -> bool:
    options = TrustApproveOptions(
        args.commit, args.signing_key, args.gpg_key, message=args.message, branch=args.branch
    )
    approved = trust_approve(args.repo, None, options)
    print(
        f"approved {approved.commit} with {args.signing_key or args.gpg_key} "
        f"(refs/gitwarden/approvals {approved.record}; push it: "
        "git push origin refs/gitwarden/approvals)"
    )
    return True
