"""Saved JSON reports for the fleet view: bounded, links not followed (issue 21.2)."""

from __future__ import annotations

import json
from pathlib import Path

from gitwarden.dashboard.saved_reports import read_saved_reports

REPORT = {
    "target": "org/app",
    "findings": [
        {"rule": "pss-privileged", "severity": "critical", "file": "a.yaml", "line": 3},
        {"rule": "rbac-x", "severity": "low", "file": "b.yaml", "line": 1, "suppressed": True},
    ],
}


def test_open_findings_of_a_saved_report_are_read(tmp_path: Path) -> None:
    (tmp_path / "app.json").write_text(json.dumps(REPORT))
    saved = read_saved_reports(tmp_path)
    assert [(f.repository, f.rule, f.line) for f in saved.findings] == [
        ("org/app", "pss-privileged", 3)
    ]


def test_linked_report_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps(REPORT))
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "linked.json").symlink_to(outside)
    saved = read_saved_reports(folder)
    assert saved.findings == () and saved.unreadable == ("linked.json",)
