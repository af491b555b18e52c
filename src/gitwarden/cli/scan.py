"""`gitwarden scan`: check the Kubernetes manifests a repository deploys."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from gitwarden.cli import output
from gitwarden.cli.progress import add_quiet_argument, progress_for
from gitwarden.cli.scan_baseline_options import add_baseline_arguments, baselined
from gitwarden.cli.secret_options import add_secret_arguments
from gitwarden.errors import UsageError
from gitwarden.pipeline.render_cache import default_cache_dir
from gitwarden.pipeline.render_workers import (
    RenderHint,
    RenderWorkers,
    render_jobs,
    start_render_workers,
)
from gitwarden.policy.sources import DEFAULT_NAMESPACES, PolicySource

if TYPE_CHECKING:
    from gitwarden.commands.scan import ScanOptions

ONLY_CHOICES = ("secrets", "manifests")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "scan",
        help="check the Kubernetes manifests a repository deploys",
        description="Check what a GitOps repository will deploy: plain YAML/JSON, Kustomize "
        "overlays and Helm charts (rendered offline), against Pod Security Standards, RBAC, "
        "image, hardening and network-policy rules.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        default=["."],
        metavar="PATH",
        help="repository or file (default: .); with several files and folders, the "
        "repository holding them is read for context and only their findings reported",
    )
    output.add_config_arguments(parser)
    output.add_output_arguments(parser)
    add_quiet_argument(parser)
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
    parser.add_argument(
        "--jobs",
        type=_positive,
        default=None,
        metavar="N",
        help="render up to N overlays and charts at once (default: the number of cores)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="render and parse everything again instead of reusing the render and "
        "parsed-file caches (kept under $GITWARDEN_STATE_DIR)",
    )
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument(
        "--diff",
        "--changed-since",
        dest="diff_base",
        metavar="REV",
        help="report only what differs from REV in the working tree: changed files and the "
        "overlays and charts whose inputs changed (the whole repository is read for context)",
    )
    scope.add_argument(
        "--staged",
        action="store_true",
        help="scan the index's content and report only what it changes against HEAD "
        "(for pre-commit; no hook is run)",
    )
    add_secret_arguments(parser)
    add_baseline_arguments(parser)
    parser.add_argument(
        "--no-secrets",
        action="store_true",
        help="skip secret detection in the working tree (`gitwarden history` covers Git history)",
    )
    parser.add_argument(
        "--only",
        choices=ONLY_CHOICES,
        help="run one scanner: 'secrets' (secret detection alone, no rendering, no manifest "
        "checks or policies; the gitwarden-secrets hook) or 'manifests' (like --no-secrets)",
    )
    parser.set_defaults(handler=run)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return value


def scan_target(paths: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """One path is the target; several are narrowed parts of the repository holding them,
    so that findings keep repository-relative paths."""
    if len(paths) == 1:
        return paths[0], ()
    absolute = [Path(p).resolve() for p in paths]
    missing = [p for p, a in zip(paths, absolute, strict=True) if not a.exists()]
    if missing:
        raise UsageError(f"{missing[0]}: no such file or folder")
    common = Path(os.path.commonpath(absolute))
    root = common if common.is_dir() else common.parent
    repository = next((f for f in (root, *root.parents) if (f / ".git").exists()), root)
    return str(repository), tuple(a.relative_to(repository).as_posix() for a in absolute)


def run(args: argparse.Namespace) -> bool:
    """Scan and write the report; True when the run passes."""
    config = output.config_argument(args)
    target, paths = scan_target(args.paths)
    workers = _workers_ahead(args, target)
    try:
        # Imported once the first renderer child loads on the other core: the checks,
        # policies and report code take this process about as long (see `render_workers`).
        from gitwarden.commands.scan import ScanOptions, scan

        namespaces = tuple(args.policy_namespace) or DEFAULT_NAMESPACES
        options = ScanOptions(
            progress=progress_for(args),
            render=not args.no_render,
            allow_network=args.allow_network,
            fail_on=args.fail_on,
            secrets=not args.no_secrets,
            show_secrets=args.show_secrets,
            policies=tuple(PolicySource(path, namespaces) for path in args.policy),
            jobs=args.jobs,
            cache=not args.no_cache,
            paths=paths,
            diff_base=args.diff_base,
            staged=args.staged,
            render_workers=workers,
        )
        report = baselined(args, scan(target, config, _only(options, args.only)))
    finally:
        if workers is not None:
            workers.close()
    output.emit(output.render_report(args, report), args.output)
    return report.passed


def _workers_ahead(args: argparse.Namespace, target: str) -> RenderWorkers | None:
    """The pool of a scan that renders a folder, its first child started now: for a folder
    the render cache has not seen, or with ``--no-cache`` one whose last scan rendered."""
    if args.no_render or args.only == "secrets" or not Path(target).is_dir():
        return None
    hint = RenderHint.read(default_cache_dir(), Path(target))
    expected = hint.renders_expected(cached=not args.no_cache)
    return start_render_workers(
        render_jobs(args.jobs), allow_network=args.allow_network, hint=expected
    )


def _only(options: ScanOptions, only: str | None) -> ScanOptions:
    if only == "secrets":
        if not options.secrets:
            raise UsageError("--only secrets contradicts --no-secrets")
        return replace(options, manifests=False, render=False)
    if only == "manifests":
        return replace(options, secrets=False)
    return options
