"""`gitwarden serve` pages over a trail of real gate decisions (issue 21.2)."""

from __future__ import annotations

import re
import sqlite3
from html.parser import HTMLParser
from pathlib import Path

import pytest
from dashboard_trail import (
    HOSTILE_TEXT,
    IMAGE,
    PRIVILEGED_POD,
    Trail,
    commit,
    gate_trail,
    make_repo,
    predicate,
    record_hostile_decision,
)
from starlette.testclient import TestClient

from gitwarden.audit.stores import open_store
from gitwarden.commands.audit import record_gate_decision
from gitwarden.commands.fleet import FleetScanOptions, fleet_scan
from gitwarden.dashboard.app import DashboardSettings, dashboard_app

LOCAL = "http://127.0.0.1:8780"


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.kinds: list[str] = []
        self.handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.kinds.append(tag)
        self.handlers += [key for key, _ in attrs if key.startswith("on")]


def parsed(page: str) -> Tags:
    tags = Tags()
    tags.feed(page)
    return tags


@pytest.fixture
def trail(tmp_path: Path) -> Trail:
    return gate_trail(tmp_path)


def client_for(trail: Trail, **settings: object) -> TestClient:
    app = dashboard_app(
        DashboardSettings(trail.store_url, refresh_seconds=0, background_refresh=False, **settings)
    )  # type: ignore[arg-type]
    return TestClient(app, base_url=LOCAL)


def rows(page: str, css_class: str) -> list[str]:
    return re.findall(rf'<tr class="{css_class}"[^>]*>(.*?)</tr>', page, re.S)


def test_overview_shows_the_latest_decision_per_repository_and_environment(trail: Trail) -> None:
    page = client_for(trail).get("/").text
    found = re.findall(
        r'data-repository="([^"]*)" data-environment="([^"]*)">.*?class="verdict \w+">(\w+)<',
        page,
        re.S,
    )
    assert [(Path(repo).name, env, outcome) for repo, env, outcome in found] == [
        ("ledger", "prod", "allow"),
        ("payments", "prod", "deny"),
        ("payments", "staging", "allow"),
    ]


def test_overview_shows_the_reasons_of_a_denial(trail: Trail) -> None:
    page = client_for(trail).get("/").text
    assert re.findall(r'<li class="reason">(.*?)</li>', page) == ["1 unsigned commit"]


def test_timeline_lists_every_decision_newest_first(trail: Trail) -> None:
    page = client_for(trail).get("/timeline").text
    times = re.findall(r'<tr class="timeline-row">\s*<td>([^<]+)</td>', page)
    assert times == sorted(times, reverse=True) and len(times) == 4
    assert all("dave" in row for row in rows(page, "timeline-row"))


def test_timeline_of_one_environment(trail: Trail) -> None:
    page = client_for(trail).get("/timeline", params={"environment": "staging"}).text
    assert len(rows(page, "timeline-row")) == 1


def test_trace_of_a_revision_shows_its_chain(trail: Trail) -> None:
    page = client_for(trail).get("/trace", params={"q": trail.released.sha}).text
    steps = re.findall(r'data-seq="(\d+)" data-kind="([^"]+)"', page)
    assert steps == [("1", "gate-decision"), ("2", "gate-decision")]
    assert "2 steps, 2 deployments" in page
    assert "staging" in page.split('data-seq="1"')[1].split("</li>")[0]


def test_trace_of_an_image_digest_finds_every_deployment_of_it(trail: Trail) -> None:
    page = client_for(trail).get("/trace", params={"q": IMAGE}).text
    assert re.findall(r'data-seq="(\d+)"', page) == ["1", "2", "3"]


def test_trace_of_a_malformed_query_says_why(trail: Trail) -> None:
    page = client_for(trail).get("/trace", params={"q": "not-a-sha"}).text
    assert 'id="trace-error"' in page and "neither a revision nor an image digest" in page


