"""`.gitwarden.yaml`: reading and validating the repository's gitwarden configuration.

Every error names the file, the line and the offending key, and suggests the key that was
probably meant, because a typo in a security tool's config silently weakens it.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from gitwarden.checks.check import PSS_LEVELS, CheckSettings
from gitwarden.checks.production import ProductionScope
from gitwarden.errors import ConfigError
from gitwarden.findings import Severity
from gitwarden.located_errors import config_error_at
from gitwarden.manifests.loader import DEFAULT_MAX_DOCUMENT_BYTES
from gitwarden.manifests.yaml_nodes import (
    FieldPath,
    Position,
    YamlLimitError,
    YamlSyntaxError,
    parse_documents,
)
from gitwarden.path_patterns import compile_glob, compile_name_glob
from gitwarden.policy.rules import POLICY_RULE_PREFIXES
from gitwarden.policy.sources import DEFAULT_NAMESPACES, PolicySource

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


def _no_overrides() -> Mapping[str, Severity]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Config:
    """gitwarden's settings; ``file`` is where they were read from (None: defaults)."""

    file: str | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    fail_on: Severity | None = None
    severity_overrides: Mapping[str, Severity] = field(default_factory=_no_overrides)
    disabled_rules: tuple[str, ...] = ()
    suppressions: tuple[ConfigSuppression, ...] = ()
    checks: CheckSettings = field(default_factory=CheckSettings)
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    # Folders of Rego / admission / Kyverno policies, relative to the repository root.
    policies: tuple[PolicySource, ...] = ()


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
    try:
        documents = list(parse_documents(text))
    except (YamlSyntaxError, YamlLimitError) as error:
        raise ConfigError(f"invalid YAML: {error}", file=name, line=error.line) from None
    # Checked first: settings in a second document must not be dropped because the first
    # one is empty.
    if len(documents) > 1:
        raise ConfigError("holds more than one YAML document", file=name, line=documents[1].line)
    if not documents or documents[0].value is None:
        return Config(file=name)
    return _ConfigReader(name, documents[0].positions).read(documents[0].value)


