"""`gitwarden gate --rev REV --env ENV`: may this revision be deployed to this environment?

Prints the one-line summary on standard error and the report (``--format json``: the JSON
decision with every finding) on standard output or ``--output``. Exit codes: 0 allow,
1 deny, 2 error (a check could not run, or bad usage): also a deny.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from gitwarden.cli import output
from gitwarden.errors import GitwardenError

DECISION_FORMAT = "decision"


class GateErroredError(GitwardenError):
    """A required check could not run: the gate denied (exit 2)."""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "gate", help="decide whether a revision may be deployed to an environment"
    )
    parser.add_argument("--repo", type=Path, default=Path(), help="the repository (default: .)")
    parser.add_argument("--rev", required=True, metavar="REV", help="the revision to deploy")
    parser.add_argument("--env", required=True, metavar="ENV", help="the target environment")
    parser.add_argument(
        "--audit", metavar="URL", help="audit store: sqlite:///PATH or postgresql://…"
    )
    parser.add_argument("--signing-key", type=Path, metavar="KEY", help="the gate's Ed25519 key")
    parser.add_argument("--attest", type=Path, metavar="FILE", help="write the signed attestation")
    parser.add_argument(
        "--rollback-approval", type=Path, metavar="FILE", help="a signed rollback approval (DSSE)"
    )
    parser.add_argument(
        "--repository", metavar="NAME", help="record under this name (default: origin's URL)"
    )
    parser.add_argument("--branch", help="the base branch (default: found from the config)")
    parser.add_argument(
        "--timeout", type=float, default=120.0, metavar="S", help="deny after S seconds"
    )
    parser.add_argument(
        "--fail-on",
        type=output.severity_argument,
        help="a stricter threshold for the report (the environment's still judges each check)",
    )
    parser.add_argument(
        "--decision",
        action="store_true",
        help="print the JSON decision instead of the report",
    )
    output.add_output_arguments(parser)
    parser.set_defaults(handler=run_gate)


def run_gate(args: argparse.Namespace) -> bool:
    from gitwarden.commands.gate import GateOptions, gate

    options = GateOptions(
        revision=args.rev,
        environment=args.env,
        audit=args.audit,
        signing_key=args.signing_key,
        attest=args.attest,
        rollback_approval=args.rollback_approval,
        branch=args.branch,
        repository=args.repository,
        timeout_seconds=args.timeout,
        fail_on=args.fail_on,
    )
    result = gate(args.repo, None, options)
    if args.decision:
        text = json.dumps(result.as_json(), indent=2) + "\n"
    else:
        text = output.render_report(args, result.report)
    output.emit(text, args.output)
    print(result.summary, file=sys.stderr)
    if result.errored:
        raise GateErroredError(f"denied: {'; '.join(result.decision.reasons)}")
    return result.allowed
