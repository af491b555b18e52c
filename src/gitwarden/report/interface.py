"""What a report format is. Adding a format touches one new module and the registry."""

from __future__ import annotations

from typing import Protocol

from gitwarden.report.model import Report
from gitwarden.rules import Rule


class ReportFormat(Protocol):
    """Renders a run's report, and the rule catalogue for `gitwarden rules`."""

    name: str

    def render(self, report: Report, *, color: bool = False) -> str:
        """The whole report as text; ``color`` only for terminals."""
        ...

    def render_rules(self, rules: list[Rule], *, color: bool = False) -> str:
        """The rule catalogue (id, severity, what, why, fix) in this format."""
        ...
