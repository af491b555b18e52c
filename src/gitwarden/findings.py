"""The one finding model every gitwarden scanner produces and every report consumes."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Literal


class Severity(StrEnum):
    """How bad a finding is; ordered from ``info`` (lowest) to ``critical``."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank

    @classmethod
    def parse(cls, text: str) -> Severity:
        """Read a severity name case-insensitively; raises ValueError with the choices."""
        try:
            return cls(text.strip().lower())
        except ValueError:
            choices = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {text!r} (choose one of: {choices})") from None


_RANKS = {s: i for i, s in enumerate(Severity)}


@dataclass(frozen=True)
class Location:
    """Where a finding is: a repository-relative file, 1-based line and column.

    For Kubernetes objects ``resource`` is ``Kind/namespace/name`` and ``field_path`` the
    dotted path inside it (``spec.template.spec.containers[1].securityContext.privileged``).
    ``origin`` names how the object was produced when it was rendered
    (``kustomize overlays/prod``, ``helm charts/app``).
    """

    file: str
    line: int = 1
    column: int = 1
    resource: str | None = None
    field_path: str | None = None
    origin: str | None = None


SuppressionSource = Literal["config", "annotation", "inline", "baseline"]


@dataclass(frozen=True)
class Suppression:
    """Why a finding is not counted: who suppressed it, why, and until when."""

    source: SuppressionSource
    reason: str
    expires: date | None = None


def _empty_details() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Finding:
    """One problem found by one rule at one place.

    ``message`` says what is wrong at this place and how to fix it; ``remediation`` is the
    rule's general fix. ``details`` carries scanner-specific facts (commit, signer, ...).
    """

    rule_id: str
    severity: Severity
    title: str
    message: str
    location: Location
    remediation: str = ""
    references: tuple[str, ...] = ()
    details: Mapping[str, str] = field(default_factory=_empty_details)
    suppression: Suppression | None = None

    @property
    def suppressed(self) -> bool:
        return self.suppression is not None

    @property
    def fingerprint(self) -> str:
        """A stable identity that survives line moves: rule, file, resource, field path.

        The line is left out on purpose so that an unrelated edit above a finding does not
        make code-scanning tools see a new alert.
        """
        loc = self.location
        anchor = loc.field_path or (str(loc.line) if loc.resource is None else "")
        key = "\x1f".join((self.rule_id, loc.file, loc.resource or "", anchor, loc.origin or ""))
        # surrogateescape: a file name that is not UTF-8 hashes as the bytes it is made of.
        return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]

    def with_suppression(self, suppression: Suppression) -> Finding:
        return replace(self, suppression=suppression)

    def with_severity(self, severity: Severity) -> Finding:
        return replace(self, severity=severity)
