"""`gitwarden scan`: check the Kubernetes manifests a repository deploys."""

from __future__ import annotations

import argparse

from gitwarden.cli.output import (
    add_config_arguments,
    add_output_arguments,
    config_argument,
    emit,
    render_report,
)
from gitwarden.cli.scan_baseline_options import add_baseline_arguments, baselined
from gitwarden.cli.secret_options import add_secret_arguments
from gitwarden.commands.scan import ScanOptions, scan
from gitwarden.policy.sources import DEFAULT_NAMESPACES, PolicySource


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "scan",
        help="check the Kubernetes manifests a repository deploys",
        description="Check what a GitOps repository will deploy: plain YAML/JSON, Kustomize "
        "overlays and Helm charts (rendered offline), against Pod Security Standards, RBAC, "
        "image, hardening and network-policy rules.",
    )
    parser.add_argument("path", nargs="?", default=".", help="repository or file (default: .)")
    add_config_arguments(parser)
    add_output_arguments(parser)
    parser.add_argument(
        "--no-render",
        action="store_true",
        help="scan files as they are, without rendering Kustomize overlays or Helm charts",
    )
    parser.add_argument(
        "--allow-network",
        action="store_true",
        help="let Kustomize fetch remote bases (refused by default)",
    )
    parser.add_argument(
        "--policy",
        action="append",
        default=[],
        metavar="DIR",
        help="folder (or file) of Rego, ValidatingAdmissionPolicy or Kyverno policies; "
        "repeatable, added to `policies:` in the config",
    )
    parser.add_argument(
        "--policy-namespace",
        action="append",
        default=[],
        metavar="PACKAGE",
        help="Rego package whose deny/violation/warn rules are queried (default: main; "
        "repeatable; '*' for every package)",
    )
    add_secret_arguments(parser)
    add_baseline_arguments(parser)
    parser.add_argument(
        "--no-secrets",
        action="store_true",
        help="skip secret detection in the working tree (`gitwarden history` covers Git history)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> bool:
    """Scan and write the report; True when the run passes."""
    config = config_argument(args)
    namespaces = tuple(args.policy_namespace) or DEFAULT_NAMESPACES
    options = ScanOptions(
        render=not args.no_render,
        allow_network=args.allow_network,
        fail_on=args.fail_on,
        secrets=not args.no_secrets,
        show_secrets=args.show_secrets,
        policies=tuple(PolicySource(path, namespaces) for path in args.policy),
    )
    report = baselined(args, scan(args.path, config, options))
    emit(render_report(args, report), args.output)
    return report.passed
