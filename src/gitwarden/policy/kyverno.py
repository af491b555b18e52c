"""Kyverno ClusterPolicy / Policy validate rules, evaluated offline: the common subset.

Supported: ``match`` / ``exclude`` on kinds, names, namespaces, label and namespace
selectors, annotations and operations; ``preconditions`` and ``celPreconditions``;
``validate.pattern``, ``anyPattern``, ``deny.conditions``, ``cel``, ``foreach`` over lists
and ``podSecurity`` (with the evaluator the caller passes); variables from ``request`` (the
object as a CREATE request), ``element``, ``images`` and ``context`` (``variable`` entries,
and ``configMap`` entries read from the repository), and the values a Kyverno CLI test gives;
rules written for Pods also check the pod templates of Deployments, StatefulSets, DaemonSets,
Jobs, CronJobs and ReplicaSets (Kyverno's auto-generation). Anything else in a validate rule
(API calls and registry lookups, CEL parameters, ``verifyImages``, rule fields gitwarden
does not know, deciding by the requester) is reported per rule as ``policy-unsupported``,
never passed.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from gitwarden.findings import Severity
from gitwarden.manifests.objects import K8sObject, format_field_path
from gitwarden.manifests.selectors import label_selector_matches
from gitwarden.manifests.yaml_nodes import FieldPath
from gitwarden.policy.admission_match import namespace_object
from gitwarden.policy.cel_program import CompiledCel, cel_environment, compile_cel, run_cel
from gitwarden.policy.engine import PolicyInputs
from gitwarden.policy.kyverno_autogen import POD_TEMPLATES, template_as_pod
from gitwarden.policy.kyverno_conditions import (
    UnsupportedFeatureError,
    VariableError,
    conditions_hold,
    query,
    substitute,
)
from gitwarden.policy.kyverno_pattern import PatternFailure, match_pattern
from gitwarden.policy.kyverno_pod_security import PodSecurityEvaluator, pod_security_failure
from gitwarden.policy.kyverno_values import wildcard_match
from gitwarden.policy.kyverno_values_file import KyvernoValues
from gitwarden.policy.object_view import ObjectBodies, plain_body
from gitwarden.policy.results import PolicyResults
from gitwarden.policy.rules import POLICY_ERROR, POLICY_UNSUPPORTED, policy_rule
from gitwarden.rules import Rule

GROUP = "kyverno.io"
POLICY_KINDS = ("ClusterPolicy", "Policy")
AUTOGEN_ANNOTATION = "pod-policies.kyverno.io/autogen-controllers"
SEVERITY_ANNOTATION = "policies.kyverno.io/severity"
_VALIDATE_KEYS = frozenset(
    {
        "message",
        "pattern",
        "anyPattern",
        "deny",
        "foreach",
        "failureAction",
        "failureActionOverrides",
        "allowExistingViolations",
        "cel",
        "podSecurity",
    }
)
# What a validate rule may hold besides ``validate``; anything else changes what it checks.
_RULE_KEYS = frozenset(
    {
        "name",
        "match",
        "exclude",
        "context",
        "preconditions",
        "celPreconditions",
        "validate",
        "skipBackgroundRequests",
        "reportProperties",
    }
)
_CEL_KEYS = frozenset({"expressions", "variables", "auditAnnotations"})
_FOREACH_KEYS = frozenset(
    {"list", "pattern", "anyPattern", "deny", "preconditions", "elementScope"}
)
_USER_MATCH_KEYS = ("subjects", "roles", "clusterRoles")
_USER_VARIABLES = re.compile(
    r"(?<![\w.\"])(request\.userInfo|request\.roles|request\.clusterRoles|serviceAccountName|"
    r"serviceAccountNamespace)\b"
)
_VARIABLE_TEXT = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_SIMPLE_LIST = re.compile(r"^request\.object((?:\.[A-Za-z_][A-Za-z0-9_]*)+)$")


@dataclass(frozen=True)
class _Target:
    """What one rule checks of one object: the body it sees, and where that body sits."""

    obj: K8sObject
    body: Mapping[str, Any]
    prefix: FieldPath
    namespace: Mapping[str, Any] | None


@dataclass
class _RuleRun:
    policy: K8sObject
    index: int
    rule: Mapping[str, Any]
    user_rule: Rule = POLICY_ERROR
    severity: Severity = Severity.HIGH
    # ConfigMaps of the repository by (namespace, name), for `context` lookups.
    config_maps: Mapping[tuple[str, str], Mapping[str, Any]] = field(default_factory=dict)
    errors: dict[str, list[K8sObject]] = field(default_factory=dict)
    unsupported: str | None = None
    cel: CompiledCel | None = None
    cel_preconditions: CompiledCel | None = None
    # Values a Kyverno CLI test gives to variables (none in a scan).
    values: KyvernoValues = field(default_factory=KyvernoValues)
    pod_security: PodSecurityEvaluator | None = None

    @property
    def name(self) -> str:
        return str(self.rule.get("name") or f"rule-{self.index}")


def evaluate(inputs: PolicyInputs) -> PolicyResults:
    """This engine's entry for ``policy.engines`` (see ``policy.engine``)."""
    return evaluate_kyverno_policies(
        inputs.everything, inputs.subjects, inputs.bodies, pod_security=inputs.pod_security
    )


