"""What a policy engine is: the inputs every engine reads and the one function it provides.

An engine is one module with ``evaluate(inputs: PolicyInputs) -> PolicyResults``; the
registry of engines is ``engines``, and this module imports none of them. Model: pre-commit's
``lang_base.py`` (the protocol) beside ``all_languages.py`` (the registry).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from gitwarden.manifests.objects import K8sObject
from gitwarden.policy.object_view import ObjectBodies
from gitwarden.policy.results import PolicyResults
from gitwarden.policy.sources import RegoModule

if TYPE_CHECKING:  # a type only: importing it would load JMESPath on every scan
    from gitwarden.policy.kyverno_pod_security import PodSecurityEvaluator


@dataclass(frozen=True)
class PolicyInputs:
    """One scan's policies and the objects they judge.

    ``subjects`` are the scanned objects; ``everything`` adds the objects of the policy
    folders (policies, bindings, parameters). ``pod_security`` evaluates Kyverno's
    ``validate.podSecurity`` (None: such rules are unsupported).
    """

    subjects: Sequence[K8sObject]
    everything: Sequence[K8sObject]
    bodies: ObjectBodies
    rego: Sequence[RegoModule] = ()
    pod_security: PodSecurityEvaluator | None = None


class PolicyEvaluator(Protocol):
    """An engine module's ``evaluate``: its findings and the rules of the user's policies."""

    def __call__(self, inputs: PolicyInputs) -> PolicyResults: ...


@dataclass(frozen=True)
class PolicyEngine:
    """An engine as the registry names it: the module that evaluates, imported only when a
    scan holds a policy for some engine, and what calls for it (policy objects of these
    kinds or API groups, or Rego modules)."""

    module: str
    kinds: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    reads_rego: bool = False

    def wanted(self, inputs: PolicyInputs) -> bool:
        """True when ``inputs`` hold a policy this engine evaluates."""
        if self.reads_rego and inputs.rego:
            return True
        return any(o.kind in self.kinds or o.api_group in self.groups for o in inputs.everything)

    def evaluator(self) -> PolicyEvaluator:
        evaluate: PolicyEvaluator = importlib.import_module(self.module).evaluate
        return evaluate
