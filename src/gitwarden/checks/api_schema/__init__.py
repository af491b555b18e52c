"""Would the API server accept it? Every object against the OpenAPI schemas of one release.

Built-in kinds are validated against the Kubernetes schemas of the chosen release (the newest
the installed kubernetes-validate package carries unless ``kubernetes_version`` says
otherwise), custom resources against the ``openAPIV3Schema`` of their CustomResourceDefinition
when the scan holds it. An unknown field is what the API server rejects under strict field
validation and silently drops otherwise (server-side apply warns, Helm and most controllers
do not), so a misspelled security setting is a setting that is not there. Custom kinds with
no CRD in the scan are listed once per kind, never taken as clean.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import cast

from gitwarden.checks.api_schema.kubernetes_schemas import load_schemas, newest_version
from gitwarden.checks.api_schema.object_validation import (
    NotServed,
    Removed,
    ScanValidation,
    Unchecked,
    Validated,
    Verdict,
)
from gitwarden.checks.api_schema.removed_apis import DEPRECATION_GUIDE_URL
from gitwarden.checks.api_schema.schema_problems import (
    SECURITY_FIELDS,
    ProblemKind,
    SchemaProblem,
)
from gitwarden.checks.check import Check, CheckContext, CheckSettings
from gitwarden.checks.kubernetes_release import KubernetesVersion
from gitwarden.checks.rule_declaration import FamilyRules
from gitwarden.findings import Finding, Location, Severity
from gitwarden.manifests.objects import K8sObject
from gitwarden.rules import Rule

FAMILY = "api-schema"
FIELD_VALIDATION_URL = (
    "https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation"
)
CRD_VALIDATION_URL = (
    "https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/"
    "custom-resource-definitions/#validation"
)
# None: validate against the newest release whose schemas are installed.
DEFAULT_KUBERNETES_VERSION: KubernetesVersion | None = None
# The one kind whose removal takes a security control away, not just a deployment.
SECURITY_CONTROL_KINDS = frozenset({"PodSecurityPolicy"})


@dataclass(frozen=True)
class ApiSchemaSettings:
    """What this family reads from ``.gitwarden.yaml`` (``kubernetes_version: "1.31"``)."""

    kubernetes_version: KubernetesVersion | None = DEFAULT_KUBERNETES_VERSION

    @property
    def target_version(self) -> KubernetesVersion:
        return self.kubernetes_version or newest_version()


@dataclass
class _ReleaseValidation:
    """One release's validation of one scan: built once, its problems computed once."""

    validation: ScanValidation
    problems: tuple[tuple[K8sObject, SchemaProblem], ...] | None = None


def _per_release(context: CheckContext) -> dict[KubernetesVersion, _ReleaseValidation]:
    return {}


def _release_validation(context: CheckContext, settings: ApiSchemaSettings) -> _ReleaseValidation:
    # Every finder of the family reads the same validation: kept on the scan's context, so
    # CRD validators compile and objects validate once per scan, not once per finder.
    releases = context.derived(_per_release)
    target = settings.target_version
    if target not in releases:
        validation = ScanValidation.of(context.objects, load_schemas(target))
        releases[target] = _ReleaseValidation(validation)
    return releases[target]


def _scan_validation(context: CheckContext, settings: ApiSchemaSettings) -> ScanValidation:
    return _release_validation(context, settings).validation


def _verdicts(
    context: CheckContext, settings: ApiSchemaSettings
) -> Iterator[tuple[K8sObject, Verdict]]:
    validation = _scan_validation(context, settings)
    for obj in context.objects:
        yield obj, validation.verdict(obj)


rules = FamilyRules(FAMILY)


def _problems(
    context: CheckContext, settings: ApiSchemaSettings
) -> Iterator[tuple[K8sObject, SchemaProblem]]:
    release = _release_validation(context, settings)
    if release.problems is None:
        release.problems = tuple(
            (obj, problem)
            for obj in context.objects
            for problem in release.validation.problems(obj)
        )
    yield from release.problems


