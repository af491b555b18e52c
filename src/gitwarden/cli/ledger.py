"""`gitwarden ledger`: record, verify, accept rewrites of, and export the ref-state ledger."""

from __future__ import annotations

import argparse
from pathlib import Path

from gitwarden.cli import output
from gitwarden.commands.ledger import (
    LedgerExportOptions,
    LedgerRecordOptions,
    LedgerVerifyOptions,
    ledger_export,
    ledger_record,
    ledger_verify,
)
from gitwarden.integrity.ledger_store import LEDGER_REF


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "ledger", help=f"the signed, hash-chained record of protected ref tips ({LEDGER_REF})"
    )
    actions = parser.add_subparsers(dest="ledger_action", required=True, metavar="ACTION")

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = actions.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--repo", type=Path, default=Path(), help="repository (default: .)")
        return sub

    record = action("record", "append the current tip of every protected ref, signed")
    record.add_argument(
        "--signing-key",
        type=Path,
        metavar="FILE",
        help="SSH key (default: git config user.signingkey)",
    )
    record.set_defaults(handler=run_record)

    accept = action("accept-rewrite", "record that a ref's rewrite to its current tip is intended")
    accept.add_argument("ref", help="full ref name (refs/heads/main)")
    accept.add_argument(
        "--signing-key",
        type=Path,
        metavar="FILE",
        help="SSH key (default: git config user.signingkey)",
    )
    accept.set_defaults(handler=run_accept)

    verify = action("verify", "detect force pushes, deletions, moved tags and a tampered ledger")
    verify.add_argument("--mirror", type=Path, metavar="PATH", help="a backup mirror to compare")
    verify.add_argument(
        "--ledger-file",
        type=Path,
        metavar="FILE",
        help="an exported copy of the ledger to compare against",
    )
    verify.add_argument(
        "--policy-ref",
        default="HEAD",
        metavar="REF",
        help="commit whose .gitwarden/trust.yaml names the recorders (default: HEAD)",
    )
    output.add_config_arguments(verify)
    output.add_output_arguments(verify)
    verify.set_defaults(handler=run_verify)

    export = action("export", "write the ledger to a file (JSON lines)")
    export.add_argument("file", type=Path, help="where to write the JSON lines")
    export.set_defaults(handler=run_export)


def run_record(args: argparse.Namespace) -> bool:
    options = LedgerRecordOptions(signing_key=args.signing_key)
    entry = ledger_record(args.repo, options=options).entry
    print(f"recorded ledger entry {entry.seq}: {len(entry.refs)} refs")
    return True


def run_accept(args: argparse.Namespace) -> bool:
    options = LedgerRecordOptions(signing_key=args.signing_key, rewrite_ref=args.ref)
    entry = ledger_record(args.repo, options=options).entry
    print(
        f"recorded accept-rewrite entry {entry.seq}: {args.ref} "
        f"{entry.accept['from'][:12]} -> {entry.accept['to'][:12]}"
    )
    return True


def run_verify(args: argparse.Namespace) -> bool:
    options = LedgerVerifyOptions(
        mirror=args.mirror,
        exported=args.ledger_file,
        fail_on=args.fail_on,
        policy_ref=args.policy_ref,
    )
    report = ledger_verify(args.repo, output.config_argument(args), options)
    output.emit(output.render_report(args, report), args.output)
    return report.passed


def run_export(args: argparse.Namespace) -> bool:
    exported = ledger_export(args.repo, None, LedgerExportOptions(args.file))
    print(f"exported {exported.entries} entries to {args.file}")
    return True
