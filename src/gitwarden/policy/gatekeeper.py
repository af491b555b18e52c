"""OPA Gatekeeper ConstraintTemplates and Constraints, evaluated offline as Gatekeeper does.

Every committed object is reviewed as a CREATE request (``input.review`` with ``object``,
``kind``, ``name``, ``namespace``, ``operation`` and an empty ``userInfo``; no
``oldObject``) by every Constraint whose ``spec.match`` selects it, with
``input.parameters`` from the Constraint and ``data.inventory`` from the repository. Each
``violation`` is a finding ``gatekeeper:<ConstraintKind>/<name>`` at the object, its severity
from the Constraint's ``enforcementAction`` (deny: high, warn: medium, dryrun: low).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gitwarden.findings import Severity
from gitwarden.manifests.objects import K8sObject
from gitwarden.policy.admission_match import namespace_object, resource_name
from gitwarden.policy.cel_program import cel_environment
from gitwarden.policy.engine import PolicyInputs
from gitwarden.policy.gatekeeper_inventory import (
    SyncSelection,
    inventory_of,
    is_synced,
    sync_selection,
)
from gitwarden.policy.gatekeeper_match import constraint_matches
from gitwarden.policy.gatekeeper_parameters import parameter_problems
from gitwarden.policy.gatekeeper_templates import (
    CONSTRAINT_GROUP,
    TEMPLATE_GROUP,
    TEMPLATE_KIND,
    CompiledTemplate,
    TemplateEvaluationError,
    Violation,
    compile_template,
    template_kind,
)
from gitwarden.policy.object_view import ObjectBodies, plain_body
from gitwarden.policy.results import PolicyResults
from gitwarden.policy.rules import POLICY_ERROR, policy_rule

RULE_PREFIX = "gatekeeper:"
_ACTION_SEVERITY = {"deny": Severity.HIGH, "warn": Severity.MEDIUM, "dryrun": Severity.LOW}


def is_template(obj: K8sObject) -> bool:
    return obj.api_group == TEMPLATE_GROUP and obj.kind == TEMPLATE_KIND


def is_constraint(obj: K8sObject) -> bool:
    return obj.api_group == CONSTRAINT_GROUP


def review_of(obj: K8sObject, body: Mapping[str, Any]) -> dict[str, Any]:
    """The admission review Gatekeeper would evaluate for applying ``obj``."""
    group, version = obj.api_group, obj.api_version.rpartition("/")[2]
    return {
        "kind": {"group": group, "version": version, "kind": obj.kind},
        "resource": {"group": group, "version": version, "resource": resource_name(obj.kind)},
        "name": obj.name,
        "namespace": obj.namespace or "",
        "operation": "CREATE",
        "userInfo": {},
        "object": body,
        "dryRun": False,
    }


def constraint_severity(constraint: K8sObject) -> Severity:
    """From ``enforcementAction`` (and the strongest of ``scopedEnforcementActions``)."""
    actions = [str(constraint.get(("spec", "enforcementAction")) or "deny")]
    scoped = constraint.get(("spec", "scopedEnforcementActions"))
    for entry in scoped if isinstance(scoped, list) else []:
        if isinstance(entry, Mapping) and entry.get("action"):
            actions.append(str(entry["action"]))
    # "scoped" defers to the list above; an action gitwarden does not know counts as deny.
    known = [a.lower() for a in actions if a.lower() != "scoped"]
    return max((_ACTION_SEVERITY.get(a, Severity.HIGH) for a in known), default=Severity.HIGH)


@dataclass(frozen=True)
class BoundConstraint:
    """A Constraint whose template compiled and whose parameters fit it."""

    obj: K8sObject
    body: Mapping[str, Any]
    template: CompiledTemplate

    def applies_to(self, obj: K8sObject, namespace: Mapping[str, Any] | None) -> bool:
        return constraint_matches(self.obj.get(("spec", "match")), obj, namespace)

    def violations(
        self, obj: K8sObject, body: Mapping[str, Any], namespace: Mapping[str, Any] | None
    ) -> list[Violation]:
        return self.template.violations(review_of(obj, body), self.body, namespace)


def bind_constraints(
    policies: Sequence[K8sObject], results: PolicyResults
) -> list[BoundConstraint]:
    """Compile the templates among ``policies`` and bind their Constraints to them.

    A Constraint without its template, or whose parameters do not fit the template's
    schema, is a ``policy-error`` (the API server would refuse it; offline it checks nothing).
    """
    templates: dict[str, CompiledTemplate | None] = {}
    for obj in policies:
        if is_template(obj):
            kind = template_kind(obj)
            compiled = compile_template(obj, cel_environment, results)
            if kind is not None:
                templates.setdefault(kind, compiled)
    bound: list[BoundConstraint] = []
    for obj in policies:
        if not is_constraint(obj):
            continue
        if obj.kind not in templates:
            results.add(
                POLICY_ERROR,
                f"Gatekeeper Constraint {obj.kind}/{obj.name} has no ConstraintTemplate "
                f"defining kind {obj.kind} in the repository or the policy folders; it was "
                "not evaluated. Add the template (e.g. with --policy).",
                obj.location(),
            )
            continue
        template = templates[obj.kind]
        if template is None:
            continue  # the template's problem is already reported
        problems = parameter_problems(template.schema, obj.get(("spec", "parameters"), {}))
        if problems:
            results.add(
                POLICY_ERROR,
                f"Gatekeeper Constraint {obj.kind}/{obj.name}: parameters do not fit the "
                f"schema of ConstraintTemplate '{template.obj.name}': {'; '.join(problems)}. "
                "The API server would refuse it; it was not evaluated.",
                obj.location(("spec", "parameters")),
            )
            continue
        bound.append(BoundConstraint(obj, plain_body(obj), template))
    return bound


def evaluate(inputs: PolicyInputs) -> PolicyResults:
    """This engine's entry for ``policy.engines`` (see ``policy.engine``)."""
    return evaluate_gatekeeper(inputs.everything, inputs.subjects, inputs.bodies)