def evaluate_kyverno_policies(
    everything: Sequence[K8sObject],
    subjects: Sequence[K8sObject],
    bodies: ObjectBodies,
    *,
    values: KyvernoValues | None = None,
    pod_security: PodSecurityEvaluator | None = None,
) -> PolicyResults:
    """Apply the validate rules of every Kyverno policy in ``everything`` to ``subjects``.

    ``values`` are a Kyverno CLI test's values for variables and namespaces;
    ``pod_security`` evaluates ``validate.podSecurity`` (unsupported without it).
    """
    results = PolicyResults()
    given = values or KyvernoValues()
    policies = [o for o in everything if o.api_group == GROUP and o.kind in POLICY_KINDS]
    namespaces: dict[str, Mapping[str, Any]] = {
        o.name: bodies.full(i) for i, o in enumerate(subjects) if o.kind == "Namespace"
    }
    namespaces.update(given.namespaces())
    config_maps = {
        (o.namespace or "default", o.name): plain_body(o)
        for o in (everything if policies else ())
        if o.kind == "ConfigMap" and o.api_version == "v1"
    }
    for policy in policies:
        rules = policy.get(("spec", "rules"))
        if not isinstance(rules, list):
            results.add(
                POLICY_ERROR,
                f"Kyverno {policy.kind} '{policy.name}' has no spec.rules list; it checks "
                "nothing. Fix the policy.",
                policy.location(("spec",)),
            )
            continue
        for index, rule in enumerate(rules):
            if isinstance(rule, Mapping):
                run = _RuleRun(
                    policy,
                    index,
                    rule,
                    config_maps=config_maps,
                    values=given,
                    pod_security=pod_security,
                )
                _evaluate_rule(run, subjects, bodies, namespaces, results)
    return results


