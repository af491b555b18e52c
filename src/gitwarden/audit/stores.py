"""Open the audit store a URL names: ``sqlite:///PATH`` or ``postgresql://...``."""

from __future__ import annotations

from pathlib import Path

from gitwarden.audit.store import AuditStore
from gitwarden.errors import UsageError

SQLITE_PREFIX = "sqlite:///"


def open_store(url: str, *, create: bool) -> AuditStore:
    """The store at ``url``; ``create=False`` for readers, who must not conjure an empty one."""
    # Imported per back end: a SQLite user never loads the PostgreSQL driver.
    if url.startswith(SQLITE_PREFIX):
        from gitwarden.audit.sqlite_store import SqliteAuditStore

        return SqliteAuditStore.open(Path(url.removeprefix(SQLITE_PREFIX)), create=create)
    from gitwarden.audit.postgres_store import URL_PREFIXES, PostgresAuditStore

    if url.startswith(URL_PREFIXES):
        return PostgresAuditStore(url)
    raise UsageError(
        f"audit store URL {url!r} is not supported",
        hint="use sqlite:///PATH or postgresql://USER@HOST:PORT/DATABASE",
    )
