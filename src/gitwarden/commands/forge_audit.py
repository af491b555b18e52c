"""`gitwarden.forge_audit(target, config, options) -> Report`: what the forge enforces.

Reads the project's settings from GitHub or GitLab (or from saved responses), judges them
against the bar for the branches that deploy, and builds the report as every command does.
The trust policy is read here, above the scanners, and handed to the forge checks as data.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from gitwarden.commands.forge_trust import forge_trust, signing_branches
from gitwarden.commands.report_assembly import assemble_report, config_for
from gitwarden.config import Config
from gitwarden.errors import UsageError
from gitwarden.findings import Severity
from gitwarden.forge.audit import FORGE_RULES, audit_posture
from gitwarden.forge.audit_context import (
    DEFAULT_REQUIRED_CHECK,
    AuditBar,
    AuditContext,
)
from gitwarden.forge.counted_transport import CountedTransport
from gitwarden.forge.interface import AuditScope, ForgeKind
from gitwarden.forge.project_names import infer_project
from gitwarden.forge.registry import FORGES
from gitwarden.forge.saved_responses import RecordingTransport, SavedResponses
from gitwarden.forge.transport import (
    DEFAULT_MAX_WAIT_SECONDS,
    DEFAULT_TIMEOUT_SECONDS,
    HttpTransport,
    Transport,
)
from gitwarden.progress import SILENT, Progress, stage
from gitwarden.report.model import Report
from gitwarden.sources.git_repository import GitRepository


@dataclass(frozen=True)
class ForgeAuditOptions:
    """Which forge and project, where answers come from, and the bar to meet.

    ``forge`` and ``project`` default to the ``origin`` remote's host and path. ``token`` and
    ``api_url`` default to ``GITHUB_TOKEN``/``GITHUB_API_URL`` or
    ``GITLAB_TOKEN``/``CI_API_V4_URL`` in ``environment`` (default: the process's).
    ``branches`` are the branches that deploy to production, besides those the trust
    policy's rules name; the default branch is always audited. ``ci_accounts`` may have
    read-only access without a finding.
    """

    forge: str | None = None
    project: str | None = None
    branches: tuple[str, ...] = ()
    forge_data: Path | None = None
    save_forge_data: Path | None = None
    token: str | None = None
    api_url: str | None = None
    environment: Mapping[str, str] | None = None
    fail_on: Severity | None = None
    now: datetime | None = None
    min_approvals: int = 1
    required_check: str = DEFAULT_REQUIRED_CHECK
    max_key_age_days: int | None = None
    ci_accounts: tuple[str, ...] = ()
    inactive_days: int = 90
    progress: Progress = SILENT
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    max_wait_seconds: float = DEFAULT_MAX_WAIT_SECONDS


def forge_audit(
    target: str | Path,
    config: Config | None = None,
    options: ForgeAuditOptions | None = None,
) -> Report:
    """Audit the forge settings of the repository at ``target`` (its clone on disk)."""
    root = Path(target)
    if not root.is_dir():
        raise UsageError(f"{target}: no such folder")
    options = options or ForgeAuditOptions()
    config = config_for(root, config)
    kind, project = _forge_and_project(root, options)
    trust = forge_trust(root)
    scope = AuditScope(
        project=project,
        production_branches=tuple(dict.fromkeys((*options.branches, *signing_branches(trust)))),
        key_users=tuple(principal.login for principal in trust.principals),
    )
    transport, closing = _transport(kind, options)
    try:
        with stage(options.progress, f"reading {kind.name} settings of {project}") as step:
            posture = kind.client(CountedTransport(transport, step)).posture(scope)
    finally:
        if closing is not None:
            closing.close()
    now = options.now or datetime.now(UTC)
    bar = AuditBar(
        min_approvals=options.min_approvals,
        required_check=options.required_check,
        inactive_days=options.inactive_days,
        ci_accounts=frozenset(name.lower() for name in options.ci_accounts),
        **({"max_key_age_days": options.max_key_age_days} if options.max_key_age_days else {}),
    )
    findings = audit_posture(AuditContext(posture, now, bar, trust))
    return assemble_report(
        "forge audit",
        f"{kind.name}:{project}",
        findings,
        config=config,
        rules=FORGE_RULES,
        fail_on=options.fail_on,
        today=now.date(),
    )


def _forge_and_project(root: Path, options: ForgeAuditOptions) -> tuple[ForgeKind, str]:
    if options.forge is not None and options.forge not in FORGES:
        raise UsageError(
            f"--forge {options.forge}: unknown forge", hint="one of: " + ", ".join(FORGES)
        )
    if options.project is not None and options.forge is not None:
        return FORGES[options.forge], options.project.strip("/")
    host, path = infer_project(GitRepository(root))
    name = options.forge or _forge_of_host(host, _environment(options))
    if name is None:
        raise UsageError(
            f"origin remote host {host} is not a known forge",
            hint="pass --forge github|gitlab (and GITHUB_API_URL / CI_API_V4_URL for a "
            "self-hosted forge)",
        )
    return FORGES[name], (options.project or path).strip("/")


def _forge_of_host(host: str, environment: Mapping[str, str]) -> str | None:
    """The forge at ``host``: a public one, or the one whose API variable names that host
    (``CI_API_V4_URL`` in a self-hosted GitLab's CI)."""
    for name, kind in FORGES.items():
        api_host = urlsplit(environment.get(kind.url_variable, "")).hostname
        if host in kind.hosts or api_host == host:
            return name
    return None


def _environment(options: ForgeAuditOptions) -> Mapping[str, str]:
    return os.environ if options.environment is None else options.environment


def _transport(
    kind: ForgeKind, options: ForgeAuditOptions
) -> tuple[Transport, HttpTransport | None]:
    """The transport to use, and the HTTP client to close afterwards (if one was opened)."""
    if options.forge_data is not None:
        return SavedResponses(options.forge_data), None
    environment = _environment(options)
    token = options.token or environment.get(kind.token_variable) or None
    url = options.api_url or environment.get(kind.url_variable) or kind.default_url
    http = HttpTransport(
        url,
        kind.auth_headers(token),
        timeout=options.timeout_seconds,
        max_wait=options.max_wait_seconds,
    )
    if options.save_forge_data is not None:
        return RecordingTransport(http, options.save_forge_data), http
    return http, http
