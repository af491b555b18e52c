"""What every report format renders: the findings of one run and the rules behind them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from gitwarden.findings import Finding, Severity
from gitwarden.rules import Rule


def _no_rules() -> Mapping[str, Rule]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Report:
    """The result of one gitwarden run, ready to render in any format.

    ``findings`` holds suppressed findings too (marked as such); ``fail_on`` is the
    severity at or above which an unsuppressed finding fails the run.
    """

    command: str
    target: str
    findings: tuple[Finding, ...]
    rules: Mapping[str, Rule] = field(default_factory=_no_rules)
    fail_on: Severity = Severity.HIGH
    files_scanned: int = 0
    objects_scanned: int = 0
    tool_version: str = "0"
    # The gate's decision (its predicate as JSON) when the report is a gate's: the HTML
    # format shows it first. None for every other command.
    decision: Mapping[str, object] | None = None
    # The absolute folder that finding paths are relative to (the repository root when a
    # subfolder of a Git work tree is scanned); None when unknown (reports not about files).
    source_root: str | None = None

    @property
    def active(self) -> tuple[Finding, ...]:
        """Findings that count: not suppressed."""
        return tuple(f for f in self.findings if not f.suppressed)

    @property
    def failing(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.active if f.severity >= self.fail_on)

    @property
    def passed(self) -> bool:
        return not self.failing

    def counts(self) -> dict[str, int]:
        """Unsuppressed findings per severity, every severity present (highest first)."""
        counter = Counter(f.severity for f in self.active)
        return {s.value: counter.get(s, 0) for s in sorted(Severity, reverse=True)}

    def summary(self) -> dict[str, object]:
        return {
            "total": len(self.active),
            "suppressed": len(self.findings) - len(self.active),
            "by_severity": self.counts(),
            "fail_on": self.fail_on.value,
            "failing": len(self.failing),
            "passed": self.passed,
            "files_scanned": self.files_scanned,
            "objects_scanned": self.objects_scanned,
        }

    def sorted_findings(self) -> list[Finding]:
        """Stable order for every format: file, line, rule."""
        return sorted(
            self.findings,
            key=lambda f: (f.location.file, f.location.line, f.location.column, f.rule_id),
        )
