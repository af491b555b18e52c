"""Run the registered policy engines over the scanned objects: the entry point the scan uses."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gitwarden.manifests.objects import K8sObject
from gitwarden.policy.engine import PolicyInputs
from gitwarden.policy.engines import POLICY_ENGINES
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
    """Findings of every registered engine (Rego, admission policies, Kyverno, Gatekeeper).

    Admission and Kyverno policies come from the scanned objects themselves and from the
    policy folders; parameters of admission policies may live in either.
    """
    results = PolicyResults(findings=list(loaded.findings))
    inputs = PolicyInputs(
        subjects=objects,
        everything=merge_objects(objects, loaded.objects),
        bodies=ObjectBodies(objects),
        rego=tuple(loaded.rego),
        pod_security=pod_security,
    )
    # An engine that no policy calls for would find nothing: it is not even imported.
    for engine in POLICY_ENGINES.values():
        if engine.wanted(inputs):
            results.extend(engine.evaluator()(inputs))
    return results
