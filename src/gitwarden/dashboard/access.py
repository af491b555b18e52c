"""Who may read the dashboard: anyone on this machine by default, a token holder when public.

Bound to loopback, the Host header is still checked (a web page elsewhere could otherwise
reach the dashboard by DNS rebinding). Bound elsewhere, every request needs the token: as
``Authorization: Bearer T``, or once as ``?token=T``, which sets a same-site cookie.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from starlette.requests import Request

from gitwarden.errors import UsageError

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
TOKEN_COOKIE = "gitwarden_dashboard_token"
MIN_TOKEN_CHARS = 16


@dataclass(frozen=True)
class AccessPolicy:
    host: str = "127.0.0.1"
    public: bool = False
    token: str | None = None

    def __post_init__(self) -> None:
        if self.host not in LOOPBACK_HOSTS and not self.public:
            raise UsageError(
                f"--host {self.host}: serving beyond this machine needs --public and --token",
            )
        if self.public and (self.token is None or len(self.token) < MIN_TOKEN_CHARS):
            raise UsageError(
                f"--public needs --token of at least {MIN_TOKEN_CHARS} characters",
                hint="generate one: python3 -c 'import secrets; print(secrets.token_urlsafe())'",
            )

    def admits(self, request: Request) -> bool:
        if not self.public:
            host = (request.headers.get("host") or "").rsplit(":", 1)[0].strip("[]")
            return host in LOOPBACK_HOSTS
        return any(self.token_matches(given) for given in _offered_tokens(request))

    def token_matches(self, given: str) -> bool:
        return self.token is not None and hmac.compare_digest(given.encode(), self.token.encode())


def _offered_tokens(request: Request) -> list[str]:
    offered = []
    authorization = request.headers.get("authorization", "")
    if authorization.startswith("Bearer "):
        offered.append(authorization.removeprefix("Bearer ").strip())
    for given in (request.cookies.get(TOKEN_COOKIE), request.query_params.get("token")):
        if given:
            offered.append(given)
    return offered
