"""`gitwarden trust`: author the trust policy (.gitwarden/trust.yaml) and approve commits."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from gitwarden.errors import UsageError
from gitwarden.integrity import trust_authoring
from gitwarden.integrity.approvals import approve
from gitwarden.integrity.trust_policy import TrustPolicy
from gitwarden.sources.git_repository import GitRepository


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
    add.add_argument("name")
    add.add_argument("--key", type=Path, required=True, metavar="FILE")
    add.add_argument("--valid-after", type=datetime.fromisoformat, metavar="DATE")
    add.add_argument("--valid-before", type=datetime.fromisoformat, metavar="DATE")
    add.set_defaults(handler=run_add)

    allow = action("allow", "let a principal sign commits to a branch (and paths)")
    allow.add_argument("name")
    allow.add_argument("--branch", required=True, metavar="PATTERN")
    allow.add_argument("--path", action="append", metavar="PATTERN", help="repeatable")
    allow.add_argument("--threshold", type=int, metavar="N", help="signers needed (k of n)")
    allow.set_defaults(handler=run_allow)

    revoke = action("revoke", "revoke a principal (by name) or one key (fingerprint or file)")
    revoke.add_argument("target", metavar="NAME|KEY")
    revoke.add_argument("--reason", default="")
    revoke.set_defaults(handler=run_revoke)

    show = action("show", "print the policy and its fingerprint")
    show.add_argument("--format", "-f", choices=("text", "json"), default="text")
    show.set_defaults(handler=run_show)

    approval = action("approve", "sign an approval of a commit (counts toward thresholds)")
    approval.add_argument("commit")
    approval.add_argument("--signing-key", type=Path, required=True, metavar="FILE")
    approval.set_defaults(handler=run_approve)


def _saved(args: argparse.Namespace, policy: TrustPolicy) -> bool:
    path = trust_authoring.save(args.repo, policy)
    print(f"wrote {path} (policy {policy.policy_id})")
    return True


def run_init(args: argparse.Namespace) -> bool:
    if trust_authoring.policy_file(args.repo).exists() and not args.force:
        raise UsageError(
            f"{trust_authoring.policy_file(args.repo)} exists", hint="use --force to replace it"
        )
    return _saved(args, trust_authoring.init(args.max_key_age))


def run_add(args: argparse.Namespace) -> bool:
    key = replace(
        trust_authoring.read_key(args.key),
        valid_after=trust_authoring.as_utc(args.valid_after),
        valid_before=trust_authoring.as_utc(args.valid_before),
    )
    policy = trust_authoring.add_key(trust_authoring.load(args.repo), args.name, key)
    return _saved(args, policy)


def run_allow(args: argparse.Namespace) -> bool:
    paths = tuple(args.path or ("**",))
    policy = trust_authoring.allow(
        trust_authoring.load(args.repo), args.name, args.branch, paths, args.threshold
    )
    return _saved(args, policy)


def run_revoke(args: argparse.Namespace) -> bool:
    policy = trust_authoring.revoke(trust_authoring.load(args.repo), args.target, args.reason)
    return _saved(args, policy)


def run_show(args: argparse.Namespace) -> bool:
    policy = trust_authoring.load(args.repo)
    revoked_keys = {r.key for r in policy.revoked if r.key}
    revoked_people = {r.principal for r in policy.revoked if r.principal}
    if args.format == "json":
        document = {
            "fingerprint": policy.policy_id,
            "principals": {
                p.name: [
                    {
                        "scheme": k.scheme,
                        "fingerprint": k.fingerprint,
                        "revoked": k.fingerprint in revoked_keys or p.name in revoked_people,
                    }
                    for k in p.keys
                ]
                for p in policy.principals
            },
            "rules": [
                {
                    "branches": r.branches,
                    "paths": r.paths,
                    "principals": r.principals,
                    "threshold": r.threshold,
                }
                for r in policy.rules
            ],
        }
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
        return True
    lines = [f"policy fingerprint: {policy.policy_id}", "principals:"]
    for principal in policy.principals:
        lines.append(
            f"  {principal.name}" + (" (revoked)" if principal.name in revoked_people else "")
        )
        for key in principal.keys:
            state = " revoked" if key.fingerprint in revoked_keys else ""
            lines.append(f"    {key.scheme} {key.fingerprint}{state}")
    lines.append("rules:")
    for rule in policy.rules:
        lines.append(
            f"  {', '.join(rule.branches)} {', '.join(rule.paths)}: {rule.threshold} of "
            f"{', '.join(rule.principals)}"
        )
    sys.stdout.write("\n".join(lines) + "\n")
    return True


def run_approve(args: argparse.Namespace) -> bool:
    repo = GitRepository(args.repo)
    approve(repo, args.commit, args.signing_key)
    print(f"approved {repo.resolve(args.commit)} with {args.signing_key}")
    return True