def _findings_of_kind(
    rule: Rule, kind: ProblemKind, context: CheckContext, settings: ApiSchemaSettings
) -> Iterator[Finding]:
    for obj, problem in _problems(context, settings):
        if problem.kind is kind:
            yield rule.finding(problem.message + ".", obj.location(problem.path))


REMOVED_API_VERSION = rules.rule(
    "schema-removed-api-version",
    Severity.MEDIUM,
    title="Object uses an API version Kubernetes no longer serves",
    rationale=(
        "The API server of the target release has no such resource: the object is refused "
        '("no matches for kind ... in version ..."), and with it the rest of a sync may '
        "stop. A removed PodSecurityPolicy is reported as high: nothing enforces it any "
        "more, so the pods it was meant to restrict are admitted unrestricted."
    ),
    remediation=(
        "Move the object to the replacement API version (the finding names it) and check "
        "the migration notes of the deprecation guide for changed fields."
    ),
    references=(DEPRECATION_GUIDE_URL,),
)


@rules.finds(REMOVED_API_VERSION)
def find_removed_api_versions(
    context: CheckContext, settings: ApiSchemaSettings = ApiSchemaSettings()
) -> Iterator[Finding]:
    target = settings.target_version
    for obj, verdict in _verdicts(context, settings):
        if not isinstance(verdict, Removed):
            continue
        removal = verdict.removal
        fix = (
            f"use apiVersion {removal.replacement}"
            if removal.replaced_by_api_version
            else f"replace it with {removal.replacement}"
        )
        yield REMOVED_API_VERSION.finding(
            f'no matches for kind "{obj.kind}" in version "{obj.api_version}": removed in '
            f"Kubernetes v{removal.removed_in} (target v{target}); {fix}.",
            obj.location(("apiVersion",)),
            severity=Severity.HIGH if obj.kind in SECURITY_CONTROL_KINDS else None,
            details={"removed_in": str(removal.removed_in), "replacement": removal.replacement},
        )


UNKNOWN_API_VERSION = rules.rule(
    "schema-unknown-api-version",
    Severity.MEDIUM,
    title="Object's kind is not served at its API version",
    rationale=(
        "A kind the API server does not know at that version (a misspelled kind, a version "
        "that never existed, a version its CustomResourceDefinition does not serve) is refused "
        "when applied, so what the repository declares never reaches the cluster."
    ),
    remediation="Correct the kind or the apiVersion to one the target release serves.",
    references=(DEPRECATION_GUIDE_URL, CRD_VALIDATION_URL),
)


@rules.finds(UNKNOWN_API_VERSION)
def find_unknown_api_versions(
    context: CheckContext, settings: ApiSchemaSettings = ApiSchemaSettings()
) -> Iterator[Finding]:
    target = settings.target_version
    for obj, verdict in _verdicts(context, settings):
        if not isinstance(verdict, NotServed):
            continue
        if verdict.served_versions:
            fix = "use apiVersion " + " or ".join(verdict.served_versions) + "."
        elif verdict.suggested_kind:
            fix = f"did you mean kind {verdict.suggested_kind}?"
        else:
            fix = "correct the kind or the apiVersion."
        yield UNKNOWN_API_VERSION.finding(
            f'no matches for kind "{obj.kind}" in version "{obj.api_version}" '
            f"(Kubernetes v{target}): {fix}",
            obj.location(("apiVersion",)),
            details={"served_versions": ", ".join(verdict.served_versions)},
        )


SECURITY_FIELD_MISSPELLED = rules.rule(
    "schema-security-field-misspelled",
    Severity.HIGH,
    title="Security setting misspelled or misplaced: it is not applied",
    rationale=(
        "A security field the schema does not know where it is written (`runAsNonRot`, "
        "`readOnlyRootFileSystem`, `privilegd`, `hostPid`, `runAsNonRoot` outside "
        "securityContext) is dropped by the API server unless strict field validation "
        "refuses the object. Either way the hardening the author believes is in place is "
        "not: the container runs with the default instead."
    ),
    remediation="Write the field as the schema names it, in the place the finding suggests.",
    references=(FIELD_VALIDATION_URL,),
)


