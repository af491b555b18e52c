"""`gitwarden attest verify FILE --key PUB`: check a signed decision attestation.

Exit codes: 0 a trusted allow for the given revision and environment, 1 anything else, 2 error.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from gitwarden.cli import output


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("attest", help="signed decision attestations (in-toto, DSSE)")
    actions = parser.add_subparsers(dest="attest_action", required=True, metavar="ACTION")
    verify = actions.add_parser(
        "verify",
        help="check a decision attestation's signature, revision, environment and decision",
    )
    verify.add_argument("file", type=Path, metavar="FILE", help="the DSSE envelope (JSON)")
    verify.add_argument(
        "--key",
        type=Path,
        action="append",
        required=True,
        metavar="PUB",
        help="the gate's public key (SSH or PEM Ed25519); repeat for several",
    )
    verify.add_argument("--rev", metavar="REV", help="the revision it must attest")
    verify.add_argument("--env", metavar="ENV", help="the environment it must attest")
    output.add_config_arguments(verify)
    output.add_output_arguments(verify)
    verify.set_defaults(handler=run_verify)


def run_verify(args: argparse.Namespace) -> bool:
    from gitwarden.commands.attest import AttestVerifyOptions, attest_verify

    options = AttestVerifyOptions(
        key_files=tuple(args.key),
        revision=args.rev,
        environment=args.env,
        fail_on=args.fail_on,
    )
    result = attest_verify(args.file, output.config_argument(args), options)
    output.emit(output.render_report(args, result.report), args.output)
    return result.report.passed
