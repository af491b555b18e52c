"""The schema of `.gitwarden.yaml`: every key, its type, its check and its default.

The sections here are only what the file says; `gitwarden.config` hands each one to the
family that owns its settings type (checks, production scope, policy sources).
"""

from __future__ import annotations

import difflib
from typing import Annotated, Any, ClassVar

from pydantic import BeforeValidator, Discriminator, Field, Tag, WithJsonSchema

from gitwarden.checks.check import PSS_LEVELS
from gitwarden.config import DEFAULT_MAX_FILE_BYTES, GATE_REQUIREMENTS
from gitwarden.manifests.loader import DEFAULT_MAX_DOCUMENT_BYTES
from gitwarden.policy.rules import POLICY_RULE_PREFIXES
from gitwarden.policy.sources import DEFAULT_NAMESPACES
from gitwarden.yaml_schema.declaration import (
    LIST_FORM,
    MAPPING_FORM,
    TEXT_FORM,
    Section,
    did_you_mean,
    refuse,
)
from gitwarden.yaml_schema.values import (
    NameGlob,
    OptionalDate,
    OptionalNameGlob,
    OptionalPathGlob,
    OptionalSeverity,
    PathGlob,
    PositiveBytes,
    RepositoryPath,
    SeverityName,
    Text,
    listed,
    non_empty_string,
)


def known_rule_id(value: Any) -> str:
    """A rule id that exists: a typo here would silently do nothing."""
    # Imported here: the catalogue is only needed when the config names rules, and
    # commands such as `history` should not pay for loading every check family.
    from gitwarden.rule_catalogue import all_rules, is_known_rule_id

    rule = non_empty_string(value)
    known = [r.id for r in all_rules()]
    if rule in known or rule.startswith(POLICY_RULE_PREFIXES) or is_known_rule_id(rule):
        return rule
    close = difflib.get_close_matches(rule, known, n=1)
    raise refuse(
        f"unknown rule '{rule}'",
        hint=f"did you mean '{close[0]}'?" if close else "see `gitwarden rules`",
    )


def pss_level(value: Any) -> str:
    level = non_empty_string(value)
    if level not in PSS_LEVELS:
        raise refuse(f"must be one of {', '.join(PSS_LEVELS)}")
    return level


def kubernetes_version(value: Any) -> str:
    """A release whose API schemas gitwarden carries (``1.31``), kept as written."""
    from gitwarden.checks.api_schema.kubernetes_schemas import available_versions
    from gitwarden.checks.kubernetes_release import KubernetesVersion

    if isinstance(value, int | float):
        raise refuse(f'must be quoted, e.g. "{value}" (YAML reads 1.30 as the number 1.3)')
    text = non_empty_string(value)
    try:
        version = KubernetesVersion.parse(text)
    except ValueError as error:
        raise refuse(str(error)) from None
    known = available_versions()
    if version not in known:
        raise refuse(f"gitwarden carries the API schemas of {known[0]} to {known[-1]}")
    return str(version)


KubernetesVersionText = Annotated[
    str,
    BeforeValidator(kubernetes_version),
    WithJsonSchema({"type": "string", "pattern": r"^v?1\.[0-9]+(\.[0-9]+)?$"}),
]
RuleId = Annotated[
    str,
    BeforeValidator(known_rule_id),
    WithJsonSchema({"type": "string", "minLength": 1, "description": "see `gitwarden rules`"}),
]
PssLevel = Annotated[
    str,
    BeforeValidator(pss_level),
    WithJsonSchema({"type": "string", "enum": list(PSS_LEVELS)}),
]
Globs = Annotated[tuple[PathGlob, ...], listed("must be a list of strings")]
NameGlobs = Annotated[tuple[NameGlob, ...], listed("must be a list of strings")]
Texts = Annotated[tuple[Text, ...], listed("must be a list of strings")]


class Suppression(Section):
    """Suppress ``rule`` where ``path`` and ``resource`` match, for a reason, until a date."""

    rule: NameGlob
    reason: Text
    path: OptionalPathGlob = None
    resource: OptionalNameGlob = None
    expires: OptionalDate = None


class DigestSeverity(Section):
    path: PathGlob
    severity: SeverityName


class SeverityOverride(Section):
    """The list form of ``severity_overrides``: re-rate a rule, where ``path`` matches, why."""

    rule: RuleId
    severity: SeverityName
    reason: Text
    path: OptionalPathGlob = None


class Production(Section):
    """Globs naming production namespaces, clusters (name or API server URL) and paths."""

    namespaces: NameGlobs = ()
    clusters: NameGlobs = ()
    paths: Globs = ()


