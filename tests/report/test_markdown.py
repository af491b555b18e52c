from __future__ import annotations

import re

import pytest
from report_fixtures import HOST_PATH, NO_LIMITS, PRIVILEGED, RULES, make_finding, make_report

from gitwarden.findings import Severity, Suppression
from gitwarden.report.display import DisplayOptions
from gitwarden.report.markdown import GITHUB_COMMENT_LIMIT, MarkdownFormat
from gitwarden.report.model import Report

TABLE_COLUMNS = 5


def render(report: Report | None = None, **options: int) -> str:
    return MarkdownFormat(**options).render(report or make_report())


def table_rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("| ")]


def cell_count(row: str) -> int:
    """Cells as GFM splits them: on pipes not escaped with a backslash."""
    return len(re.findall(r"(?<!\\)\|", row)) - 1


def test_headline_says_fail_with_counts() -> None:
    first_line, _, counts_line = render().splitlines()[:3]

    assert first_line == "### gitwarden: ❌ FAIL"
    assert "**3** findings (1 critical · 0 high · 1 medium · 1 low · 0 info)" in counts_line
    assert "**1** suppressed" in counts_line
    assert "1 at or above `high`" in counts_line


def test_headline_says_pass_when_nothing_reaches_fail_on() -> None:
    markdown = render(make_report(fail_on=Severity.CRITICAL, findings=(make_finding(),)))

    assert markdown.startswith("### gitwarden: ✅ PASS")


def test_table_lists_unsuppressed_findings_most_severe_first() -> None:
    markdown = render()
    table = markdown.split("<details>")[0]

    rows = table_rows(table)[2:]
    assert [row.split(" | ")[0] for row in rows] == ["| 🟥 critical", "| 🟨 medium", "| 🟦 low"]
    assert PRIVILEGED.id in rows[0]
    assert "`apps/web/deployment.yaml:12`" in rows[0]
    assert "`Deployment/prod/web`" in rows[0]
    assert HOST_PATH.id not in table


def test_suppressed_findings_are_in_a_collapsed_details_block() -> None:
    markdown = render()

    details = markdown[markdown.index("<details>") : markdown.index("</details>")]
    assert "<summary>1 suppressed</summary>" in details
    assert HOST_PATH.id in details
    assert "node-local cache, reviewed in SEC-12 (until 2031-01-31)" in details


def test_escapes_pipes_and_newlines_so_a_finding_stays_one_row() -> None:
    finding = make_finding("a | b\nc\r\nd", resource="ConfigMap/x|y", field_path="data.a|b")

    markdown = render(make_report((finding,)))

    [header, _, row] = table_rows(markdown)
    assert cell_count(row) == cell_count(header) == TABLE_COLUMNS
    assert "a \\| b<br>c<br>d" in row
    assert "`ConfigMap/x\\|y`" in row


@pytest.mark.parametrize(
    "message",
    [
        "[click me](https://evil.example)",
        "![pixel](https://evil.example/p.png)",
        "<details><summary>fake</summary>",
        "**bold** _it_ ~~gone~~ `code`",
        "&lt;entity&gt;",
    ],
)
def test_escapes_markdown_and_html_in_messages(message: str) -> None:
    markdown = render(make_report((make_finding(message),)))

    [_, _, row] = table_rows(markdown)
    message_cell = row.rsplit(" | ", 1)[1]
    unescaped = re.findall(r"(?<!\\)[\[\]<>*_~`&!]", message_cell.removesuffix(" |"))
    assert unescaped == []


def test_code_cells_survive_backticks_in_names() -> None:
    markdown = render(make_report((make_finding(resource="Pod/ns/`weird``name"),)))

    assert "```Pod/ns/`weird``name```" in markdown


def test_truncates_to_max_chars_with_a_note_keeping_the_most_severe() -> None:
    lows = [
        make_finding(f"finding number {i}", line=i, severity=Severity.LOW) for i in range(1, 200)
    ]
    findings = (*lows, make_finding("the critical one", rule=PRIVILEGED, line=999))

    markdown = render(make_report(findings), max_chars=4_000)

    assert len(markdown) <= 4_000
    assert "the critical one" in table_rows(markdown)[2]
    shown = len(table_rows(markdown)) - 2
    assert f"_{len(findings) - shown} more not shown" in markdown


