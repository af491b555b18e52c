"""What one requirement concluded: its outcome, one line for people, and its findings."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from gitwarden.attestation.decision_predicate import CheckOutcome
from gitwarden.findings import Finding
from gitwarden.rules import Rule


def _no_rules() -> Mapping[str, Rule]:
    return MappingProxyType({})


@dataclass(frozen=True)
class RequirementResult:
    """``outcome`` is ``pass``, ``fail``, ``error`` or ``not-configured``; only ``pass`` passes.

    ``findings`` are those the requirement counted (already judged by the base's config);
    ``parts`` are the results a combined policy (`AllOf`, `AnyOf`) was made of.
    """

    name: str
    outcome: CheckOutcome
    summary: str = ""
    findings: tuple[Finding, ...] = ()
    rules: Mapping[str, Rule] = field(default_factory=_no_rules)
    parts: tuple[RequirementResult, ...] = ()

    @property
    def passed(self) -> bool:
        return self.outcome == "pass"

    def leaves(self) -> Iterator[RequirementResult]:
        """The single requirements inside, depth first (itself when it is one)."""
        if not self.parts:
            yield self
            return
        for part in self.parts:
            yield from part.leaves()

    def reason(self) -> str:
        return f"{self.name}: {self.summary}" if self.summary else self.name
