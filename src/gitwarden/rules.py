"""Rule metadata: what a rule checks, why, how to fix it. Every scanner's rules share it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from gitwarden.findings import Finding, Location, Severity

PSS_URL = "https://kubernetes.io/docs/concepts/security/pod-security-standards/"
RBAC_GOOD_PRACTICES_URL = "https://kubernetes.io/docs/concepts/security/rbac-good-practices/"
NSA_CISA_URL = (
    "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/"
    "CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF"
)
CIS_URL = "https://www.cisecurity.org/benchmark/kubernetes"


@dataclass(frozen=True)
class Rule:
    """One rule: stable id, default severity, and the words `gitwarden rules` prints.

    ``family`` groups rules (``pod-security``, ``rbac``, ``input``...). ``title`` says what
    the rule checks, ``rationale`` why it matters, ``remediation`` how to fix it.
    """

    id: str
    family: str
    severity: Severity
    title: str
    rationale: str
    remediation: str
    references: tuple[str, ...] = ()

    def finding(
        self,
        message: str,
        location: Location,
        *,
        severity: Severity | None = None,
        details: Mapping[str, str] | None = None,
    ) -> Finding:
        """Build a finding of this rule; ``message`` names the place and the fix."""
        return Finding(
            rule_id=self.id,
            severity=severity or self.severity,
            title=self.title,
            message=message,
            location=location,
            remediation=self.remediation,
            references=self.references,
            details=MappingProxyType(dict(details or {})),
        )
