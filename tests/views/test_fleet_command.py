"""`gitwarden fleet scan`: many clones, a bounded pool, one scan-report entry each (issue 21.2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dashboard_trail import PRIVILEGED_POD, make_repo, signing_key

from gitwarden.audit.entries import EntryKind
from gitwarden.audit.stores import open_store
from gitwarden.commands.fleet import (
    NOT_SCANNED,
    FleetScanOptions,
    fleet_scan,
    read_repos_file,
)
from gitwarden.errors import UsageError

CALM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: a\ndata: {}\n"


@pytest.fixture
def repos_file(tmp_path: Path) -> Path:
    make_repo(tmp_path / "clones" / "risky", {"pod.yaml": PRIVILEGED_POD})
    make_repo(tmp_path / "clones" / "calm", {"cm.yaml": CALM})
    listing = tmp_path / "repos.txt"
    listing.write_text("# the fleet\nclones/risky\n\nclones/calm\n")
    return listing


def test_repos_file_lists_clones_relative_to_itself(repos_file: Path) -> None:
    assert read_repos_file(repos_file) == [
        repos_file.parent / "clones" / "risky",
        repos_file.parent / "clones" / "calm",
    ]


def test_every_clone_is_recorded_as_a_scan_report(repos_file: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    result = fleet_scan(
        repos_file, options=FleetScanOptions(audit=url, key=signing_key(tmp_path / "k"))
    )
    store = open_store(url, create=False)
    entries = list(store.entries())
    store.close()
    assert [entry.kind for entry in entries] == [EntryKind.SCAN_REPORT.value] * 2
    assert sorted(Path(entry.repository).name for entry in entries) == ["calm", "risky"]
    assert sorted(run.recorded_seq for run in result.runs) == [1, 2]


def test_reports_are_recorded_in_the_repos_files_order(repos_file: Path, tmp_path: Path) -> None:
    # Four workers scan at once; the trail still follows the file, one append at a time.
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    options = FleetScanOptions(audit=url, key=signing_key(tmp_path / "k"), workers=4)
    result = fleet_scan(repos_file, options=options)
    assert [run.recorded_seq for run in result.runs] == [1, 2]
    store = open_store(url, create=False)
    recorded = [Path(entry.repository).name for entry in store.entries()]
    store.close()
    assert recorded == [run.path.name for run in result.runs]


def test_recorded_report_carries_the_worst_findings_and_family_counts(
    repos_file: Path, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    fleet_scan(repos_file, options=FleetScanOptions(audit=url, key=signing_key(tmp_path / "k")))
    store = open_store(url, create=False)
    risky = next(e for e in store.entries() if e.repository.endswith("risky"))
    store.close()
    payload = json.loads(risky.payload)
    assert payload["by_family"]["pod-security"] >= 1
    assert {"rule": "pss-privileged", "file": "pod.yaml"}.items() <= next(
        f for f in payload["worst"] if f["rule"] == "pss-privileged"
    ).items()


def test_fleet_report_fails_when_one_clone_fails(repos_file: Path) -> None:
    report = fleet_scan(repos_file).report
    assert not report.passed
    files = {f.location.file for f in report.failing if f.rule_id == "pss-privileged"}
    assert files == {f"{repos_file.parent / 'clones' / 'risky'}/pod.yaml"}


def test_clone_that_cannot_be_scanned_is_a_finding_not_a_gap(tmp_path: Path) -> None:
    listing = tmp_path / "repos.txt"
    listing.write_text("missing-clone\n")
    report = fleet_scan(listing).report
    assert [f.rule_id for f in report.failing] == [NOT_SCANNED.id]
    assert report.failing[0].rule_id == "fleet-repository-not-scanned"


@pytest.mark.parametrize("workers", [0, 17])
def test_worker_pool_is_bounded(repos_file: Path, workers: int) -> None:
    with pytest.raises(UsageError, match="--workers"):
        fleet_scan(repos_file, options=FleetScanOptions(workers=workers))


def test_command_line_scans_the_fleet(repos_file: Path, tmp_path: Path) -> None:
    from gitwarden.cli import main

    key_folder = tmp_path / "k"
    signing_key(key_folder)
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    code = main(
        [
            "fleet",
            "scan",
            "--repos",
            str(repos_file),
            "--audit",
            url,
            "--key",
            str(key_folder / "writer"),
            "--format",
            "json",
            "--output",
            str(tmp_path / "out.json"),
        ]
    )
    assert code == 1
    assert json.loads((tmp_path / "out.json").read_text())["summary"]["failing"] >= 1


def test_clone_with_a_trust_policy_is_verified_too(tmp_path: Path) -> None:
    policy = (
        "version: 1\nprincipals:\n  alice:\n    ssh_keys: []\n"
        "rules:\n  - branches: [main]\n    principals: [alice]\n"
    )
    clone = make_repo(tmp_path / "signed", {"cm.yaml": CALM, ".gitwarden/trust.yaml": policy})
    listing = tmp_path / "repos.txt"
    listing.write_text(f"{clone}\n")
    result = fleet_scan(listing)
    (run,) = result.runs
    assert run.scan is not None and run.scan.passed
    assert run.verify is not None and not run.verify.passed  # its commit is not signed
    assert not result.report.passed
