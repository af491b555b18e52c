"""Tampering by someone with write access to the store, caught at the exact entry."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import replace

import pytest
import sqlalchemy
from audit_fixtures import (
    KeyPair,
    delete_entry,
    fill,
    insert_forged_entry,
    modify_payload,
    swap_entries,
    truncate_after,
)

from gitwarden.attestation.signing_keys import load_verifying_key
from gitwarden.audit.chain import recomputed_hash
from gitwarden.audit.chain_verification import (
    ChainProblem,
    ChainVerification,
    ProblemKind,
    verify_chain,
)
from gitwarden.audit.entries import AuditEntry
from gitwarden.audit.rules import AUDIT_RULES
from gitwarden.audit.stores import open_store


def _chain(url: str) -> list[AuditEntry]:
    store = open_store(url, create=False)
    entries = list(store.entries())
    store.close()
    return entries


def test_untouched_chain_verifies_with_its_writers_key(store_url: str, writer: KeyPair) -> None:
    store = open_store(store_url, create=True)
    hashes = fill(store, writer.signing_key, 6)
    store.close()
    result = verify_chain(
        _chain(store_url), keys=[load_verifying_key(writer.public)], expect_head=hashes[-1]
    )
    assert (result.intact, result.entries_checked, result.head_hash) == (True, 6, hashes[-1])


Tamper = Callable[[str, list[str], KeyPair], None]


def _modify(url: str, hashes: list[str], forger: KeyPair) -> None:
    modify_payload(url, 4)


def _delete(url: str, hashes: list[str], forger: KeyPair) -> None:
    delete_entry(url, 4)


def _reorder(url: str, hashes: list[str], forger: KeyPair) -> None:
    swap_entries(url, 4)


def _insert(url: str, hashes: list[str], forger: KeyPair) -> None:
    insert_forged_entry(url, 4, forger.signing_key, prev_hash=hashes[2])


@pytest.mark.parametrize(
    ("tamper", "kind"),
    [
        (_modify, ProblemKind.MODIFIED),
        (_delete, ProblemKind.DELETED),
        (_reorder, ProblemKind.REORDERED),
        (_insert, ProblemKind.INSERTED),
    ],
    ids=["modified", "deleted", "reordered", "inserted"],
)
def test_tampering_is_named_at_the_first_bad_entry(
    store_url: str, writer: KeyPair, forger: KeyPair, tamper: Tamper, kind: ProblemKind
) -> None:
    store = open_store(store_url, create=True)
    hashes = fill(store, writer.signing_key, 8)
    store.close()
    tamper(store_url, hashes, forger)
    result = verify_chain(_chain(store_url))
    first = result.first_problem
    assert first is not None
    assert (first.kind, first.seq) == (kind, 4)


def test_truncated_tail_is_caught_against_the_expected_head(
    store_url: str, writer: KeyPair
) -> None:
    store = open_store(store_url, create=True)
    hashes = fill(store, writer.signing_key, 8)
    store.close()
    truncate_after(store_url, 6)
    unchecked = verify_chain(_chain(store_url))
    checked = verify_chain(_chain(store_url), expect_head=hashes[-1])
    assert unchecked.intact
    assert [(p.kind, p.seq) for p in checked.problems] == [(ProblemKind.TRUNCATED, 7)]


def test_entries_appended_after_the_expected_head_are_fine(store_url: str, writer: KeyPair) -> None:
    store = open_store(store_url, create=True)
    hashes = fill(store, writer.signing_key, 3)
    fill(store, writer.signing_key, 2)
    store.close()
    assert verify_chain(_chain(store_url), expect_head=hashes[-1]).intact


def test_inserted_forgery_is_also_caught_by_its_untrusted_signer(
    store_url: str, writer: KeyPair, forger: KeyPair
) -> None:
    store = open_store(store_url, create=True)
    hashes = fill(store, writer.signing_key, 5)
    store.close()
    insert_forged_entry(store_url, 3, forger.signing_key, prev_hash=hashes[1])
    result = verify_chain(_chain(store_url), keys=[load_verifying_key(writer.public)])
    untrusted = [p.seq for p in result.problems if p.kind is ProblemKind.UNTRUSTED_SIGNER]
    assert untrusted == [3]


def test_rehashed_edit_is_caught_by_its_signature_and_the_next_link(
    store_url: str, writer: KeyPair
) -> None:
    store = open_store(store_url, create=True)
    fill(store, writer.signing_key, 5)
    store.close()
    # The attacker edits entry 3 and recomputes its hash, but cannot re-sign it as the writer.
    edited = replace(_chain(store_url)[2], payload='{"decision":"allow"}')
    _replace_row(store_url, replace(edited, hash=recomputed_hash(edited)))
    result = verify_chain(_chain(store_url), keys=[load_verifying_key(writer.public)])
    assert [(p.kind, p.seq) for p in result.problems] == [
        (ProblemKind.BAD_SIGNATURE, 3),
        (ProblemKind.DELETED, 4),
    ]


def test_signature_that_is_not_base64_does_not_verify(store_url: str, writer: KeyPair) -> None:
    store = open_store(store_url, create=True)
    fill(store, writer.signing_key, 2)
    store.close()
    entry = _chain(store_url)[1]
    garbled = replace(entry, signature="not base64!")
    result = verify_chain([_chain(store_url)[0], garbled], keys=[load_verifying_key(writer.public)])
    assert [(p.kind, p.seq) for p in result.problems] == [(ProblemKind.BAD_SIGNATURE, 2)]
    assert base64.b64decode(entry.signature)


def test_without_keys_the_signatures_are_reported_as_unchecked(
    store_url: str, writer: KeyPair
) -> None:
    store = open_store(store_url, create=True)
    fill(store, writer.signing_key, 2)
    store.close()
    findings = verify_chain(_chain(store_url)).findings("store")
    assert [f.rule_id for f in findings] == ["audit-signatures-unchecked"]


def _replace_row(url: str, entry: AuditEntry) -> None:
    driver = url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = sqlalchemy.create_engine(driver)
    with engine.begin() as connection:
        connection.execute(
            sqlalchemy.text(
                "UPDATE gitwarden_audit_entries SET payload = :payload, hash = :hash "
                "WHERE seq = :seq"
            ),
            {"payload": entry.payload, "hash": entry.hash, "seq": entry.seq},
        )
    engine.dispose()


@pytest.mark.parametrize(
    ("kind", "rule_id"),
    [
        (ProblemKind.MODIFIED, "audit-entry-modified"),
        (ProblemKind.DELETED, "audit-entry-deleted"),
        (ProblemKind.INSERTED, "audit-entry-inserted"),
        (ProblemKind.REORDERED, "audit-entries-reordered"),
        (ProblemKind.TRUNCATED, "audit-tail-truncated"),
        (ProblemKind.BAD_SIGNATURE, "audit-signature-invalid"),
        (ProblemKind.UNTRUSTED_SIGNER, "audit-signer-untrusted"),
    ],
)
def test_every_problem_is_reported_under_its_catalogued_audit_rule(
    kind: ProblemKind, rule_id: str
) -> None:
    result = ChainVerification(1, "h", 1, (ChainProblem(kind, 1, "message"),), True)
    (finding,) = result.findings("store")
    assert finding.rule_id == rule_id
    assert finding.rule_id in {rule.id for rule in AUDIT_RULES}
    assert (finding.location.file, finding.location.line) == ("store", 1)


def test_every_problem_kind_has_its_own_rule() -> None:
    ids = set()
    for kind in ProblemKind:
        result = ChainVerification(1, "h", 1, (ChainProblem(kind, 1, "message"),), True)
        ids.add(result.findings("store")[0].rule_id)
    assert len(ids) == len(ProblemKind)


def test_an_empty_store_is_reported_never_clean() -> None:
    findings = verify_chain([]).findings("store")
    assert [f.rule_id for f in findings] == ["audit-store-empty"]
