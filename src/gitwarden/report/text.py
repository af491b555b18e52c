"""Text for people at a terminal or reading a CI log, drawn with rich.

Findings are grouped by file and sorted by line. Each shows ``file:line:col``, severity,
rule id, resource and field path, then the message. Suppressed findings are shown dimmed,
marked with a leading ``~`` and with who suppressed them and why, so a reviewer sees what
is being waived; they do not count towards the summary or the verdict. The closing line
counts unsuppressed findings per severity and says PASS or FAIL against ``report.fail_on``.

What the reader asked for (`DisplayOptions`) shapes the body, never the verdict: findings below
``min_severity`` are hidden and counted, ``summary_only`` prints counts per rule and family
(worst first), and a rule that fires in many places is one block listing the places. Places,
URLs and paths are printed whole (never wrapped), so they stay one clickable token.
"""

from __future__ import annotations

from collections.abc import Iterable
from io import StringIO
from itertools import groupby

from rich.console import Console
from rich.text import Text

from gitwarden.findings import Finding, Severity
from gitwarden.report.display import (
    DisplayOptions,
    family_counts,
    hidden_count,
    repeated_rules,
    rule_counts,
    shown_findings,
)
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
# Commands whose findings are about commits on refs, not positions in files.
HISTORY_COMMANDS = frozenset({"verify", "ledger verify", "ledger record"})
VERDICT_STYLES = {True: "bold green", False: "bold red"}
# Pad severity labels to one width so rule ids line up in a column.
SEVERITY_LABEL_WIDTH = max(len(s.value) for s in Severity)


def severity_label(severity: Severity) -> Text:
    return Text(severity.value.upper().ljust(SEVERITY_LABEL_WIDTH), style=SEVERITY_STYLES[severity])


def place(finding: Finding) -> str:
    """Where a finding is, as a reader looks for it.

    A file position for files; for a Git ref (verify, ledger) the commit and the ref, since
    ``refs/heads/main:1:1`` points at nothing a reader can open.
    """
    loc = finding.location
    commit = finding.details.get("commit")
    # A ref's findings have no position; a manifest that happens to live under refs/ has one.
    at_ref = loc.file.startswith("refs/") and (loc.line, loc.column) == (1, 1)
    if at_ref and loc.field_path is None:
        current = finding.details.get("current")
        if commit:
            return f"commit {commit[:12]} on {loc.file}"
        return f"{loc.file} at {current[:12]}" if current else loc.file
    return f"{loc.file}:{loc.line}:{loc.column}"


def object_and_field(finding: Finding) -> str:
    loc = finding.location
    # The commit is already in the place; do not say it twice.
    resource = None if (loc.resource or "").startswith("commit ") else loc.resource
    return " ".join(part for part in (resource, loc.field_path) if part)


def finding_heading(finding: Finding) -> Text:
    """One line: where, how bad, which rule, which object and field."""
    loc = finding.location
    # Text pieces, never markup strings: messages and field paths hold "[...]" that rich
    # would otherwise read as style tags.
    heading = Text.assemble(
        (printable(place(finding)), "bold"),
        "  ",
        severity_label(finding.severity),
        "  ",
        (printable(finding.rule_id), "magenta"),
    )
    target = object_and_field(finding)
    if target:
        heading.append(f"  {printable(target)}")
    if loc.origin:
        heading.append(f"  (from {printable(loc.origin)})", style="italic")
    return heading


def group_heading(rule_id: str, severity: Severity, title: str, count: int) -> Text:
    return Text.assemble(
        severity_label(severity),
        "  ",
        (printable(rule_id), "magenta"),
        f"  {count} places  ",
        printable(title),
    )


def group_place(finding: Finding) -> Text:
    """One place of a grouped rule: where, and the object and field, on one line."""
    line = Text(printable(place(finding)), style="bold")
    target = object_and_field(finding)
    if target:
        line.append(f"  {printable(target)}")
    if finding.location.origin:
        line.append(f"  (from {printable(finding.location.origin)})", style="italic")
    return line


def finding_body(finding: Finding) -> Text:
    body = Text(printable(finding.message))
    if finding.suppression is not None:
        body.append("\n")
        body.append(describe_suppression(finding.suppression), style="italic")
    return body


def summary_line(report: Report, hidden: int = 0) -> Text:
    counts = ", ".join(f"{count} {severity}" for severity, count in report.counts().items())
    suppressed = len(report.findings) - len(report.active)
    verdict = "PASS" if report.passed else "FAIL"
    line = Text.assemble(
        (verdict, VERDICT_STYLES[report.passed]),
        f"  {len(report.active)} finding{'' if len(report.active) == 1 else 's'} ({counts}); "
        f"{suppressed} suppressed; "
        f"{len(report.failing)} at or above {report.fail_on.value}",
    )
    if hidden:
        line.append(f"; {hidden} below the display floor not shown")
    scanned = scanned_phrase(report)
    if scanned:
        line.append(f"; {scanned}")
    return line


