"""Reading one endpoint the way the posture needs it: a refusal is recorded, not swallowed.

401/403/404 on an endpoint that needs a scope becomes an `Unreadable` naming that scope (the
one GitHub's ``X-Accepted-OAuth-Scopes`` asks for when it says, else the documented one), so
the checks report it instead of passing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from gitwarden.forge.errors import ForgeError
from gitwarden.forge.posture import ForgeKey, Unreadable
from gitwarden.forge.ssh_fingerprints import ssh_fingerprint
from gitwarden.forge.transport import ForgeResponse, Request, Transport, fetch_all

_REFUSALS = {401, 403, 404}


@dataclass(frozen=True)
class Answer:
    """An endpoint's value; ``readable`` False when refused, ``absent`` when the API says the
    thing does not exist (such as GitHub's 404 "Branch not protected")."""

    value: Any
    readable: bool = True
    absent: bool = False


class ApiReader:
    """Reads endpoints through ``transport`` and collects what could not be read."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self.unreadable: list[Unreadable] = []

    def read(
        self,
        request: Request,
        *,
        what: str,
        scope: str,
        paged: bool = False,
        absent: Callable[[ForgeResponse], bool] = lambda response: False,
    ) -> Answer:
        response = fetch_all(self.transport, request) if paged else self.transport.get(request)
        if response.ok:
            return Answer(response.body)
        if absent(response):
            return Answer(None, absent=True)
        if response.status in _REFUSALS:
            accepted = response.headers.get("x-accepted-oauth-scopes", "").strip()
            self.unreadable.append(
                Unreadable(what, request.key, accepted or scope, response.status)
            )
            return Answer(None, readable=False)
        raise ForgeError(
            f"{request.key}: the API answered {response.status} {response.message()}".rstrip()
        )

    def note_unreadable(self, what: str, endpoint: str, scope: str, status: int = 200) -> None:
        """A field the API left out of a readable answer (visible only to owners)."""
        self.unreadable.append(Unreadable(what, endpoint, scope, status))


@dataclass(frozen=True)
class ProjectEndpoint:
    """Where a forge keeps a project (repository) and what to say when it cannot be read."""

    forge: str
    noun: str
    scope: str
    hint: str
    path: Callable[[str], str]


class ForgeReading:
    """What every forge client starts with: its transport, and the project read first."""

    project_endpoint: ClassVar[ProjectEndpoint]

    def __init__(self, transport: Transport) -> None:
        self.transport = transport

    def open_project(self, project: str) -> OpenedProject:
        """A fresh reader, the project's API path and the project itself. Without the
        project nothing else can be judged, so a refusal is an error, not an unreadable fact."""
        endpoint = self.project_endpoint
        reader = ApiReader(self.transport)
        base = endpoint.path(project)
        answer = reader.read(Request(base), what=f"the {endpoint.noun}", scope=endpoint.scope)
        if not answer.readable or not isinstance(answer.value, dict):
            raise ForgeError(
                f"{endpoint.forge}: {endpoint.noun} {project} not found, or the token cannot "
                "see it",
                hint=endpoint.hint,
            )
        return OpenedProject(reader, base, answer.value)


@dataclass(frozen=True)
class OpenedProject:
    reader: ApiReader
    base: str
    settings: dict[str, Any]

    @property
    def default_branch(self) -> str:
        return str(self.settings.get("default_branch") or "main")


def read_deploy_keys(
    reader: ApiReader, path: str, *, scope: str, can_write: Callable[[dict[str, Any]], bool]
) -> tuple[ForgeKey, ...]:
    """A project's deploy keys, as both forges list them (GitLab adds a SHA-256 fingerprint
    and an expiry; GitHub's fingerprint is computed from the key)."""
    keys = reader.read(
        Request(path, (("per_page", "100"),)), what="deploy keys", scope=scope, paged=True
    )
    return tuple(
        ForgeKey(
            owner="deploy key",
            kind="deploy",
            title=str(key.get("title") or key.get("id")),
            fingerprint=key.get("fingerprint_sha256") or ssh_fingerprint(str(key.get("key", ""))),
            created=api_time(key.get("created_at")),
            expires=api_time(key.get("expires_at")),
            can_write=can_write(key),
        )
        for key in as_list(keys)
    )


def as_list(answer: Answer) -> list[dict[str, Any]]:
    value = answer.value if answer.readable else None
    return [item for item in value or () if isinstance(item, dict)]


def as_mapping(answer: Answer) -> dict[str, Any]:
    return answer.value if isinstance(answer.value, dict) else {}


def api_time(value: object) -> datetime | None:
    """An ISO 8601 time as both forges write them (``2026-01-10T08:00:00Z``); None if not one."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
