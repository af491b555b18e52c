"""What the dashboard shows, computed once per change of the audit store instead of per page.

A page must answer in milliseconds over 100,000 entries, so the entries are read and
summarised here, and read again only when the store's head has moved (at most once per
``refresh_seconds``). The chain is verified at each reading: a page never shows a damaged
trail as if it were intact. The index belongs to one app; nothing is kept in module state.
"""

from __future__ import annotations

import bisect
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from gitwarden.attestation.signing_keys import VerifyingKey
from gitwarden.audit.chain_verification import ChainVerification, verify_chain
from gitwarden.audit.deployment_trace import IMAGE_DIGEST_PREFIX, check_query
from gitwarden.audit.entries import AuditEntry, EntryKind
from gitwarden.audit.store import AuditStore
from gitwarden.errors import GitwardenError
from gitwarden.findings import Severity

WORST_FINDINGS = 200
TIMELINE_LENGTH = 500
SEVERITY_RANK = {severity.value: severity.rank for severity in Severity}


@dataclass(frozen=True)
class CheckRow:
    name: str
    result: str
    summary: str


@dataclass(frozen=True)
class DecisionRow:
    """One gate decision as the pages show it."""

    seq: int
    time: str
    repository: str
    environment: str
    revision: str
    decision: str
    reasons: tuple[str, ...]
    checks: tuple[CheckRow, ...]
    approvers: tuple[str, ...]
    images: tuple[str, ...]


@dataclass(frozen=True)
class OpenFinding:
    repository: str
    severity: str
    rule: str
    title: str
    message: str
    file: str
    line: int
    reported_at: str


@dataclass(frozen=True)
class TrailSummary:
    """Everything the pages need, from one reading of the store."""

    head_seq: int
    chain: ChainVerification
    entries: tuple[AuditEntry, ...]
    latest: tuple[DecisionRow, ...]  # per repository and environment, sorted
    timeline: tuple[DecisionRow, ...]  # newest first, bounded
    days: tuple[str, ...]
    family_series: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    worst: tuple[OpenFinding, ...] = ()
    # Every revision, commit and image digest an entry names -> the entries naming it, so a
    # trace reads a handful of entries, not the whole trail.
    names: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    sorted_names: tuple[str, ...] = ()

    def trace_candidates(self, query: str) -> list[AuditEntry]:
        """The entries that may name ``query`` (`deployment_trace.trace` decides), in order."""
        wanted = check_query(query)
        if wanted.startswith(IMAGE_DIGEST_PREFIX):
            positions = set(self.names.get(wanted, ()))
        else:
            positions = set()
            start = bisect.bisect_left(self.sorted_names, wanted)
            for name in self.sorted_names[start:]:
                if not name.startswith(wanted):
                    break
                positions.update(self.names[name])
        return [self.entries[position] for position in sorted(positions)]


def summarise(entries: Iterable[AuditEntry], keys: tuple[VerifyingKey, ...]) -> TrailSummary:
    stored = tuple(entries)
    chain = verify_chain(stored, keys=keys)
    latest: dict[tuple[str, str], DecisionRow] = {}
    decisions: list[DecisionRow] = []
    current_families: dict[str, Mapping[str, int]] = {}
    current_findings: dict[str, tuple[OpenFinding, ...]] = {}
    per_day: dict[str, dict[str, int]] = {}
    named: dict[str, list[int]] = {}
    for position, entry in enumerate(stored):
        payload = _payload(entry)
        if payload is None:
            continue  # a damaged payload is the chain verification's finding
        for name in _names(entry, payload):
            named.setdefault(name, []).append(position)
        if entry.kind == EntryKind.GATE_DECISION.value:
            row = _decision_row(entry, payload)
            decisions.append(row)
            key = (row.repository, row.environment)
            if key not in latest or latest[key].time <= row.time:
                latest[key] = row
        elif entry.kind == EntryKind.SCAN_REPORT.value:
            current_families[entry.repository] = _families(payload)
            current_findings[entry.repository] = _open_findings(entry, payload)
            totals: dict[str, int] = {}
            for families in current_families.values():
                for family, count in families.items():
                    totals[family] = totals.get(family, 0) + count
            per_day[entry.time[:10]] = totals
    days = tuple(sorted(per_day))
    names = sorted({family for totals in per_day.values() for family in totals})
    series = {name: tuple(per_day[day].get(name, 0) for day in days) for name in names}
    worst = sorted(
        (finding for findings in current_findings.values() for finding in findings),
        key=lambda f: (-SEVERITY_RANK.get(f.severity, -1), f.repository, f.file, f.line),
    )[:WORST_FINDINGS]
    decisions.sort(key=lambda row: (row.time, row.seq), reverse=True)
    return TrailSummary(
        head_seq=chain.head_seq or 0,
        chain=chain,
        entries=stored,
        latest=tuple(latest[key] for key in sorted(latest)),
        timeline=tuple(decisions[:TIMELINE_LENGTH]),
        days=days,
        family_series=series,
        worst=tuple(worst),
        names={name: tuple(positions) for name, positions in named.items()},
        sorted_names=tuple(sorted(named)),
    )


