"""GitHub-flavoured Markdown for a pull-request comment.

A headline with PASS or FAIL and the counts per severity, a table of unsuppressed findings
(most severe first, so a cut drops the least important), and the suppressed findings in a
collapsed ``<details>`` block. GitHub rejects comments over 65,536 characters, so the
output is kept under ``max_chars``: rows that do not fit are left out and a note says how
many; the headline always stays.

Finding text comes from the scanned repository, so a pull request controls it: it is
escaped so that it cannot break the table, open HTML, or forge links and images.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gitwarden.findings import Finding, Severity, Suppression
from gitwarden.report.display import DisplayOptions, hidden_count, rule_counts, shown_findings
from gitwarden.report.escaping import printable
from gitwarden.report.model import Report
from gitwarden.rules import Rule

GITHUB_COMMENT_LIMIT = 65_536
# Room for what a posting action adds around our text (sticky-comment markers, a footer).
DEFAULT_MAX_CHARS = GITHUB_COMMENT_LIMIT - 1_536
# One pathological message must not fill the whole comment.
MAX_CELL_CHARS = 500

SEVERITY_BADGES: dict[Severity, str] = {
    Severity.CRITICAL: "🟥 critical",
    Severity.HIGH: "🟧 high",
    Severity.MEDIUM: "🟨 medium",
    Severity.LOW: "🟦 low",
    Severity.INFO: "⬜ info",
}
TABLE_HEADER = (
    "| Severity | Rule | Location | Resource | Message |\n| --- | --- | --- | --- | --- |\n"
)
SUPPRESSED_HEADER = (
    "| Rule | Location | Resource | Suppressed by | Reason |\n| --- | --- | --- | --- | --- |\n"
)

# Backslash-escaping ASCII punctuation is always literal in CommonMark; these are the marks
# that could start emphasis, code, links, images, HTML, entities, strikethrough or a cell.
# `@` too: a scanned repository must not make the comment notify a user or team.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&!@])")
# GitHub turns bare URLs into links (its autolink extension: `scheme://`, `www.`, `mailto:`).
# A backslash before the `:` or the `.` is an escape CommonMark shows as the character, and
# leaves no URL for the extension to find: scanned text cannot plant a clickable link.
AUTOLINK_TRIGGERS = re.compile(
    r"(?i)(?<=[a-z0-9])(:)(?=//)|(?<=\bwww)(\.)|(?<=\bmailto)(:)|(?<=\bxmpp)(:)"
)


# E-mail addresses are linked whatever the escapes (the extension reads the unescaped
# text); a zero-width space before the `@` is what stops it, the address still readable.
EMAIL_AT = re.compile(r"(?<=[A-Za-z0-9._+-])(?=\\@)")
ZERO_WIDTH_SPACE = "&#8203;"


def shorten(text: str, limit: int = MAX_CELL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def text_cell(text: str) -> str:
    """Plain text that stays plain inside one table cell, line breaks kept as ``<br>``;
    no link, HTML or mention in it comes alive, bare URLs included."""
    lines = shorten(text).splitlines()
    return "<br>".join(plain_text(printable(line)) for line in lines)


def plain_text(line: str) -> str:
    escaped = MARKDOWN_SPECIAL.sub(r"\\\1", line)
    escaped = AUTOLINK_TRIGGERS.sub(lambda match: "\\" + match.group(), escaped)
    return EMAIL_AT.sub(ZERO_WIDTH_SPACE, escaped)


def code_cell(text: str) -> str:
    """``text`` as inline code inside a table cell.

    Code spans take no backslash escapes, so the fence is made longer than any run of
    backticks inside; a pipe still needs ``\\|`` because GFM splits cells before parsing
    code spans.
    """
    flat = printable(shorten(text)).replace("|", "\\|")
    longest_run = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest_run + 1)
    padding = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{padding}{flat}{padding}{fence}"


def location_cell(finding: Finding) -> str:
    return code_cell(f"{finding.location.file}:{finding.location.line}")


def resource_cell(finding: Finding) -> str:
    loc = finding.location
    parts = [code_cell(part) for part in (loc.resource, loc.field_path) if part]
    if loc.origin:
        parts.append("from " + text_cell(loc.origin))
    return "<br>".join(parts)


def finding_row(finding: Finding) -> str:
    cells = [
        SEVERITY_BADGES[finding.severity],
        code_cell(finding.rule_id),
        location_cell(finding),
        resource_cell(finding),
        text_cell(finding.message),
    ]
    return "| " + " | ".join(cells) + " |\n"


def suppressed_row(finding: Finding, suppression: Suppression) -> str:
    reason = suppression.reason
    if suppression.expires:
        reason += f" (until {suppression.expires.isoformat()})"
    cells = [
        code_cell(finding.rule_id),
        location_cell(finding),
        resource_cell(finding),
        suppression.source,
        text_cell(reason),
    ]
    return "| " + " | ".join(cells) + " |\n"


def headline(report: Report) -> str:
    verdict = "✅ PASS" if report.passed else "❌ FAIL"
    counts = " · ".join(f"{count} {severity}" for severity, count in report.counts().items())
    suppressed = len(report.findings) - len(report.active)
    failing = len(report.failing)
    return (
        f"### gitwarden: {verdict}\n\n"
        f"**{len(report.active)}** finding{'' if len(report.active) == 1 else 's'} ({counts}), "
        f"**{suppressed}** suppressed. "
        f"{failing} at or above `{report.fail_on.value}`, the level that fails the check.\n"
    )


def most_severe_first(findings: list[Finding]) -> list[Finding]:
    # sorted() is stable: within a severity, the report's file-and-line order stays.
    return sorted(findings, key=lambda f: f.severity, reverse=True)


def omitted_note(count: int) -> str:
    return (
        f"\n_{count} more not shown: the comment length limit was reached. "
        "The text, JSON or SARIF report lists them all._\n"
    )


@dataclass(frozen=True)
class FittedTable:
    """A table cut to fit: its text (empty when no row fits) and how many rows it kept."""

    text: str
    rows: int


def fit_table(header: str, rows: list[str], room: int) -> FittedTable:
    """``header`` and as many ``rows`` as fit in ``room`` characters."""
    text = header
    count = 0
    for row in rows:
        if len(text) + len(row) > room:
            break
        text += row
        count += 1
    return FittedTable(text if count else "", count)


SUMMARY_HEADER = "| Severity | Rule | Family | Findings |\n| --- | --- | --- | --- |\n"


def hidden_note(count: int, display: DisplayOptions) -> str:
    if not count or display.min_severity is None:
        return ""
    return f"\n_{count} below `{display.min_severity.value}` not shown._\n"


def summary_table(report: Report, display: DisplayOptions) -> str:
    """Counts per rule, worst first: what a reviewer fixes first, in one glance."""
    rows = [
        f"| {SEVERITY_BADGES[c.severity]} | {code_cell(c.rule_id)} | {text_cell(c.family)} "
        f"| {c.count} |\n"
        for c in rule_counts(report, display)
    ]
    return "\n" + SUMMARY_HEADER + "".join(rows) if rows else ""


def compose(report: Report, budget: int, display: DisplayOptions | None = None) -> tuple[str, int]:
    """The comment within ``budget`` characters, and how many findings it shows."""
    display = display or DisplayOptions()
    ordered = shown_findings(report, display)
    active = most_severe_first([f for f in ordered if not f.suppressed])
    suppressed = [f for f in ordered if f.suppressed]
    out = headline(report) + hidden_note(hidden_count(report, display), display)
    shown = 0
    if display.summary_only:
        return out + summary_table(report, display), len(report.findings)
    if active:
        rows = [finding_row(f) for f in active]
        table = fit_table("\n" + TABLE_HEADER, rows, budget - len(out))
        out += table.text
        shown += table.rows
    # Suppressed findings matter least: they show only when every active one did.
    if suppressed and shown == len(active):
        opening = f"\n<details>\n<summary>{len(suppressed)} suppressed</summary>\n\n"
        closing = "\n</details>\n"
        rows = [suppressed_row(f, f.suppression) for f in suppressed if f.suppression]
        table = fit_table(opening + SUPPRESSED_HEADER, rows, budget - len(out) - len(closing))
        if table.rows:
            out += table.text + closing
        shown += table.rows
    return out, shown


class MarkdownFormat:
    name = "markdown"

    def __init__(
        self, max_chars: int = DEFAULT_MAX_CHARS, display: DisplayOptions | None = None
    ) -> None:
        self.max_chars = max_chars
        self.display = display or DisplayOptions()

    def render(self, report: Report, *, color: bool = False) -> str:
        total = len(shown_findings(report, self.display))
        out, shown = compose(report, self.max_chars, self.display)
        if self.display.summary_only:
            return out
        if shown < total:
            # Compose again leaving room for the note; it only gets shorter as fewer show.
            budget = self.max_chars - len(omitted_note(total))
            out, shown = compose(report, budget, self.display)
            out += omitted_note(total - shown)
        return out

    def render_rules(self, rules: list[Rule], *, color: bool = False) -> str:
        """The catalogue as a document (for docs/, not a comment): a section per family."""
        sections = ["# gitwarden rules\n"]
        for family in sorted({rule.family for rule in rules}):
            sections.append(f"\n## {family}\n")
            for rule in sorted((r for r in rules if r.family == family), key=lambda r: r.id):
                sections.append(
                    f"\n### `{rule.id}`: {rule.title}\n\n"
                    f"**Severity:** {rule.severity.value}\n\n"
                    f"{rule.rationale}\n\n"
                    f"**Fix:** {rule.remediation}\n"
                )
                if rule.references:
                    sections.append("\n" + "".join(f"- <{r}>\n" for r in rule.references))
        return "".join(sections)
