"""Talking HTTP to a forge's REST API: one GET at a time, rate limits waited out up to a bound.

The transport knows nothing of GitHub or GitLab beyond their shared conventions: pagination
by a ``Link: <...>; rel="next"`` header (both) or ``X-Next-Page`` (GitLab), rate limits by
``Retry-After`` or a reset time (``X-RateLimit-Reset``, ``RateLimit-Reset``). Responses are
bounded in size, and a next-page link is only followed on the API's own host: a forged link
must not carry the token elsewhere.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx

from gitwarden.forge.errors import ForgeError, ForgeUnreachableError, RateLimitedError

MAX_RESPONSE_BYTES = 16 * 1024 * 1024
MAX_PAGES = 100
MAX_RATE_LIMIT_RETRIES = 10
DEFAULT_TIMEOUT_SECONDS = 30.0
DEFAULT_MAX_WAIT_SECONDS = 120.0
# Response headers worth keeping (and saving): pagination, scopes, rate limits. Nothing else,
# so a saved response never holds a cookie or anything echoing the request.
KEPT_HEADERS = (
    "link",
    "x-next-page",
    "x-total-pages",
    "x-accepted-oauth-scopes",
    "x-oauth-scopes",
    "x-accepted-github-permissions",
    "www-authenticate",
    "retry-after",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "ratelimit-remaining",
    "ratelimit-reset",
)
_NEXT_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')
_RETRIED_SERVER_ERRORS = {502, 503, 504}


def _no_query() -> tuple[tuple[str, str], ...]:
    return ()


@dataclass(frozen=True)
class Request:
    """One GET of ``path`` (relative to the API's base URL) with its query parameters."""

    path: str
    query: tuple[tuple[str, str], ...] = field(default_factory=_no_query)

    @property
    def key(self) -> str:
        """Method, path and sorted query: how a saved response is found again."""
        query = urlencode(sorted(self.query))
        return f"GET {self.path}" + (f"?{query}" if query else "")

    def with_query(self, name: str, value: str) -> Request:
        kept = tuple((k, v) for k, v in self.query if k != name)
        return replace(self, query=(*kept, (name, value)))


@dataclass(frozen=True)
class ForgeResponse:
    """What the API answered: status, parsed JSON body, kept headers, the next page if any."""

    status: int
    body: Any
    headers: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    next_page: Request | None = None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def message(self) -> str:
        """The API's own error text (``message`` on both forges), or empty."""
        if isinstance(self.body, Mapping):
            for key in ("message", "error"):
                if isinstance(self.body.get(key), str):
                    return str(self.body[key])
        return ""


class Transport(Protocol):
    """Anything that answers a `Request`: the HTTP transport or a folder of saved responses."""

    def get(self, request: Request) -> ForgeResponse: ...


class HttpTransport:
    """GETs against ``base_url`` with ``headers`` (the forge's authentication) over httpx.

    ``sleep`` and ``clock`` are passed in so tests can run a rate limit without waiting.
    """

    def __init__(
        self,
        base_url: str,
        headers: Mapping[str, str],
        *,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        max_wait: float = DEFAULT_MAX_WAIT_SECONDS,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._base = urlsplit(self.base_url)
        self._client = httpx.Client(
            headers=dict(headers), timeout=timeout, follow_redirects=False, trust_env=False
        )
        self._max_wait = max_wait
        self._sleep = sleep
        self._clock = clock
        self._waited = 0.0

    def close(self) -> None:
        self._client.close()

    def get(self, request: Request) -> ForgeResponse:
        server_errors = 0
        for _ in range(MAX_RATE_LIMIT_RETRIES):
            response = self._send(request)
            wait = self._rate_limit_wait(response)
            if wait is not None:
                self._wait_out(wait, request)
                continue
            if response.status in _RETRIED_SERVER_ERRORS and server_errors < 2:
                server_errors += 1
                self._sleep(1.0)
                continue
            if response.status >= 500:
                raise ForgeUnreachableError(
                    f"{self.base_url}: {request.key} answered {response.status}",
                    hint="the forge's API is failing; retry later",
                )
            return response
        raise RateLimitedError(
            f"{self.base_url}: still rate limited on {request.key} after "
            f"{MAX_RATE_LIMIT_RETRIES} tries",
            hint="retry later, or replay saved responses with --forge-data",
        )

    def _wait_out(self, wait: float, request: Request) -> None:
        if self._waited + wait > self._max_wait:
            raise RateLimitedError(
                f"{self.base_url}: rate limited on {request.key}; the limit resets in "
                f"{wait:.0f} s, more than the {self._max_wait:.0f} s the audit may wait",
                hint="retry after the reset, use a token with a higher limit, or replay "
                "saved responses with --forge-data",
            )
        self._waited += wait
        self._sleep(wait)

    def _send(self, request: Request) -> ForgeResponse:
        url = self.base_url + request.path
        try:
            with self._client.stream("GET", url, params=list(request.query)) as response:
                content = _bounded_content(response, url)
        except httpx.HTTPError as error:
            raise ForgeUnreachableError(
                f"{self.base_url}: cannot reach the API ({error.__class__.__name__}: {error})",
                hint="check the network and GITHUB_API_URL / CI_API_V4_URL, or replay saved "
                "responses with --forge-data",
            ) from None
        headers = {
            name: response.headers[name] for name in KEPT_HEADERS if name in response.headers
        }
        return ForgeResponse(
            status=response.status_code,
            body=_json_body(content, url),
            headers=MappingProxyType(headers),
            next_page=self._next_page(request, headers),
        )

    def _rate_limit_wait(self, response: ForgeResponse) -> float | None:
        """Seconds to wait before retrying a rate-limited response; None when not limited."""
        headers = response.headers
        remaining = headers.get("x-ratelimit-remaining", headers.get("ratelimit-remaining"))
        limited = response.status == 429 or (
            response.status == 403 and (remaining == "0" or "retry-after" in headers)
        )
        if not limited:
            return None
        retry_after = headers.get("retry-after", "")
        if retry_after.isdigit():
            return float(retry_after)
        reset = headers.get("x-ratelimit-reset", headers.get("ratelimit-reset", ""))
        if reset.isdigit():
            return max(0.0, float(reset) - self._clock()) + 1.0
        return 60.0

    def _next_page(self, request: Request, headers: Mapping[str, str]) -> Request | None:
        link = _NEXT_LINK.search(headers.get("link", ""))
        if link:
            return self._relative(link.group(1))
        next_page = headers.get("x-next-page", "").strip()
        if next_page.isdigit():
            return request.with_query("page", next_page)
        return None

    def _relative(self, url: str) -> Request:
        split = urlsplit(url)
        base_path = self._base.path.rstrip("/")
        if (split.scheme, split.netloc) != (self._base.scheme, self._base.netloc) or not (
            split.path.startswith(base_path + "/")
        ):
            raise ForgeError(
                f"{self.base_url}: the API's next-page link points elsewhere ({url})",
                hint="the token is only sent to the API's own host; check the base URL",
            )
        return Request(split.path[len(base_path) :], tuple(parse_qsl(split.query)))


def _bounded_content(response: httpx.Response, url: str) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise ForgeError(f"{url}: response larger than {MAX_RESPONSE_BYTES} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _json_body(content: bytes, url: str) -> Any:
    if not content.strip():
        return None
    try:
        return json.loads(content)
    except (ValueError, UnicodeDecodeError):
        raise ForgeError(
            f"{url}: the API did not answer JSON",
            hint="check that the base URL names the REST API (…/api/v4 for GitLab)",
        ) from None


def fetch_all(transport: Transport, request: Request) -> ForgeResponse:
    """Every page of a list endpoint as one response; the first failing page if one fails."""
    items: list[Any] = []
    page: Request | None = request
    first: ForgeResponse | None = None
    for _ in range(MAX_PAGES):
        if page is None:
            break
        response = transport.get(page)
        if not response.ok:
            return response
        first = first or response
        if not isinstance(response.body, list):
            kind = type(response.body).__name__
            raise ForgeError(f"{page.key}: expected a JSON list, got {kind}")
        items.extend(response.body)
        page = response.next_page
    else:
        if page is not None:
            raise ForgeError(f"{request.key}: more than {MAX_PAGES} pages; refusing to read on")
    assert first is not None
    return replace(first, body=items, next_page=None)
