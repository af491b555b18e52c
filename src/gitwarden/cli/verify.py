"""`gitwarden verify`: every commit and tag since the trust anchor, under the trust policy."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from gitwarden.cli import output
from gitwarden.cli.progress import add_quiet_argument, progress_for
from gitwarden.commands.verify import VerifyOptions, verify_result


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "verify",
        help="verify the signatures of a repository's history under its trust policy",
        description="Verify every commit (and annotated tag) reachable from REFs since the "
        "trust anchor: signature valid, key known, not revoked or expired, signer allowed for "
        "the branch and every path the commit touches, thresholds met. Each commit is judged "
        "by the .gitwarden/trust.yaml of its parent, or by keys or a policy given out of band "
        "(--keys, --policy). Exit 1 when verification fails.",
    )
    parser.add_argument("refs", nargs="*", metavar="REF", help="branches or tags (default: HEAD)")
    parser.add_argument("--repo", type=Path, default=Path(), help="repository (default: .)")
    anchor = parser.add_mutually_exclusive_group()
    anchor.add_argument(
        "--trust-anchor",
        "--since",
        dest="trust_anchor",
        metavar="COMMIT",
        help="trust this commit (and its policy); verify only what came after it",
    )
    anchor.add_argument(
        "--policy-fingerprint",
        metavar="SHA256",
        help="the root commit's policy must have this fingerprint (see `gitwarden trust show`)",
    )
    root = parser.add_mutually_exclusive_group()
    root.add_argument(
        "--keys",
        action="append",
        default=[],
        metavar="FILE_OR_DIR",
        help="judge every commit against these keys instead of the history's policy: an "
        "OpenPGP keyring, an SSH allowed_signers file, an argocd-gpg-keys-cm ConfigMap or a "
        "Flux Secret of armored keys, a folder of them, or REV:PATH in the repository "
        "(repeatable)",
    )
    root.add_argument(
        "--policy",
        type=Path,
        metavar="FILE",
        help="judge every commit by this trust policy (the layout of .gitwarden/trust.yaml), "
        "the root of trust supplied out of band",
    )
    parser.add_argument(
        "--adoption",
        action="store_true",
        help="print the adoption report (unsigned and unknown-key commits per author and "
        "key) instead of the findings; the exit code is the same",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="verify every commit again, ignoring the cache"
    )
    output.add_config_arguments(parser)
    output.add_output_arguments(parser)
    add_quiet_argument(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> bool:
    options = VerifyOptions(
        progress=progress_for(args),
        refs=tuple(args.refs),
        trust_anchor=args.trust_anchor,
        policy_fingerprint=args.policy_fingerprint,
        keys=tuple(args.keys),
        policy=args.policy,
        use_cache=not args.no_cache,
        fail_on=args.fail_on,
    )
    result = verify_result(args.repo, output.config_argument(args), options)
    report = result.report
    if args.adoption:
        adoption = result.adoption
        text = (
            json.dumps(adoption.as_dict(), indent=2) + "\n"
            if args.format == "json"
            else adoption.as_text()
        )
    else:
        text = output.render_report(args, report)
    output.emit(text, args.output)
    return report.passed