def _unknown_field_message(problem: SchemaProblem, consequence: str) -> str:
    if problem.suggestion:
        fix = f'did you mean "{problem.suggestion}"?'
    elif problem.path and problem.path[-1] in SECURITY_FIELDS:
        fix = "it is a security field written at the wrong level: move it where it belongs."
    else:
        fix = "remove it or correct its name and indentation."
    return f"{problem.message}: the API server drops or refuses it{consequence}; {fix}"


@rules.finds(SECURITY_FIELD_MISSPELLED)
def find_misspelled_security_fields(
    context: CheckContext, settings: ApiSchemaSettings = ApiSchemaSettings()
) -> Iterator[Finding]:
    for obj, problem in _problems(context, settings):
        if problem.weakens_security:
            yield SECURITY_FIELD_MISSPELLED.finding(
                _unknown_field_message(problem, ", so the security setting is not applied"),
                obj.location(problem.path),
                details={"suggestion": problem.suggestion or ""},
            )


UNKNOWN_FIELD = rules.rule(
    "schema-unknown-field",
    Severity.MEDIUM,
    title="Field unknown to the object's schema",
    rationale=(
        "kubectl's strict validation refuses an object with a field its schema does not "
        "declare; server-side apply, Helm and most controllers drop the field with at most a "
        "warning. The object deployed is not the object reviewed."
    ),
    remediation="Remove the field or correct its name and indentation.",
    references=(FIELD_VALIDATION_URL, CRD_VALIDATION_URL),
)


@rules.finds(UNKNOWN_FIELD)
def find_unknown_fields(
    context: CheckContext, settings: ApiSchemaSettings = ApiSchemaSettings()
) -> Iterator[Finding]:
    for obj, problem in _problems(context, settings):
        if problem.kind is ProblemKind.UNKNOWN_FIELD and not problem.weakens_security:
            yield UNKNOWN_FIELD.finding(
                _unknown_field_message(problem, ""),
                obj.location(problem.path),
                details={"suggestion": problem.suggestion or ""},
            )


INVALID_VALUE = rules.rule(
    "schema-invalid-value",
    Severity.MEDIUM,
    title="Field value of the wrong type or outside its allowed values",
    rationale=(
        "The API server refuses an object whose field has the wrong type (a string where an "
        "integer belongs, a map where a list belongs) or a value its schema does not allow; "
        "the object, and often the whole sync, is not applied."
    ),
    remediation="Give the field a value of the type and range its schema declares.",
    references=(FIELD_VALIDATION_URL, CRD_VALIDATION_URL),
)


@rules.finds(INVALID_VALUE)
def find_invalid_values(
    context: CheckContext, settings: ApiSchemaSettings = ApiSchemaSettings()
) -> Iterator[Finding]:
    return _findings_of_kind(INVALID_VALUE, ProblemKind.INVALID_VALUE, context, settings)


REQUIRED_FIELD_MISSING = rules.rule(
    "schema-required-field-missing",
    Severity.MEDIUM,
    title="Required field missing",
    rationale=(
        "The API server refuses an object that leaves out a field its schema requires (a "
        "container's name, a Deployment's selector, a RoleBinding's roleRef)."
    ),
    remediation="Add the field the finding names.",
    references=(FIELD_VALIDATION_URL, CRD_VALIDATION_URL),
)


@rules.finds(REQUIRED_FIELD_MISSING)
def find_missing_required_fields(
    context: CheckContext, settings: ApiSchemaSettings = ApiSchemaSettings()
) -> Iterator[Finding]:
    return _findings_of_kind(REQUIRED_FIELD_MISSING, ProblemKind.MISSING_FIELD, context, settings)


