from __future__ import annotations

import io
import json

import jsonschema
import rfc8785
from audit_fixtures import KeyPair, fill

from gitwarden.attestation.signing_keys import load_verifying_key
from gitwarden.audit.chain_verification import verify_chain
from gitwarden.audit.entries import AuditEntry
from gitwarden.audit.jsonl_export import entry_schema, write_json_lines
from gitwarden.audit.stores import open_store


def _exported(store_url: str, writer: KeyPair, count: int) -> list[dict[str, object]]:
    store = open_store(store_url, create=True)
    fill(store, writer.signing_key, count)
    out = io.StringIO()
    write_json_lines(store.entries(), out)
    store.close()
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_every_exported_line_follows_the_documented_schema(store_url: str, writer: KeyPair) -> None:
    lines = _exported(store_url, writer, 3)
    validator = jsonschema.Draft202012Validator(entry_schema())
    assert len(lines) == 3
    assert [list(validator.iter_errors(line)) for line in lines] == [[], [], []]


def test_export_carries_all_it_takes_to_verify_the_chain_elsewhere(
    store_url: str, writer: KeyPair
) -> None:
    # As an independent verifier would: the payload object back in RFC 8785 form.
    lines = _exported(store_url, writer, 4)
    rebuilt = [
        AuditEntry(
            **{
                **{k: v for k, v in line.items() if k != "format"},
                "payload": rfc8785.dumps(line["payload"]).decode(),
            }
        )
        for line in lines
    ]
    result = verify_chain(rebuilt, keys=[load_verifying_key(writer.public)])
    assert result.intact and result.entries_checked == 4
