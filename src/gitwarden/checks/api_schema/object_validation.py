"""For each object of a scan: which schema describes it, and what that schema rejects.

``ScanValidation`` is built per scan and compiles one jsonschema-rs validator per kind and
version (not per object); it holds nothing between scans.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import jsonschema_rs

from gitwarden.checks.api_schema.constraint_templates import (
    CONSTRAINT_VERSIONS,
    ConstraintTemplates,
    constraint_schema,
)
from gitwarden.checks.api_schema.crd_schemas import (
    CustomResourceDefinitions,
    root_schema,
    served_schema,
)
from gitwarden.checks.api_schema.kubernetes_schemas import (
    DEFINITIONS_URI,
    GroupVersionKind,
    KubernetesSchemas,
)
from gitwarden.checks.api_schema.removed_apis import REMOVED_ONLY_GROUPS, RemovedApi, removed_api
from gitwarden.checks.api_schema.schema_problems import SchemaProblem, closest_field, validate
from gitwarden.checks.api_schema.shipped_crds import release_tolerant, shipped_definition
from gitwarden.manifests.objects import K8sObject

OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
SOPS_KEY = "sops"
# Compiled size of one pattern of a CRD schema (the repository's data, so bounded).
MAX_PATTERN_BYTES = 1 << 20
# What a Kubernetes API version looks like: v1, v2beta1, v1alpha3.
API_VERSION = re.compile(r"^v\d+((alpha|beta)\d+)?$")


@dataclass(frozen=True)
class Removed:
    """A built-in kind at an API version the target release no longer serves."""

    removal: RemovedApi


@dataclass(frozen=True)
class NotServed:
    """A kind or version the target release (or the object's CRD) does not serve."""

    served_versions: tuple[str, ...]
    suggested_kind: str | None = None


@dataclass(frozen=True)
class Unchecked:
    """A custom kind with nothing to check it against: said once, never taken as clean."""

    reason: str


@dataclass(frozen=True)
class Validated:
    """An object with a schema to validate it against (the whole object or a part)."""

    key: Any
    schema: Mapping[str, Any]
    # Only CRDs are validated in part: their metadata, not their megabytes of schemas.
    metadata_only: bool = False
    # A definition of the Kubernetes schemas (key: its name), not a CRD of the scan.
    built_in: bool = False


Verdict = Removed | NotServed | Unchecked | Validated


@dataclass(eq=False)
class ScanValidation:
    """The verdicts of one scan's objects against one Kubernetes release."""

    schemas: KubernetesSchemas
    crds: CustomResourceDefinitions
    templates: ConstraintTemplates = field(default_factory=lambda: ConstraintTemplates({}))
    _validators: dict[Any, jsonschema_rs.Validator] = field(default_factory=dict)
    _custom_verdicts: dict[GroupVersionKind, Verdict] = field(default_factory=dict)

    @classmethod
    def of(cls, objects: Sequence[K8sObject], schemas: KubernetesSchemas) -> ScanValidation:
        return cls(schemas, CustomResourceDefinitions.of(objects), ConstraintTemplates.of(objects))

    def is_built_in(self, gvk: GroupVersionKind) -> bool:
        if not gvk.group and not API_VERSION.match(gvk.version):
            return False  # `apiVersion: builtin` (kustomize's transformers) is no API group
        return gvk.group in self.schemas.groups or gvk.group in REMOVED_ONLY_GROUPS

    def verdict(self, obj: K8sObject) -> Verdict:
        """What ``obj`` is checked against; cheap, validates nothing yet."""
        gvk = GroupVersionKind.of(obj.api_version, obj.kind)
        if self.is_built_in(gvk):
            return self._built_in_verdict(obj, gvk)
        verdict = self._custom_verdicts.get(gvk)
        if verdict is None:
            verdict = self._custom_verdicts[gvk] = self._custom_verdict(gvk)
        return verdict

    def _validator(self, verdict: Validated) -> jsonschema_rs.Validator:
        if verdict.built_in:
            return self.schemas.validator(verdict.key)
        if verdict.metadata_only:
            return self.schemas.metadata_validator()
        # A CRD's: compiled by _custom_verdict, which alone makes such verdicts.
        return self._validators[verdict.key]

    def _built_in_verdict(self, obj: K8sObject, gvk: GroupVersionKind) -> Verdict:
        name = self.schemas.definition_of.get(gvk)
        if name is None:
            removal = removed_api(gvk.api_version, gvk.kind, self.schemas.version)
            if removal is not None:
                return Removed(removal)
            served = self.schemas.versions_serving(gvk.group, gvk.kind)
            suggestion = None
            if not served:
                suggestion = closest_field(gvk.kind, self.schemas.kinds_of_group(gvk.group))
            return NotServed(served, suggestion)
        if obj.header is not None:
            # Parsing a CRD's schemas to validate the definition itself would cost seconds
            # per repository (they run to megabytes): only its metadata is validated.
            return Validated(OBJECT_META, {}, metadata_only=True)
        return Validated(name, {"$ref": f"{DEFINITIONS_URI}#/$defs/{name}"}, built_in=True)

    def _custom_verdict(self, gvk: GroupVersionKind) -> Verdict:
        crd = self.crds.definition(gvk)
        template = self.templates.definition(gvk.group, gvk.kind)
        if crd is None and template is not None:
            return self._constraint_verdict(template, gvk)
        if crd is None:
            return self._shipped_verdict(gvk)
        served = served_schema(crd, gvk.version)
        if not served.served:
            return NotServed(served.served_versions)
        if served.schema is None:
            return Unchecked(f"its CustomResourceDefinition {crd.name} has no schema")
        return self._compiled(
            (id(crd), gvk.version), served.schema, f"CustomResourceDefinition {crd.name}"
        )

    def _constraint_verdict(self, template: K8sObject, gvk: GroupVersionKind) -> Verdict:
        """A Gatekeeper constraint, against the schema its ConstraintTemplate gives it."""
        if gvk.version not in CONSTRAINT_VERSIONS:
            return NotServed(CONSTRAINT_VERSIONS)
        key = (id(template), gvk.version)
        return self._compiled(
            key, constraint_schema(template), f"ConstraintTemplate {template.name}"
        )

    def _shipped_verdict(self, gvk: GroupVersionKind) -> Verdict:
        """Against the CRD schema gitwarden ships, when the scan holds no CRD for ``gvk``."""
        absent = "no CustomResourceDefinition for it among the scanned files"
        shipped = shipped_definition(gvk.group, gvk.kind)
        if shipped is None:
            return Unchecked(absent)
        openapi = shipped.schemas.get(gvk.version)
        if openapi is None:
            # A newer version than the shipped release knows is not "not served": unchecked.
            return Unchecked(
                f"{absent}, and the schemas gitwarden ships cover "
                f"{', '.join(shipped.versions)} only"
            )
        schema = root_schema(release_tolerant(openapi))
        return self._compiled(("shipped", gvk), schema, "shipped schema")

    def _compiled(self, key: Any, schema: Mapping[str, Any], source: str) -> Verdict:
        try:
            # A CRD's schema is this scan's data: compiled for this scan only, and its
            # patterns with the linear-time engine (RE2 semantics, as the API server has).
            self._validators[key] = jsonschema_rs.Draft202012Validator(
                dict(schema),
                registry=self.schemas.registry,
                pattern_options=jsonschema_rs.RegexOptions(size_limit=MAX_PATTERN_BYTES),
            )
        except (ValueError, jsonschema_rs.ValidationError) as error:
            first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
            return Unchecked(f"the schema of its {source} does not compile ({first_line})")
        return Validated(key, schema)

    def problems(self, obj: K8sObject) -> tuple[SchemaProblem, ...]:
        """What the API server would reject in ``obj`` (nothing when it has no schema)."""
        verdict = self.verdict(obj)
        if not isinstance(verdict, Validated):
            return ()
        body: Mapping[str, Any] = (
            {"metadata": obj.head.get("metadata")} if verdict.metadata_only else obj.body
        )
        if isinstance(body.get(SOPS_KEY), Mapping):
            # A SOPS-encrypted file reaches the API server decrypted, without its sops block.
            body = {key: value for key, value in body.items() if key != SOPS_KEY}
        return validate(self._validator(verdict), body, verdict.schema, self.schemas.document)
