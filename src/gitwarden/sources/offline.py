"""Keeping a renderer we run off the network.

Two layers: a new network namespace (``unshare --net``) where the system allows one, in
which no host is reachable, loopback included, since its loopback interface is down; and, in
any case, every proxy variable pointing at a closed port. Go's HTTP client bypasses proxies
for loopback addresses, so without a namespace only the refusal of remote references before
rendering keeps a renderer from fetching from 127.0.0.1.
"""

from __future__ import annotations

import os
import shutil
import subprocess

# Nothing listens on the discard port of the loopback address: connections fail at once.
CLOSED_PROXY = "http://127.0.0.1:9"
_PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY")
_PROBE_TIMEOUT_SECONDS = 10


def offline_proxy_env() -> dict[str, str]:
    """Proxy variables that send every HTTP(S) request to a closed port, with no bypass."""
    env = dict.fromkeys(_PROXY_VARIABLES, CLOSED_PROXY)
    env["NO_PROXY"] = ""
    return env


def network_isolation() -> tuple[str, ...]:
    """A command prefix that runs a program in a new, empty network namespace; empty when
    this system allows none (no ``unshare``, or neither root nor user namespaces).

    The prefix is probed by running ``true`` through it, so a prefix returned here works.
    ``unshare`` execs the program itself (no ``--fork``): killing it kills the renderer.
    """
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    candidates: list[tuple[str, ...]] = [(unshare, "--net", "--")] if os.geteuid() == 0 else []
    # Unprivileged: a user namespace in which we are root may create a network namespace.
    candidates.append((unshare, "--user", "--map-root-user", "--net", "--"))
    for prefix in candidates:
        if _runs(prefix):
            return prefix
    return ()


def _runs(prefix: tuple[str, ...]) -> bool:
    true = shutil.which("true") or "/bin/true"
    try:
        completed = subprocess.run(
            [*prefix, true],
            capture_output=True,
            timeout=_PROBE_TIMEOUT_SECONDS,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return completed.returncode == 0
