"""A test-only report format: one tab-separated line per finding.

Implements `gitwarden.report.interface.ReportFormat`; registered by one entry in
`gitwarden.report.FORMATS`.
"""

from __future__ import annotations

from gitwarden.report.model import Report
from gitwarden.rules import Rule


class TsvFormat:
    name = "tsv"

    def render(self, report: Report, *, color: bool = False) -> str:
        lines = ["rule\tseverity\tfile\tline"]
        lines += [
            f"{f.rule_id}\t{f.severity.value}\t{f.location.file}\t{f.location.line}"
            for f in report.active
        ]
        return "\n".join(lines) + "\n"

    def render_rules(self, rules: list[Rule], *, color: bool = False) -> str:
        return "".join(f"{rule.id}\t{rule.severity.value}\n" for rule in rules)