def scanned_phrase(report: Report) -> str:
    """What was looked at, in the command's own unit (files and objects, or commits)."""
    if report.command in HISTORY_COMMANDS:
        # verify and ledger read commits, not files: "scanned 0 files" would read as nothing.
        return f"verified {report.objects_scanned} commits" if report.objects_scanned else ""
    if report.files_scanned or report.objects_scanned:
        return f"scanned {report.files_scanned} files, {report.objects_scanned} objects"
    return ""


def print_rule_summary(console: Console, report: Report, display: DisplayOptions) -> None:
    """Counts per family, then per rule, worst first."""
    counts = rule_counts(report, display)
    console.print(Text("by family", style="bold underline"), soft_wrap=True)
    for family, worst, total in family_counts(counts):
        row = Text.assemble(severity_label(worst), f"  {total:>6}  ", printable(family))
        console.print(Text(" " * HEADING_INDENT) + row, soft_wrap=True)
    console.print()
    console.print(Text("by rule", style="bold underline"), soft_wrap=True)
    for count in counts:
        row = Text.assemble(
            severity_label(count.severity),
            f"  {count.count:>6}  ",
            (printable(count.rule_id), "magenta"),
            f"  ({printable(count.family)})",
        )
        console.print(Text(" " * HEADING_INDENT) + row, soft_wrap=True)
    console.print()


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
    width = max(console.width - indent, 20)
    for paragraph in text.split("\n"):
        for line in paragraph.divide(break_offsets(paragraph.plain, width)):
            line.rstrip()
            console.print(Text(" " * indent) + line, soft_wrap=True)


def break_offsets(plain: str, width: int) -> list[int]:
    """Where to start new lines: only at spaces, never inside a word.

    A word longer than the line (a URL, a path) overflows instead of being cut, so it can
    still be copied or clicked whole.
    """
    offsets: list[int] = []
    line_start = 0
    last_space = -1
    for index, character in enumerate(plain):
        if character == " ":
            last_space = index
        if index - line_start >= width and last_space > line_start:
            line_start = last_space + 1
            offsets.append(line_start)
    return offsets


class TextFormat:
    name = "text"

    def __init__(self, width: int = DEFAULT_WIDTH, display: DisplayOptions | None = None) -> None:
        self.width = width
        self.display = display or DisplayOptions()

    def render(self, report: Report, *, color: bool = False) -> str:
        buffer = StringIO()
        console = make_console(buffer, color=color, width=self.width)
        if self.display.summary_only:
            print_rule_summary(console, report, self.display)
        else:
            self._print_body(console, report)
        # The verdict line stays whole so that `grep FAIL` and log viewers find it.
        console.print(summary_line(report, hidden_count(report, self.display)), soft_wrap=True)
        return buffer.getvalue()

    def _print_body(self, console: Console, report: Report) -> None:
        shown = shown_findings(report, self.display)
        repeated = repeated_rules(shown, self.display)
        grouped = [f for f in shown if not f.suppressed and (f.rule_id, f.severity) in repeated]
        single = [f for f in shown if f.suppressed or (f.rule_id, f.severity) not in repeated]
        by_place = groupby(single, key=lambda f: f.location.file)
        for file, findings in by_place:
            console.print(Text(printable(file), style="bold underline"), soft_wrap=True)
            self._print_findings(console, findings)
            console.print()
        if grouped:
            self._print_groups(console, report, grouped)

    def _print_groups(self, console: Console, report: Report, grouped: list[Finding]) -> None:
        """Each repeated rule once, worst first, with its places and the rule's fix."""
        console.print(Text("repeated findings", style="bold underline"), soft_wrap=True)
        ordered = sorted(grouped, key=lambda f: (-f.severity.rank, f.rule_id))
        for (rule_id, severity), findings in groupby(
            ordered, key=lambda f: (f.rule_id, f.severity)
        ):
            places = list(findings)
            rule = report.rules.get(rule_id)
            title = rule.title if rule is not None else places[0].title
            heading = group_heading(rule_id, severity, title, len(places))
            console.print(Text(" " * HEADING_INDENT) + heading, soft_wrap=True)
            # One place's own words, so the block still says what is wrong in practice.
            example = Text.assemble(("e.g.: ", "bold"), printable(places[0].message))
            print_indented(console, example, BODY_INDENT)
            if rule is not None and rule.remediation:
                fix = Text.assemble(("fix: ", "bold"), printable(rule.remediation))
                print_indented(console, fix, BODY_INDENT)
            for finding in places:
                console.print(Text(" " * BODY_INDENT) + group_place(finding), soft_wrap=True)
            console.print()

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