def gate_requirement(value: Any) -> str:
    """A requirement the gate knows: an unknown one would silently check nothing."""
    name = non_empty_string(value)
    if name not in GATE_REQUIREMENTS:
        raise refuse(f"unknown requirement '{name}'", hint=did_you_mean(name, GATE_REQUIREMENTS))
    return name


Requirement = Annotated[
    str,
    BeforeValidator(gate_requirement),
    WithJsonSchema({"type": "string", "enum": list(GATE_REQUIREMENTS)}),
]


class Environment(Section):
    """A deploy target of `gitwarden gate`: where it deploys from and what it requires."""

    branches: Annotated[tuple[Text, ...], listed("must be a list of branch names")] = Field(
        description="the branches this environment deploys from (its protected base)"
    )
    paths: Globs = Field(("**",), description="the paths deployed (manifest findings)")
    fail_on: OptionalSeverity = Field(None, description="the environment's severity threshold")
    require: Annotated[tuple[Requirement, ...], listed("must be a list of requirements")] = Field(
        (), description="checks that must pass: " + ", ".join(GATE_REQUIREMENTS)
    )
    trust_anchor: Text | None = Field(
        None, description="verify signatures after this commit until a deployment is recorded"
    )
    policy_fingerprint: Text | None = Field(
        None, description="pin the history's first trust policy (sha256:...)"
    )


class PolicyFolder(Section):
    path: RepositoryPath
    namespaces: Texts = DEFAULT_NAMESPACES


def _policy_form(value: Any) -> str:
    return TEXT_FORM if isinstance(value, str) else MAPPING_FORM


PolicyEntry = Annotated[
    Annotated[RepositoryPath, Tag(TEXT_FORM)] | Annotated[PolicyFolder, Tag(MAPPING_FORM)],
    Discriminator(_policy_form),
]

_OVERRIDES_SHAPE = (
    "must map rule ids to severities, or list {rule, severity, reason[, path]} entries"
)


def _overrides_shape(value: Any) -> Any:
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        return value
    if not isinstance(value, dict):
        raise refuse(_OVERRIDES_SHAPE)
    return value


def _overrides_form(value: Any) -> str:
    return LIST_FORM if isinstance(value, list) else MAPPING_FORM


SeverityOverrides = Annotated[
    Annotated[dict[RuleId, SeverityName], Tag(MAPPING_FORM)]
    | Annotated[tuple[SeverityOverride, ...], Tag(LIST_FORM)],
    Discriminator(_overrides_form),
    BeforeValidator(_overrides_shape),
]


class GitwardenFile(Section):
    """`.gitwarden.yaml`, at the root of the scanned repository. Every key is optional."""

    not_a_mapping: ClassVar[str | None] = "must be a mapping of settings"

    include: Globs = Field((), description="only these paths (default: everything)")
    exclude: Globs = Field((), description="never these (.git/ and node_modules/ always)")
    fail_on: OptionalSeverity = Field(None, description="like --fail-on; the command line wins")
    severity_overrides: SeverityOverrides = Field(
        default_factory=dict,
        description="re-rate rules: {rule: severity}, or a list of {rule, severity, reason, "
        "path} entries (a reason is required; the path-scoped entries win)",
    )
    disabled_rules: Annotated[tuple[RuleId, ...], listed("must be a list of rule ids")] = ()
    trusted_registries: Texts = Field(
        (), description="images-untrusted-registry fires outside these"
    )
    image_digest_severity: Annotated[
        tuple[DigestSeverity, ...], listed("must be a list of {path, severity} entries")
    ] = Field((), description="images-not-pinned-by-digest per path, first match wins")
    pod_security_level: PssLevel = Field(
        "restricted", description="where no namespace label says which level applies"
    )
    kubernetes_version: KubernetesVersionText | None = Field(
        None, description="the release manifests are validated against (default: the newest)"
    )
    suppressions: Annotated[tuple[Suppression, ...], listed("must be a list of suppressions")] = ()
    max_document_bytes: PositiveBytes = DEFAULT_MAX_DOCUMENT_BYTES
    max_file_bytes: PositiveBytes = DEFAULT_MAX_FILE_BYTES
    policies: Annotated[tuple[PolicyEntry, ...], listed("must be a list of policy folders")] = (
        Field((), description="folders of Rego, admission and Kyverno policies")
    )
    production: Production = Field(
        default_factory=Production,
        description="what counts as production for the Argo CD and Flux rules",
    )
    environments: dict[Text, Environment] = Field(
        default_factory=dict, description="deploy targets judged by `gitwarden gate`, by name"
    )
