"""The ledger's entries and how they are stored under ``refs/gitwarden/ledger``.

Each entry is a canonical JSON document (sequence number, hash of the previous entry, time,
kind, the tips of the protected refs, the recorder's key) signed with SSHSIG (namespace
``gitwarden-ledger``). It is stored as a commit whose tree holds ``entry.json`` and
``entry.sig`` and whose parent is the previous entry, so the ledger travels with the
repository (``git push origin refs/gitwarden/ledger``). The chain is checked by hashes
inside the entries, not by git's commit parents, so rewriting the commits is detected.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gitwarden.sources.git_repository import GitError, GitRepository

LEDGER_REF = "refs/gitwarden/ledger"
NAMESPACE = "gitwarden-ledger"
ENTRY_FILE = "entry.json"
SIGNATURE_FILE = "entry.sig"
RECORD = "record"
ACCEPT_REWRITE = "accept-rewrite"
ENTRY_VERSION = 1


@dataclass(frozen=True)
class LedgerEntry:
    seq: int
    prev: str
    time: str
    kind: str
    recorder: str
    refs: dict[str, str] = field(default_factory=dict)
    accept: dict[str, str] = field(default_factory=dict)

    def body(self) -> bytes:
        document: dict[str, Any] = {
            "version": ENTRY_VERSION,
            "seq": self.seq,
            "prev": self.prev,
            "time": self.time,
            "kind": self.kind,
            "recorder": self.recorder,
            "refs": self.refs,
        }
        if self.accept:
            document["accept"] = self.accept
        return json.dumps(document, sort_keys=True, separators=(",", ":")).encode() + b"\n"


@dataclass(frozen=True)
class StoredEntry:
    """An entry as found: its body bytes, signature, the commit holding it."""

    commit: str
    body: bytes
    signature: bytes

    @property
    def entry_id(self) -> str:
        return hashlib.sha256(self.body + self.signature).hexdigest()

    def parse(self) -> LedgerEntry:
        """Raises ValueError when the body is not a well-formed entry."""
        document = json.loads(self.body)
        if not isinstance(document, dict) or document.get("version") != ENTRY_VERSION:
            raise ValueError("not a version 1 ledger entry")
        refs = document.get("refs", {})
        accept = document.get("accept", {})
        if not isinstance(refs, dict) or not isinstance(accept, dict):
            raise ValueError("refs and accept must be mappings")
        return LedgerEntry(
            seq=int(document["seq"]),
            prev=str(document["prev"]),
            time=str(document["time"]),
            kind=str(document["kind"]),
            recorder=str(document["recorder"]),
            refs={str(k): str(v) for k, v in refs.items()},
            accept={str(k): str(v) for k, v in accept.items()},
        )


def read_chain(repo: GitRepository) -> list[StoredEntry]:
    """Every stored entry, oldest first (empty when there is no ledger)."""
    head = repo.object_ids([LEDGER_REF])[LEDGER_REF]
    if head is None:
        return []
    commits = repo.run("rev-list", "--first-parent", "--reverse", head, "--").split()
    names = [f"{c}:{name}" for c in commits for name in (ENTRY_FILE, SIGNATURE_FILE)]
    ids = repo.object_ids(names)
    present = [n for n in names if ids[n]]
    blobs = repo.read_objects(present)
    chain = []
    for commit in commits:
        body = blobs.get(f"{commit}:{ENTRY_FILE}")
        signature = blobs.get(f"{commit}:{SIGNATURE_FILE}")
        chain.append(
            StoredEntry(commit, body.data if body else b"", signature.data if signature else b"")
        )
    return chain


def append(repo: GitRepository, body: bytes, signature: bytes, previous: str | None) -> str:
    """Store one entry after ``previous`` (the current ledger commit) and move the ref."""
    body_blob = repo.write_object("blob", body)
    signature_blob = repo.write_object("blob", signature)
    tree_text = (
        f"100644 blob {body_blob}\t{ENTRY_FILE}\n100644 blob {signature_blob}\t{SIGNATURE_FILE}\n"
    )
    tree = repo.run("mktree", input_bytes=tree_text.encode()).strip()
    seq = json.loads(body)["seq"]
    args = ["commit-tree", tree, "-m", f"gitwarden ledger entry {seq}"]
    if previous:
        args += ["-p", previous]
    identity = {
        "GIT_AUTHOR_NAME": "gitwarden",
        "GIT_AUTHOR_EMAIL": "gitwarden@localhost",
        "GIT_COMMITTER_NAME": "gitwarden",
        "GIT_COMMITTER_EMAIL": "gitwarden@localhost",
    }
    commit = repo.run(*args, env=identity).strip()
    # Compare-and-swap: a concurrent recorder makes this fail instead of losing an entry.
    repo.run("update-ref", "-m", "gitwarden ledger", LEDGER_REF, commit, previous or "0" * 40)
    return commit


def export_chain(chain: list[StoredEntry], path: Path) -> None:
    lines = [
        json.dumps({"entry": e.body.decode(), "signature": e.signature.decode()}) for e in chain
    ]
    path.write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")


def import_chain(path: Path) -> list[StoredEntry]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        return [
            StoredEntry(
                "", json.loads(line)["entry"].encode(), json.loads(line)["signature"].encode()
            )
            for line in lines
            if line.strip()
        ]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise GitError(f"{path}: not an exported ledger ({error})") from None
