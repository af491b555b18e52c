"""Real keys, sample entries and the tampering an attacker with write access would do."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy

from gitwarden.attestation.signing_keys import SigningKey, load_signing_key
from gitwarden.audit.chain import seal
from gitwarden.audit.entries import EntryDraft, EntryKind
from gitwarden.audit.store import AuditStore


@dataclass(frozen=True)
class KeyPair:
    private: Path
    public: Path

    @property
    def signing_key(self) -> SigningKey:
        return load_signing_key(self.private)


def ssh_key_pair(folder: Path, name: str) -> KeyPair:
    folder.mkdir(parents=True, exist_ok=True)
    private = folder / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(private)],
        check=True,
        capture_output=True,
    )
    return KeyPair(private, folder / f"{name}.pub")


def decision_draft(number: int, environment: str = "prod") -> EntryDraft:
    return EntryDraft(
        kind=EntryKind.GATE_DECISION,
        repository="git@example.com:org/deploy.git",
        environment=environment,
        revision=f"{number:040x}",
        payload={"decision": "allow" if number % 2 else "deny", "number": number},
    )


def fill(store: AuditStore, key: SigningKey, count: int) -> list[str]:
    """Append ``count`` decisions; their hashes in order."""
    return [store.append(decision_draft(number), key).hash for number in range(1, count + 1)]


def _engine(url: str) -> sqlalchemy.Engine:
    driver = url.replace("postgresql://", "postgresql+psycopg://", 1).replace(
        "sqlite:///", "sqlite+pysqlite:///", 1
    )
    return sqlalchemy.create_engine(driver)


def _execute(url: str, *statements: tuple[str, dict[str, Any]]) -> None:
    engine = _engine(url)
    try:
        with engine.begin() as connection:
            for sql, parameters in statements:
                connection.execute(sqlalchemy.text(sql), parameters)
    finally:
        engine.dispose()


TABLE = "gitwarden_audit_entries"
COLUMNS = (
    "kind, time, repository, environment, revision, payload, prev_hash, key_id, hash, signature"
)


def modify_payload(url: str, seq: int) -> None:
    _execute(
        url,
        (
            f"UPDATE {TABLE} SET payload = :p WHERE seq = :s",
            {"p": '{"decision":"allow"}', "s": seq},
        ),
    )


def delete_entry(url: str, seq: int) -> None:
    _execute(url, (f"DELETE FROM {TABLE} WHERE seq = :s", {"s": seq}))


def truncate_after(url: str, seq: int) -> None:
    _execute(url, (f"DELETE FROM {TABLE} WHERE seq > :s", {"s": seq}))


def swap_entries(url: str, first: int) -> None:
    """Store entry ``first + 1`` at position ``first`` and the other way round."""
    second = first + 1
    _execute(
        url,
        (f"UPDATE {TABLE} SET seq = -1 WHERE seq = :a", {"a": first}),
        (f"UPDATE {TABLE} SET seq = :a WHERE seq = :b", {"a": first, "b": second}),
        (f"UPDATE {TABLE} SET seq = :b WHERE seq = -1", {"b": second}),
    )


def insert_forged_entry(url: str, seq: int, forger: SigningKey, prev_hash: str) -> None:
    """Shift entries ``seq`` and later up by one and put a well-formed forgery at ``seq``."""
    forged = seal(decision_draft(999), seq=seq, prev_hash=prev_hash, key=forger)
    values = {
        "seq": seq,
        "kind": forged.kind,
        "time": forged.time,
        "repository": forged.repository,
        "environment": forged.environment,
        "revision": forged.revision,
        "payload": forged.payload,
        "prev_hash": forged.prev_hash,
        "key_id": forged.key_id,
        "hash": forged.hash,
        "signature": forged.signature,
    }
    placeholders = ", ".join(f":{name.strip()}" for name in COLUMNS.split(","))
    _execute(
        url,
        (f"UPDATE {TABLE} SET seq = -seq WHERE seq >= :s", {"s": seq}),
        (f"UPDATE {TABLE} SET seq = 1 - seq WHERE seq < 0", {}),
        (f"INSERT INTO {TABLE} (seq, {COLUMNS}) VALUES (:seq, {placeholders})", values),
    )
