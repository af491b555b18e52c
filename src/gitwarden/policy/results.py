"""What every policy engine hands back: findings, and the rules made for user policies."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from gitwarden.findings import Finding, Location, Severity, Suppression
from gitwarden.rules import Rule


@dataclass
class PolicyResults:
    """Findings of one or more engines; ``rules`` holds the rule behind each user policy."""

    findings: list[Finding] = field(default_factory=list)
    rules: dict[str, Rule] = field(default_factory=dict)

    def add(
        self,
        rule: Rule,
        message: str,
        location: Location,
        *,
        severity: Severity | None = None,
        details: Mapping[str, str] | None = None,
        suppression: Suppression | None = None,
    ) -> None:
        self.rules.setdefault(rule.id, rule)
        finding = rule.finding(message, location, severity=severity, details=details)
        self.findings.append(finding.with_suppression(suppression) if suppression else finding)

    def extend(self, other: PolicyResults) -> None:
        self.findings.extend(other.findings)
        for rule_id, rule in other.rules.items():
            self.rules.setdefault(rule_id, rule)