def test_suppressed_findings_are_dropped_first_when_the_table_is_cut() -> None:
    lows = [make_finding(f"finding {i}", line=i, severity=Severity.LOW) for i in range(1, 200)]
    suppressed = make_finding("waived").with_suppression(Suppression("config", "accepted"))

    markdown = render(make_report((*lows, suppressed)), max_chars=4_000)

    assert "<details>" not in markdown
    shown = len(table_rows(markdown)) - 2
    assert f"_{200 - shown} more not shown" in markdown


def test_default_output_fits_a_github_comment() -> None:
    findings = tuple(
        make_finding("x" * 400 + "|", rule=NO_LIMITS, file=f"f{i}.yaml", field_path="a.b" * 20)
        for i in range(2_000)
    )

    markdown = render(make_report(findings))

    assert len(markdown) < GITHUB_COMMENT_LIMIT
    assert "more not shown" in markdown


def test_long_messages_are_shortened() -> None:
    markdown = render(make_report((make_finding("y" * 5_000),)))

    assert "y" * 499 + "…" in markdown
    assert "y" * 501 not in markdown


def test_no_note_when_everything_fits() -> None:
    assert "not shown" not in render()


def test_empty_report_is_a_passing_headline_without_tables() -> None:
    markdown = render(make_report(()))

    assert markdown.startswith("### gitwarden: ✅ PASS")
    assert table_rows(markdown) == []
    assert "<details>" not in markdown


def test_rule_catalogue_has_a_section_per_family() -> None:
    markdown = MarkdownFormat().render_rules(list(RULES))

    families = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert families == ["## hardening", "## images", "## pod-security"]
    assert f"### `{PRIVILEGED.id}`: {PRIVILEGED.title}" in markdown
    assert f"- <{PRIVILEGED.references[0]}>" in markdown


def test_mentions_in_scanned_content_do_not_notify() -> None:
    from gitwarden.findings import Finding, Location, Severity
    from gitwarden.report.markdown import MarkdownFormat
    from gitwarden.report.model import Report

    finding = Finding(
        rule_id="pss-privileged",
        severity=Severity.HIGH,
        title="t",
        message="ping @acme/security-team now",
        location=Location(file="a.yaml", line=1),
    )
    text = MarkdownFormat().render(Report(command="scan", target=".", findings=(finding,)))
    assert "@acme" not in text.replace("\\@acme", "")
    assert "\\@acme/security-team" in text


@pytest.mark.parametrize(
    "message",
    [
        "see https://evil.example/login",
        "see http://evil.example",
        "see ftp://evil.example/file",
        "see www.evil.example",
        "see WWW.evil.example",
        "(https://evil.example)",
        "mailto:someone@evil.example",
        "[click me](https://evil.example)",
    ],
)
def test_bare_urls_from_scanned_content_are_not_links_on_github(message: str) -> None:
    cmarkgfm = pytest.importorskip("cmarkgfm")
    markdown = render(make_report((make_finding(message),)))

    html = cmarkgfm.github_flavored_markdown_to_html(markdown)

    assert "<a " not in html
    shown = message.removeprefix("[click me](").removesuffix(")").split()[-1]
    assert shown in html.replace("\u200b", "")


def test_urls_stay_readable_as_text() -> None:
    cmarkgfm = pytest.importorskip("cmarkgfm")
    markdown = render(make_report((make_finding("fetch https://a.example/x and www.b.example"),)))

    html = cmarkgfm.github_flavored_markdown_to_html(markdown)

    assert "fetch https://a.example/x and www.b.example" in html


def test_min_severity_leaves_lower_rows_out_and_says_how_many() -> None:
    findings = (
        make_finding("low row", severity=Severity.LOW),
        make_finding("critical row", line=2, severity=Severity.CRITICAL),
    )

    output = MarkdownFormat(display=DisplayOptions(min_severity=Severity.HIGH)).render(
        make_report(findings)
    )

    assert "critical row" in output and "low row" not in output
    assert "1 below `high` not shown" in output
    assert "FAIL" in output


def test_summary_is_a_table_of_counts_per_rule() -> None:
    findings = tuple(make_finding(f"row {n}", line=n) for n in range(1, 4))

    output = MarkdownFormat(display=DisplayOptions(summary_only=True)).render(make_report(findings))

    assert "row 1" not in output
    assert re.search(r"\| `image-latest-tag` \| images \| 3 \|", output)
