from __future__ import annotations

import re

import pytest
from report_fixtures import CACHE, LATEST_TAG, RULES, WEB, make_finding, make_report

from gitwarden.findings import Location, Severity
from gitwarden.report.display import DisplayOptions
from gitwarden.report.model import Report
from gitwarden.report.text import TextFormat

ANSI_ESCAPE = "\x1b["


def render(report: Report | None = None, *, color: bool = False) -> str:
    return TextFormat().render(report or make_report(), color=color)


def test_groups_findings_under_one_heading_per_file() -> None:
    lines = render().splitlines()

    assert lines.count(CACHE) == 1
    assert lines.count(WEB) == 1
    cache_block = lines[lines.index(CACHE) : lines.index(WEB)]
    assert all(WEB not in line for line in cache_block)


def test_sorts_findings_by_line_within_a_file() -> None:
    output = render()

    assert output.index(f"{WEB}:12:11") < output.index(f"{WEB}:30:18")


def test_shows_location_severity_rule_resource_field_and_message() -> None:
    output = render()

    line = next(line for line in output.splitlines() if f"{WEB}:12:11" in line)
    assert "CRITICAL" in line
    assert "privileged-container" in line
    assert "Deployment/prod/web spec.template.spec.containers[0].securityContext.privileged" in line
    assert "(from kustomize overlays/prod)" in line
    assert "Container web sets privileged: true" in output


def test_shows_suppressed_findings_marked_with_who_and_why() -> None:
    output = render()

    heading = next(line for line in output.splitlines() if f"{CACHE}:40:11" in line)
    assert heading.lstrip().startswith("~ ")
    assert (
        "suppressed by annotation until 2031-01-31: node-local cache, reviewed in SEC-12" in output
    )


