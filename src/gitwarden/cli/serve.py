"""`gitwarden serve`: the read-only dashboard over the audit trail (127.0.0.1 unless --public)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "serve",
        help="a read-only web dashboard over the audit trail and saved reports",
        description="Decisions per repository and environment, the deployment timeline, "
        "trace pages, findings over time and the fleet's worst open findings. Read-only.",
    )
    parser.add_argument(
        "--audit",
        metavar="URL",
        help="sqlite:///PATH or postgresql://... (default: $GITWARDEN_AUDIT_URL, else the "
        "default store file)",
    )
    parser.add_argument("--reports", type=Path, metavar="DIR", help="a folder of JSON reports")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=None, help="port (default 8780)")
    parser.add_argument(
        "--public", action="store_true", help="allow a non-loopback --host (needs --token)"
    )
    parser.add_argument(
        "--token",
        metavar="T",
        help="the token every request must carry (default: $GITWARDEN_DASHBOARD_TOKEN)",
    )
    parser.add_argument(
        "--key",
        type=Path,
        action="append",
        default=[],
        metavar="PUB",
        help="a trusted writer's public key: signatures are verified too",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> bool:
    from gitwarden.attestation.signing_keys import load_verifying_key
    from gitwarden.commands.serve import DEFAULT_PORT, ServeOptions, serve

    options = ServeOptions(
        reports=args.reports,
        host=args.host,
        port=args.port or DEFAULT_PORT,
        public=args.public,
        token=args.token or os.environ.get("GITWARDEN_DASHBOARD_TOKEN"),
        keys=tuple(load_verifying_key(path) for path in args.key),
    )
    print(
        f"gitwarden serve: http://{options.host}:{options.port}/ (read-only; Ctrl-C stops)",
        file=sys.stderr,
    )
    serve(args.audit, None, options)
    return True
