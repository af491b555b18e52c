"""`gitwarden audit`: verify, print the head of, export and trace the tamper-evident audit trail.

Exit codes: 0 intact, 1 tampered (or a trace over a damaged chain), 2 error.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from gitwarden.cli import output
from gitwarden.errors import UsageError


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "audit", help="the append-only, hash-chained, signed record of every decision"
    )
    actions = parser.add_subparsers(dest="audit_action", required=True, metavar="ACTION")

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = actions.add_parser(name, help=help_text, description=help_text)
        sub.add_argument(
            "--audit",
            metavar="URL",
            help="sqlite:///PATH or postgresql://... (default: $GITWARDEN_AUDIT_URL, else "
            "$GITWARDEN_STATE_DIR/audit.db or ~/.local/state/gitwarden/audit.db)",
        )
        return sub

    verify = action("verify", "detect modified, deleted, inserted, reordered or cut-off entries")
    verify.add_argument("--expect-head", metavar="HASH", help="a head hash recorded elsewhere")
    verify.add_argument(
        "--key",
        type=Path,
        action="append",
        default=[],
        metavar="PUB",
        help="a trusted writer's public key (SSH or PEM Ed25519); repeat for several",
    )
    output.add_config_arguments(verify)
    output.add_output_arguments(verify)
    verify.set_defaults(handler=run_verify)

    head = action("head", "print the hash of the last entry (keep it outside the store)")
    head.set_defaults(handler=run_head)

    export = action("export", "write the entries as JSON lines (schema: audit-entry.schema.json)")
    export.add_argument(
        "--since", metavar="TIME", help="only entries at or after this RFC 3339 time"
    )
    export.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help="file to write, or - for stdout (default)"
    )
    export.add_argument(
        "--syslog",
        nargs="?",
        const="/dev/log",
        metavar="ADDRESS",
        help="send each entry to syslog instead: a socket path (default /dev/log) or HOST:PORT",
    )
    export.set_defaults(handler=run_export)

    trace = action("trace", "how did a revision or image digest get where it is")
    trace.add_argument(
        "query", metavar="REV|IMAGE_DIGEST", help="a commit (or ref) or an image digest"
    )
    trace.add_argument("--env", metavar="ENV", help="only this environment")
    trace.add_argument(
        "--key",
        type=Path,
        action="append",
        default=[],
        metavar="PUB",
        help="a trusted writer's public key; repeat for several",
    )
    trace.add_argument(
        "--format",
        "-f",
        choices=("text", "json", "markdown", "html"),
        default="text",
        help="output format: text, json, markdown or html, one self-contained page (default: text)",
    )
    trace.add_argument("--output", "-o", type=Path, help="write the trace to FILE")
    trace.set_defaults(handler=run_trace)


def run_verify(args: argparse.Namespace) -> bool:
    from gitwarden.commands.audit import AuditVerifyOptions, audit_verify

    options = AuditVerifyOptions(
        expect_head=args.expect_head, key_files=tuple(args.key), fail_on=args.fail_on
    )
    result = audit_verify(args.audit, output.config_argument(args), options)
    output.emit(output.render_report(args, result.report), args.output)
    return result.report.passed


def run_head(args: argparse.Namespace) -> bool:
    from gitwarden.commands.audit import audit_head

    head = audit_head(args.audit)
    if head is None:
        raise UsageError("the audit store holds no entries: it has no head")
    print(head.hash)
    return True


def run_export(args: argparse.Namespace) -> bool:
    import sys

    from gitwarden.audit.entries import parse_time
    from gitwarden.commands.audit import AuditExportOptions, audit_export

    since = parse_time(args.since) if args.since else None
    if args.syslog is not None and args.output is not None:
        raise UsageError("--syslog and --output: choose one")
    options = AuditExportOptions(since=since, output=args.output, syslog=args.syslog)
    result = audit_export(args.audit, None, options)
    if result.output is not None or args.syslog is not None:
        where = result.output or f"syslog {args.syslog}"
        print(f"exported {result.entries} entries to {where}", file=sys.stderr)
    return True


def run_trace(args: argparse.Namespace) -> bool:
    from gitwarden.attestation.signing_keys import load_verifying_key
    from gitwarden.audit.trace_formats import render_trace
    from gitwarden.commands.audit import AuditTraceOptions, audit_trace

    keys = tuple(load_verifying_key(path) for path in args.key)
    options = AuditTraceOptions(audit=args.audit, environment=args.env, keys=keys)
    result = audit_trace(args.query, None, options)
    if args.format == "html":
        from gitwarden.report.html_trace import render_trace_page

        output.emit(render_trace_page(result.trace), args.output)
    else:
        output.emit(render_trace(result.trace, args.format), args.output)
    return result.chain.intact
