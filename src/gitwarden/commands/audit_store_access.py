"""Open the audit store a command names, once per command run, and close it after.

Every command that reads or writes the trail (the ``audit`` commands, ``gate``, ``fleet scan``)
resolves the store the same way: its ``--audit URL``, else ``GITWARDEN_AUDIT_URL`` from the
environment it was given, else the default SQLite file (`gitwarden.audit.store_location`).
A command opens it once and passes the open store on: each open of a store costs a
connection and a schema check, and one run must see one store.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from gitwarden.audit.store import AuditStore
from gitwarden.audit.store_location import audit_url
from gitwarden.audit.stores import open_store


def environment_or_process(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    """The environment a command was given, else the process's."""
    return os.environ if environ is None else environ


@contextmanager
def opened_store(
    target: str | None, environ: Mapping[str, str] | None, *, create: bool
) -> Iterator[AuditStore]:
    """The store ``target`` (or the environment) names, closed when the block ends.

    ``create=False`` for readers: they must not conjure an empty store where none was written.
    """
    store = open_store(audit_url(target, environment_or_process(environ)), create=create)
    try:
        yield store
    finally:
        store.close()
