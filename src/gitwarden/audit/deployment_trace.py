"""`audit trace`: how did a revision or an image reach an environment, from what the store holds.

A step is any entry naming the revision (as its own revision, or among a decision's commits)
or the image digest. Gate decisions carry their predicate (see `decision_entries`); other
kinds are read from the same keys at the top of their payload (``decision``/``verdict``,
``reasons``, ``commits``, ``approvals``, ``images``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from gitwarden.audit.entries import AuditEntry, EntryKind
from gitwarden.errors import GitwardenError, UsageError

# A shorter prefix would match unrelated commits in a large trail.
MIN_REVISION_PREFIX = 7
IMAGE_DIGEST_PREFIX = "sha256:"


@dataclass(frozen=True)
class TracedCommit:
    sha: str
    author: str | None
    signer: str | None
    subject: str | None


@dataclass(frozen=True)
class TracedApproval:
    approver: str
    role: str | None
    message: str | None
    signer: str | None
    source: str | None = None


@dataclass(frozen=True)
class TracedImage:
    """An image a decision let run: as written, and its digest when pinned by one."""

    name: str | None
    digest: str | None

    @property
    def pinned(self) -> bool:
        return self.digest is not None


@dataclass(frozen=True)
class TraceStep:
    """One recorded event on the way: a gate decision, a review verdict, ..."""

    seq: int
    time: str
    kind: str
    repository: str
    environment: str | None
    revision: str | None
    outcome: str | None
    reasons: tuple[str, ...]
    commits: tuple[TracedCommit, ...]
    approvals: tuple[TracedApproval, ...]
    images: tuple[str, ...]
    attestation_sha256: str | None
    key_id: str
    # Every image with its reference (``images``: the pinned digests, what a trace matches).
    image_records: tuple[TracedImage, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "time": self.time,
            "kind": self.kind,
            "repository": self.repository,
            "environment": self.environment,
            "revision": self.revision,
            "outcome": self.outcome,
            "reasons": list(self.reasons),
            "commits": [vars(commit) for commit in self.commits],
            "approvals": [vars(approval) for approval in self.approvals],
            "images": list(self.images),
            "image_references": [
                {"name": image.name, "digest": image.digest, "pinned": image.pinned}
                for image in self.image_records
            ],
            "attestation_sha256": self.attestation_sha256,
            "key_id": self.key_id,
        }


@dataclass(frozen=True)
class DeploymentTrace:
    """Every step that names ``query``, in chain order; ``chain_intact`` as verified."""

    query: str
    environment: str | None
    steps: tuple[TraceStep, ...]
    chain_intact: bool

    @property
    def deployments(self) -> tuple[TraceStep, ...]:
        """The allowed gate decisions: where the revision or image actually went."""
        return tuple(
            step
            for step in self.steps
            if step.kind == EntryKind.GATE_DECISION.value and step.outcome == "allow"
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "environment": self.environment,
            "chain_intact": self.chain_intact,
            "deployments": [step.seq for step in self.deployments],
            "steps": [step.as_json() for step in self.steps],
        }


def check_query(query: str) -> str:
    """A revision (hex, 7+ characters) or an image digest (``sha256:<64 hex>``), lowercased."""
    text = query.strip().lower()
    if text.startswith(IMAGE_DIGEST_PREFIX):
        digest = text.removeprefix(IMAGE_DIGEST_PREFIX)
        if len(digest) == 64 and all(c in "0123456789abcdef" for c in digest):
            return text
        raise UsageError(f"{query!r} is not an image digest (sha256: and 64 hex digits)")
    if len(text) >= MIN_REVISION_PREFIX and all(c in "0123456789abcdef" for c in text):
        return text
    raise UsageError(
        f"{query!r} is neither a revision nor an image digest",
        hint=f"give a commit id ({MIN_REVISION_PREFIX}+ hex digits) or sha256:<digest>",
    )


def trace(
    entries: Iterable[AuditEntry],
    query: str,
    *,
    environment: str | None = None,
    chain_intact: bool,
) -> DeploymentTrace:
    """The steps among ``entries`` that name ``query`` (see `check_query`)."""
    wanted = check_query(query)
    steps = []
    for entry in entries:
        if environment is not None and entry.environment != environment:
            continue
        step = _step(entry)
        if step is not None and _names(step, wanted):
            steps.append(step)
    return DeploymentTrace(wanted, environment, tuple(steps), chain_intact)


def _names(step: TraceStep, wanted: str) -> bool:
    if wanted.startswith(IMAGE_DIGEST_PREFIX):
        return wanted in step.images
    revisions = [step.revision or ""] + [commit.sha for commit in step.commits]
    return any(revision.lower().startswith(wanted) for revision in revisions if revision)


def _step(entry: AuditEntry) -> TraceStep | None:
    try:
        payload = entry.payload_data
    except GitwardenError:
        return None  # a damaged payload is verification's finding, not a trace step
    facts = payload.get("predicate") if entry.kind == EntryKind.GATE_DECISION.value else payload
    if not isinstance(facts, Mapping):
        facts = {}
    outcome = facts.get("decision", facts.get("verdict"))
    images = tuple(
        TracedImage(_text(item, "name"), _digest(item)) for item in _objects(facts, "images")
    )
    return TraceStep(
        seq=entry.seq,
        time=entry.time,
        kind=entry.kind,
        repository=entry.repository,
        environment=entry.environment,
        revision=entry.revision,
        outcome=outcome if isinstance(outcome, str) else None,
        reasons=tuple(str(reason) for reason in _list(facts, "reasons")),
        commits=tuple(
            TracedCommit(
                str(item.get("sha", "")),
                _text(item, "author"),
                _text(item, "signer"),
                _text(item, "subject"),
            )
            for item in _objects(facts, "commits")
        ),
        approvals=tuple(
            TracedApproval(
                str(item.get("approver", "")),
                _text(item, "role"),
                _text(item, "message"),
                _text(item, "signer"),
                _text(item, "source"),
            )
            for item in _objects(facts, "approvals")
        ),
        images=tuple(image.digest for image in images if image.digest is not None),
        attestation_sha256=_text(payload, "attestation_sha256"),
        key_id=entry.key_id,
        image_records=images,
    )


def _digest(item: Mapping[str, Any]) -> str | None:
    """The lowercased digest of an image record (None: not pinned, or not a digest)."""
    digest = _text(item, "digest")
    return digest.lower() if digest else None


def _list(facts: Mapping[str, Any], key: str) -> list[Any]:
    value = facts.get(key)
    return value if isinstance(value, list) else []


def _objects(facts: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    return [item for item in _list(facts, key) if isinstance(item, Mapping)]


def _text(item: Mapping[str, Any], key: str) -> str | None:
    value = item.get(key)
    return value if isinstance(value, str) else None