def test_hostile_strings_from_the_trail_render_as_text(trail: Trail) -> None:
    record_hostile_decision(trail)
    client = client_for(trail)
    for path in ("/", "/timeline", f"/trace?q={trail.rejected.sha}"):
        page = client.get(path).text
        tags = parsed(page)
        assert "script" not in tags.kinds and "img" not in tags.kinds, path
        assert tags.handlers == [], path
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in client.get("/").text
    assert "line one\\nline two" in client.get("/").text


def test_pages_forbid_scripts_and_requests_elsewhere(trail: Trail) -> None:
    response = client_for(trail).get("/")
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_dashboard_never_writes(trail: Trail, method: str) -> None:
    store = open_store(trail.store_url, create=False)
    before = store.head()
    store.close()
    response = client_for(trail).request(method, "/")
    assert response.status_code == 405
    store = open_store(trail.store_url, create=False)
    assert store.head() == before
    store.close()


def test_a_new_decision_appears_once_recorded(trail: Trail) -> None:
    client = client_for(trail)
    assert "canary" not in client.get("/").text
    record_gate_decision(
        trail.store_url, predicate(trail.repo, trail.released, "canary", "allow", 6), trail.key
    )
    assert "canary" in client.get("/").text


def test_damaged_trail_is_announced_on_every_page(trail: Trail) -> None:
    database = trail.store_url.removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        connection.execute(
            "UPDATE gitwarden_audit_entries SET payload = replace(payload, 'deny', 'allow') "
            "WHERE seq = 4"
        )
    client = client_for(trail)
    for path in ("/", "/timeline", "/fleet", f"/trace?q={trail.rejected.sha}"):
        assert 'id="chain-broken"' in client.get(path).text, path
    assert "read from a damaged chain" in client.get(f"/trace?q={trail.rejected.sha}").text


def test_fleet_view_lists_the_worst_open_findings_first(trail: Trail, tmp_path: Path) -> None:
    calm = make_repo(
        tmp_path / "calm",
        {
            "cm.yaml": "apiVersion: v1\nkind: ConfigMap\n"
            "metadata:\n  name: c\n  namespace: a\ndata: {}\n"
        },
    )
    repos = tmp_path / "repos.txt"
    repos.write_text(f"{trail.repo}\n{calm}\n")
    fleet_scan(repos, options=FleetScanOptions(audit=trail.store_url, key=trail.key, workers=2))
    page = client_for(trail).get("/fleet").text
    severities = re.findall(r'<tr class="open-finding" data-severity="(\w+)"', page)
    order = ["critical", "high", "medium", "low", "info"]
    assert severities and severities == sorted(severities, key=order.index)
    assert "pss-privileged" in page


def test_findings_over_time_are_drawn_per_family(trail: Trail, tmp_path: Path) -> None:
    repos = tmp_path / "repos.txt"
    repos.write_text(f"{trail.repo}\n")
    fleet_scan(repos, options=FleetScanOptions(audit=trail.store_url, key=trail.key))
    page = client_for(trail).get("/").text
    chart = page.split("Open findings per family", 1)[1].split("</figure>", 1)[0]
    families = re.findall(r"<polyline [^>]*><title>([^<]+)</title>", chart)
    assert "pod-security" in families


def test_saved_reports_join_the_fleet_view(trail: Trail, tmp_path: Path) -> None:
    from gitwarden.commands.scan import scan
    from gitwarden.report import get_format

    repo = make_repo(tmp_path / "saved", {"pod.yaml": PRIVILEGED_POD})
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "saved.json").write_text(get_format("json").render(scan(repo)))
    (folder / "broken.json").write_text("{not json")
    page = client_for(trail, reports=folder).get("/fleet").text
    assert str(repo) in page
    assert "Not read: broken.json" in page


def test_decision_of_another_commit_is_not_in_the_trace(trail: Trail) -> None:
    other = commit(trail.repo, "later")
    page = client_for(trail).get("/trace", params={"q": other.sha}).text
    assert "0 steps, 0 deployments" in page
    assert HOSTILE_TEXT not in page
