"""What a cluster holds now, read from its API or from dumps: objects, and what was not read.

Both live sources (`kubernetes_api`, `live_dumps`) return a `LiveState`, so the drift scanner
never knows where the objects came from. What could not be read is part of the state
(`unread`), never left out: the scanner reports it instead of calling it clean.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gitwarden.errors import GitwardenError


class LiveStateError(GitwardenError):
    """The live state could not be read at all (unreachable API, unreadable dump)."""


@dataclass(frozen=True)
class LiveObject:
    """One object as the API server returned it; ``source`` says where it was read."""

    body: Mapping[str, Any]
    source: str

    @property
    def kind(self) -> str:
        return str(self.body.get("kind", ""))

    @property
    def api_group(self) -> str:
        api_version = str(self.body.get("apiVersion", ""))
        return api_version.rpartition("/")[0] if "/" in api_version else ""

    @property
    def metadata(self) -> Mapping[str, Any]:
        value = self.body.get("metadata")
        return value if isinstance(value, Mapping) else {}

    @property
    def name(self) -> str:
        return str(self.metadata.get("name", ""))

    @property
    def namespace(self) -> str | None:
        value = self.metadata.get("namespace")
        return str(value) if value else None


@dataclass(frozen=True)
class UnreadKind:
    """A kind the live source could not list: the API refused it, or a dump does not hold it.

    ``verb`` and ``resource`` name the RBAC permission that is missing (``list secrets``).
    """

    group: str
    kind: str
    namespace: str | None
    reason: str
    verb: str = "list"
    resource: str = ""


@dataclass(frozen=True)
class LiveState:
    """Every object read, the (group, kind) pairs whose lists are complete, and what was not read.

    ``listed`` is ``None`` for sources that cannot say which kinds are complete (dumps): the
    scanner then treats a kind as listed when at least one object of it was read.
    """

    objects: tuple[LiveObject, ...]
    listed: frozenset[tuple[str, str]] | None
    unread: tuple[UnreadKind, ...] = ()
    # Where the state came from, for the report's target (a file, a folder, a context).
    origin: str = ""
