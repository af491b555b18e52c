"""ValidatingAdmissionPolicies (CEL) evaluated offline with cel-python.

Each policy is applied through its ValidatingAdmissionPolicyBindings (``validationActions``,
``matchResources``, ``paramRef``); a policy without a binding in the repository is applied
as if bound with ``validationActions: [Deny]``, since that is what it was written for.
Parameters (``paramKind``) are looked up among the scanned objects and the policy folders.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gitwarden.findings import Severity
from gitwarden.manifests.objects import K8sObject
from gitwarden.manifests.selectors import label_selector_matches
from gitwarden.policy.admission_judgement import AdmissionJudgement
from gitwarden.policy.admission_match import matches_resources, namespace_object
from gitwarden.policy.cel_program import (
    CompiledCel,
    cel_environment,
    compile_cel,
)
from gitwarden.policy.engine import PolicyInputs
from gitwarden.policy.object_view import ObjectBodies, plain_body
from gitwarden.policy.results import PolicyResults
from gitwarden.policy.rules import POLICY_PARAMS_MISSING, policy_rule

GROUP = "admissionregistration.k8s.io"
POLICY_KIND = "ValidatingAdmissionPolicy"
BINDING_KIND = "ValidatingAdmissionPolicyBinding"
_ACTION_SEVERITY = {"Deny": Severity.HIGH, "Warn": Severity.MEDIUM, "Audit": Severity.LOW}


@dataclass(frozen=True)
class _Binding:
    """A binding, or the implicit one of an unbound policy (``obj`` None)."""

    obj: K8sObject | None
    actions: tuple[str, ...]
    match: Any
    param_ref: Mapping[str, Any] | None


def evaluate(inputs: PolicyInputs) -> PolicyResults:
    """This engine's entry for ``policy.engines`` (see ``policy.engine``)."""
    return evaluate_admission_policies(inputs.everything, inputs.subjects, inputs.bodies)


def evaluate_admission_policies(
    everything: Sequence[K8sObject],
    subjects: Sequence[K8sObject],
    bodies: ObjectBodies,
) -> PolicyResults:
    """Apply every ValidatingAdmissionPolicy in ``everything`` to the ``subjects``."""
    results = PolicyResults()
    policies = [o for o in everything if o.kind == POLICY_KIND and o.api_group == GROUP]
    if not policies:
        return results
    bindings = [o for o in everything if o.kind == BINDING_KIND and o.api_group == GROUP]
    namespaces = {o.name: bodies.full(i) for i, o in enumerate(subjects) if o.kind == "Namespace"}
    environment = cel_environment()
    for policy in policies:
        spec = policy.get(("spec",), {})
        compiled = compile_cel(
            environment,
            policy,
            spec if isinstance(spec, Mapping) else {},
            ("spec",),
            validations_key="validations",
            label=f"ValidatingAdmissionPolicy '{policy.name}'",
            results=results,
        )
        if compiled.broken:
            continue
        for binding in _bindings_of(policy, bindings):
            _apply(compiled, binding, everything, subjects, bodies, namespaces, results)
    return results


def _bindings_of(policy: K8sObject, bindings: Sequence[K8sObject]) -> list[_Binding]:
    found = [
        _Binding(
            obj=b,
            actions=tuple(str(a) for a in _list(b.get(("spec", "validationActions")))) or ("Deny",),
            match=b.get(("spec", "matchResources")),
            param_ref=_mapping_or_none(b.get(("spec", "paramRef"))),
        )
        for b in bindings
        if b.get(("spec", "policyName")) == policy.name
    ]
    return found or [_Binding(obj=None, actions=("Deny",), match=None, param_ref=None)]


def _apply(
    compiled: CompiledCel,
    binding: _Binding,
    everything: Sequence[K8sObject],
    subjects: Sequence[K8sObject],
    bodies: ObjectBodies,
    namespaces: Mapping[str, Mapping[str, Any]],
    results: PolicyResults,
) -> None:
    policy = compiled.owner
    param_kind = policy.get(("spec", "paramKind"))
    failure_policy = policy.get(("spec", "failurePolicy"), "Fail")
    severity = max(_ACTION_SEVERITY.get(a, Severity.HIGH) for a in binding.actions)
    rule = policy_rule(
        f"vap:{policy.name}",
        severity,
        f"ValidatingAdmissionPolicy {policy.name}",
        f"Admission policy in {policy.file}: the cluster would "
        + ("reject" if "Deny" in binding.actions else "warn about")
        + " objects that break it.",
    )
    judgement = AdmissionJudgement(
        compiled,
        rule,
        severity,
        "cel",
        results,
        details={
            "binding": binding.obj.name if binding.obj else "(none: applied as Deny)",
            "actions": ",".join(binding.actions),
        },
    )
    for index, obj in enumerate(subjects):
        namespace = namespace_object(obj, namespaces)
        if not matches_resources(
            policy.get(("spec", "matchConstraints")), obj, namespace, required=True
        ) or not matches_resources(binding.match, obj, namespace, required=False):
            continue
        params_list: list[Any] = [None]
        if isinstance(param_kind, Mapping):
            found = _params_for(param_kind, binding, obj, everything)
            if found is None:
                _params_missing(policy, binding, param_kind, results)
                return
            params_list = found
        for params in params_list:
            judgement.judge(obj, bodies.full(index), namespace, params=params)
    consequence = f"With failurePolicy {failure_policy} the cluster would " + (
        "admit them unchecked." if failure_policy == "Ignore" else "reject them."
    )
    judgement.report_errors(f"ValidatingAdmissionPolicy '{policy.name}'", consequence)


def _params_for(
    param_kind: Mapping[str, Any],
    binding: _Binding,
    obj: K8sObject,
    everything: Sequence[K8sObject],
) -> list[Any] | None:
    """The parameter objects for ``obj``; None when none is found and that must deny."""
    ref = binding.param_ref
    if ref is None:
        return None
    namespace = ref.get("namespace")
    if namespace is None and obj.namespace:
        namespace = obj.namespace
    found = [
        o
        for o in everything
        if o.kind == param_kind.get("kind")
        and o.api_version == param_kind.get("apiVersion")
        and (o.namespace or None) in (namespace, None)
        and (
            o.name == ref["name"]
            if "name" in ref
            else label_selector_matches(ref.get("selector") or {}, o.labels)
        )
    ]
    if found:
        return [plain_body(o) for o in found]
    if ref.get("parameterNotFoundAction") == "Allow":
        return []
    return None


def _params_missing(
    policy: K8sObject, binding: _Binding, param_kind: Mapping[str, Any], results: PolicyResults
) -> None:
    kind = f"{param_kind.get('apiVersion')}/{param_kind.get('kind')}"
    if binding.obj is None:
        message = (
            f"ValidatingAdmissionPolicy '{policy.name}' takes parameters ({kind}) but no "
            "ValidatingAdmissionPolicyBinding with a paramRef binds it; it was not applied. "
            "Commit its binding and parameter objects."
        )
        location = policy.location(("spec", "paramKind"))
    else:
        message = (
            f"ValidatingAdmissionPolicyBinding '{binding.obj.name}' names parameters ({kind}) "
            "that are not in the repository; the cluster would deny every matching request "
            "(parameterNotFoundAction Deny) and gitwarden could not apply the policy."
        )
        location = binding.obj.location(("spec", "paramRef"))
    results.add(POLICY_PARAMS_MISSING, message, location)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _mapping_or_none(value: Any) -> Mapping[str, Any] | None:
    return value if isinstance(value, Mapping) else None
