"""SOPS: which repository files are encrypted, and which ones .sops.yaml says must be.

Not a check family: the secrets-management and flux families read these facts. A file is
SOPS-encrypted when it carries ``sops`` metadata with a ``mac`` and every value outside the
``unencrypted_*`` allowances is an ``ENC[...]`` string. Creation rules use Go RE2 syntax;
google-re2 evaluates them exactly as sops does, with Python's ``re`` as a fallback.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from gitwarden.findings import Finding
from gitwarden.manifests.yaml_nodes import (
    FieldPath,
    ParsedDocument,
    YamlLimitError,
    YamlSyntaxError,
    parse_documents,
)

if TYPE_CHECKING:  # check.py carries a SopsState in every CheckContext
    from gitwarden.checks.check import CheckContext

SOPS_CONFIG_NAMES = (".sops.yaml", ".sops.yml")
ENCRYPTED_VALUE = re.compile(r"^ENC\[[A-Za-z0-9_]+,data:.*\]$", re.DOTALL)
# sops' default: values under keys with this suffix stay clear; the others are options.
DEFAULT_UNENCRYPTED_SUFFIX = "_unencrypted"
MAX_SOPS_FILE_BYTES = 4 * 1024 * 1024
# SOPS also encrypts .env, .ini and JSON; only YAML/JSON documents are inspected here.
SOPS_DOCUMENT_SUFFIXES = (".yaml", ".yml", ".json")


class Pattern(Protocol):
    def search(self, text: str) -> object: ...


try:  # RE2 is what sops itself runs; fall back to Python's re, guarded, when it is missing
    import re2 as _re2

    def compile_path_regex(pattern: str) -> Pattern:
        try:
            compiled: Pattern = _re2.compile(pattern)
        except Exception as error:  # re2 raises its own error type
            raise ValueError(str(error)) from None
        return compiled

    REGEX_ENGINE = "re2"
except ImportError:  # pragma: no cover - google-re2 is a dependency

    def compile_path_regex(pattern: str) -> Pattern:
        # Go RE2 has no backreferences or lookaround; refuse them so the reading matches.
        if re.search(r"\\[1-9]|\(\?[=!<]", pattern):
            raise ValueError("backreferences and lookaround are not RE2 syntax")
        try:
            return re.compile(pattern)
        except re.error as error:
            raise ValueError(error.msg) from None

    REGEX_ENGINE = "re"


@dataclass(frozen=True)
class CreationRule:
    """One ``creation_rules`` entry: the files it covers and what stays in clear text."""

    index: int
    line: int
    path_regex: str | None
    pattern: Pattern | None
    unencrypted_suffix: str | None
    encrypted_suffix: str | None
    unencrypted_regex: Pattern | None
    encrypted_regex: Pattern | None

    def covers(self, path: str) -> bool:
        # A rule without path_regex is the catch-all default for files given on the command
        # line; it says nothing about which repository files must be encrypted.
        return self.pattern is not None and self.pattern.search(path) is not None


@dataclass(frozen=True)
class SopsConfig:
    """One .sops.yaml: its creation rules and what was wrong with them."""

    file: str
    rules: tuple[CreationRule, ...]
    problems: tuple[str, ...]
    problem_lines: tuple[int, ...]

    @property
    def folder(self) -> str:
        return self.file.rpartition("/")[0]

    def rule_for(self, path: str) -> CreationRule | None:
        """The first rule covering ``path`` (relative to the config's folder), as sops picks."""
        if self.folder and not path.startswith(self.folder + "/"):
            return None
        relative = path[len(self.folder) + 1 :] if self.folder else path
        return next((rule for rule in self.rules if rule.covers(relative)), None)


@dataclass(frozen=True)
class SopsState:
    """What one scan knows about SOPS in the repository (read by the scan pipeline)."""

    configs: tuple[SopsConfig, ...] = ()
    # Repository path -> its documents, for files a rule covers or that look encrypted.
    documents: Mapping[str, tuple[ParsedDocument, ...]] = field(default_factory=dict)
    unreadable: tuple[Finding, ...] = ()
    # Repository path -> text, for files a rule covers that are not YAML/JSON (dotenv, INI).
    other_texts: Mapping[str, str] = field(default_factory=dict)

    def governing_rule(self, path: str) -> tuple[SopsConfig, CreationRule] | None:
        """The creation rule of the nearest .sops.yaml above ``path`` that covers it."""
        for config in sorted(self.configs, key=lambda c: -len(c.folder)):
            if config.folder and not path.startswith(config.folder + "/"):
                continue
            rule = config.rule_for(path)
            if rule is not None:
                return config, rule
            if config.rules:
                return None  # sops stops at the nearest configuration
        return None

    def encrypted_files(self) -> set[str]:
        """Files whose every document is SOPS-encrypted."""
        return {
            path
            for path, documents in self.documents.items()
            if documents and all(is_sops_encrypted(document.value) for document in documents)
        }


def has_sops_metadata(value: Any) -> bool:
    sops = value.get("sops") if isinstance(value, Mapping) else None
    return isinstance(sops, Mapping) and bool(sops.get("mac"))


def unencrypted_reason(value: Any, rule: CreationRule | None = None) -> str | None:
    """Why a parsed document is not (fully) SOPS-encrypted, or None when it is.

    A document with no value that the creation rule would encrypt (for example a
    kustomization.yaml under ``encrypted_regex: ^(data|stringData)$``) has nothing to hide.
    """
    offending = clear_value_path(value, rule)
    if offending is None:
        return None
    if not has_sops_metadata(value):
        return "it is not SOPS-encrypted (no sops metadata with a mac)"
    shown = ".".join(str(part) for part in offending)
    return f"'{shown}' holds a value that is not ENC[...]"


def is_sops_encrypted(value: Any) -> bool:
    return has_sops_metadata(value) and clear_value_path(value) is None


def clear_value_path(value: Any, rule: CreationRule | None = None) -> FieldPath | None:
    """The first value sops would encrypt that is in clear text, or None."""
    metadata = value.get("sops") if isinstance(value, Mapping) else None
    metadata = metadata if isinstance(metadata, Mapping) else {}
    suffix = _setting(metadata, rule, "unencrypted_suffix")
    encrypted_suffix = _setting(metadata, rule, "encrypted_suffix")
    unencrypted_regex = _regex_setting(metadata, rule, "unencrypted_regex")
    encrypted_regex = _regex_setting(metadata, rule, "encrypted_regex")
    if not any((suffix, encrypted_suffix, unencrypted_regex, encrypted_regex)):
        suffix = DEFAULT_UNENCRYPTED_SUFFIX
    for path, leaf in _leaves(value, ()):
        if path[0] == "sops" or leaf is None or leaf == "" or ENCRYPTED_VALUE.match(str(leaf)):
            continue
        keys = [part for part in path if isinstance(part, str)]
        if suffix and any(key.endswith(suffix) for key in keys):
            continue
        if encrypted_suffix and not any(key.endswith(encrypted_suffix) for key in keys):
            continue
        if unencrypted_regex and any(unencrypted_regex.search(key) for key in keys):
            continue
        if encrypted_regex and not any(encrypted_regex.search(key) for key in keys):
            continue
        return path
    return None


def _setting(metadata: Mapping[str, Any], rule: CreationRule | None, key: str) -> str | None:
    value = metadata.get(key)
    if isinstance(value, str) and value:
        return value
    return getattr(rule, key) if rule is not None else None


def _regex_setting(
    metadata: Mapping[str, Any], rule: CreationRule | None, key: str
) -> Pattern | None:
    value = metadata.get(key)
    if isinstance(value, str) and value:
        try:
            return compile_path_regex(value)
        except ValueError:
            return None
    found: Pattern | None = getattr(rule, key) if rule is not None else None
    return found


def _leaves(value: Any, path: FieldPath) -> Iterator[tuple[FieldPath, Any]]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _leaves(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    elif path:
        yield path, value


def read_sops_config(file: str, text: str) -> SopsConfig:
    problems: list[str] = []
    lines: list[int] = []
    try:
        documents = list(parse_documents(text))
    except (YamlSyntaxError, YamlLimitError) as error:
        return SopsConfig(file, (), (f"invalid YAML: {error}",), (error.line,))
    if not documents or not isinstance(documents[0].value, Mapping):
        return SopsConfig(file, (), (), ())
    document = documents[0]
    raw_rules = document.value.get("creation_rules")
    if not isinstance(raw_rules, list):
        return SopsConfig(file, (), (), ())
    rules = []
    for index, raw in enumerate(raw_rules):
        if not isinstance(raw, Mapping):
            continue
        line = document.positions.get(("creation_rules", index), (1, 1))[0]
        compiled: dict[str, Pattern | None] = {}
        for key in ("path_regex", "unencrypted_regex", "encrypted_regex"):
            value = raw.get(key)
            compiled[key] = None
            if isinstance(value, str) and value:
                try:
                    compiled[key] = compile_path_regex(value)
                except ValueError as error:
                    problems.append(f"creation_rules[{index}].{key} {value!r} is invalid: {error}")
                    lines.append(document.positions.get(("creation_rules", index, key), (line,))[0])
        path_regex = raw.get("path_regex")
        rules.append(
            CreationRule(
                index=index,
                line=line,
                path_regex=path_regex if isinstance(path_regex, str) else None,
                pattern=compiled["path_regex"],
                unencrypted_suffix=_string(raw.get("unencrypted_suffix")),
                encrypted_suffix=_string(raw.get("encrypted_suffix")),
                unencrypted_regex=compiled["unencrypted_regex"],
                encrypted_regex=compiled["encrypted_regex"],
            )
        )
    return SopsConfig(file, tuple(rules), tuple(problems), tuple(lines))


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def must_inspect(text: str, must_encrypt: bool) -> bool:
    """Whether a YAML/JSON file's documents matter: a rule covers it, or it looks encrypted.

    Parsing every manifest twice would double the scan; an encrypted file names its mac.
    """
    return must_encrypt or ("sops" in text and "mac" in text)


def sops_documents(text: str) -> tuple[ParsedDocument, ...] | None:
    """The documents of a file :func:`must_inspect` chose; None when it does not parse."""
    try:
        return tuple(parse_documents(text))
    except (YamlSyntaxError, YamlLimitError):
        return None  # reported by the manifest loader


def sops_state(context: CheckContext) -> SopsState:
    """The SOPS facts of a scan, read once by the pipeline however many checks ask."""
    return context.inputs.sops
