"""The cache of verified commits, so re-verifying after one new commit costs one commit.

A verdict depends on the commit (its id covers content, parents and signature), the policy
that governs it (the blob id of its parent's trust.yaml, which is content-addressed), the
revocations of the newest policy, the ref whose rules apply, and the commit's approvals note.
All of these form the key; change any and the commit is verified again. The cache lives
outside the repository (see local_state), so a hostile repository cannot ship a planted
one; a damaged cache is ignored, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gitwarden.findings import Severity
from gitwarden.integrity.signature_verdict import SignatureStatus

CACHE_VERSION = 1
CachedFinding = tuple[str, str, str, dict[str, str]]  # rule id, severity, message, details
CachedVerdict = tuple[str, str | None, str]  # signature status, key, author
CachedEntry = tuple[CachedVerdict, list[CachedFinding]]


def cache_key(commit: str, policy_blob: str, revocations: str, ref: str, note: str) -> str:
    parts = "\x1f".join((commit, policy_blob, revocations, ref, note))
    return hashlib.sha256(parts.encode()).hexdigest()[:40]


class VerifyCache:
    """Findings and signature verdict per key; an entry lacking either is a miss (files
    written before verdicts were kept are re-verified once)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: dict[str, list[CachedFinding]] = {}
        self.verdicts: dict[str, CachedVerdict] = {}
        self.dirty = False
        if path is not None and path.is_file():
            with contextlib.suppress(OSError, ValueError, TypeError, IndexError, KeyError):
                data = json.loads(path.read_text(encoding="utf-8"))
                if data.get("version") == CACHE_VERSION:
                    self.entries = {
                        k: [(str(a), str(b), str(c), dict(d)) for a, b, c, d in v]
                        for k, v in data["entries"].items()
                    }
                    self.verdicts = {
                        k: (str(v[0]), None if v[1] is None else str(v[1]), str(v[2]))
                        for k, v in data.get("verdicts", {}).items()
                    }

    def get(self, key: str) -> CachedEntry | None:
        found = self.entries.get(key)
        verdict = self.verdicts.get(key)
        if found is None or verdict is None:
            return None
        try:
            # A damaged entry raises here and is treated as a miss.
            SignatureStatus(verdict[0])
            for _, severity, _, _ in found:
                Severity(severity)
        except ValueError:
            return None
        return verdict, found

    def put(self, key: str, verdict: CachedVerdict, findings: list[CachedFinding]) -> None:
        self.entries[key] = findings
        self.verdicts[key] = verdict
        self.dirty = True

    def save(self) -> None:
        if self.path is None or not self.dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = self.path.with_suffix(".tmp")
        payload: Mapping[str, Any] = {
            "version": CACHE_VERSION,
            "entries": self.entries,
            "verdicts": self.verdicts,
        }
        temporary.write_text(json.dumps(payload, separators=(",", ":")), encoding="utf-8")
        temporary.replace(self.path)
