from __future__ import annotations

from dataclasses import replace

from audit_fixtures import KeyPair, decision_draft

from gitwarden.attestation.signing_keys import load_verifying_key
from gitwarden.audit.chain import recomputed_hash, seal, signature_valid
from gitwarden.audit.entries import GENESIS_HASH


def test_sealed_entry_links_to_the_previous_hash_and_hashes_its_content(writer: KeyPair) -> None:
    first = seal(decision_draft(1), seq=1, prev_hash=GENESIS_HASH, key=writer.signing_key)
    second = seal(decision_draft(2), seq=2, prev_hash=first.hash, key=writer.signing_key)
    assert second.prev_hash == first.hash
    assert recomputed_hash(second) == second.hash != first.hash


def test_signature_verifies_under_the_writers_key_only(writer: KeyPair, forger: KeyPair) -> None:
    entry = seal(decision_draft(1), seq=1, prev_hash=GENESIS_HASH, key=writer.signing_key)
    assert signature_valid(entry, load_verifying_key(writer.public))
    assert not signature_valid(entry, load_verifying_key(forger.public))


def test_changed_payload_no_longer_matches_the_hash(writer: KeyPair) -> None:
    entry = seal(decision_draft(1), seq=1, prev_hash=GENESIS_HASH, key=writer.signing_key)
    altered = replace(entry, payload='{"decision":"allow","number":1,"extra":1}')
    assert recomputed_hash(altered) != entry.hash


def test_storage_position_is_not_part_of_the_hash(writer: KeyPair) -> None:
    entry = seal(decision_draft(1), seq=1, prev_hash=GENESIS_HASH, key=writer.signing_key)
    assert recomputed_hash(replace(entry, seq=7)) == entry.hash
