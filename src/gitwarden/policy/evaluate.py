"""Run every policy engine over the scanned objects: the one entry point the scan uses."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gitwarden.manifests.objects import K8sObject
from gitwarden.policy.object_view import ObjectBodies
from gitwarden.policy.results import PolicyResults
from gitwarden.policy.sources import (
    LoadedPolicies,
    PolicySource,
    load_policy_sources,
    merge_objects,
)

if TYPE_CHECKING:  # the Kyverno engine (and JMESPath) loads only when a policy asks for it
    from gitwarden.policy.kyverno_pod_security import PodSecurityEvaluator

_POLICY_KINDS = frozenset({"ValidatingAdmissionPolicy", "ClusterPolicy", "Policy"})
# Gatekeeper: ConstraintTemplates and the Constraints of the kinds they define; Kyverno's
# CEL policies (ValidatingPolicy, ImageValidatingPolicy...).
_POLICY_GROUPS = frozenset(
    {"templates.gatekeeper.sh", "constraints.gatekeeper.sh", "policies.kyverno.io"}
)


def run_policies(
    objects: Sequence[K8sObject],
    *,
    command_line: Sequence[PolicySource],
    configured: Sequence[PolicySource],
    root: Path,
    pod_security: PodSecurityEvaluator | None = None,
) -> PolicyResults:
    """Load the policy sources (command line: relative to the working directory; config:
    relative to the repository ``root``) and evaluate them and the repository's own
    admission, Kyverno and Gatekeeper policies over ``objects``.

    ``pod_security`` evaluates Kyverno's ``validate.podSecurity`` with the Pod Security
    checks (a scanner cannot import another, so the pipeline passes it); without it such
    rules are ``policy-unsupported``.
    """
    sources = [(s, Path.cwd()) for s in command_line] + [(s, root) for s in configured]
    return evaluate_policies(objects, load_policy_sources(sources, root), pod_security=pod_security)


def evaluate_policies(
    objects: Sequence[K8sObject],
    loaded: LoadedPolicies,
    *,
    pod_security: PodSecurityEvaluator | None = None,
) -> PolicyResults:
    """Findings of the Rego modules, admission policies, Kyverno and Gatekeeper policies.

    Admission and Kyverno policies come from the scanned objects themselves and from the
    policy folders; parameters of admission policies may live in either.
    """
    results = PolicyResults(findings=list(loaded.findings))
    everything = merge_objects(objects, loaded.objects)
    if not loaded.rego and not any(_is_policy(o) for o in everything):
        return results
    # Imported here: the engines cost ~0.1 s to import and most scans have no policies.
    from gitwarden.policy.cel import evaluate_admission_policies
    from gitwarden.policy.gatekeeper import evaluate_gatekeeper
    from gitwarden.policy.kyverno import evaluate_kyverno_policies
    from gitwarden.policy.kyverno_validating_policy import evaluate_validating_policies
    from gitwarden.policy.rego import evaluate_rego

    bodies = ObjectBodies(objects)
    results.extend(evaluate_rego(loaded.rego, objects, bodies))
    results.extend(evaluate_admission_policies(everything, objects, bodies))
    results.extend(
        evaluate_kyverno_policies(everything, objects, bodies, pod_security=pod_security)
    )
    results.extend(evaluate_validating_policies(everything, objects, bodies))
    results.extend(evaluate_gatekeeper(everything, objects, bodies))
    return results


def _is_policy(obj: K8sObject) -> bool:
    return obj.kind in _POLICY_KINDS or obj.api_group in _POLICY_GROUPS
