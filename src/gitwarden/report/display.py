"""What a person asked to see of a report: a severity floor, a summary, repeated findings grouped.

Display never changes the verdict: `Report.passed` and the exit code still count every
finding, so `--min-severity high` hides the lows from the reader, not from the gate.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from gitwarden.findings import Finding, Severity
from gitwarden.report.model import Report

# A rule seen this often in one report is shown once, with the list of its places.
GROUP_THRESHOLD = 3


@dataclass(frozen=True)
class DisplayOptions:
    """``min_severity`` hides what is below it; ``summary_only`` shows counts, no findings."""

    min_severity: Severity | None = None
    summary_only: bool = False
    group_repeats: bool = True


@dataclass(frozen=True)
class RuleCount:
    """How many unsuppressed findings one rule has, for the summary table."""

    rule_id: str
    family: str
    severity: Severity
    count: int


def shown_findings(report: Report, display: DisplayOptions) -> list[Finding]:
    """The report's findings (in its stable order) at or above the display floor."""
    floor = display.min_severity
    return [f for f in report.sorted_findings() if floor is None or f.severity >= floor]


def hidden_count(report: Report, display: DisplayOptions) -> int:
    """Unsuppressed findings the floor hides: the reader is told they exist."""
    floor = display.min_severity
    return 0 if floor is None else sum(1 for f in report.active if f.severity < floor)


def rule_counts(report: Report, display: DisplayOptions) -> list[RuleCount]:
    """Unsuppressed findings per rule, worst first, then most frequent, then by id."""
    shown = [f for f in shown_findings(report, display) if not f.suppressed]
    counter = Counter((f.rule_id, f.severity) for f in shown)
    counts = [
        RuleCount(rule_id, _family(report, rule_id), severity, count)
        for (rule_id, severity), count in counter.items()
    ]
    return sorted(counts, key=lambda c: (-c.severity.rank, -c.count, c.rule_id))


def family_counts(counts: list[RuleCount]) -> list[tuple[str, Severity, int]]:
    """``(family, worst severity, findings)`` per family, worst first."""
    worst: dict[str, Severity] = {}
    totals: Counter[str] = Counter()
    for count in counts:
        totals[count.family] += count.count
        if count.family not in worst or count.severity > worst[count.family]:
            worst[count.family] = count.severity
    return sorted(
        ((family, worst[family], total) for family, total in totals.items()),
        key=lambda item: (-item[1].rank, -item[2], item[0]),
    )


def repeated_rules(findings: list[Finding], display: DisplayOptions) -> set[tuple[str, Severity]]:
    """``(rule, severity)`` pairs common enough to be shown as one block."""
    if not display.group_repeats:
        return set()
    counter = Counter((f.rule_id, f.severity) for f in findings if not f.suppressed)
    return {key for key, count in counter.items() if count >= GROUP_THRESHOLD}


def _family(report: Report, rule_id: str) -> str:
    rule = report.rules.get(rule_id)
    # A rule a tool reported under its own code (no catalogue entry) is named by its prefix.
    return rule.family if rule is not None else rule_id.partition("-")[0]