def _evaluate_rule(
    run: _RuleRun,
    subjects: Sequence[K8sObject],
    bodies: ObjectBodies,
    namespaces: Mapping[str, Mapping[str, Any]],
    results: PolicyResults,
) -> None:
    policy, rule = run.policy, run.rule
    where: FieldPath = ("spec", "rules", run.index)
    name = run.name
    if "validate" not in rule:
        if "verifyImages" in rule:
            _unsupported(results, policy, name, where, "verifyImages (signature checks)")
        return  # mutate, generate and cleanup rules admit or change; they reject nothing
    problem = _unsupported_construct(rule, run.values.names_for(policy.name))
    if problem is None and "podSecurity" in rule["validate"] and run.pod_security is None:
        problem = "validate.podSecurity without a Pod Security evaluator from the caller"
    if problem is not None:
        _unsupported(results, policy, name, where, problem)
        return
    if rule.get("celPreconditions") is not None:
        run.cel_preconditions = compile_cel(
            cel_environment(),
            policy,
            rule,
            where,
            validations_key="",
            label=f"Kyverno rule '{policy.name}/{name}'",
            results=results,
            conditions_key="celPreconditions",
        )
        if run.cel_preconditions.broken:
            return
    cel = rule["validate"].get("cel")
    if isinstance(cel, Mapping):
        run.cel = compile_cel(
            cel_environment(),
            policy,
            cel,
            (*where, "validate", "cel"),
            validations_key="expressions",
            label=f"Kyverno rule '{policy.name}/{name}'",
            results=results,
        )
        if run.cel.broken:
            return
    run.severity = _severity(policy, rule)
    run.user_rule = policy_rule(
        f"kyverno:{policy.name}/{name}",
        run.severity,
        f"Kyverno {policy.kind} {policy.name}, rule {name}",
        str(
            policy.annotations.get("policies.kyverno.io/description")
            or f"Kyverno policy in {policy.file}."
        ).strip(),
    )
    for index, obj in enumerate(subjects):
        for target in _targets(run, obj, partial(bodies.full, index), namespaces):
            try:
                _check(run, target, results)
            except VariableError as error:
                run.errors.setdefault(str(error), []).append(obj)
            except UnsupportedFeatureError as error:
                run.unsupported = str(error)
                break
        if run.unsupported:
            break
    if run.unsupported:
        _unsupported(results, policy, name, where, run.unsupported)
    for text, failed in run.errors.items():
        results.add(
            POLICY_ERROR,
            f"Kyverno rule '{policy.name}/{name}' could not be evaluated for "
            f"{failed[0].resource} ({failed[0].file})"
            + (f" and {len(failed) - 1} more objects" if len(failed) > 1 else "")
            + f": {text}. Kyverno reports this as an error too; give the variable a "
            "default (`{{ x || '' }}`) or guard it with a precondition.",
            policy.location(where),
            details={
                "kyverno_policy": policy.name,
                "rule": name,
                "resources": "\n".join(sorted({o.resource for o in failed})),
            },
        )


def _unsupported_construct(rule: Mapping[str, Any], given: Collection[str]) -> str | None:
    extra = sorted(set(rule) - _RULE_KEYS)
    if extra:
        return f"rule field {extra[0]}"
    for entry in rule.get("context") or []:
        kinds = set(entry) - {"name"} if isinstance(entry, Mapping) else {"?"}
        if not kinds <= {"variable", "configMap"} and not _given(str(entry.get("name")), given):
            return f"context {'/'.join(sorted(kinds))} (API calls and registry lookups)"
    validate = rule.get("validate")
    if not isinstance(validate, Mapping):
        return "validate is not a map"
    extra = sorted(set(validate) - _VALIDATE_KEYS)
    if extra:
        return f"validate.{extra[0]}"
    if not any(
        k in validate for k in ("pattern", "anyPattern", "deny", "foreach", "cel", "podSecurity")
    ):
        return "a validate rule without pattern, anyPattern, deny, foreach, cel or podSecurity"
    cel = validate.get("cel")
    if cel is not None:
        extra = sorted(set(cel) - _CEL_KEYS) if isinstance(cel, Mapping) else ["?"]
        if extra:
            return f"validate.cel.{extra[0]}"
    for entry in validate.get("foreach") or []:
        extra = sorted(set(entry) - _FOREACH_KEYS) if isinstance(entry, Mapping) else ["?"]
        if extra:
            return f"validate.foreach[].{extra[0]}"
    user = _unknown_user_variable(rule, given)
    if user is not None:
        return f"{user} (who makes the request is unknown offline)"
    match = rule.get("match")
    for resource_filter in _filters(match):
        for key in _USER_MATCH_KEYS:
            if key in resource_filter:
                return f"match by {key} (who makes the request is unknown offline)"
    return None


