"""`gitwarden rollback approve --env ENV --rev REV -m REASON --signing-key KEY`: sign an
intended rollback into ``refs/gitwarden/rollbacks``, where the gate looks for it."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from gitwarden.gate.rollback_store import ROLLBACKS_REF

DATE_LENGTH = len("2026-12-01")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("rollback", help="signed approvals of intended rollbacks")
    actions = parser.add_subparsers(dest="rollback_action", required=True, metavar="ACTION")
    approve = actions.add_parser(
        "approve",
        help=f"sign a rollback of an environment to a revision, under {ROLLBACKS_REF}",
        description="Sign, with your trust-policy key, the move of ENV from the revision it "
        "runs (the last allowed gate decision in the audit store, or --from) back to REV, "
        f"and store it under {ROLLBACKS_REF}, where `gitwarden gate` looks for it. Push it "
        f"with: git push origin {ROLLBACKS_REF}.",
    )
    approve.add_argument("--repo", type=Path, default=Path(), help="the repository (default: .)")
    approve.add_argument("--env", required=True, metavar="ENV", help="the environment")
    approve.add_argument("--rev", required=True, metavar="REV", help="the revision to go back to")
    approve.add_argument("-m", "--message", required=True, metavar="REASON", help="why")
    approve.add_argument(
        "--signing-key", type=Path, required=True, metavar="KEY", help="your Ed25519 SSH key"
    )
    approve.add_argument(
        "--until",
        type=until_argument,
        metavar="DATE",
        help="valid until this date (end of day, UTC) or ISO time (default: 24 hours)",
    )
    approve.add_argument(
        "--from",
        dest="from_revision",
        metavar="REV",
        help="the revision running (default: the audit store's last deployment)",
    )
    approve.add_argument(
        "--audit", metavar="URL", help="audit store: sqlite:///PATH or postgresql://…"
    )
    approve.add_argument(
        "--repository", metavar="NAME", help="recorded under this name (default: origin's URL)"
    )
    approve.set_defaults(handler=run_approve)


def until_argument(text: str) -> datetime:
    """An ISO 8601 time (UTC unless it says otherwise), or a date: the end of that day, UTC."""
    text = text.strip()
    try:
        if len(text) == DATE_LENGTH:
            day = datetime.strptime(text, "%Y-%m-%d").date()
            return datetime.combine(day, time(), UTC) + timedelta(days=1)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is no date or time (e.g. 2026-12-02 or 2026-12-01T18:00Z)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def run_approve(args: argparse.Namespace) -> bool:
    from gitwarden.commands.rollback import RollbackApproveOptions, rollback_approve

    options = RollbackApproveOptions(
        environment=args.env,
        revision=args.rev,
        reason=args.message,
        signing_key=args.signing_key,
        until=args.until,
        from_revision=args.from_revision,
        audit=args.audit,
        repository=args.repository,
    )
    result = rollback_approve(args.repo, None, options)
    approval = result.approval
    print(
        f"approved the rollback of {approval.environment} from {approval.from_revision[:12]} "
        f"to {approval.to_revision[:12]} until {approval.expires_at}: "
        f"{result.ref} {result.record}"
    )
    return True
