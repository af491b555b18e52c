"""`gitwarden.argocd_generate(target, config, options) -> ArgocdResult`: a Config Management
Plugin's ``generate``: gate Argo CD's revision, then render the application.

``target`` is the application's folder in the repo-server's checkout (the plugin's working
directory). The revision and environment come from the variables Argo CD sets
(`argocd_settings`). On allow, the application's folder is rendered from REV's tree as the
gate judged it (materialised from git objects, never the working tree, which nothing has
checked) to one YAML stream; on deny nothing is rendered. An application folder outside the
environment's ``paths`` is refused before the gate: the gate would not have judged it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path, PurePosixPath

from gitwarden.attestation.signing_keys import SigningKey
from gitwarden.commands.argocd_checkout import gate_view
from gitwarden.commands.argocd_render import RenderError, render_application
from gitwarden.commands.argocd_settings import ArgocdSettings, read_settings
from gitwarden.commands.gate import DEFAULT_TIMEOUT_SECONDS, GateOptions, GateResult, gate
from gitwarden.config import Config
from gitwarden.errors import UsageError
from gitwarden.findings import Severity
from gitwarden.gate.protected_base import find_protected_base
from gitwarden.gate.repository_identity import repository_identity, without_credentials
from gitwarden.path_patterns import glob_match
from gitwarden.report.model import Report
from gitwarden.sources.git_repository import GitRepository
from gitwarden.sources.revision_tree import materialise_tree

SIGNING_KEY_VARIABLE = "GITWARDEN_SIGNING_KEY"


@dataclass(frozen=True)
class ArgocdOptions:
    """``environ``: the variables Argo CD set (default: this process's); ``signing_key``:
    the gate's key (default: the file named by ``GITWARDEN_SIGNING_KEY``); ``audit``: the
    audit store URL (default: ``GITWARDEN_AUDIT_URL``, else the default SQLite file)."""

    environ: Mapping[str, str] | None = None
    signing_key: Path | SigningKey | None = None
    audit: str | None = None
    fail_on: Severity | None = None
    now: datetime | None = None
    record: bool = True


@dataclass(frozen=True)
class ArgocdResult:
    """The gate's result and, when it allowed, the application's manifests."""

    settings: ArgocdSettings
    gate: GateResult
    manifests: str | None
    checkout: Path

    @property
    def allowed(self) -> bool:
        return self.gate.allowed and self.manifests is not None

    @property
    def report(self) -> Report:
        # The gate ran on a view beside the checkout; the report names the checkout.
        return replace(self.gate.report, target=str(self.checkout))

    @property
    def summary(self) -> str:
        """One line for the repo-server's error message."""
        app = f"{self.settings.app_name}: " if self.settings.app_name else ""
        return f"gitwarden: {app}{self.gate.summary}"


def argocd_generate(
    target: str | Path, config: Config | None = None, options: ArgocdOptions | None = None
) -> ArgocdResult:
    """Gate the revision Argo CD asks for and render the application folder ``target``."""
    options = options or ArgocdOptions()
    environ = os.environ if options.environ is None else options.environ
    settings = read_settings(environ)
    folder = Path(target).resolve()
    checkout = GitRepository(folder)
    top = Path(checkout.run("rev-parse", "--show-toplevel").strip())
    app_path = folder.relative_to(top.resolve()).as_posix()
    with tempfile.TemporaryDirectory(prefix="gitwarden-argocd-") as work:
        view = gate_view(checkout, Path(work) / "view")
        _check_app_under_environment(view, settings, app_path, config)
        result = gate(view.path, config, _gate_options(settings, options, environ, checkout))
        if not result.allowed:
            return ArgocdResult(settings, result, None, top)
        tree = materialise_tree(view, settings.revision, Path(work) / "tree")
        manifests = render_application(
            _app_folder(tree.root, app_path, {entry.path for entry in tree.skipped}),
            Path(work),
            namespace=settings.app_namespace,
            helm_values=settings.helm_values,
        )
    return ArgocdResult(settings, result, manifests, top)


def _gate_options(
    settings: ArgocdSettings,
    options: ArgocdOptions,
    environ: Mapping[str, str],
    checkout: GitRepository,
) -> GateOptions:
    key = options.signing_key
    if key is None and environ.get(SIGNING_KEY_VARIABLE):
        key = Path(environ[SIGNING_KEY_VARIABLE])
    if key is None and options.record:
        raise UsageError(
            "the gate records every decision in the audit trail, signed: it has no key",
            hint=f"set {SIGNING_KEY_VARIABLE} in the sidecar (the file of the gate's Ed25519 "
            "key, mounted from the gitwarden-gate-key Secret)",
        )
    thresholds = [s for s in (options.fail_on, settings.fail_on) if s is not None]
    repository = (
        without_credentials(settings.repository_url)
        if settings.repository_url
        else repository_identity(checkout)
    )
    return GateOptions(
        revision=settings.revision,
        environment=settings.environment,
        audit=options.audit,
        signing_key=key,
        branch=settings.branch,
        # The name decisions are recorded under: the view's folder is new every time.
        repository=repository,
        timeout_seconds=settings.timeout_seconds or DEFAULT_TIMEOUT_SECONDS,
        record=options.record,
        fail_on=min(thresholds) if thresholds else None,
        now=options.now,
        environ=environ,
    )


def _check_app_under_environment(
    view: GitRepository, settings: ArgocdSettings, app_path: str, config: Config | None
) -> None:
    """Every file of the application folder at REV lies under the environment's paths."""
    base = find_protected_base(view, settings.environment, settings.branch, config)
    prefix = "" if app_path == "." else f"{app_path}/"
    scope = ["--", prefix] if prefix else []
    listed = view.run("ls-tree", "-r", "--name-only", "-z", settings.revision, *scope)
    files = [name for name in listed.split("\0") if name]
    if not files:
        raise UsageError(f"{app_path}: no files at {settings.revision[:12]}")
    outside = [f for f in files if not any(glob_match(p, f) for p in base.environment.paths)]
    if outside:
        paths = ", ".join(base.environment.paths)
        raise UsageError(
            f"{outside[0]}: outside environment {settings.environment!r}'s paths ({paths}); "
            "the gate would not have judged it",
            hint="point the Application at the environment whose paths hold it",
        )


def _app_folder(root: Path, app_path: str, skipped: set[str]) -> Path:
    folder = root if app_path == "." else root.joinpath(*PurePosixPath(app_path).parts)
    prefix = "" if app_path == "." else f"{app_path}/"
    unchecked = sorted(path for path in skipped if path.startswith(prefix))
    if unchecked:
        raise RenderError(f"{unchecked[0]}: a link or submodule in the application, not rendered")
    if not folder.is_dir():
        raise RenderError(f"{app_path}: not a folder at this revision")
    return folder
