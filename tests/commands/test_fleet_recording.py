"""`fleet scan` records its clones' reports with one open of the audit store per run."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from gitwarden.attestation.signing_keys import load_signing_key
from gitwarden.audit.store import AuditStore
from gitwarden.commands import audit_store_access
from gitwarden.commands.fleet import FleetScanOptions, fleet_scan

CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: a\ndata: {}\n"


def _clone(path: Path) -> None:
    path.mkdir(parents=True)
    (path / "cm.yaml").write_text(CONFIG_MAP)
    for args in (
        ["init", "-q", "-b", "main"],
        ["add", "-A"],
        ["-c", "user.name=a", "-c", "user.email=a@example.org", "commit", "-q", "-m", "cm"],
    ):
        subprocess.run(["git", "-C", str(path), *args], check=True, capture_output=True)


@pytest.fixture
def three_clones(tmp_path: Path) -> Path:
    for name in ("one", "two", "three"):
        _clone(tmp_path / "clones" / name)
    listing = tmp_path / "repos.txt"
    listing.write_text("clones/one\nclones/two\nclones/three\n")
    return listing


def _counting_opens(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    opened: list[str] = []
    real: Callable[..., AuditStore] = audit_store_access.open_store

    def counting(url: str, *, create: bool) -> AuditStore:
        opened.append(url)
        return real(url, create=create)

    monkeypatch.setattr(audit_store_access, "open_store", counting)
    return opened


def test_fleet_run_opens_the_audit_store_once_for_all_its_clones(
    three_clones: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = _counting_opens(monkeypatch)
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(tmp_path / "key")], check=True
    )
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    options = FleetScanOptions(audit=url, key=load_signing_key(tmp_path / "key"), workers=3)
    result = fleet_scan(three_clones, options=options)
    assert opened == [url]
    assert [run.recorded_seq for run in result.runs] == [1, 2, 3]


def test_fleet_run_without_a_key_never_opens_the_store(
    three_clones: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = _counting_opens(monkeypatch)
    result = fleet_scan(three_clones, options=FleetScanOptions(workers=2))
    assert opened == []
    assert [run.recorded_seq for run in result.runs] == [None, None, None]