class _ConfigReader:
    """Turns the parsed mapping into a Config, raising ConfigError at the right line."""

    def __init__(self, name: str, positions: Mapping[FieldPath, Position]) -> None:
        self.name = name
        self.positions = positions

    def error(self, path: FieldPath, message: str, hint: str | None = None) -> ConfigError:
        return config_error_at(self.name, self.positions, path, message, hint)

    def read(self, value: Any) -> Config:
        if not isinstance(value, dict):
            raise self.error((), "must be a mapping of settings")
        readers: dict[str, Callable[[Any, FieldPath], Any]] = {
            "include": self.globs,
            "exclude": self.globs,
            "fail_on": self.severity,
            "severity_overrides": self.overrides,
            "disabled_rules": self.rule_ids,
            "trusted_registries": self.strings,
            "image_digest_severity": self.digest_severities,
            "pod_security_level": self.pss_level,
            "suppressions": self.suppressions,
            "max_document_bytes": self.positive_int,
            "max_file_bytes": self.positive_int,
            "policies": self.policy_sources,
            "production": self.production,
        }
        settings: dict[str, Any] = {}
        for key, item in value.items():
            reader = readers.get(key)
            if reader is None:
                close = difflib.get_close_matches(str(key), readers, n=1)
                hint = (
                    f"did you mean '{close[0]}'?"
                    if close
                    else ("known keys: " + ", ".join(sorted(readers)))
                )
                raise self.error((key,), "unknown key", hint)
            settings[key] = reader(item, (key,))
        exclude = DEFAULT_EXCLUDE + tuple(settings.get("exclude", ()))
        return Config(
            file=self.name,
            include=tuple(settings.get("include", ())),
            exclude=exclude,
            fail_on=settings.get("fail_on"),
            severity_overrides=MappingProxyType(settings.get("severity_overrides", {})),
            disabled_rules=tuple(settings.get("disabled_rules", ())),
            suppressions=tuple(settings.get("suppressions", ())),
            checks=CheckSettings(
                pod_security_level=settings.get("pod_security_level", "restricted"),
                trusted_registries=tuple(settings.get("trusted_registries", ())),
                digest_severity_by_path=tuple(settings.get("image_digest_severity", ())),
                production=settings.get("production", ProductionScope()),
            ),
            max_document_bytes=settings.get("max_document_bytes", DEFAULT_MAX_DOCUMENT_BYTES),
            max_file_bytes=settings.get("max_file_bytes", DEFAULT_MAX_FILE_BYTES),
            policies=tuple(settings.get("policies", ())),
        )

    def string(self, value: Any, path: FieldPath) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.error(path, "must be a non-empty string")
        return value.strip()

    def strings(self, value: Any, path: FieldPath) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise self.error(path, "must be a list of strings")
        return tuple(self.string(item, (*path, i)) for i, item in enumerate(value))

    def globs(self, value: Any, path: FieldPath) -> tuple[str, ...]:
        patterns = self.strings(value, path)
        for index, pattern in enumerate(patterns):
            self.glob(pattern, (*path, index))
        return patterns

    def glob(self, value: Any, path: FieldPath, *, whole_name: bool = False) -> str:
        """A path glob (or, with ``whole_name``, a rule or resource glob) that compiles."""
        pattern = self.string(value, path)
        try:
            (compile_name_glob if whole_name else compile_glob)(pattern)
        except ValueError as error:
            raise self.error(path, str(error)) from None
        return pattern

    def severity(self, value: Any, path: FieldPath) -> Severity:
        try:
            return Severity.parse(self.string(value, path))
        except ValueError as error:
            raise self.error(path, str(error)) from None

    def overrides(self, value: Any, path: FieldPath) -> dict[str, Severity]:
        if not isinstance(value, dict):
            raise self.error(path, "must map rule ids to severities")
        return {
            self.rule_id(rule, (*path, rule)): self.severity(sev, (*path, rule))
            for rule, sev in value.items()
        }

    def rule_id(self, value: Any, path: FieldPath) -> str:
        """A rule id that exists: a typo here would silently do nothing."""
        # Imported here: the catalogue is only needed when the config names rules, and
        # commands such as `history` should not pay for loading every check family.
        from gitwarden.checks.registry import all_rules, is_known_rule_id

        rule = self.string(value, path)
        known = [r.id for r in all_rules()]
        if (
            rule not in known
            and not rule.startswith(POLICY_RULE_PREFIXES)
            and not is_known_rule_id(rule)
        ):
            close = difflib.get_close_matches(rule, known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "see `gitwarden rules`"
            raise self.error(path, f"unknown rule '{rule}'", hint)
        return rule

    def rule_ids(self, value: Any, path: FieldPath) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise self.error(path, "must be a list of rule ids")
        return tuple(self.rule_id(item, (*path, i)) for i, item in enumerate(value))

    def pss_level(self, value: Any, path: FieldPath) -> str:
        level = self.string(value, path)
        if level not in PSS_LEVELS:
            raise self.error(path, f"must be one of {', '.join(PSS_LEVELS)}")
        return level

    def positive_int(self, value: Any, path: FieldPath) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise self.error(path, "must be a positive integer (bytes)")
        return value

    def production(self, value: Any, path: FieldPath) -> ProductionScope:
        """Globs for production namespaces, clusters (name or server URL) and paths."""
        keys = ("namespaces", "clusters", "paths")
        if not isinstance(value, dict):
            raise self.error(path, f"must be a mapping with any of the keys {', '.join(keys)}")
        fields = self.fields(value, path, required=(), optional=keys)
        names = {
            key: tuple(
                self.glob(item, (*path, key, i), whole_name=True)
                for i, item in enumerate(self.strings(fields[key], (*path, key)))
            )
            for key in ("namespaces", "clusters")
            if key in fields
        }
        paths = self.globs(fields["paths"], (*path, "paths")) if "paths" in fields else ()
        return ProductionScope(
            namespaces=names.get("namespaces", ()), clusters=names.get("clusters", ()), paths=paths
        )

    def policy_sources(self, value: Any, path: FieldPath) -> tuple[PolicySource, ...]:
        """Policy folders: a path, or {path, namespaces} to query other Rego packages."""
        if not isinstance(value, list):
            raise self.error(path, "must be a list of policy folders")
        sources = []
        for index, item in enumerate(value):
            here = (*path, index)
            if isinstance(item, str):
                sources.append(PolicySource(self.relative_path(item, here), from_repository=True))
                continue
            fields = self.fields(item, here, required=("path",), optional=("namespaces",))
            namespaces = (
                self.strings(fields["namespaces"], (*here, "namespaces"))
                if "namespaces" in fields
                else DEFAULT_NAMESPACES
            )
            path_text = self.relative_path(fields["path"], (*here, "path"))
            sources.append(PolicySource(path_text, namespaces, from_repository=True))
        return tuple(sources)

    def relative_path(self, value: Any, path: FieldPath) -> str:
        """A path inside the repository: the scanned repository chooses none outside it."""
        text = self.string(value, path)
        parts = Path(text).parts
        if Path(text).is_absolute() or ".." in parts:
            raise self.error(path, "must be a path inside the repository (no '..', not absolute)")
        return text

    def digest_severities(self, value: Any, path: FieldPath) -> tuple[tuple[str, Severity], ...]:
        if not isinstance(value, list):
            raise self.error(path, "must be a list of {path, severity} entries")
        entries = []
        for index, item in enumerate(value):
            here = (*path, index)
            fields = self.fields(item, here, required=("path", "severity"), optional=())
            entries.append(
                (
                    self.glob(fields["path"], (*here, "path")),
                    self.severity(fields["severity"], (*here, "severity")),
                )
            )
        return tuple(entries)

    def suppressions(self, value: Any, path: FieldPath) -> tuple[ConfigSuppression, ...]:
        if not isinstance(value, list):
            raise self.error(path, "must be a list of suppressions")
        return tuple(self.suppression(item, (*path, i)) for i, item in enumerate(value))

    def suppression(self, value: Any, path: FieldPath) -> ConfigSuppression:
        fields = self.fields(
            value, path, required=("rule", "reason"), optional=("path", "resource", "expires")
        )
        return ConfigSuppression(
            rule=self.glob(fields["rule"], (*path, "rule"), whole_name=True),
            reason=self.string(fields["reason"], (*path, "reason")),
            path=self.glob(fields["path"], (*path, "path")) if "path" in fields else None,
            resource=(
                self.glob(fields["resource"], (*path, "resource"), whole_name=True)
                if "resource" in fields
                else None
            ),
            expires=(
                self.expiry_date(fields["expires"], (*path, "expires"))
                if "expires" in fields
                else None
            ),
            line=self.positions.get(path, (1, 1))[0],
        )

    def expiry_date(self, value: Any, path: FieldPath) -> date:
        # A datetime is a date too, but comparing it with today's date raises TypeError;
        # and an empty ``expires:`` must not turn into a suppression that never expires.
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise self.error(path, "must be a date (YYYY-MM-DD)")

    def fields(
        self,
        value: Any,
        path: FieldPath,
        *,
        required: tuple[str, ...],
        optional: tuple[str, ...],
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.error(path, f"must be a mapping with keys {', '.join(required)}")
        for key in value:
            if key not in required and key not in optional:
                close = difflib.get_close_matches(str(key), required + optional, n=1)
                hint = f"did you mean '{close[0]}'?" if close else None
                raise self.error((*path, key), "unknown key", hint)
        for key in required:
            if key not in value:
                raise self.error(path, f"missing required key '{key}'")
        return dict(value)
