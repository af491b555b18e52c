"""The HTML report and the dashboard in a real headless Chromium (issue 21.3).

Screenshots are saved when GITWARDEN_SCREENSHOTS names a folder (docs/screenshots for the
committed ones): ``GITWARDEN_SCREENSHOTS=docs/screenshots pytest tests/views/test_browser_*``.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from dashboard_trail import PRIVILEGED_POD, make_repo
from gate_runs import DIGEST, HOSTILE_MARKUP, GatedTrail, gated_trail

from browser_fixtures import browser, save_screenshot
from gitwarden.commands.audit import AuditTraceOptions, audit_trace
from gitwarden.commands.fleet import FleetScanOptions, fleet_scan
from gitwarden.commands.scan import scan
from gitwarden.config import load_config
from gitwarden.dashboard.app import DashboardSettings, dashboard_app
from gitwarden.report import get_format
from gitwarden.report.html_trace import render_trace_page

__all__ = ["browser"]  # the fixture, imported for pytest

SUPPRESSING_CONFIG = """\
suppressions:
  - rule: pss-privileged
    path: "debug/**"
    reason: "debug pod, never deployed (SEC-7)"
"""
HOSTILE_NAME = '<img src=x onerror="document.title=1">.yaml'


def by_css(driver: Any, selector: str) -> list[Any]:
    from selenium.webdriver.common.by import By

    found: list[Any] = driver.find_elements(By.CSS_SELECTOR, selector)
    return found


def visible(driver: Any, selector: str) -> list[Any]:
    return [element for element in by_css(driver, selector) if element.is_displayed()]


def wait_until_replaced(driver: Any, element: Any) -> None:
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 10).until(expected_conditions.staleness_of(element))


def no_alert(driver: Any) -> bool:
    from selenium.common.exceptions import NoAlertPresentException

    try:
        driver.switch_to.alert  # noqa: B018 - raises when there is none
    except NoAlertPresentException:
        return True
    return False


@pytest.fixture(scope="module")
def report_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("report")
    repo = make_repo(
        root / "repo",
        {
            "deploy/pod.yaml": PRIVILEGED_POD,
            "debug/pod.yaml": PRIVILEGED_POD.replace("root-shell", "debug-shell"),
            HOSTILE_NAME: PRIVILEGED_POD.replace("root-shell", "hostile"),
            ".gitwarden.yaml": SUPPRESSING_CONFIG,
        },
    )
    config = load_config(repo / ".gitwarden.yaml")
    page = root / "report.html"
    page.write_text(get_format("html").render(scan(repo, config)), encoding="utf-8")
    return page


def select(driver: Any, element_id: str, value: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element("id", element_id)).select_by_value(value)


def test_report_opens_with_every_finding_shown(browser: Any, report_page: Path) -> None:
    browser.get(report_page.as_uri())
    shown = visible(browser, ".finding")
    assert len(shown) == len(by_css(browser, ".finding")) > 0
    assert browser.find_element("id", "shown-count").text == str(len(shown))
    save_screenshot(browser, "html-report")


def test_severity_filter_hides_the_other_severities(browser: Any, report_page: Path) -> None:
    browser.get(report_page.as_uri())
    select(browser, "filter-severity", "critical")
    shown = visible(browser, ".finding")
    assert shown and {e.get_attribute("data-severity") for e in shown} == {"critical"}
    assert len(shown) < len(by_css(browser, ".finding"))


def test_rule_filter_shows_only_that_rule(browser: Any, report_page: Path) -> None:
    browser.get(report_page.as_uri())
    select(browser, "filter-rule", "pss-privileged")
    shown = visible(browser, ".finding")
    assert {e.get_attribute("data-rule") for e in shown} == {"pss-privileged"}


def test_family_filter_shows_only_that_family(browser: Any, report_page: Path) -> None:
    browser.get(report_page.as_uri())
    select(browser, "filter-family", "pod-security")
    assert {e.get_attribute("data-family") for e in visible(browser, ".finding")} == {
        "pod-security"
    }


def test_suppressed_findings_can_be_hidden(browser: Any, report_page: Path) -> None:
    browser.get(report_page.as_uri())
    assert visible(browser, '.finding[data-suppressed="true"]')
    browser.find_element("id", "filter-suppressed").click()
    assert visible(browser, '.finding[data-suppressed="true"]') == []
    assert visible(browser, '.finding[data-suppressed="false"]')


def test_source_excerpt_of_a_finding_is_visible(browser: Any, report_page: Path) -> None:
    browser.get(report_page.as_uri())
    select(browser, "filter-rule", "pss-privileged")
    marks = [m.text for m in visible(browser, ".finding pre.excerpt mark")]
    assert "privileged" in marks


def test_hostile_file_name_is_shown_as_text(browser: Any, report_page: Path) -> None:
    browser.get(report_page.as_uri())
    headings = [h.text for h in by_css(browser, ".file > h3")]
    assert HOSTILE_NAME in headings
    assert by_css(browser, "img") == []
    assert browser.title.startswith("gitwarden scan") and no_alert(browser)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def gated(tmp_path_factory: pytest.TempPathFactory) -> GatedTrail:
    """A store filled by real gate runs (see `gate_runs`), then a fleet scan of the repository."""
    root = tmp_path_factory.mktemp("gated")
    trail = gated_trail(root)
    repos = root / "repos.txt"
    repos.write_text(f"{trail.repo}\n")
    fleet_scan(repos, options=FleetScanOptions(audit=trail.store_url, key=trail.gate_key))
    return trail


@pytest.fixture(scope="module")
def dashboard(gated: GatedTrail) -> Iterator[tuple[str, GatedTrail]]:
    trail = gated
    port = free_port()
    app = dashboard_app(DashboardSettings(trail.store_url))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the dashboard did not start"
    try:
        yield f"http://127.0.0.1:{port}", trail
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_dashboard_overview_loads_the_recorded_decisions(
    browser: Any, dashboard: tuple[str, GatedTrail]
) -> None:
    url, _ = dashboard
    browser.get(url + "/")
    environments = [
        row.get_attribute("data-environment") for row in by_css(browser, ".decision-row")
    ]
    assert {"prod", "staging"} <= set(environments)
    assert HOSTILE_MARKUP in environments  # shown as text, in its attribute
    assert by_css(browser, "img") == [] and no_alert(browser)
    save_screenshot(browser, "dashboard-overview")


def test_dashboard_timeline_loads(browser: Any, dashboard: tuple[str, GatedTrail]) -> None:
    url, _ = dashboard
    browser.get(url + "/timeline")
    assert len(visible(browser, ".timeline-row")) == 5
    save_screenshot(browser, "dashboard-timeline")


def test_dashboard_trace_page_shows_the_chain(
    browser: Any, dashboard: tuple[str, GatedTrail]
) -> None:
    url, trail = dashboard
    browser.get(url + "/trace")
    field = browser.find_element("id", "trace-query")
    field.send_keys(trail.first)
    field.submit()
    # submit() returns before the browser has loaded the answer page.
    wait_until_replaced(browser, field)
    steps = [step.get_attribute("data-seq") for step in visible(browser, ".trace-step")]
    assert steps == ["1", "2"]
    assert "2 deployments" in browser.find_element("id", "trace-summary").text
    save_screenshot(browser, "dashboard-trace")


def test_dashboard_fleet_view_lists_open_findings(
    browser: Any, dashboard: tuple[str, GatedTrail]
) -> None:
    url, _ = dashboard
    browser.get(url + "/fleet")
    severities = [row.get_attribute("data-severity") for row in visible(browser, ".open-finding")]
    assert severities and severities[0] in {"critical", "high"}
    save_screenshot(browser, "dashboard-fleet")


def test_dashboard_trace_of_an_image_digest_lists_every_deployment_that_ran_it(
    browser: Any, dashboard: tuple[str, GatedTrail]
) -> None:
    url, _ = dashboard
    browser.get(f"{url}/trace?q={DIGEST}")
    outcomes = [
        step.find_element("css selector", ".verdict").text
        for step in visible(browser, ".trace-step")
    ]
    assert outcomes == ["allow", "allow", "deny", "allow"]
    assert "3 deployments" in browser.find_element("id", "trace-summary").text


def test_dashboard_trace_names_the_approver_the_gate_counted(
    browser: Any, dashboard: tuple[str, GatedTrail]
) -> None:
    url, trail = dashboard
    browser.get(f"{url}/trace?q={trail.second}&environment=prod")
    step = visible(browser, ".trace-step")[0]
    approval = step.find_element("css selector", ".approval").text
    assert approval.startswith("bob (four-eyes) [git key SHA256:")
    assert approval.endswith(": “checked 1.1”")


def test_dashboard_trace_shows_a_hostile_commit_as_text(
    browser: Any, dashboard: tuple[str, GatedTrail]
) -> None:
    url, trail = dashboard
    browser.get(f"{url}/trace?q={trail.hotfix}")
    commits = [item.text for item in visible(browser, ".trace-step .commits li")]
    assert any(HOSTILE_MARKUP in text for text in commits)
    assert by_css(browser, "img") == [] and by_css(browser, "#trace-steps script") == []
    assert no_alert(browser)


@pytest.fixture(scope="module")
def trace_page(gated: GatedTrail, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`audit trace --format html` of the hostile hotfix, as the CLI writes it."""
    traced = audit_trace(gated.hotfix, options=AuditTraceOptions(audit=gated.store_url))
    page = tmp_path_factory.mktemp("trace") / "trace.html"
    page.write_text(render_trace_page(traced.trace), encoding="utf-8")
    return page


