"""`gitwarden verify`: every commit and tag since the trust anchor, under the trust policy."""

from __future__ import annotations

import argparse
from pathlib import Path

from gitwarden.cli.output import add_output_arguments, emit, severity_argument, use_color
from gitwarden.findings import Severity
from gitwarden.integrity.verification import VerifyOptions, verify_repository
from gitwarden.report import get_format


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "verify",
        help="verify the signatures of a repository's history under its trust policy",
        description="Verify every commit (and annotated tag) reachable from REFs since the "
        "trust anchor: signature valid, key known, not revoked or expired, signer allowed for "
        "the branch and every path the commit touches, thresholds met. Each commit is judged "
        "by the .gitwarden/trust.yaml of its parent. Exit 1 when verification fails.",
    )
    parser.add_argument("refs", nargs="*", metavar="REF", help="branches or tags (default: HEAD)")
    parser.add_argument("--repo", type=Path, default=Path(), help="repository (default: .)")
    anchor = parser.add_mutually_exclusive_group()
    anchor.add_argument(
        "--trust-anchor",
        metavar="COMMIT",
        help="trust this commit and its policy; verify only what came after it",
    )
    anchor.add_argument(
        "--policy-fingerprint",
        metavar="SHA256",
        help="the root commit's policy must have this fingerprint (see `gitwarden trust show`)",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="verify every commit again, ignoring the cache"
    )
    parser.add_argument(
        "--fail-on",
        type=severity_argument,
        default=Severity.HIGH,
        help="lowest severity that fails verification (default: high)",
    )
    add_output_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> bool:
    options = VerifyOptions(
        refs=tuple(args.refs),
        trust_anchor=args.trust_anchor,
        policy_fingerprint=args.policy_fingerprint,
        use_cache=not args.no_cache,
        fail_on=args.fail_on,
    )
    report = verify_repository(args.repo, options)
    emit(get_format(args.format).render(report, color=use_color(args.output)), args.output)
    return report.passed
