"""`gitwarden forge audit`: what GitHub or GitLab enforces on the repository."""

from __future__ import annotations

import argparse
from pathlib import Path

from gitwarden.cli import output
from gitwarden.cli.progress import add_quiet_argument, progress_for
from gitwarden.commands.forge_audit import ForgeAuditOptions, forge_audit


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "forge", help="audit the forge's settings (branch protection, access, keys)"
    )
    actions = parser.add_subparsers(dest="forge_action", required=True, metavar="ACTION")
    audit = actions.add_parser(
        "audit",
        help="audit branch protection, rulesets, access, 2FA and keys on GitHub or GitLab",
        description="Read the project's settings from GitHub or GitLab (token from "
        "GITHUB_TOKEN / GITLAB_TOKEN, API from GITHUB_API_URL / CI_API_V4_URL) and check them "
        "against the bar for the branches that deploy to production. Exit 1 on findings at or "
        "above --fail-on, 2 when the API cannot be reached.",
    )
    audit.add_argument(
        "--repo", type=Path, default=Path(), help="the repository's clone (default: .)"
    )
    audit.add_argument("--forge", choices=["github", "gitlab"], help="default: origin's host")
    audit.add_argument("--project", metavar="OWNER/NAME", help="default: origin's path")
    audit.add_argument(
        "--branch",
        action="append",
        default=[],
        metavar="NAME",
        help="a branch that deploys to production (repeatable; besides the default branch "
        "and the trust policy's branches)",
    )
    audit.add_argument(
        "--forge-data", type=Path, metavar="DIR", help="read saved responses instead of the API"
    )
    audit.add_argument(
        "--save-forge-data", type=Path, metavar="DIR", help="write every API response to DIR"
    )
    audit.add_argument(
        "--min-approvals", type=int, default=1, help="approving reviews a branch must require"
    )
    audit.add_argument(
        "--required-check",
        default="gitwarden",
        metavar="NAME",
        help="status check that must be required (default: gitwarden)",
    )
    audit.add_argument(
        "--inactive-days",
        type=int,
        default=90,
        metavar="N",
        help="report writers who have not pushed in N days (default: 90)",
    )
    audit.add_argument(
        "--ci-account",
        action="append",
        default=[],
        metavar="LOGIN",
        help="a CI/CD account allowed read-only access (repeatable)",
    )
    output.add_config_arguments(audit)
    output.add_output_arguments(audit)
    add_quiet_argument(audit)
    audit.set_defaults(handler=run_audit)


def run_audit(args: argparse.Namespace) -> bool:
    options = ForgeAuditOptions(
        progress=progress_for(args),
        forge=args.forge,
        project=args.project,
        branches=tuple(args.branch),
        forge_data=args.forge_data,
        save_forge_data=args.save_forge_data,
        fail_on=args.fail_on,
        min_approvals=args.min_approvals,
        required_check=args.required_check,
        ci_accounts=tuple(args.ci_account),
        inactive_days=args.inactive_days,
    )
    report = forge_audit(args.repo, output.config_argument(args), options)
    output.emit(output.render_report(args, report), args.output)
    return report.passed
