"""Text for people at a terminal or reading a CI log, drawn with rich.

Findings are grouped by file and sorted by line. Each shows ``file:line:col``, severity,
rule id, resource and field path, then the message. Suppressed findings are shown dimmed,
marked with a leading ``~`` and with who suppressed them and why, so a reviewer sees what
is being waived; they do not count towards the summary or the verdict. The closing line
counts unsuppressed findings per severity and says PASS or FAIL against ``report.fail_on``.
"""

from __future__ import annotations

from collections.abc import Iterable
from io import StringIO
from itertools import groupby

from rich.console import Console
from rich.text import Text

from gitwarden.findings import Finding, Severity
from gitwarden.report.escaping import describe_suppression, printable
from gitwarden.report.model import Report
from gitwarden.rules import Rule

DEFAULT_WIDTH = 100
HEADING_INDENT = 2
BODY_INDENT = 6

SEVERITY_STYLES: dict[Severity, str] = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "blue",
}
SUPPRESSED_STYLE = "dim"
VERDICT_STYLES = {True: "bold green", False: "bold red"}
# Pad severity labels to one width so rule ids line up in a column.
SEVERITY_LABEL_WIDTH = max(len(s.value) for s in Severity)


def severity_label(severity: Severity) -> Text:
    return Text(severity.value.upper().ljust(SEVERITY_LABEL_WIDTH), style=SEVERITY_STYLES[severity])


def finding_heading(finding: Finding) -> Text:
    """One line: where, how bad, which rule, which object and field."""
    loc = finding.location
    # Text pieces, never markup strings: messages and field paths hold "[...]" that rich
    # would otherwise read as style tags.
    heading = Text.assemble(
        (printable(f"{loc.file}:{loc.line}:{loc.column}"), "bold"),
        "  ",
        severity_label(finding.severity),
        "  ",
        (printable(finding.rule_id), "magenta"),
    )
    target = " ".join(part for part in (loc.resource, loc.field_path) if part)
    if target:
        heading.append(f"  {printable(target)}")
    if loc.origin:
        heading.append(f"  (from {printable(loc.origin)})", style="italic")
    return heading


def finding_body(finding: Finding) -> Text:
    body = Text(printable(finding.message))
    if finding.suppression is not None:
        body.append("\n")
        body.append(describe_suppression(finding.suppression), style="italic")
    return body


def summary_line(report: Report) -> Text:
    counts = ", ".join(f"{count} {severity}" for severity, count in report.counts().items())
    suppressed = len(report.findings) - len(report.active)
    verdict = "PASS" if report.passed else "FAIL"
    line = Text.assemble(
        (verdict, VERDICT_STYLES[report.passed]),
        f"  {len(report.active)} finding{'' if len(report.active) == 1 else 's'} ({counts}); "
        f"{suppressed} suppressed; "
        f"{len(report.failing)} at or above {report.fail_on.value}",
    )
    if report.files_scanned or report.objects_scanned:
        line.append(
            f"; scanned {report.files_scanned} files, {report.objects_scanned} objects",
        )
    return line


def rule_body(rule: Rule) -> Text:
    body = Text.assemble(("why: ", "bold"), rule.rationale, "\n", ("fix: ", "bold"))
    body.append(rule.remediation)
    for reference in rule.references:
        body.append("\n")
        body.append("see: ", style="bold")
        body.append(reference)
    return body


def make_console(buffer: StringIO, *, color: bool, width: int) -> Console:
    """A console writing to ``buffer`` that ignores the environment it runs in.

    Every setting rich would otherwise guess from the environment (FORCE_COLOR, NO_COLOR,
    COLUMNS, Jupyter) is given, so ``color=False`` never leaks escape codes into a log.
    """
    return Console(
        file=buffer,
        force_terminal=color,
        force_jupyter=False,
        no_color=not color,
        color_system="standard" if color else None,
        width=width,
        highlight=False,
        emoji=False,
        markup=False,
        legacy_windows=False,
    )


def print_indented(console: Console, text: Text, indent: int) -> None:
    """Wrap ``text`` to the console width under an indent, with no trailing spaces."""
    for line in text.wrap(console, max(console.width - indent, 20)):
        line.rstrip()
        console.print(Text(" " * indent) + line, soft_wrap=True)


class TextFormat:
    name = "text"

    def __init__(self, width: int = DEFAULT_WIDTH) -> None:
        self.width = width

    def render(self, report: Report, *, color: bool = False) -> str:
        buffer = StringIO()
        console = make_console(buffer, color=color, width=self.width)
        by_file = groupby(report.sorted_findings(), key=lambda f: f.location.file)
        for file, findings in by_file:
            console.print(Text(printable(file), style="bold underline"), soft_wrap=True)
            self._print_findings(console, findings)
            console.print()
        # The verdict line stays whole so that `grep FAIL` and log viewers find it.
        console.print(summary_line(report), soft_wrap=True)
        return buffer.getvalue()

    def _print_findings(self, console: Console, findings: Iterable[Finding]) -> None:
        for finding in findings:
            heading = finding_heading(finding)
            body = finding_body(finding)
            if finding.suppressed:
                heading = Text.assemble(("~ ", SUPPRESSED_STYLE), heading, style=SUPPRESSED_STYLE)
                body.stylize(SUPPRESSED_STYLE)
            # Never wrap the heading: file:line:col must stay one clickable token.
            console.print(Text(" " * HEADING_INDENT) + heading, soft_wrap=True)
            print_indented(console, body, BODY_INDENT)

    def render_rules(self, rules: list[Rule], *, color: bool = False) -> str:
        buffer = StringIO()
        console = make_console(buffer, color=color, width=self.width)
        by_family = groupby(sorted(rules, key=lambda r: (r.family, r.id)), key=lambda r: r.family)
        for family, family_rules in by_family:
            console.print(Text(family, style="bold underline"), soft_wrap=True)
            for rule in family_rules:
                heading = Text.assemble(
                    (rule.id, "magenta"), "  ", severity_label(rule.severity), "  ", rule.title
                )
                console.print(Text(" " * HEADING_INDENT) + heading, soft_wrap=True)
                print_indented(console, rule_body(rule), BODY_INDENT)
            console.print()
        return buffer.getvalue().removesuffix("\n")
