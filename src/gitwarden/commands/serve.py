"""`gitwarden serve`: run the read-only dashboard over an audit store (and saved reports).

`dashboard_settings` checks the options (a non-loopback host needs ``public`` and a token)
without starting anything; `serve` runs the app under uvicorn until interrupted.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from gitwarden.attestation.signing_keys import VerifyingKey
from gitwarden.audit.store_location import audit_url
from gitwarden.config import Config
from gitwarden.dashboard.access import AccessPolicy
from gitwarden.dashboard.app import Dashboard, DashboardSettings
from gitwarden.errors import UsageError

DEFAULT_PORT = 8780


@dataclass(frozen=True)
class ServeOptions:
    """``reports``: a folder of JSON reports; ``public`` + ``token`` to bind beyond loopback."""

    reports: Path | None = None
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    public: bool = False
    token: str | None = None
    keys: tuple[VerifyingKey, ...] = ()
    refresh_seconds: float = 10.0
    environ: Mapping[str, str] | None = None


@dataclass(frozen=True)
class ServeSession:
    """Where the dashboard ran, once it has stopped."""

    url: str
    audit_url: str


def dashboard_settings(target: str | None, options: ServeOptions) -> DashboardSettings:
    """The dashboard for store URL ``target`` (None: ``GITWARDEN_AUDIT_URL`` or the default)."""
    if options.reports is not None and not options.reports.is_dir():
        raise UsageError(f"--reports {options.reports}: no such folder")
    if not 0 < options.port < 65536:
        raise UsageError(f"--port {options.port}: choose 1 to 65535")
    environ = os.environ if options.environ is None else options.environ
    return DashboardSettings(
        audit_url=audit_url(target, environ),
        reports=options.reports,
        access=AccessPolicy(options.host, options.public, options.token),
        keys=options.keys,
        refresh_seconds=options.refresh_seconds,
    )


def serve(
    target: str | None = None, config: Config | None = None, options: ServeOptions | None = None
) -> ServeSession:
    """Serve the dashboard until interrupted; nothing is written to the store."""
    del config  # the dashboard reads recorded decisions; no .gitwarden.yaml applies to them
    import uvicorn  # only the serving command needs the server

    options = options or ServeOptions()
    settings = dashboard_settings(target, options)
    dashboard = Dashboard(settings)
    # Read the store once before listening: a wrong URL fails here, not on the first page,
    # and the first page does not pay for reading the whole trail.
    dashboard.index.summary()
    uvicorn.run(dashboard.application(), host=options.host, port=options.port, log_level="warning")
    return ServeSession(f"http://{options.host}:{options.port}/", settings.audit_url)