def _unknown_user_variable(rule: Mapping[str, Any], given: Collection[str]) -> str | None:
    """A variable about the requester (``request.userInfo``, roles, service account) that
    the rule decides with and no test value stands in for. Offline nobody makes the request:
    judging the rule would invent a user, so it is reported, never failed or passed."""
    validate = rule.get("validate")
    decisive = {
        "preconditions": rule.get("preconditions"),
        "context": rule.get("context"),
        "validate": {k: v for k, v in validate.items() if k != "message"}
        if isinstance(validate, Mapping)
        else validate,
    }
    variables = " ".join(_VARIABLE_TEXT.findall(json.dumps(decisive, default=str)))
    for found in _USER_VARIABLES.finditer(variables):
        name = found.group(1)
        if not any(
            g == name or g.startswith(f"{name}.") or name.startswith(f"{g}.") for g in given
        ):
            return name
    return None


def _unsupported(
    results: PolicyResults, policy: K8sObject, rule: str, where: FieldPath, what: str
) -> None:
    results.add(
        POLICY_UNSUPPORTED,
        f"Kyverno rule '{policy.name}/{rule}' uses {what}, which gitwarden does not "
        "evaluate offline; the rule was not applied, so the objects it covers are unchecked "
        "by it.",
        policy.location(where),
        details={"kyverno_policy": policy.name, "rule": rule},
    )


def _severity(policy: K8sObject, rule: Mapping[str, Any]) -> Severity:
    validate = rule.get("validate")
    action = (validate.get("failureAction") if isinstance(validate, Mapping) else None) or (
        policy.get(("spec", "validationFailureAction")) or "Audit"
    )
    if str(action).lower() == "enforce":
        return Severity.HIGH
    try:
        return Severity.parse(str(policy.annotations.get(SEVERITY_ANNOTATION, "medium")))
    except ValueError:
        return Severity.MEDIUM


# -- matching -------------------------------------------------------------------------------


def _filters(block: Any) -> list[Mapping[str, Any]]:
    if not isinstance(block, Mapping):
        return []
    found = [f for key in ("any", "all") for f in block.get(key) or [] if isinstance(f, Mapping)]
    if "resources" in block or any(k in block for k in _USER_MATCH_KEYS):
        found.append(block)
    return found


def _rule_kinds(rule: Mapping[str, Any]) -> set[str]:
    kinds: set[str] = set()
    for resource_filter in _filters(rule.get("match")):
        resources = resource_filter.get("resources")
        if isinstance(resources, Mapping):
            kinds.update(str(k) for k in resources.get("kinds") or [])
    return kinds


def _targets(
    run: _RuleRun,
    obj: K8sObject,
    body_of: Callable[[], Mapping[str, Any]],
    namespaces: Mapping[str, Mapping[str, Any]],
) -> Iterator[_Target]:
    policy = run.policy
    if policy.kind == "Policy" and (obj.namespace or "default") != (policy.namespace or "default"):
        return
    namespace = namespace_object(obj, namespaces)
    if _selected(run.rule, obj, obj.kind, namespace):
        yield _Target(obj, body_of(), (), namespace)
        return
    template_path = POD_TEMPLATES.get(obj.kind)
    if template_path is None or _rule_kinds(run.rule) != {"Pod"}:
        return
    controllers = str(policy.annotations.get(AUTOGEN_ANNOTATION, ",".join(POD_TEMPLATES)))
    if obj.kind not in {c.strip() for c in controllers.split(",")}:
        return
    template = _at(body_of(), template_path)
    if not isinstance(template, Mapping) or not _selected(run.rule, obj, "Pod", namespace):
        return
    pod = template_as_pod(template)
    yield _Target(obj, pod, template_path, namespace)


def _selected(
    rule: Mapping[str, Any], obj: K8sObject, kind: str, namespace: Mapping[str, Any] | None
) -> bool:
    if not _block_matches(rule.get("match"), obj, kind, namespace, empty=False):
        return False
    return not _block_matches(rule.get("exclude"), obj, kind, namespace, empty=False)


