"""`gitwarden drift`: is the cluster still what Git declares?"""

from __future__ import annotations

import argparse
from pathlib import Path

from gitwarden.cli import output
from gitwarden.commands.drift import DriftOptions, drift


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "drift",
        help="compare the live cluster (or dumps of it) with what the repository declares",
        description="Compare the objects the repository renders with the live cluster, read "
        "only, over the Kubernetes API (kubeconfig context) or from `kubectl get -o yaml|json` "
        "and `argocd app manifests --source live` dumps. Reports changed fields (with the "
        "field manager), image drift, unmanaged and missing objects, unhealthy GitOps "
        "controllers, and what could not be read. Exit 0 no drift at or above --fail-on, 1 "
        "drift, 2 error (an unreachable API or unreadable dump is an error, never no drift).",
    )
    parser.add_argument("--repo", default=".", help="repository (default: .)")
    parser.add_argument(
        "--env",
        help="environment: `production` (the production namespaces of .gitwarden.yaml)",
    )
    parser.add_argument(
        "--namespace",
        action="append",
        default=[],
        metavar="NAME",
        help="namespace of the environment (repeatable; overrides the config's)",
    )
    live = parser.add_mutually_exclusive_group()
    live.add_argument(
        "--live", type=Path, metavar="FILE_OR_DIR", help="live state from dump files, not the API"
    )
    live.add_argument("--kubeconfig", type=Path, help="kubeconfig (default: $KUBECONFIG)")
    parser.add_argument("--context", help="kubeconfig context (default: its current context)")
    parser.add_argument(
        "--fix-hint",
        action="store_true",
        help="add, to each drift, the Git change or the command that resolves it",
    )
    parser.add_argument(
        "--allowed-revision",
        metavar="SHA",
        help="the commit the gate last allowed: GitOps controllers must have applied it",
    )
    parser.add_argument(
        "--no-render", action="store_true", help="read files as they are, render no overlay"
    )
    output.add_config_arguments(parser)
    output.add_output_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> bool:
    options = DriftOptions(
        live=args.live,
        kubeconfig=args.kubeconfig,
        context=args.context,
        environment=args.env,
        namespaces=tuple(args.namespace),
        fix_hints=args.fix_hint,
        allowed_revision=args.allowed_revision,
        render=not args.no_render,
        fail_on=args.fail_on,
    )
    report = drift(args.repo, output.config_argument(args), options)
    output.emit(output.render_report(args, report), args.output)
    return report.passed
