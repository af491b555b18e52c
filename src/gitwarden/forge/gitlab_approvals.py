"""GitLab merge-request approvals the way reviewers read them: who, which commit, what note.

GitLab's approvals API says who approved (``approved_by``, with ``approved_at`` on current
versions) but neither what they saw nor what they said. Both are recovered from the merge
request itself:

- the commit: the merge request's diff versions (``/versions``) are its pushes; an approval
  is of the head of the latest version created at or before it, so an approval given before
  the latest push names an older commit and is stale under ``invalidate_on_push``;
- the time, when ``approved_by`` has none (older GitLab): the approver's latest system note
  "approved this merge request";
- the message: the approver's latest non-system note at or before the approval. An approval
  with none is a blind approval (an empty message), which the review policy does not count.

Whatever cannot be read is an error: approvals are never guessed from a partial answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from gitwarden.forge.api_reading import Answer, ApiReader, api_time, as_list, as_mapping
from gitwarden.forge.errors import ForgeError
from gitwarden.forge.interface import Approval
from gitwarden.forge.transport import Request

SCOPE = "read_api (Reporter role on the project)"
APPROVED_NOTE = "approved this merge request"
_PAGE = (("per_page", "100"),)


def merge_request_approvals(reader: ApiReader, project: str, change: int) -> tuple[Approval, ...]:
    path = f"/projects/{quote(project, safe='')}/merge_requests/{change}"
    name = f"{project}!{change}"
    merge_request = as_mapping(_read(reader, Request(path), f"merge request {name}"))
    approved = as_mapping(_read(reader, Request(f"{path}/approvals"), f"approvals of {name}"))
    versions = _read(reader, Request(f"{path}/versions", _PAGE), f"versions of {name}", paged=True)
    notes = _read(
        reader,
        Request(f"{path}/notes", (*_PAGE, ("order_by", "created_at"), ("sort", "asc"))),
        f"notes of {name}",
        paged=True,
    )
    pushes = _pushes(versions, str(merge_request.get("sha") or ""))
    by_author = _notes_by_author(notes)
    approvals = []
    for entry in approved.get("approved_by") or ():
        if not isinstance(entry, dict):
            continue
        user = str((entry.get("user") or {}).get("username") or "")
        if not user:
            continue
        written = by_author.get(user, [])
        at = api_time(entry.get("approved_at")) or _approval_note_time(written)
        approvals.append(
            Approval(
                user=user,
                submitted=at,
                commit=_commit_seen(pushes, at),
                body=_message_before(written, at),
            )
        )
    return tuple(approvals)


def _read(reader: ApiReader, request: Request, what: str, *, paged: bool = False) -> Answer:
    answer = reader.read(request, what=what, scope=SCOPE, paged=paged)
    if not answer.readable:
        raise ForgeError(
            f"GitLab: cannot read the {what} ({request.key})",
            hint="check --project, --pr and that GITLAB_TOKEN has the read_api scope",
        )
    return answer


def _pushes(versions: Answer, head: str) -> tuple[tuple[datetime, str], ...]:
    """(time, head commit) of each version, oldest first; empty when the versions do not end
    at the merge request's head (a push GitLab has not processed yet): then no approval can
    be tied to a commit."""
    pushes = sorted(
        (at, str(v.get("head_commit_sha")))
        for v in as_list(versions)
        if (at := api_time(v.get("created_at"))) is not None and v.get("head_commit_sha")
    )
    if not pushes or not head or pushes[-1][1] != head:
        return ()
    return tuple(pushes)


def _commit_seen(pushes: Sequence[tuple[datetime, str]], at: datetime | None) -> str | None:
    if at is None:
        return None
    seen = [commit for pushed, commit in pushes if pushed <= at]
    return seen[-1] if seen else None


def _notes_by_author(notes: Answer) -> dict[str, list[dict[str, Any]]]:
    by_author: dict[str, list[dict[str, Any]]] = {}
    for note in as_list(notes):
        author = str((note.get("author") or {}).get("username") or "")
        if author and api_time(note.get("created_at")) is not None:
            by_author.setdefault(author, []).append(note)
    for written in by_author.values():
        written.sort(
            key=lambda note: api_time(note.get("created_at")) or datetime.min.replace(tzinfo=UTC)
        )
    return by_author


def _approval_note_time(written: Sequence[dict[str, Any]]) -> datetime | None:
    times = [
        api_time(note.get("created_at"))
        for note in written
        if note.get("system") and str(note.get("body") or "").strip() == APPROVED_NOTE
    ]
    return times[-1] if times else None


def _message_before(written: Sequence[dict[str, Any]], at: datetime | None) -> str:
    said = [
        str(note.get("body") or "")
        for note in written
        if not note.get("system") and (at is None or (api_time(note.get("created_at")) or at) <= at)
    ]
    return said[-1] if said else ""