def _block_matches(
    block: Any, obj: K8sObject, kind: str, namespace: Mapping[str, Any] | None, *, empty: bool
) -> bool:
    if not isinstance(block, Mapping):
        return empty
    if block.get("any") and not any(_filter_matches(f, obj, kind, namespace) for f in block["any"]):
        return False
    if block.get("all") and not all(_filter_matches(f, obj, kind, namespace) for f in block["all"]):
        return False
    if "resources" in block:
        return _filter_matches(block, obj, kind, namespace)
    return bool(block.get("any") or block.get("all"))


def _filter_matches(
    resource_filter: Any, obj: K8sObject, kind: str, namespace: Mapping[str, Any] | None
) -> bool:
    if not isinstance(resource_filter, Mapping):
        return False
    if any(k in resource_filter for k in _USER_MATCH_KEYS):
        return False  # no user is making this request: an exclude by user never applies
    resources = resource_filter.get("resources")
    if not isinstance(resources, Mapping):
        return False
    kinds = resources.get("kinds") or []
    if kinds and not any(_kind_matches(str(k), obj, kind) for k in kinds):
        return False
    names = [resources["name"]] if resources.get("name") else list(resources.get("names") or [])
    if names and not any(wildcard_match(str(n), obj.name) for n in names):
        return False
    spaces = resources.get("namespaces") or []
    if spaces and not any(wildcard_match(str(n), obj.namespace or "default") for n in spaces):
        return False
    if "selector" in resources and not label_selector_matches(resources["selector"], obj.labels):
        return False
    if "namespaceSelector" in resources and namespace is not None:
        labels = (namespace.get("metadata") or {}).get("labels") or {}
        if not label_selector_matches(resources["namespaceSelector"], labels):
            return False
    annotations = resources.get("annotations") or {}
    for key, pattern in annotations.items():
        if not wildcard_match(str(pattern), str(obj.annotations.get(key, ""))) or (
            key not in obj.annotations
        ):
            return False
    operations = resources.get("operations") or []
    return not operations or any(op in operations for op in ("CREATE", "UPDATE"))


def _kind_matches(spec: str, obj: K8sObject, kind: str) -> bool:
    parts = spec.split("/")
    if len(parts) > 1 and parts[-1][:1].islower():
        return False  # a subresource (Pod/exec, Deployment/scale) is never committed
    if not wildcard_match(parts[-1], kind):
        return False
    version = obj.api_version.rpartition("/")[2] if kind == obj.kind else "v1"
    group = obj.api_group if kind == obj.kind else ""
    if len(parts) == 2:
        return wildcard_match(parts[0], version)
    if len(parts) >= 3:
        return wildcard_match(parts[0], group) and wildcard_match(parts[1], version)
    return True


# -- checking -------------------------------------------------------------------------------