KIND_NOT_VALIDATED = rules.rule(
    "schema-kind-not-validated",
    Severity.INFO,
    title="Objects gitwarden could not validate against a schema",
    rationale=(
        "A custom resource whose CustomResourceDefinition is not among the scanned files has "
        "no schema to check it against, and the specs of CustomResourceDefinitions are not "
        "validated (their schemas run to megabytes). They are listed once per kind so that "
        "unchecked is never mistaken for accepted."
    ),
    remediation=(
        "Add the CustomResourceDefinition to the scanned files (or scan the folder that holds "
        "it) to validate its custom resources."
    ),
    references=(CRD_VALIDATION_URL,),
)


def _unchecked_reason(verdict: Verdict) -> str | None:
    if isinstance(verdict, Unchecked):
        return verdict.reason
    if isinstance(verdict, Validated) and verdict.metadata_only:
        return "its spec is not validated, only its metadata"
    return None


@rules.finds(KIND_NOT_VALIDATED)
def find_kinds_not_validated(
    context: CheckContext, settings: ApiSchemaSettings = ApiSchemaSettings()
) -> Iterator[Finding]:
    by_kind: dict[tuple[str, str], tuple[str, list[K8sObject]]] = {}
    for obj, verdict in _verdicts(context, settings):
        reason = _unchecked_reason(verdict)
        if reason is not None:
            by_kind.setdefault((obj.api_version, obj.kind), (reason, []))[1].append(obj)
    for (api_version, kind), (reason, objects) in by_kind.items():
        count = len(objects)
        noun = "object" if count == 1 else "objects"
        first = objects[0]
        yield KIND_NOT_VALIDATED.finding(
            f"not validated: {count} {noun} of kind {kind} ({api_version}): {reason}.",
            # Built from the object's own line: locating it through its positions would
            # parse a lazily loaded CRD in full, the cost this finding is about.
            Location(first.file, first.line, resource=first.resource, origin=first.origin),
            details={"kind": kind, "apiVersion": api_version, "objects": str(count)},
        )


def api_schema_checks(settings: ApiSchemaSettings) -> tuple[Check, ...]:
    """This family's checks validating against the release ``settings`` name."""
    checks = []
    for check in rules.checks():
        # Every finder of this family takes the settings as a keyword (default: newest).
        find = cast(Callable[..., Iterable[Finding]], check.find)
        checks.append(Check(check.rule, partial(find, settings=settings)))
    return tuple(checks)


def settings_of(context: CheckContext) -> ApiSchemaSettings:
    """The release the scan's config names (``kubernetes_version:``), else the newest."""
    return _settings_for(context.settings)


def load_release_schemas(settings: CheckSettings) -> None:
    """Read the schemas this family validates against under ``settings`` (once per
    process): a caller with time to spare takes that cost before the checks run (and
    `load_shipped_definitions` for the CRD schemas gitwarden ships)."""
    load_schemas(_settings_for(settings).target_version)


def _settings_for(settings: CheckSettings) -> ApiSchemaSettings:
    configured = settings.kubernetes_version
    if configured is None:
        return ApiSchemaSettings()
    return ApiSchemaSettings(KubernetesVersion.parse(configured))


_Finder = Callable[..., Iterable[Finding]]


def _configured(find: _Finder) -> Callable[[CheckContext], Iterable[Finding]]:
    def find_for_configured_release(context: CheckContext) -> Iterable[Finding]:
        return find(context, settings=settings_of(context))

    return find_for_configured_release


# The built-in family reads its release from each scan's settings.
CHECKS: tuple[Check, ...] = tuple(
    Check(check.rule, _configured(cast(_Finder, check.find))) for check in rules.checks()
)

__all__ = [
    "CHECKS",
    "DEFAULT_KUBERNETES_VERSION",
    "FAMILY",
    "ApiSchemaSettings",
    "KubernetesVersion",
    "api_schema_checks",
]
