"""A throw-away PostgreSQL cluster for tests and benchmarks: initdb + pg_ctl on a free port.

PostgreSQL refuses to run as root, so as root the cluster runs as the ``gitwarden-test``
system user (created if absent; ``nobody`` if that fails) through ``runuser``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy

TEST_USER = "gitwarden-test"
DEBIAN_BIN_DIRS = "/usr/lib/postgresql"


def find_postgres_bin() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``: on PATH, else Debian's versioned folder."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).resolve().parent
    for initdb in sorted(Path(DEBIAN_BIN_DIRS).glob("*/bin/initdb"), reverse=True):
        if (initdb.parent / "pg_ctl").exists():
            return initdb.parent
    return None


def _server_user() -> str | None:
    if os.geteuid() != 0:
        return None
    exists = subprocess.run(["id", "-u", TEST_USER], capture_output=True, check=False)
    if exists.returncode == 0:
        return TEST_USER
    created = subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", TEST_USER],
        capture_output=True,
        check=False,
    )
    return TEST_USER if created.returncode == 0 else "nobody"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class PostgresCluster:
    base: Path
    bin_dir: Path
    port: int
    user: str | None

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database; its URL."""
        name = f"audit_{uuid.uuid4().hex[:12]}"
        engine = sqlalchemy.create_engine(
            "postgresql+psycopg://" + self.url().split("://", 1)[1], isolation_level="AUTOCOMMIT"
        )
        try:
            with engine.connect() as connection:
                connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        finally:
            engine.dispose()
        return self.url(name)

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.user is not None:
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.base / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.base, ignore_errors=True)


def start_cluster(bin_dir: Path, *, fsync: bool = True) -> PostgresCluster:
    """initdb and start a cluster listening on 127.0.0.1 only; raise with its log if it fails."""
    user = _server_user()
    # Not under pytest's tmp_path: that folder is private to root, the server user cannot enter.
    base = Path(tempfile.mkdtemp(prefix="gitwarden-pg-"))
    base.chmod(0o755)
    if user is not None:
        shutil.chown(base, user)
    cluster = PostgresCluster(base, bin_dir, _free_port(), user)
    data = str(base / "data")
    steps = [
        ("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"),
        (
            "pg_ctl",
            "-D",
            data,
            "-l",
            str(base / "server.log"),
            "-w",
            "-t",
            "60",
            "-o",
            f"-p {cluster.port} -h 127.0.0.1 -k {base} -c fsync={'on' if fsync else 'off'} "
            "-c max_connections=100",
            "start",
        ),
    ]
    for step in steps:
        done = cluster._run(*step)
        if done.returncode != 0:
            log = base / "server.log"
            details = log.read_text() if log.exists() else ""
            cluster.stop()
            raise RuntimeError(f"{step[0]} failed: {done.stdout}{done.stderr}{details}")
    return cluster