def _check(run: _RuleRun, target: _Target, results: PolicyResults) -> None:
    context = _context(target)
    given = run.values.for_rule(run.policy.name, run.name, target.obj.name)
    for key, value in given.items():
        _set_variable(context, str(key), value)
    request = context["request"]
    if request.get("operation") == "UPDATE" and request.get("oldObject") is None:
        # As the Kyverno CLI: an UPDATE without an old resource compares the object to itself.
        request["oldObject"] = request["object"]
    for entry in run.rule.get("context") or []:
        name = str(entry.get("name"))
        if not _given(name, given):
            context[name] = _context_value(entry, context, run.config_maps)
    if not conditions_hold(run.rule.get("preconditions"), context):
        return
    if run.cel_preconditions is not None and not _cel_preconditions_hold(
        run, run.cel_preconditions, target, context
    ):
        return
    validate = run.rule["validate"]
    if run.cel is not None:
        _check_cel(run, run.cel, target, context, results)
        return
    if "podSecurity" in validate and run.pod_security is not None:
        failure = pod_security_failure(
            target.obj, target.prefix, validate["podSecurity"], run.pod_security
        )
        if failure is not None:
            _report(run, target, validate, context, failure, results)
        return
    failure = _validate_value(validate, target.body, context)
    if failure is not None:
        _report(run, target, validate, context, failure, results)
        return
    for entry in validate.get("foreach") or []:
        # As in Kyverno, a list that is absent (no initContainers) has nothing to check.
        items = query(str(entry.get("list")), context, missing_ok=True)
        if items is None:
            continue
        if not isinstance(items, list):
            raise VariableError(f"foreach list '{entry.get('list')}' is not a list")
        list_path = _list_path(str(entry.get("list")))
        for position, element in enumerate(items):
            element_context = {**context, "element": element, "elementIndex": position}
            if not conditions_hold(entry.get("preconditions"), element_context):
                continue
            failure = _validate_value(entry, element, element_context)
            if failure is not None:
                path = (*list_path, position, *failure.path) if list_path is not None else ()
                _report(
                    run,
                    target,
                    validate,
                    element_context,
                    PatternFailure(path, failure.reason),
                    results,
                )


def _cel_activation(target: _Target, context: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "object": target.body,
        "oldObject": context["request"].get("oldObject"),
        "request": context["request"],
        "namespaceObject": target.namespace,
        "params": None,
    }


def _cel_preconditions_hold(
    run: _RuleRun, preconditions: CompiledCel, target: _Target, context: Mapping[str, Any]
) -> bool:
    """``celPreconditions``: all must hold for the rule to apply (an error is an error)."""
    outcome = run_cel(preconditions, _cel_activation(target, context))
    for where, text in outcome.errors:
        run.errors.setdefault(f"{where}: {text}", []).append(target.obj)
    return not outcome.skipped and not outcome.errors


def _check_cel(
    run: _RuleRun,
    cel: CompiledCel,
    target: _Target,
    context: Mapping[str, Any],
    results: PolicyResults,
) -> None:
    outcome = run_cel(cel, _cel_activation(target, context))
    for where, text in outcome.errors:
        run.errors.setdefault(f"{where}: {text}", []).append(target.obj)
    for validation, message in outcome.failures:
        _report(
            run,
            target,
            {"message": message},
            context,
            PatternFailure((), f"CEL expression `{validation.expression.text}` is false"),
            results,
        )


def _validate_value(
    validate: Mapping[str, Any], value: Any, context: Mapping[str, Any]
) -> PatternFailure | None:
    """Check ``pattern``, ``anyPattern`` or ``deny`` of a rule (or a foreach entry)."""
    if "pattern" in validate:
        return match_pattern(value, substitute(validate["pattern"], context))
    if "anyPattern" in validate:
        alternatives = validate["anyPattern"]
        if not isinstance(alternatives, list):
            raise UnsupportedFeatureError("anyPattern that is not a list")
        failures = [match_pattern(value, substitute(p, context)) for p in alternatives]
        if failures and all(f is not None for f in failures):
            return PatternFailure((), "no anyPattern alternative matches")
        return None
    if "deny" in validate:
        deny = validate["deny"] or {}
        if conditions_hold(deny.get("conditions") if isinstance(deny, Mapping) else None, context):
            return PatternFailure((), "deny conditions are true")
    return None


def _report(
    run: _RuleRun,
    target: _Target,
    validate: Mapping[str, Any],
    context: Mapping[str, Any],
    failure: PatternFailure,
    results: PolicyResults,
) -> None:
    message = str(validate.get("message") or "").strip()
    with contextlib.suppress(VariableError, UnsupportedFeatureError):
        message = str(substitute(message, context)) if message else message
    path = (*target.prefix, *failure.path)
    where = f" at {format_field_path(path)}" if path else ""
    text = message or f"Kyverno rule {run.policy.name}/{run.name} failed."
    results.add(
        run.user_rule,
        f"{text} (rule {run.name}: {failure.reason}{where})",
        target.obj.location(path),
        severity=run.severity,
        details={"policy": run.policy.file, "engine": "kyverno", "rule": run.name},
    )


