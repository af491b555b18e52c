from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator

import pytest

from gitwarden.sources.offline import CLOSED_PROXY, network_isolation, offline_proxy_env

CONNECT = (
    "import socket, sys\n"
    "try:\n"
    "    socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=5).close()\n"
    "except OSError:\n"
    "    sys.exit(7)\n"
)


def test_every_proxy_variable_points_at_the_closed_port_without_bypass() -> None:
    env = offline_proxy_env()
    assert {env[name] for name in ("HTTP_PROXY", "https_proxy", "ALL_PROXY")} == {CLOSED_PROXY}
    assert env["NO_PROXY"] == ""


@pytest.fixture
def listening_port() -> Iterator[int]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def test_without_isolation_loopback_is_reachable(listening_port: int) -> None:
    # The control for the test below: the probe program does connect when not isolated.
    completed = subprocess.run([sys.executable, "-c", CONNECT, str(listening_port)], check=False)
    assert completed.returncode == 0


@pytest.mark.skipif(not network_isolation(), reason="no network namespace on this system")
def test_isolated_program_cannot_reach_loopback(listening_port: int) -> None:
    prefix = network_isolation()
    completed = subprocess.run(
        [*prefix, sys.executable, "-c", CONNECT, str(listening_port)], check=False
    )
    assert completed.returncode == 7


def test_isolation_prefix_ends_with_the_option_terminator() -> None:
    prefix = network_isolation()
    assert prefix == () or (prefix[-1] == "--" and "--net" in prefix)
