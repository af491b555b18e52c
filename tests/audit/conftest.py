from __future__ import annotations

import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from audit_fixtures import KeyPair, ssh_key_pair
from postgres_cluster import PostgresCluster, find_postgres_bin, start_cluster


@pytest.fixture(autouse=True)
def private_state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The default audit store of each test is its own; no ambient store URL leaks in."""
    state = tmp_path / "gitwarden-state"
    monkeypatch.setenv("GITWARDEN_STATE_DIR", str(state))
    monkeypatch.delenv("GITWARDEN_AUDIT_URL", raising=False)
    return state


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    """One throw-away PostgreSQL cluster for the session; skipped, visibly, without binaries."""
    bin_dir = find_postgres_bin()
    if bin_dir is None:
        pytest.skip(
            "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or in "
            "/usr/lib/postgresql/*/bin: PostgreSQL audit store tests skipped "
            "(install Debian's postgresql package; .ci/run does)"
        )
    cluster = start_cluster(bin_dir)
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty store URL of each back end."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'audit.db'}"
    cluster: PostgresCluster = request.getfixturevalue("postgres")
    return cluster.new_database()


@pytest.fixture
def writer(tmp_path: Path) -> KeyPair:
    return ssh_key_pair(tmp_path / "keys", "gate")


@pytest.fixture
def forger(tmp_path: Path) -> KeyPair:
    return ssh_key_pair(tmp_path / "keys", "forger")


@pytest.fixture
def syslog_socket() -> Iterator[tuple[socket.socket, str]]:
    """A Unix datagram socket standing in for /dev/log (a short path: the limit is 108)."""
    folder = Path(tempfile.mkdtemp(prefix="gw-log-"))
    path = str(folder / "log")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(path)
    server.settimeout(5)
    yield server, path
    server.close()
    shutil.rmtree(folder)
