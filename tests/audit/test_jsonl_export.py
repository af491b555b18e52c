from __future__ import annotations

import io
import json
import socket
from pathlib import Path

import jsonschema
import pytest
import rfc8785
from audit_fixtures import KeyPair, fill

from gitwarden.attestation.signing_keys import load_verifying_key
from gitwarden.audit.chain_verification import verify_chain
from gitwarden.audit.entries import AuditEntry
from gitwarden.audit.jsonl_export import (
    entry_schema,
    send_to_syslog,
    syslog_address,
    write_json_lines,
)
from gitwarden.audit.stores import open_store
from gitwarden.errors import UsageError


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


def test_syslog_receives_one_auth_message_per_entry(
    tmp_path: Path, writer: KeyPair, syslog_socket: tuple[socket.socket, str]
) -> None:
    server, path = syslog_socket
    store = open_store(f"sqlite:///{tmp_path / 'audit.db'}", create=True)
    hashes = fill(store, writer.signing_key, 3)
    sent = send_to_syslog(store.entries(), syslog_address(path))
    store.close()
    messages = [server.recv(65536).decode().rstrip("\x00") for _ in range(sent)]
    # <38>: facility auth (4) * 8 + severity info (6)
    assert all(message.startswith("<38>gitwarden-audit: {") for message in messages)
    assert [json.loads(m.split(": ", 1)[1])["hash"] for m in messages] == hashes


def test_unreachable_syslog_socket_is_an_error(tmp_path: Path, writer: KeyPair) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'audit.db'}", create=True)
    fill(store, writer.signing_key, 1)
    with pytest.raises(UsageError, match="--syslog"):
        send_to_syslog(store.entries(), str(tmp_path / "no-such-socket"))
    store.close()


@pytest.mark.parametrize("text", ["localhost", "host:port", ":514"])
def test_syslog_address_must_be_a_path_or_host_and_port(text: str) -> None:
    with pytest.raises(UsageError):
        syslog_address(text)
