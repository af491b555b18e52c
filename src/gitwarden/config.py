"""`.gitwarden.yaml`: the repository's gitwarden configuration, read through its schema.

The file is described once, declaratively, in `gitwarden.config_schema.gitwarden_file`; this
module only dispatches each parsed section to the settings type of the family that reads it
(`CheckSettings` and `ProductionScope` of the checks, `PolicySource` of the policy engines).
Every error names the file, the line and the offending key, and suggests the key that was
probably meant, because a typo in a security tool's config silently weakens it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from gitwarden.checks.check import CheckSettings
from gitwarden.checks.production import ProductionScope
from gitwarden.errors import ConfigError
from gitwarden.findings import Severity
from gitwarden.manifests.loader import DEFAULT_MAX_DOCUMENT_BYTES
from gitwarden.policy.sources import PolicySource

if TYPE_CHECKING:
    from gitwarden.config_schema.gitwarden_file import GitwardenFile
    from gitwarden.yaml_schema.document import ReadDocument

CONFIG_FILE_NAMES = (".gitwarden.yaml", ".gitwarden.yml")
DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024
DEFAULT_EXCLUDE = (".git/", "node_modules/")


@dataclass(frozen=True)
class ConfigSuppression:
    """Suppress ``rule`` (a glob) where ``path`` and ``resource`` globs match, for a reason."""

    rule: str
    reason: str
    path: str | None = None
    resource: str | None = None
    expires: date | None = None
    line: int = 1


@dataclass(frozen=True)
class SeverityOverride:
    """Re-rate ``rule``'s findings where ``path`` matches (None: everywhere), for a reason.

    The explicit way to lower a "not checked" finding for a path the team accepts.
    """

    rule: str
    severity: Severity
    reason: str
    path: str | None = None
    line: int = 1


def _no_overrides() -> Mapping[str, Severity]:
    return MappingProxyType({})


# What an environment may require before a revision is deployed to it (`gitwarden gate`).
GATE_REQUIREMENTS = ("signatures", "ledger", "review", "manifests", "policy", "secrets", "images")


@dataclass(frozen=True)
class EnvironmentSettings:
    """One deploy target: the branches it deploys from, its paths, threshold and requirements.

    ``trust_anchor`` / ``policy_fingerprint`` pin the signed history's root of trust when no
    deployment has been recorded yet.
    """

    name: str
    branches: tuple[str, ...]
    paths: tuple[str, ...] = ("**",)
    fail_on: Severity | None = None
    require: tuple[str, ...] = ()
    trust_anchor: str | None = None
    policy_fingerprint: str | None = None
    line: int = 1


def _no_environments() -> Mapping[str, EnvironmentSettings]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Config:
    """gitwarden's settings; ``file`` is where they were read from (None: defaults)."""

    file: str | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    fail_on: Severity | None = None
    # The mapping form of `severity_overrides`: rule id -> severity, everywhere.
    severity_overrides: Mapping[str, Severity] = field(default_factory=_no_overrides)
    # The list form: scoped by path, each with a reason; the first match wins over the mapping.
    scoped_severity_overrides: tuple[SeverityOverride, ...] = ()
    disabled_rules: tuple[str, ...] = ()
    suppressions: tuple[ConfigSuppression, ...] = ()
    checks: CheckSettings = field(default_factory=CheckSettings)
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    # Folders of Rego / admission / Kyverno policies, relative to the repository root.
    policies: tuple[PolicySource, ...] = ()
    # Deploy targets judged by `gitwarden gate`, by name.
    environments: Mapping[str, EnvironmentSettings] = field(default_factory=_no_environments)


def find_config(root: Path) -> Path | None:
    """The configuration file at the root of a scanned repository, if any."""
    for name in CONFIG_FILE_NAMES:
        candidate = root / name
        if candidate.is_file() and not candidate.is_symlink():
            return candidate
    return None


def load_config(path: Path, display_name: str | None = None) -> Config:
    """Read and validate a configuration file; raises ConfigError naming file and line."""
    name = display_name or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"cannot read: {error.strerror}", file=name) from None
    except UnicodeDecodeError:
        raise ConfigError("is not UTF-8 text", file=name) from None
    return parse_config(text, name)


def parse_config(text: str, name: str) -> Config:
    # Imported here: the schema library (pydantic) costs ~70 ms to load, which a run
    # without a configuration file should not pay.
    from gitwarden.config_schema.gitwarden_file import GitwardenFile
    from gitwarden.yaml_schema.document import read_document

    document = read_document(GitwardenFile, text, name)
    if document.value is None:
        return Config(file=name)
    return _config_from(document.value, document, name)


def _config_from(
    settings: GitwardenFile, document: ReadDocument[GitwardenFile], name: str
) -> Config:
    overrides = settings.severity_overrides
    return Config(
        file=name,
        include=settings.include,
        exclude=DEFAULT_EXCLUDE + settings.exclude,
        fail_on=settings.fail_on,
        severity_overrides=MappingProxyType(dict(overrides) if isinstance(overrides, dict) else {}),
        scoped_severity_overrides=(
            ()
            if isinstance(overrides, dict)
            else tuple(
                SeverityOverride(
                    rule=entry.rule,
                    severity=entry.severity,
                    reason=entry.reason,
                    path=entry.path,
                    line=document.line(("severity_overrides", index)),
                )
                for index, entry in enumerate(overrides)
            )
        ),
        disabled_rules=settings.disabled_rules,
        suppressions=tuple(
            ConfigSuppression(
                rule=entry.rule,
                reason=entry.reason,
                path=entry.path,
                resource=entry.resource,
                expires=entry.expires,
                line=document.line(("suppressions", index)),
            )
            for index, entry in enumerate(settings.suppressions)
        ),
        checks=CheckSettings(
            pod_security_level=settings.pod_security_level,
            kubernetes_version=settings.kubernetes_version,
            trusted_registries=settings.trusted_registries,
            digest_severity_by_path=tuple(
                (entry.path, entry.severity) for entry in settings.image_digest_severity
            ),
            production=ProductionScope(
                namespaces=settings.production.namespaces,
                clusters=settings.production.clusters,
                paths=settings.production.paths,
            ),
        ),
        max_document_bytes=settings.max_document_bytes,
        max_file_bytes=settings.max_file_bytes,
        policies=tuple(
            PolicySource(entry, from_repository=True)
            if isinstance(entry, str)
            else PolicySource(entry.path, entry.namespaces, from_repository=True)
            for entry in settings.policies
        ),
        environments=MappingProxyType(
            {
                name: EnvironmentSettings(
                    name=name,
                    branches=entry.branches,
                    paths=entry.paths,
                    fail_on=entry.fail_on,
                    require=entry.require,
                    trust_anchor=entry.trust_anchor,
                    policy_fingerprint=entry.policy_fingerprint,
                    line=document.line(("environments", name)),
                )
                for name, entry in settings.environments.items()
            }
        ),
    )