def evaluate_gatekeeper(
    everything: Sequence[K8sObject], subjects: Sequence[K8sObject], bodies: ObjectBodies
) -> PolicyResults:
    """Findings of every Constraint in ``everything`` over the ``subjects``."""
    results = PolicyResults()
    policies = [o for o in everything if is_template(o) or is_constraint(o)]
    if not policies:
        return results
    constraints = bind_constraints(policies, results)
    if not constraints:
        return results
    _sync_inventories(constraints, subjects, bodies)
    namespaces = {o.name: bodies.full(i) for i, o in enumerate(subjects) if o.kind == "Namespace"}
    for constraint in constraints:
        _apply(constraint, subjects, bodies, namespaces, results)
    return results


def _sync_inventories(
    constraints: Sequence[BoundConstraint], subjects: Sequence[K8sObject], bodies: ObjectBodies
) -> None:
    """Give each referential template the repository's objects it asks for, serialised once
    per distinct request (full bodies cost: CRDs are parsed only when asked for)."""
    documents: dict[SyncSelection, str] = {}
    templates = {id(c.template): c.template for c in constraints}.values()
    for template in templates:
        if not template.reads_inventory:
            continue
        selection = sync_selection(template.obj.annotations)
        if selection not in documents:
            # Without a declared need, CRDs come with their leading part, not their schemas:
            # parsing those dominates install bundles, and no sync config asks for them.
            view = bodies.full if selection is not None else bodies.cheap
            synced = (
                view(i)
                for i, o in enumerate(subjects)
                if is_synced(selection, o.api_version, o.kind)
            )
            documents[selection] = json.dumps({"inventory": inventory_of(synced)})
        template.use_inventory_json(documents[selection])


def _apply(
    constraint: BoundConstraint,
    subjects: Sequence[K8sObject],
    bodies: ObjectBodies,
    namespaces: Mapping[str, Mapping[str, Any]],
    results: PolicyResults,
) -> None:
    obj, template = constraint.obj, constraint.template
    severity = constraint_severity(obj)
    rule = policy_rule(
        f"{RULE_PREFIX}{obj.kind}/{obj.name}",
        severity,
        f"Gatekeeper {obj.kind} {obj.name}",
        str(
            template.obj.annotations.get("description")
            or f"Gatekeeper ConstraintTemplate '{template.obj.name}' in {template.obj.file}."
        ).strip(),
    )
    errors: dict[str, list[K8sObject]] = {}
    for index, subject in enumerate(subjects):
        namespace = namespace_object(subject, namespaces)
        if not constraint.applies_to(subject, namespace):
            continue
        try:
            found = constraint.violations(subject, bodies.full(index), namespace)
        except TemplateEvaluationError as error:
            errors.setdefault(str(error), []).append(subject)
            continue
        for violation in found:
            results.add(
                rule,
                violation.message or f"Denied by {obj.kind}/{obj.name}.",
                subject.location(),
                severity=severity,
                details={
                    "policy": obj.file,
                    "engine": "gatekeeper",
                    "template": template.obj.name,
                    "enforcementAction": str(obj.get(("spec", "enforcementAction")) or "deny"),
                    **({"details": json.dumps(violation.details)} if violation.details else {}),
                },
            )
    for text, failed in errors.items():
        results.add(
            POLICY_ERROR,
            f"Gatekeeper {obj.kind}/{obj.name} failed while evaluating {failed[0].resource} "
            f"({failed[0].file})"
            + (f" and {len(failed) - 1} more objects" if len(failed) > 1 else "")
            + f": {text}. The objects it failed on were not checked by it; fix the template "
            f"'{template.obj.name}'.",
            template.obj.location(("spec", "targets")),
        )
