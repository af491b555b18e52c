"""Kyverno ValidatingPolicy (``policies.kyverno.io``): CEL validations, offline.

The shape of a ValidatingAdmissionPolicy (``matchConstraints``, ``matchConditions``,
``variables``, ``validations`` with ``message``/``messageExpression``) evaluated the same
way, with Kyverno's auto-generation: a policy matching Pods also checks the pod templates of
the controllers ``autogen.podControllers.controllers`` names (by default all of them; ``[]``
for none). Findings are ``kyverno:<policy>``. What needs a cluster or the network (Kyverno's
``resource``, ``http``, ``globalContext`` and image libraries, parameters, JSON payloads) is
``policy-unsupported``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

import celpy

from gitwarden.findings import Severity
from gitwarden.manifests.objects import K8sObject
from gitwarden.policy.admission_judgement import AdmissionJudgement
from gitwarden.policy.admission_match import (
    matches_resources,
    namespace_object,
    resource_name,
)
from gitwarden.policy.cel_program import (
    cel_environment,
    compile_cel,
)
from gitwarden.policy.engine import PolicyInputs
from gitwarden.policy.kyverno_autogen import CEL_POD_TEMPLATES, template_as_pod
from gitwarden.policy.object_view import ObjectBodies
from gitwarden.policy.results import PolicyResults
from gitwarden.policy.rules import POLICY_UNSUPPORTED, policy_rule

GROUP = "policies.kyverno.io"
KINDS = ("ValidatingPolicy", "NamespacedValidatingPolicy")
IMAGE_KINDS = ("ImageValidatingPolicy", "NamespacedImageValidatingPolicy")
SEVERITY_ANNOTATION = "policies.kyverno.io/severity"
_CLUSTER_LIBRARIES = re.compile(
    r"\b(resource\.(?:Get|List|Post)|http\.(?:Get|Post|Client)|globalContext\.Get|"
    r"image\.GetMetadata|imagedata\.Get|x509\.Decode)\s*\("
)
# Offline nobody makes the request: judging by the requester would invent one.
_REQUESTER = re.compile(r"\brequest\.userInfo\b")
_SPEC_KEYS = frozenset(
    {
        "matchConstraints",
        "matchConditions",
        "variables",
        "validations",
        "validationActions",
        "auditAnnotations",
        "failurePolicy",
        "evaluation",
        "autogen",
        "webhookConfiguration",
        "admission",
        "background",
    }
)


def is_validating_policy(obj: K8sObject) -> bool:
    return obj.api_group == GROUP and obj.kind in KINDS


def evaluate(inputs: PolicyInputs) -> PolicyResults:
    """This engine's entry for ``policy.engines`` (see ``policy.engine``)."""
    return evaluate_validating_policies(inputs.everything, inputs.subjects, inputs.bodies)


def evaluate_validating_policies(
    everything: Sequence[K8sObject], subjects: Sequence[K8sObject], bodies: ObjectBodies
) -> PolicyResults:
    """Apply every Kyverno ValidatingPolicy in ``everything`` to the ``subjects``."""
    results = PolicyResults()
    for image_policy in (o for o in everything if o.api_group == GROUP and o.kind in IMAGE_KINDS):
        results.add(
            POLICY_UNSUPPORTED,
            f"Kyverno {image_policy.kind} '{image_policy.name}' verifies image signatures and "
            "attestations in registries, which gitwarden does not do while scanning; the "
            "images it covers are unchecked by it.",
            image_policy.location(("spec",)),
            details={"kyverno_policy": image_policy.name},
        )
    policies = [o for o in everything if is_validating_policy(o)]
    if not policies:
        return results
    namespaces = {o.name: bodies.full(i) for i, o in enumerate(subjects) if o.kind == "Namespace"}
    environment = cel_environment()
    for policy in policies:
        _evaluate(policy, environment, subjects, bodies, namespaces, results)
    return results