def test_has_no_ansi_escapes_without_color_even_when_the_environment_forces_color(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TTY_COMPATIBLE", "1")

    assert "\x1b" not in render(color=False)


def test_colours_severities_with_color_even_when_the_environment_says_no_color(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")

    output = render(color=True)

    assert ANSI_ESCAPE in output
    assert re.search(r"\x1b\[[0-9;]*31m", output), "expected red for critical/high"


def test_summary_counts_unsuppressed_findings_and_fails_at_fail_on() -> None:
    last_line = render().splitlines()[-1]

    assert last_line.startswith("FAIL")
    assert "3 findings (1 critical, 0 high, 1 medium, 1 low, 0 info)" in last_line
    assert "1 suppressed" in last_line
    assert "1 at or above high" in last_line


def test_summary_passes_when_nothing_reaches_fail_on() -> None:
    last_line = render(make_report((make_finding(),), fail_on=Severity.CRITICAL)).splitlines()[-1]

    assert last_line.startswith("PASS")
    assert "0 at or above critical" in last_line


def test_empty_report_is_just_a_passing_summary() -> None:
    assert render(make_report(())).splitlines()[0].startswith("PASS  0 findings")


def test_prints_rich_markup_in_messages_literally() -> None:
    finding = make_finding("containers[0] [bold red]not markup[/]", field_path="spec.x[0]")

    output = render(make_report((finding,)))

    assert "containers[0] [bold red]not markup[/]" in output
    assert "spec.x[0]" in output


def test_escapes_terminal_control_characters_from_scanned_content() -> None:
    finding = make_finding("evil\x1b[2Jclear \u202eright-to-left", resource="Pod/x\x07")

    output = render(make_report((finding,)), color=True)

    assert "\x1b[2J" not in output
    assert "\u202e" not in output
    assert "\x07" not in output
    assert "evil\\x1b[2Jclear \\u202eright-to-left" in output


def test_long_messages_wrap_under_the_indent_without_trailing_spaces() -> None:
    finding = make_finding("word " * 60)

    lines = TextFormat(width=60).render(make_report((finding,))).splitlines()

    message_lines = [line for line in lines if line.strip().startswith("word")]
    assert len(message_lines) > 1
    assert all(line.startswith("      word") and len(line) <= 60 for line in message_lines)
    assert all(line == line.rstrip() for line in lines)


def test_rule_catalogue_groups_rules_by_family() -> None:
    output = TextFormat().render_rules(list(RULES))
    lines = output.splitlines()

    families = [line for line in lines if line and not line.startswith(" ")]
    assert families == ["hardening", "images", "pod-security"]
    pod_security = lines[lines.index("pod-security") :]
    assert any("host-path-volume" in line for line in pod_security)
    assert any("privileged-container" in line for line in pod_security)
    assert "fix: Pin the image by digest." in output
    assert LATEST_TAG.rationale in output


def test_a_rule_firing_in_many_places_is_one_block_listing_every_place() -> None:
    findings = tuple(
        make_finding(f"container {n} uses latest", line=n, resource=f"Deployment/default/app{n}")
        for n in range(1, 6)
    )

    output = TextFormat().render(make_report(findings))

    assert output.count(LATEST_TAG.id) == 1
    assert "5 places" in output
    assert all(f"app.yaml:{n}:1  Deployment/default/app{n}" in output for n in range(1, 6))


def test_findings_seen_twice_stay_ungrouped_with_their_messages() -> None:
    findings = (make_finding("first message", line=1), make_finding("second message", line=2))

    output = TextFormat().render(make_report(findings))

    assert "first message" in output and "second message" in output
    assert "places" not in output


def test_min_severity_hides_lower_findings_but_keeps_the_verdict() -> None:
    findings = (
        make_finding("low one", severity=Severity.LOW),
        make_finding("critical one", line=2, severity=Severity.CRITICAL),
    )

    output = TextFormat(display=DisplayOptions(min_severity=Severity.HIGH)).render(
        make_report(findings)
    )

    assert "critical one" in output and "low one" not in output
    assert "1 below the display floor not shown" in output
    assert output.rstrip().splitlines()[-1].startswith("FAIL  2 findings")


def test_summary_lists_counts_per_family_and_rule_instead_of_findings() -> None:
    findings = tuple(make_finding(f"message {n}", line=n) for n in range(1, 4))

    output = TextFormat(display=DisplayOptions(summary_only=True)).render(make_report(findings))

    assert "message 1" not in output
    assert re.search(rf"MEDIUM\s+3\s+{LATEST_TAG.id}\s+\(images\)", output)
    assert re.search(r"MEDIUM\s+3\s+images$", output, re.MULTILINE)


@pytest.mark.parametrize(
    "word",
    ["https://example.org/" + "a" * 120 + "/docs?x=1", "clusters/" + "deep/" * 30 + "pod.yaml"],
)
def test_a_url_or_path_longer_than_the_line_is_never_cut(word: str) -> None:
    finding = make_finding(f"see {word} for the fix")

    output = TextFormat(width=60).render(make_report((finding,)))

    assert any(word in line for line in output.splitlines())


def test_verify_findings_name_the_commit_and_the_ref() -> None:
    commit = "0123456789abcdef0123456789abcdef01234567"
    finding = LATEST_TAG.finding(
        "'add web': not signed",
        Location("refs/heads/main", resource=f"commit {commit[:12]}"),
        details={"commit": commit, "ref": "refs/heads/main"},
    )
    report = Report("verify", ".", (finding,), objects_scanned=4)

    output = TextFormat().render(report)

    assert "commit 0123456789ab on refs/heads/main" in output
    assert "refs/heads/main:1:1" not in output
    assert "verified 4 commits" in output and "scanned 0 files" not in output


def test_scanned_text_in_a_grouped_place_stays_escaped() -> None:
    findings = tuple(
        make_finding(line=n, resource=f"Deployment/default/evil\x1b[2J{n}") for n in range(3)
    )

    output = TextFormat().render(make_report(findings))

    assert "\x1b" not in output
    assert "\\x1b[2J" in output


def test_a_grouped_block_quotes_one_places_message_and_the_rules_fix() -> None:
    findings = tuple(make_finding(f"container {n} uses latest", line=n) for n in range(1, 4))

    output = TextFormat().render(make_report(findings))

    assert "e.g.: container 1 uses latest" in output
    assert f"fix: {LATEST_TAG.remediation}" in output


def test_a_manifest_under_a_refs_folder_keeps_its_file_position() -> None:
    finding = make_finding(file="refs/heads/app.yaml", line=5)

    assert "refs/heads/app.yaml:5:1" in TextFormat().render(make_report((finding,)))
