"""`--format html`: one self-contained page, every scanned string shown as text (issue 21.1)."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from dashboard_trail import HOSTILE_TEXT, PRIVILEGED_POD, commit, make_repo, predicate

from gitwarden.attestation.decision_predicate import CheckResult
from gitwarden.commands.scan import scan
from gitwarden.report import get_format
from gitwarden.report.model import Report
from secrets_values import GITHUB_TOKEN

FORGED_NAME = "pod.yaml\nPASS  0 findings\nx.yaml"


class Tags(HTMLParser):
    """Every start tag of a page, with its attributes, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(page)
    return parser.tags


def render(report: Report) -> str:
    return get_format("html").render(report)


@pytest.fixture
def scanned(tmp_path: Path) -> Report:
    repo = make_repo(tmp_path / "repo", {"deploy/pod.yaml": PRIVILEGED_POD})
    return scan(repo)


def test_page_needs_no_network(scanned: Report) -> None:
    page = render(scanned)
    fetching = [
        (tag, attrs)
        for tag, attrs in tags_of(page)
        if attrs.get("src") or (tag == "link" and attrs.get("href"))
    ]
    assert fetching == []
    assert 'http-equiv="Content-Security-Policy"' in page
    assert "default-src 'none'" in page


def test_script_is_admitted_by_its_hash_only(scanned: Report) -> None:
    page = render(scanned)
    script = re.search(r"<script>(.*?)</script>", page, re.S)
    assert script is not None
    digest = base64.b64encode(hashlib.sha256(script.group(1).encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in page


def test_findings_are_grouped_under_their_file(scanned: Report) -> None:
    page = render(scanned)
    group = page.split("<h3>deploy/pod.yaml</h3>", 1)
    assert len(group) == 2
    assert 'data-rule="pss-privileged"' in group[1]


def test_finding_shows_its_source_line_with_the_field_marked(scanned: Report) -> None:
    page = render(scanned)
    article = next(
        part for part in page.split("<article")[1:] if 'data-rule="pss-privileged"' in part
    )
    marked = re.search(
        r'<span class="line marked"><span class="number">(\d+)</span>(.*?)</span>', article
    )
    assert marked is not None
    assert marked.group(2).strip() == "<mark>privileged</mark>: true"
    assert "securityContext:" in article  # the lines around it


def test_every_finding_carries_its_filter_data(scanned: Report) -> None:
    articles = [attrs for tag, attrs in tags_of(render(scanned)) if tag == "article"]
    assert len(articles) == len(scanned.findings)
    assert all(
        attrs["data-severity"]
        and attrs["data-family"]
        and attrs["data-rule"]
        and attrs["data-suppressed"] in {"true", "false"}
        for attrs in articles
    )


def test_each_rule_links_to_its_rationale_and_fix(scanned: Report) -> None:
    page = render(scanned)
    rule = scanned.rules["pss-privileged"]
    assert 'href="#rule-pss-privileged"' in page
    section = page.split('id="rule-pss-privileged"', 1)[1].split("</section>", 1)[0]
    assert "Why:" in section and "Fix:" in section
    assert rule.remediation.split("'")[0][:40] in section


def test_counts_by_severity_are_drawn(scanned: Report) -> None:
    page = render(scanned)
    chart = page.split("Findings by severity</figcaption>", 1)[1].split("</figure>", 1)[0]
    high = scanned.counts()["high"]
    assert re.search(rf">high</text>.*?>{high}</text>", chart, re.S)


@pytest.mark.parametrize(
    "name",
    [
        "<img src=x onerror=alert(1)>.yaml",
        '"><svg onload=alert(1)>.yaml',
        "<script>alert(1)<\\script>.yaml",
        FORGED_NAME,
    ],
)
def test_hostile_file_name_renders_as_text(tmp_path: Path, name: str) -> None:
    repo = make_repo(tmp_path / "repo", {})
    (repo / name).write_text(PRIVILEGED_POD)
    page = render(scan(repo))
    kinds = [tag for tag, _ in tags_of(page)]
    assert kinds.count("script") == 1
    assert "img" not in kinds
    assert [key for _, attrs in tags_of(page) for key in attrs if key.startswith("on")] == [
        "onsubmit"  # the filter form's own, in the template
    ]
    shown = name.replace("\n", "\\n").replace("&", "&amp;").replace("<", "&lt;")
    assert shown.replace(">", "&gt;").replace('"', "&#34;") in page


def test_file_name_that_is_not_utf8_is_shown_as_its_byte(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {})
    (repo / os.fsdecode(b"pod-\xff.yaml")).write_text(PRIVILEGED_POD)
    page = render(scan(repo))
    page.encode("utf-8")  # writable as the UTF-8 file it is declared to be
    assert "<h3>pod-\\xff.yaml</h3>" in page


def test_field_of_a_hostile_object_renders_as_text(tmp_path: Path) -> None:
    pod = PRIVILEGED_POD.replace("name: shell", f"name: '{HOSTILE_TEXT}'")
    repo = make_repo(tmp_path / "repo", {"pod.yaml": pod})
    page = render(scan(repo))
    kinds = [tag for tag, _ in tags_of(page)]
    assert kinds.count("script") == 1 and "img" not in kinds
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_source_behind_a_link_out_of_the_repository_is_not_shown(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "pod.yaml").write_text(PRIVILEGED_POD.replace("tools", "secret-namespace"))
    repo = make_repo(tmp_path / "repo", {"deploy/pod.yaml": PRIVILEGED_POD})
    report = scan(repo)
    (repo / "deploy" / "pod.yaml").unlink()
    (repo / "deploy" / "pod.yaml").symlink_to(outside / "pod.yaml")
    page = render(report)
    assert "secret-namespace" not in page
    assert 'class="excerpt"' not in page


def test_file_with_a_credential_shows_no_source_lines(tmp_path: Path) -> None:
    pod = PRIVILEGED_POD.replace(
        "    - name: shell\n",
        f"    - name: shell\n      env:\n        - name: GH\n          value: {GITHUB_TOKEN}\n",
    )
    repo = make_repo(tmp_path / "repo", {"deploy/pod.yaml": pod})
    report = scan(repo)
    rules = {f.rule_id for f in report.findings}
    assert "github-personal-access-token" in rules and "pss-privileged" in rules
    page = render(report)
    assert GITHUB_TOKEN not in page
    assert 'class="excerpt"' not in page


def test_history_report_shows_no_source_lines(scanned: Report) -> None:
    from dataclasses import replace

    assert 'class="excerpt"' not in render(replace(scanned, command="history"))


def test_gate_report_shows_the_decision_and_each_check(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"deploy/pod.yaml": PRIVILEGED_POD})
    checks = (
        CheckResult("signatures", "fail", "1 unsigned commit", 1),
        CheckResult("scan", "pass"),
    )
    decided = predicate(
        repo,
        commit(repo, "hotfix"),
        "prod",
        "deny",
        4,
        reasons=("1 unsigned commit",),
        checks=checks,
    )
    # The gate's report carries the predicate it signs, as JSON (Report.decision).
    report = dataclasses.replace(scan(repo), decision=decided.as_json())
    page = render(report)
    section = page.split('id="decision"', 1)[1].split("</section>", 1)[0]
    assert "DENY" in section and "1 unsigned commit" in section
    rows = re.findall(r"<tr><td>(\w+)</td><td><span class=\"verdict (\w+)\">", section)
    assert rows == [("signatures", "fail"), ("scan", "pass")]


def test_report_without_a_decision_has_no_decision_section(scanned: Report) -> None:
    assert 'id="decision"' not in render(scanned)


def test_rule_catalogue_renders_as_a_page() -> None:
    from gitwarden.rule_catalogue import all_rules

    page = get_format("html").render_rules(list(all_rules()))
    assert 'id="rule-pss-privileged"' in page
    assert [tag for tag, _ in tags_of(page)].count("script") == 0


def test_command_line_writes_the_html_report(tmp_path: Path, scanned: Any) -> None:
    from gitwarden.cli import main

    repo = make_repo(tmp_path / "other", {"pod.yaml": PRIVILEGED_POD})
    output = tmp_path / "report.html"
    assert main(["scan", str(repo), "--format", "html", "--output", str(output)]) == 1
    assert 'data-rule="pss-privileged"' in output.read_text()
