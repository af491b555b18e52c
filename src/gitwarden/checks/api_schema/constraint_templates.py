"""Schemas of Gatekeeper constraints, from the ConstraintTemplates in the scanned objects.

Gatekeeper turns each ConstraintTemplate into a CRD of group ``constraints.gatekeeper.sh``
whose kind is the template's ``spec.crd.spec.names.kind``: its ``spec.parameters`` follow the
template's ``spec.crd.spec.validation.openAPIV3Schema``, and ``spec.match`` the fields every
constraint shares. A misspelled parameter or match field is silently ignored by Gatekeeper,
so the constraint enforces less than its author wrote; the schema built here says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from gitwarden.checks.api_schema.crd_schemas import root_schema
from gitwarden.manifests.objects import K8sObject

TEMPLATE_GROUP = "templates.gatekeeper.sh"
CONSTRAINT_GROUP = "constraints.gatekeeper.sh"
# The versions Gatekeeper serves every constraint kind at.
CONSTRAINT_VERSIONS = ("v1", "v1alpha1", "v1beta1")
_OPEN_OBJECT: Mapping[str, Any] = {"type": "object", "x-kubernetes-preserve-unknown-fields": True}
_STRINGS: Mapping[str, Any] = {"type": "array", "items": {"type": "string"}}
# The match fields of every constraint (Gatekeeper's documented `match` section).
_MATCH: Mapping[str, Any] = {
    "type": "object",
    "properties": {
        "kinds": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"apiGroups": _STRINGS, "kinds": _STRINGS},
            },
        },
        "scope": {"type": "string"},
        "namespaces": _STRINGS,
        "excludedNamespaces": _STRINGS,
        "labelSelector": _OPEN_OBJECT,
        "namespaceSelector": _OPEN_OBJECT,
        "name": {"type": "string"},
        "source": {"type": "string"},
    },
}


@dataclass(frozen=True, eq=False)
class ConstraintTemplates:
    """The ConstraintTemplates of a scan by the constraint kind they define."""

    by_kind: Mapping[str, K8sObject]

    @classmethod
    def of(cls, objects: Iterable[K8sObject]) -> ConstraintTemplates:
        found: dict[str, K8sObject] = {}
        for obj in objects:
            if obj.kind != "ConstraintTemplate" or obj.api_group != TEMPLATE_GROUP:
                continue
            kind = obj.get(("spec", "crd", "spec", "names", "kind"))
            if isinstance(kind, str):
                found.setdefault(kind, obj)
        return cls(found)

    def definition(self, group: str, kind: str) -> K8sObject | None:
        return self.by_kind.get(kind) if group == CONSTRAINT_GROUP else None


def constraint_schema(template: K8sObject) -> dict[str, Any]:
    """The JSON Schema of the constraints ``template`` defines."""
    validation = template.get(("spec", "crd", "spec", "validation"), {})
    validation = validation if isinstance(validation, Mapping) else {}
    parameters = validation.get("openAPIV3Schema")
    # legacySchema (v1beta1 templates): Gatekeeper keeps unknown parameters.
    if not isinstance(parameters, Mapping) or validation.get("legacySchema") is True:
        parameters = {**(parameters or {}), "x-kubernetes-preserve-unknown-fields": True}
    openapi = {
        "type": "object",
        "properties": {
            "spec": {
                "type": "object",
                "properties": {
                    "enforcementAction": {"type": "string"},
                    "scopedEnforcementActions": {"type": "array", "items": _OPEN_OBJECT},
                    "match": _MATCH,
                    "parameters": parameters,
                },
            },
            "status": _OPEN_OBJECT,
        },
    }
    return root_schema(openapi)