def test_trace_page_opens_with_the_recorded_step(browser: Any, trace_page: Path) -> None:
    browser.get(trace_page.as_uri())
    steps = visible(browser, ".trace-step")
    assert [step.get_attribute("data-outcome") for step in steps] == ["deny"]
    assert "unsigned-commit" in steps[0].find_element("css selector", ".reasons").text
    assert browser.title.startswith("gitwarden audit trace")
    save_screenshot(browser, "audit-trace")


def test_trace_page_shows_a_hostile_commit_subject_and_author_as_text(
    browser: Any, trace_page: Path, gated: GatedTrail
) -> None:
    browser.get(trace_page.as_uri())
    assert [cell.text for cell in by_css(browser, ".commit .subject")] == [HOSTILE_MARKUP]
    # Git drops the <, > and " of an author name; the rest is still markup, shown as text.
    recorded = gated.decisions[2].decision.commits[0].author
    assert recorded and "onerror=alert(1)" in recorded
    assert [cell.text for cell in by_css(browser, ".commit .author")] == [recorded]
    assert by_css(browser, "img") == [] and by_css(browser, "script") == []
    assert no_alert(browser)


def test_trace_page_lists_the_images_with_their_digest(browser: Any, trace_page: Path) -> None:
    browser.get(trace_page.as_uri())
    pinned = [row.get_attribute("data-pinned") for row in by_css(browser, ".image")]
    assert pinned == ["true"]
    assert DIGEST in browser.find_element("css selector", ".image").text


def test_dashboard_timeline_says_who_allowed_a_deployment(
    browser: Any, dashboard: tuple[str, GatedTrail]
) -> None:
    url, trail = dashboard
    browser.get(url + "/timeline?environment=prod")
    rows = {
        row.find_element("css selector", "code").text: row.text
        for row in visible(browser, ".timeline-row")
    }
    assert "bob" in rows[trail.second[:12]] and "bob" not in rows[trail.first[:12]]
