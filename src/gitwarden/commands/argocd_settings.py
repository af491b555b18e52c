"""What Argo CD's repo-server tells a Config Management Plugin, read as gate settings.

The repo-server sets ``ARGOCD_APP_*`` for every generation and passes the Application's
``spec.source.plugin.env`` entries as ``ARGOCD_ENV_<NAME>``. Those are written by whoever
writes the Application, so they choose only what an application may choose (its
environment, a stricter threshold, its Helm values); the gate's key and audit store come
from the sidecar's own environment (``GITWARDEN_SIGNING_KEY``, ``GITWARDEN_AUDIT_URL``),
and ``GITWARDEN_ENV`` there pins the environment for every application.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from gitwarden.errors import UsageError
from gitwarden.findings import Severity

APP_PREFIX = "ARGOCD_ENV_"
OPTION_PREFIX = f"{APP_PREFIX}GITWARDEN_"
# The application's options, by the name after ARGOCD_ENV_ (documented in the README).
APP_OPTIONS = (
    "GITWARDEN_ENV",
    "GITWARDEN_BRANCH",
    "GITWARDEN_FAIL_ON",
    "GITWARDEN_TIMEOUT",
    "GITWARDEN_HELM_VALUES",
)
MAX_TIMEOUT_SECONDS = 600.0


@dataclass(frozen=True)
class ArgocdSettings:
    """One generation request: REV for ENV, and how the application is rendered."""

    revision: str
    environment: str
    app_name: str | None = None
    app_namespace: str | None = None
    repository_url: str | None = None
    branch: str | None = None
    fail_on: Severity | None = None
    timeout_seconds: float | None = None
    helm_values: str | None = None


def read_settings(environ: Mapping[str, str]) -> ArgocdSettings:
    """The settings of one generation; a missing, unknown or bad value is a `UsageError`."""
    options = _application_options(environ)
    revision = environ.get("ARGOCD_APP_REVISION", "").strip()
    if not revision:
        raise UsageError(
            "ARGOCD_APP_REVISION is not set: the revision to judge is unknown",
            hint="run this as an Argo CD Config Management Plugin, or set it by hand",
        )
    return ArgocdSettings(
        revision=revision,
        environment=_environment(environ, options),
        app_name=environ.get("ARGOCD_APP_NAME") or None,
        app_namespace=environ.get("ARGOCD_APP_NAMESPACE") or None,
        repository_url=environ.get("ARGOCD_APP_SOURCE_REPO_URL") or None,
        branch=options.get("GITWARDEN_BRANCH") or None,
        fail_on=_fail_on(options.get("GITWARDEN_FAIL_ON")),
        timeout_seconds=_timeout(options.get("GITWARDEN_TIMEOUT")),
        helm_values=_helm_values(options.get("GITWARDEN_HELM_VALUES")),
    )


def _application_options(environ: Mapping[str, str]) -> dict[str, str]:
    """``ARGOCD_ENV_GITWARDEN_*`` by name; a misspelt one is refused, not ignored."""
    options: dict[str, str] = {}
    for variable, value in environ.items():
        if not variable.startswith(OPTION_PREFIX):
            continue
        name = variable.removeprefix(APP_PREFIX)
        if name not in APP_OPTIONS:
            close = difflib.get_close_matches(name, APP_OPTIONS, n=1)
            hint = f"did you mean {APP_PREFIX}{close[0]}?" if close else None
            known = ", ".join(APP_OPTIONS)
            raise UsageError(f"{variable}: not a gitwarden option (known: {known})", hint=hint)
        options[name] = value.strip()
    return options


def _environment(environ: Mapping[str, str], options: Mapping[str, str]) -> str:
    pinned = environ.get("GITWARDEN_ENV", "").strip()
    chosen = options.get("GITWARDEN_ENV", "")
    if pinned and chosen and chosen != pinned:
        raise UsageError(
            f"the application asks for environment {chosen!r}, this plugin gates {pinned!r}",
            hint=f"remove {OPTION_PREFIX}ENV from the Application, or use the plugin for it",
        )
    environment = pinned or chosen
    if not environment:
        raise UsageError(
            "no environment to gate for",
            hint=f"set {OPTION_PREFIX}ENV in the Application's spec.source.plugin.env "
            "(name GITWARDEN_ENV), or GITWARDEN_ENV in the sidecar",
        )
    return environment


def _fail_on(text: str | None) -> Severity | None:
    if not text:
        return None
    try:
        return Severity.parse(text)
    except ValueError as error:
        raise UsageError(f"{OPTION_PREFIX}FAIL_ON: {error}") from None


def _timeout(text: str | None) -> float | None:
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds <= MAX_TIMEOUT_SECONDS:
        raise UsageError(
            f"{OPTION_PREFIX}TIMEOUT: expected seconds in (0, {MAX_TIMEOUT_SECONDS:.0f}], "
            f"got {text!r}"
        )
    return seconds


def _helm_values(text: str | None) -> str | None:
    """A values file inside the application's folder: never a path out of it."""
    if not text:
        return None
    path = Path(text)
    if path.is_absolute() or ".." in path.parts:
        raise UsageError(
            f"{OPTION_PREFIX}HELM_VALUES: {text!r} must name a file in the application's folder"
        )
    return path.as_posix()
