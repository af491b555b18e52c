"""`gitwarden audit ...` as a user runs it: output and exit codes (0 ok, 1 tampered, 2 error)."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import jsonschema
import pytest
from audit_fixtures import KeyPair, delete_entry, fill

from gitwarden.audit.jsonl_export import entry_schema
from gitwarden.audit.stores import open_store
from gitwarden.cli.main import main


def _filled(url: str, writer: KeyPair, count: int = 4) -> list[str]:
    store = open_store(url, create=True)
    hashes = fill(store, writer.signing_key, count)
    store.close()
    return hashes


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'audit.db'}"


def test_verify_exits_0_for_an_intact_store(
    url: str, writer: KeyPair, capsys: pytest.CaptureFixture[str]
) -> None:
    hashes = _filled(url, writer)
    code = main(
        [
            "audit",
            "verify",
            "--audit",
            url,
            "--key",
            str(writer.public),
            "--expect-head",
            hashes[-1],
        ]
    )
    assert code == 0, capsys.readouterr().out


def test_verify_exits_1_and_names_the_deleted_entry(
    url: str, writer: KeyPair, capsys: pytest.CaptureFixture[str]
) -> None:
    _filled(url, writer)
    delete_entry(url, 2)
    code = main(["audit", "verify", "--audit", url, "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    deleted = [f for f in report["findings"] if f["rule"] == "audit-entry-deleted"]
    assert deleted and "entry 2 deleted" in deleted[0]["message"]


def test_verify_exits_2_for_a_store_that_does_not_exist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["audit", "verify", "--audit", f"sqlite:///{tmp_path / 'none.db'}"])
    assert code == 2
    assert "no audit store" in capsys.readouterr().err


def test_head_prints_the_last_hash_from_the_environment_url(
    url: str, writer: KeyPair, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    hashes = _filled(url, writer)
    monkeypatch.setenv("GITWARDEN_AUDIT_URL", url)
    assert main(["audit", "head"]) == 0
    assert capsys.readouterr().out.strip() == hashes[-1]


def test_export_to_stdout_is_schema_valid_json_lines(
    url: str, writer: KeyPair, capsys: pytest.CaptureFixture[str]
) -> None:
    _filled(url, writer, 3)
    assert main(["audit", "export", "--audit", url, "--output", "-"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    validator = jsonschema.Draft202012Validator(entry_schema())
    assert len(lines) == 3
    assert all(validator.is_valid(line) for line in lines)


def test_export_since_a_future_time_writes_nothing(
    url: str, writer: KeyPair, tmp_path: Path
) -> None:
    _filled(url, writer, 2)
    target = tmp_path / "out.jsonl"
    code = main(
        ["audit", "export", "--audit", url, "--since", "2999-01-01T00:00:00Z", "-o", str(target)]
    )
    assert code == 0
    assert target.read_text() == ""


def test_trace_as_json_lists_the_matching_entry(
    url: str, writer: KeyPair, capsys: pytest.CaptureFixture[str]
) -> None:
    _filled(url, writer, 3)
    assert main(["audit", "trace", f"{2:040x}", "--audit", url, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [step["seq"] for step in data["steps"]] == [2]


def test_trace_over_a_tampered_store_warns_and_exits_1(
    url: str, writer: KeyPair, capsys: pytest.CaptureFixture[str]
) -> None:
    _filled(url, writer, 3)
    delete_entry(url, 1)
    assert main(["audit", "trace", f"{2:040x}", "--audit", url]) == 1
    assert "WARNING: the audit chain does not verify" in capsys.readouterr().out


def test_export_to_syslog_sends_every_entry(
    url: str, writer: KeyPair, syslog_socket: tuple[socket.socket, str]
) -> None:
    server, path = syslog_socket
    hashes = _filled(url, writer, 2)
    assert main(["audit", "export", "--audit", url, "--syslog", path]) == 0
    received = [
        json.loads(server.recv(65536).decode().rstrip("\x00").split(": ", 1)[1]) for _ in hashes
    ]
    assert [line["hash"] for line in received] == hashes


def test_trace_as_html_is_one_page(
    url: str, writer: KeyPair, capsys: pytest.CaptureFixture[str]
) -> None:
    _filled(url, writer, 3)
    assert main(["audit", "trace", f"{2:040x}", "--audit", url, "--format", "html"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("<!DOCTYPE html>")
    assert out.count('class="trace-step"') == 1 and 'data-seq="2"' in out