class TrailIndex:
    """The summary of one store, re-read when its head moves (checked at most every so often).

    With ``background`` the re-reading runs in a thread while pages keep answering from the
    previous summary (each page says up to which entry it shows); only the first reading,
    before there is anything to show, makes a caller wait.
    """

    def __init__(
        self,
        open_store: Callable[[], AuditStore],
        keys: tuple[VerifyingKey, ...] = (),
        refresh_seconds: float = 10.0,
        *,
        background: bool = False,
    ) -> None:
        self._open_store = open_store
        self._keys = keys
        self._refresh_seconds = refresh_seconds
        self._background = background
        self._lock = threading.Lock()
        self._summary: TrailSummary | None = None
        self._checked_at = 0.0
        self._refreshing = False

    def summary(self) -> TrailSummary:
        with self._lock:
            current = self._summary
            due = time.monotonic() - self._checked_at >= self._refresh_seconds
            start = current is None or (due and not self._refreshing)
            if start:
                self._refreshing = True
                self._checked_at = time.monotonic()
        if current is None or (start and not self._background):
            return self._refresh(current)
        if start:
            threading.Thread(target=self._refresh, args=(current,), daemon=True).start()
        return current

    def _refresh(self, current: TrailSummary | None) -> TrailSummary:
        try:
            store = self._open_store()
            try:
                head = store.head()
                head_seq = head.seq if head is not None else 0
                if current is None or current.head_seq != head_seq:
                    current = summarise(store.entries(), self._keys)
            finally:
                store.close()
            with self._lock:
                self._summary = current
            return current
        finally:
            with self._lock:
                self._refreshing = False


def _names(entry: AuditEntry, payload: Mapping[str, Any]) -> set[str]:
    """What a trace could match this entry by (as `deployment_trace` reads an entry)."""
    predicate = payload.get("predicate")
    gate = entry.kind == EntryKind.GATE_DECISION.value
    facts: Mapping[str, Any] = (
        (predicate if isinstance(predicate, dict) else {}) if gate else payload
    )
    found = {entry.revision.lower()} if entry.revision else set()
    found.update(_text(c.get("sha")).lower() for c in _objects(facts.get("commits")))
    found.update(_text(i.get("digest")).lower() for i in _objects(facts.get("images")))
    found.discard("")
    return found


def _payload(entry: AuditEntry) -> dict[str, Any] | None:
    try:
        return entry.payload_data
    except GitwardenError:
        return None


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _objects(value: object) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict)]


def _decision_row(entry: AuditEntry, payload: Mapping[str, Any]) -> DecisionRow:
    predicate = payload.get("predicate")
    facts: Mapping[str, Any] = predicate if isinstance(predicate, dict) else {}
    reasons = facts.get("reasons")
    return DecisionRow(
        seq=entry.seq,
        time=_text(facts.get("decided_at")) or entry.time,
        repository=entry.repository,
        environment=entry.environment or _text(facts.get("environment")),
        revision=entry.revision or _text(facts.get("revision")),
        decision=_text(facts.get("decision")) or "unknown",
        reasons=tuple(str(r) for r in reasons) if isinstance(reasons, list) else (),
        checks=tuple(
            CheckRow(_text(c.get("name")), _text(c.get("result")), _text(c.get("summary")))
            for c in _objects(facts.get("checks"))
        ),
        approvers=tuple(_text(a.get("approver")) for a in _objects(facts.get("approvals"))),
        # Unpinned images have no digest to link a trace to.
        images=tuple(d for i in _objects(facts.get("images")) if (d := _text(i.get("digest")))),
    )


def _families(payload: Mapping[str, Any]) -> Mapping[str, int]:
    by_family = payload.get("by_family")
    if not isinstance(by_family, dict):
        return {}
    return {str(k): v for k, v in by_family.items() if isinstance(v, int)}


def _open_findings(entry: AuditEntry, payload: Mapping[str, Any]) -> tuple[OpenFinding, ...]:
    return tuple(
        OpenFinding(
            repository=entry.repository,
            severity=_text(item.get("severity")),
            rule=_text(item.get("rule")),
            title=_text(item.get("title")),
            message=_text(item.get("message")),
            file=_text(item.get("file")),
            line=item["line"] if isinstance(item.get("line"), int) else 0,
            reported_at=entry.time,
        )
        for item in _objects(payload.get("worst"))
    )
