from __future__ import annotations

from dataclasses import replace

import pytest
from audit_fixtures import KeyPair, decision_draft

from gitwarden.attestation.signing_keys import load_verifying_key
from gitwarden.audit.canonical_json import canonical_bytes
from gitwarden.audit.chain import (
    MAX_PAYLOAD_BYTES,
    canonical_entry_bytes,
    recomputed_hash,
    seal,
    signature_valid,
)
from gitwarden.audit.entries import GENESIS_HASH, EntryDraft, EntryKind
from gitwarden.errors import UsageError


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


@pytest.mark.parametrize(
    ("repository", "environment", "payload"),
    [
        ("git@example.com:org/deploy.git", "prod", {"decision": "allow", "n": 1.5}),
        ('quote " and \\ backslash', None, {"z": [1, 2], "a": {"é": "€", "\U0001f600": None}}),
        ("control \x00\x1f\x7f\n\t", "env\u2028", {"big": 1e21, "small": 1e-7, "s": "\x01"}),
    ],
)
def test_fast_canonical_form_equals_rfc_8785_of_the_hashed_content(
    writer: KeyPair, repository: str, environment: str | None, payload: dict[str, object]
) -> None:
    draft = EntryDraft(EntryKind.SCAN_REPORT, repository, payload, environment, None)
    entry = seal(draft, seq=1, prev_hash=GENESIS_HASH, key=writer.signing_key)
    assert canonical_entry_bytes(entry) == canonical_bytes(entry.hashed_content())
    assert recomputed_hash(entry) == entry.hash


def test_payload_stored_in_a_non_canonical_form_counts_as_changed(writer: KeyPair) -> None:
    entry = seal(decision_draft(1), seq=1, prev_hash=GENESIS_HASH, key=writer.signing_key)
    spaced = replace(entry, payload=entry.payload.replace(":", ": "))
    assert recomputed_hash(spaced) != entry.hash


def test_oversized_payload_is_refused_before_anything_is_written(writer: KeyPair) -> None:
    draft = EntryDraft(EntryKind.SCAN_REPORT, "repo", {"report": "x" * (MAX_PAYLOAD_BYTES + 1)})
    with pytest.raises(UsageError, match="larger than"):
        seal(draft, seq=1, prev_hash=GENESIS_HASH, key=writer.signing_key)
