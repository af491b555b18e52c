"""One way to declare a check family's rules: each rule written once, right above its finder.

A family creates one ``FamilyRules``, declares every rule with ``rules.rule(...)`` (keywords
only, so a declaration reads like the rule's documentation) and puts the finder directly under
it, decorated with ``@rules.finds(RULE)``. ``rules.checks()`` then lists the checks in the order
they were written, so the catalogue order is the file order and there is no third list to keep
in step. Model: gitleaks' one function per rule, with the rule and what finds it side by side.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from gitwarden.checks.check import Check, CheckContext
from gitwarden.findings import Finding, Severity
from gitwarden.rules import Rule

Finder = Callable[[CheckContext], Iterable[Finding]]
F = TypeVar("F", bound=Finder)


class FamilyRules:
    """The rules of one family and their finders, collected while the module is imported.

    It is filled only at import time (one ``finds`` per rule) and read through ``checks()``;
    no scan writes to it, so two scans in one process share nothing but declarations.
    """

    def __init__(self, family: str, *, leading_references: tuple[str, ...] = ()) -> None:
        self.family = family
        # References every rule of the family starts with (the standard it implements).
        self.leading_references = leading_references
        self._checks: list[Check] = []

    def rule(
        self,
        rule_id: str,
        severity: Severity,
        *,
        title: str,
        rationale: str,
        remediation: str,
        references: tuple[str, ...] = (),
    ) -> Rule:
        """A rule of this family; pair it with its finder through ``finds``."""
        return Rule(
            id=rule_id,
            family=self.family,
            severity=severity,
            title=title,
            rationale=rationale,
            remediation=remediation,
            references=(*self.leading_references, *references),
        )

    def finds(self, rule: Rule) -> Callable[[F], F]:
        """Decorate the finder of ``rule``; the function itself is returned unchanged."""
        if rule.family != self.family:
            raise ValueError(f"rule {rule.id} belongs to {rule.family}, not {self.family}")

        def register(finder: F) -> F:
            if any(check.rule.id == rule.id for check in self._checks):
                raise ValueError(f"rule {rule.id} already has a finder")
            self._checks.append(Check(rule, finder))
            return finder

        return register

    def add(self, check: Check) -> None:
        """Register a check built elsewhere (a wrapper such as a Pod Security control)."""
        if check.rule.family != self.family:
            raise ValueError(f"rule {check.rule.id} belongs to {check.rule.family}")
        self._checks.append(check)

    def checks(self) -> tuple[Check, ...]:
        """Every declared check, in the order the finders were written."""
        return tuple(self._checks)