def _evaluate(
    policy: K8sObject,
    environment: celpy.Environment,
    subjects: Sequence[K8sObject],
    bodies: ObjectBodies,
    namespaces: Mapping[str, Mapping[str, Any]],
    results: PolicyResults,
) -> None:
    spec = policy.get(("spec",), {})
    if not isinstance(spec, Mapping):
        spec = {}
    problem = _unsupported(spec)
    if problem is not None:
        results.add(
            POLICY_UNSUPPORTED,
            f"Kyverno ValidatingPolicy '{policy.name}' uses {problem}, which gitwarden does not "
            "evaluate offline; the policy was not applied, so the objects it covers are "
            "unchecked by it.",
            policy.location(("spec",)),
            details={"kyverno_policy": policy.name},
        )
        return
    label = f"Kyverno ValidatingPolicy '{policy.name}'"
    compiled = compile_cel(
        environment,
        policy,
        spec,
        ("spec",),
        validations_key="validations",
        label=label,
        results=results,
    )
    if compiled.broken:
        return
    severity = _severity(policy, spec)
    rule = policy_rule(
        f"kyverno:{policy.name}",
        severity,
        f"Kyverno ValidatingPolicy {policy.name}",
        str(
            policy.annotations.get("policies.kyverno.io/description")
            or f"Kyverno ValidatingPolicy in {policy.file}."
        ).strip(),
    )
    judgement = AdmissionJudgement(compiled, rule, severity, "kyverno", results)
    for index, obj in enumerate(subjects):
        if policy.kind == "NamespacedValidatingPolicy" and (obj.namespace or "default") != (
            policy.namespace or "default"
        ):
            continue
        namespace = namespace_object(obj, namespaces)
        for target, body in _targets(spec, obj, bodies.full(index), namespace):
            judgement.judge(obj, body, namespace, request_of=target)
    judgement.report_errors(label, "Kyverno reports an error for them too.")


def _unsupported(spec: Mapping[str, Any]) -> str | None:
    extra = sorted(set(spec) - _SPEC_KEYS)
    if extra:
        return f"spec.{extra[0]}"
    evaluation = spec.get("evaluation")
    mode = evaluation.get("mode") if isinstance(evaluation, Mapping) else None
    if mode not in (None, "Kubernetes"):
        return f"evaluation mode {mode} (payloads other than Kubernetes objects)"
    text = str(spec)
    library = _CLUSTER_LIBRARIES.search(text)
    if library is not None:
        return f"{library.group(1)} (API server, network or registry lookups)"
    if _REQUESTER.search(text):
        return "request.userInfo (who makes the request is unknown offline)"
    return None


def _severity(policy: K8sObject, spec: Mapping[str, Any]) -> Severity:
    actions = spec.get("validationActions") or ["Deny"]
    if "Deny" in actions:
        return Severity.HIGH
    try:
        return Severity.parse(str(policy.annotations.get(SEVERITY_ANNOTATION, "medium")))
    except ValueError:
        return Severity.MEDIUM


def _targets(
    spec: Mapping[str, Any],
    obj: K8sObject,
    body: Mapping[str, Any],
    namespace: Mapping[str, Any] | None,
) -> Iterator[tuple[K8sObject, Mapping[str, Any]]]:
    """The object itself when the policy matches it, else its pod template as a Pod when
    the policy matches Pods and auto-generation covers the controller."""
    match = spec.get("matchConstraints")
    if matches_resources(match, obj, namespace, required=True):
        yield obj, body
        return
    template_path = CEL_POD_TEMPLATES.get(obj.kind)
    if template_path is None or not _autogen_covers(spec, obj.kind):
        return
    template: Any = body
    for part in template_path:
        template = template.get(part) if isinstance(template, Mapping) else None
    if not isinstance(template, Mapping):
        return
    pod = template_as_pod(template)
    as_pod = replace(obj, api_version="v1", kind="Pod", rendered_body=pod, header=None)
    if matches_resources(match, as_pod, namespace, required=True):
        yield as_pod, pod


def _autogen_covers(spec: Mapping[str, Any], kind: str) -> bool:
    autogen = spec.get("autogen")
    controllers = None
    if isinstance(autogen, Mapping) and isinstance(autogen.get("podControllers"), Mapping):
        controllers = autogen["podControllers"].get("controllers")
    if controllers is None:
        return True
    names = {str(c).lower() for c in controllers if isinstance(c, str)}
    return kind.lower() in names or resource_name(kind) in names
