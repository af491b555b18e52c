"""Environment that keeps a renderer we run off the network: every proxy is a closed port."""

from __future__ import annotations

# Nothing listens on the discard port of the loopback address: connections fail at once.
CLOSED_PROXY = "http://127.0.0.1:9"
_PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY")


def offline_proxy_env() -> dict[str, str]:
    """Proxy variables that send every HTTP(S) request to a closed port, with no bypass."""
    env = dict.fromkeys(_PROXY_VARIABLES, CLOSED_PROXY)
    env["NO_PROXY"] = ""
    return env
