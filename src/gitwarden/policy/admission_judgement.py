"""One CEL policy applied object by object, as the API server's admission would apply it.

Shared by ValidatingAdmissionPolicies (``cel``) and Kyverno's ValidatingPolicies
(``kyverno_validating_policy``): each failed validation is a finding on the object; errors
are tallied by expression and text and reported once, naming every object they hit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gitwarden.findings import Severity
from gitwarden.manifests.objects import K8sObject
from gitwarden.policy.admission_match import request_for
from gitwarden.policy.cel_program import CompiledCel, report_evaluation_errors, run_cel
from gitwarden.policy.results import PolicyResults
from gitwarden.rules import Rule


@dataclass
class AdmissionJudgement:
    """The findings of ``compiled`` (its owner is the policy) under ``rule``; ``details``
    follow the policy file, the engine and the failing expression in each finding."""

    compiled: CompiledCel
    rule: Rule
    severity: Severity
    engine: str
    results: PolicyResults
    details: Mapping[str, str] = field(default_factory=dict)
    errors: dict[tuple[str, str], list[K8sObject]] = field(default_factory=dict)

    def judge(
        self,
        obj: K8sObject,
        body: Mapping[str, Any],
        namespace: Mapping[str, Any] | None,
        *,
        request_of: K8sObject | None = None,
        params: Any = None,
    ) -> None:
        """Apply the policy to ``body`` (``obj``'s, or its pod template's when
        ``request_of`` is that template seen as a Pod); findings are placed on ``obj``."""
        outcome = run_cel(
            self.compiled,
            {
                "object": body,
                "oldObject": None,
                "params": params,
                "request": request_for(request_of or obj),
                "namespaceObject": namespace,
            },
        )
        for error in outcome.errors:
            self.errors.setdefault(error, []).append(obj)
        for validation, message in outcome.failures:
            self.results.add(
                self.rule,
                message,
                obj.location(),
                severity=self.severity,
                details={
                    "policy": self.compiled.owner.file,
                    "engine": self.engine,
                    "expression": validation.expression.text,
                    **self.details,
                },
            )

    def report_errors(self, label: str, consequence: str) -> None:
        """One ``policy-error`` per failing expression and text (``consequence``: what the
        cluster would do with the objects it could not evaluate)."""
        report_evaluation_errors(self.results, self.compiled, label, self.errors, consequence)
