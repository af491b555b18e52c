"""`gitwarden flux promote --env ENV --rev REV --tag-key KEY`: gate, then move Flux's signed tag.

Exit codes: 0 allowed and the tag moved, 1 denied (the tag untouched), 2 error (also a deny).
The one-line summary goes to standard error, the gate's report to standard output or --output.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gitwarden.cli import output
from gitwarden.errors import GitwardenError


class PromoteErroredError(GitwardenError):
    """A required check could not run: the gate denied and the tag was not moved (exit 2)."""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("flux", help="Flux integration: the signed tag Flux follows")
    actions = parser.add_subparsers(dest="flux_action", required=True, metavar="ACTION")
    promote = actions.add_parser(
        "promote",
        help="gate a revision for an environment; on allow move its signed tag to it",
        description="Run the gate for REV and ENV; when it allows, point the annotated tag "
        "(default gitwarden/allowed/ENV), signed with an OpenPGP key, at REV. A Flux "
        "GitRepository following that tag with spec.verify reconciles only allowed revisions. "
        "Push the tag afterwards (git push --force origin refs/tags/TAG).",
    )
    promote.add_argument("--repo", type=Path, default=Path(), help="the repository (default: .)")
    promote.add_argument("--rev", required=True, metavar="REV", help="the revision to promote")
    promote.add_argument("--env", required=True, metavar="ENV", help="the target environment")
    promote.add_argument(
        "--tag-key",
        required=True,
        metavar="KEYID",
        help="the OpenPGP key (in your gpg) that signs the tag; Flux verifies it",
    )
    promote.add_argument(
        "--tag", metavar="NAME", help="the tag to move (default: gitwarden/allowed/ENV)"
    )
    promote.add_argument(
        "--tagger",
        default="gitwarden <gitwarden@localhost>",
        metavar="'NAME <EMAIL>'",
        help="the tag's tagger (default: gitwarden <gitwarden@localhost>)",
    )
    promote.add_argument(
        "--signing-key", type=Path, metavar="KEY", help="the gate's Ed25519 key (as for gate)"
    )
    promote.add_argument(
        "--audit", metavar="URL", help="audit store: sqlite:///PATH or postgresql://…"
    )
    promote.add_argument("--branch", help="the base branch (default: found from the config)")
    promote.add_argument(
        "--repository", metavar="NAME", help="record under this name (default: origin's URL)"
    )
    promote.add_argument(
        "--timeout", type=float, default=120.0, metavar="S", help="deny after S seconds"
    )
    promote.add_argument(
        "--fail-on", type=output.severity_argument, help="a stricter threshold for the report"
    )
    output.add_output_arguments(promote)
    promote.set_defaults(handler=run_promote)


def run_promote(args: argparse.Namespace) -> bool:
    from gitwarden.commands.flux import FluxPromoteOptions, flux_promote

    result = flux_promote(
        args.repo,
        None,
        FluxPromoteOptions(
            revision=args.rev,
            environment=args.env,
            tag_key=args.tag_key,
            tag=args.tag,
            tagger=args.tagger,
            signing_key=args.signing_key,
            audit=args.audit,
            branch=args.branch,
            repository=args.repository,
            timeout_seconds=args.timeout,
            fail_on=args.fail_on,
        ),
    )
    output.emit(output.render_report(args, result.report), args.output)
    print(result.summary, file=sys.stderr)
    if result.gate.errored:
        raise PromoteErroredError(f"denied: {'; '.join(result.gate.decision.reasons)}")
    return result.moved