def _context_value(
    entry: Mapping[str, Any],
    context: Mapping[str, Any],
    config_maps: Mapping[tuple[str, str], Mapping[str, Any]],
) -> Any:
    """A ``variable`` (value, jmesPath, default) or a ``configMap`` from the repository."""
    if "configMap" in entry:
        reference = substitute(entry["configMap"], context)
        key = (str(reference.get("namespace") or "default"), str(reference.get("name")))
        found = config_maps.get(key)
        if found is None:
            raise VariableError(
                f"context ConfigMap {key[0]}/{key[1]} is not in the repository (gitwarden "
                "reads no cluster)"
            )
        return found
    variable = entry.get("variable") or {}
    try:
        value = substitute(variable.get("value"), context) if "value" in variable else None
        if "jmesPath" in variable:
            source = value if "value" in variable else context
            value = query(str(variable["jmesPath"]), source)
    except VariableError:
        if "default" not in variable:
            raise
        value = None
    if value is None:
        if "default" not in variable:
            raise VariableError(f"context variable '{entry.get('name')}' resolves to nothing")
        return variable["default"]
    return value


def _given(name: str, given: Collection[str]) -> bool:
    """Whether test values stand in for the variable ``name`` (or for a part of it)."""
    return any(key == name or key.startswith(f"{name}.") for key in given)


def _set_variable(context: dict[str, Any], name: str, value: Any) -> None:
    """``request.operation: UPDATE`` sets ``context["request"]["operation"]``."""
    *parents, last = name.split(".")
    here = context
    for part in parents:
        # Copied on the way down: the object's body is shared with every other rule.
        child = here.get(part)
        here[part] = dict(child) if isinstance(child, Mapping) else {}
        here = here[part]
    here[last] = value


def _list_path(expression: str) -> FieldPath | None:
    match = _SIMPLE_LIST.match(expression.strip())
    return tuple(match.group(1).strip(".").split(".")) if match else None


def _at(body: Mapping[str, Any], path: FieldPath) -> Any:
    value: Any = body
    for part in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _context(target: _Target) -> dict[str, Any]:
    obj = target.obj
    return {
        "request": {
            "object": target.body,
            "oldObject": None,
            "operation": "CREATE",
            "name": obj.name,
            "namespace": obj.namespace or "",
            "kind": {"group": obj.api_group, "version": "v1", "kind": target.body.get("kind")},
            "userInfo": {"username": "", "groups": []},
            "roles": [],
            "clusterRoles": [],
        },
        "serviceAccountName": "",
        "serviceAccountNamespace": "",
        "images": _images(target.body),
    }


def _images(body: Mapping[str, Any]) -> dict[str, Any]:
    """Kyverno's ``images`` variable: each container's image split into its parts."""
    spec = body.get("spec")
    found: dict[str, Any] = {}
    if not isinstance(spec, Mapping):
        return found
    for group in ("containers", "initContainers", "ephemeralContainers"):
        containers = spec.get(group)
        if not isinstance(containers, list):
            continue
        parsed = {
            str(c.get("name")): _image_parts(str(c["image"]))
            for c in containers
            if isinstance(c, Mapping) and isinstance(c.get("image"), str)
        }
        if parsed:
            found[group] = parsed
    return found


def _image_parts(reference: str) -> dict[str, str]:
    name, _, digest = reference.partition("@")
    first, slash, rest = name.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost"):
        registry, path = first, rest
    else:
        registry, path = "docker.io", name
    path, colon, tag = path.rpartition(":") if ":" in path else (path, "", "")
    if not colon:
        tag = "" if digest else "latest"
    return {
        "registry": registry,
        "path": path,
        "name": path.rpartition("/")[2],
        "tag": tag,
        "digest": digest,
        "reference": reference,
    }
