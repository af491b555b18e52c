"""`gitwarden argocd init|generate`: the commands of the Argo CD Config Management Plugin.

``generate`` runs in the application's folder as the repo-server calls it: on allow the
manifests go to standard output as one YAML stream (exit 0); on deny standard output stays
empty and the one-line reason goes to standard error (exit 1, 2 when a check could not run),
so the repo-server refuses to generate. ``init`` checks the settings before any work.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from gitwarden.errors import GitwardenError


class ArgocdDeniedError(GitwardenError):
    """A required check could not run: the gate denied (exit 2)."""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "argocd", help="the Argo CD Config Management Plugin: gate, then render"
    )
    actions = parser.add_subparsers(dest="argocd_action", required=True, metavar="ACTION")
    init = actions.add_parser(
        "init",
        help="check the plugin's settings (ARGOCD_APP_REVISION, ARGOCD_ENV_GITWARDEN_*)",
    )
    init.set_defaults(handler=run_init)
    generate = actions.add_parser(
        "generate",
        help="gate ARGOCD_APP_REVISION for the environment, then print the manifests",
        description="Run in the application's folder of Argo CD's checkout. Allowed: the "
        "application rendered from the judged revision, as YAML on stdout. Denied: nothing "
        "on stdout, the reason on stderr, a non-zero exit.",
    )
    generate.add_argument(
        "--signing-key",
        type=Path,
        metavar="KEY",
        help="the gate's Ed25519 key (default: the file GITWARDEN_SIGNING_KEY names)",
    )
    generate.add_argument(
        "--audit", metavar="URL", help="audit store (default: GITWARDEN_AUDIT_URL)"
    )
    generate.set_defaults(handler=run_generate)


def run_init(args: argparse.Namespace) -> bool:
    from gitwarden.commands.argocd_settings import read_settings
    from gitwarden.sources.git_repository import GitRepository

    read_settings(os.environ)
    GitRepository(Path())
    return True


def run_generate(args: argparse.Namespace) -> bool:
    from gitwarden.commands.argocd import ArgocdOptions, argocd_generate

    result = argocd_generate(
        Path(), None, ArgocdOptions(signing_key=args.signing_key, audit=args.audit)
    )
    if result.gate.errored:
        raise ArgocdDeniedError(result.summary.removeprefix("gitwarden: "))
    if not result.allowed or result.manifests is None:
        print(result.summary, file=sys.stderr)
        return False
    sys.stdout.write(result.manifests)
    return True
