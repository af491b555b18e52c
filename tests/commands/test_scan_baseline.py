from __future__ import annotations

import json
import subprocess
from pathlib import Path

import gitwarden
from gitwarden.commands.scan import ScanOptions
from gitwarden.commands.scan_baseline import read_scan_baseline, write_scan_baseline
from gitwarden.report.model import Report

OPTIONS = ScanOptions(render=False, secrets=False)
POD = (
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: shop\nspec:\n"
    "  containers:\n    - name: app\n      image: nginx:1.27\n"
    "      securityContext:\n        privileged: true\n"
)


def scan_repo(root: Path, files: dict[str, str]) -> Report:
    if not (root / ".git").exists():
        subprocess.run(["git", "init", "-q", str(root)], check=True)
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return gitwarden.scan(root, None, OPTIONS)


def test_written_baseline_accepts_every_current_finding(tmp_path: Path) -> None:
    report = scan_repo(tmp_path / "repo", {"web.yaml": POD.format(name="web")})

    baselined = write_scan_baseline(report, tmp_path / "baseline.json")

    assert not report.passed
    assert baselined.passed
    assert all(f.suppression and f.suppression.source == "baseline" for f in baselined.findings)


def test_baseline_fails_only_on_a_new_finding(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_scan_baseline(scan_repo(repo, {"web.yaml": POD.format(name="web")}), tmp_path / "b.json")

    later = scan_repo(repo, {"api.yaml": POD.format(name="api")})
    baselined = read_scan_baseline(later, tmp_path / "b.json")

    assert {f.location.file for f in baselined.failing} == {"api.yaml"}


def test_baseline_survives_lines_moving(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_scan_baseline(scan_repo(repo, {"web.yaml": POD.format(name="web")}), tmp_path / "b.json")

    moved = scan_repo(repo, {"web.yaml": "# a new comment\n\n" + POD.format(name="web")})

    assert read_scan_baseline(moved, tmp_path / "b.json").passed


def test_entry_for_a_fixed_finding_is_reported_stale(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_scan_baseline(scan_repo(repo, {"web.yaml": POD.format(name="web")}), tmp_path / "b.json")

    fixed = scan_repo(repo, {"web.yaml": POD.format(name="web").replace("true", "false")})
    stale = [
        f
        for f in read_scan_baseline(fixed, tmp_path / "b.json").findings
        if f.rule_id == "baseline-stale"
    ]

    assert stale and all("pss-privileged" in f.message for f in stale)


def test_baseline_file_has_historys_format_and_no_clear_resource(tmp_path: Path) -> None:
    report = scan_repo(tmp_path / "repo", {"web.yaml": POD.format(name="web")})
    write_scan_baseline(report, tmp_path / "b.json")

    document = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))

    assert document["version"] == 1 and document["hash"] == "hmac-sha256"
    assert {e["file"] for e in document["entries"]} == {"web.yaml"}
    assert "Pod/shop/web" not in (tmp_path / "b.json").read_text(encoding="utf-8")


def test_rewriting_a_baseline_keeps_its_key_and_content(tmp_path: Path) -> None:
    report = scan_repo(tmp_path / "repo", {"web.yaml": POD.format(name="web")})
    write_scan_baseline(report, tmp_path / "b.json")
    first = (tmp_path / "b.json").read_text(encoding="utf-8")

    write_scan_baseline(report, tmp_path / "b.json")

    assert (tmp_path / "b.json").read_text(encoding="utf-8") == first
