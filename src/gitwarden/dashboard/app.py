"""The dashboard's web application: GET pages rendered on the server from one `TrailIndex`.

Only GET (and HEAD) routes exist, and the store is opened read-only (``create=False``):
the dashboard never writes. Pages are autoescaped Jinja2 templates with inline SVG charts,
under a Content Security Policy that allows no script and no request elsewhere.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from gitwarden.attestation.signing_keys import VerifyingKey
from gitwarden.audit.deployment_trace import trace
from gitwarden.audit.store import AuditStore
from gitwarden.audit.stores import open_store
from gitwarden.dashboard.access import TOKEN_COOKIE, AccessPolicy
from gitwarden.dashboard.saved_reports import SavedReports
from gitwarden.dashboard.trail_index import TrailIndex, TrailSummary
from gitwarden.errors import GitwardenError
from gitwarden.report.escaping import printable
from gitwarden.report.html import asset_text, template_environment
from gitwarden.report.html_charts import bar_chart, line_chart

# Pages kept rendered per summary: the overview, and the timeline of each environment asked for.
MAX_CACHED_PAGES = 64
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)


@dataclass(frozen=True)
class DashboardSettings:
    """What one dashboard serves: a store URL, an optional reports folder, who may read."""

    audit_url: str
    reports: Path | None = None
    access: AccessPolicy = field(default_factory=AccessPolicy)
    keys: tuple[VerifyingKey, ...] = ()
    refresh_seconds: float = 10.0
    background_refresh: bool = True


class _AccessMiddleware(BaseHTTPMiddleware):
    def __init__(self, app: Any, access: AccessPolicy) -> None:
        super().__init__(app)
        self._access = access

    async def dispatch(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if not self._access.admits(request):
            return PlainTextResponse("forbidden: a valid token is required\n", status_code=403)
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        given = request.query_params.get("token")
        if self._access.public and given and self._access.token_matches(given):
            response.set_cookie(TOKEN_COOKIE, given, httponly=True, samesite="strict")
        return response


class Dashboard:
    """The pages of one dashboard; all state is in this object."""

    def __init__(self, settings: DashboardSettings) -> None:
        self.settings = settings
        self.index = TrailIndex(
            self._open,
            settings.keys,
            settings.refresh_seconds,
            background=settings.background_refresh,
        )
        self.saved = SavedReports(settings.reports, settings.refresh_seconds)
        self._templates = template_environment(("gitwarden.dashboard", "templates"))
        self._css = asset_text("report.css")
        self._cache_lock = threading.Lock()
        self._cache_summary: TrailSummary | None = None
        self._cache: dict[tuple[str, ...], bytes | memoryview] = {}

    def _open(self) -> AuditStore:
        return open_store(self.settings.audit_url, create=False)

    def _page(self, name: str, summary: TrailSummary, **values: Any) -> HTMLResponse:
        html = self._templates.get_template(name).render(
            css=self._css, chain=summary.chain, head_seq=summary.head_seq, **values
        )
        return HTMLResponse(html)

    def _cached(
        self, key: tuple[str, ...], summary: TrailSummary, render: Callable[[], HTMLResponse]
    ) -> Response:
        """A page that depends only on the summary (and ``key``) is rendered once per summary."""
        with self._cache_lock:
            if self._cache_summary is not summary:
                self._cache_summary, self._cache = summary, {}
            cached = self._cache.get(key)
        if cached is None:
            cached = render().body
            with self._cache_lock:
                if self._cache_summary is summary and len(self._cache) < MAX_CACHED_PAGES:
                    self._cache[key] = cached
        return HTMLResponse(cached)

    def overview(self, request: Request) -> Response:
        summary = self.index.summary()
        return self._cached(("overview",), summary, lambda: self._overview(summary))

    def _overview(self, summary: TrailSummary) -> HTMLResponse:
        series = list(summary.family_series.items())
        return self._page(
            "overview.html.j2",
            summary,
            latest=summary.latest,
            trend=line_chart("Open findings per family", summary.days, series),
            decisions=bar_chart(
                "Latest decisions",
                [
                    (outcome, sum(1 for row in summary.latest if row.decision == outcome))
                    for outcome in ("allow", "deny")
                ],
                ["bar-allow", "bar-deny"],
            ),
        )

    def timeline(self, request: Request) -> Response:
        summary = self.index.summary()
        environment = request.query_params.get("environment") or None
        rows = [r for r in summary.timeline if environment is None or r.environment == environment]
        return self._cached(
            ("timeline", environment or ""),
            summary,
            lambda: self._page("timeline.html.j2", summary, rows=rows, environment=environment),
        )

    def trace_page(self, request: Request) -> Response:
        summary = self.index.summary()
        query = request.query_params.get("q", "").strip()
        environment = request.query_params.get("environment") or None
        found = None
        error = None
        if query:
            try:
                found = trace(
                    summary.trace_candidates(query),
                    query,
                    environment=environment,
                    chain_intact=summary.chain.intact,
                )
            except GitwardenError as problem:
                error = printable(str(problem))
        return self._page(
            "trace.html.j2", summary, query=query, trace=found, error=error, environment=environment
        )

    def fleet(self, request: Request) -> Response:
        summary = self.index.summary()
        saved = self.saved.current()
        rank = {"critical": 4, "high": 3, "medium": 2, "low": 1, "info": 0}
        worst = sorted(
            summary.worst + saved.findings,
            key=lambda f: (-rank.get(f.severity, -1), f.repository, f.file, f.line),
        )[:200]
        return self._page("fleet.html.j2", summary, worst=worst, saved=saved)

    def application(self) -> Starlette:
        routes = [
            Route("/", self.overview, methods=["GET"]),
            Route("/timeline", self.timeline, methods=["GET"]),
            Route("/trace", self.trace_page, methods=["GET"]),
            Route("/fleet", self.fleet, methods=["GET"]),
        ]
        middleware = [Middleware(_AccessMiddleware, access=self.settings.access)]
        return Starlette(routes=routes, middleware=middleware)


def dashboard_app(settings: DashboardSettings) -> Starlette:
    """The ASGI application for ``settings`` (run it with any ASGI server)."""
    return Dashboard(settings).application()
