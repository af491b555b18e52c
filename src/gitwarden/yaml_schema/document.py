"""Reading one YAML file against its schema; every error names the file, line and key.

Also publishes the schema as JSON Schema, generated from the same declaration.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from gitwarden.errors import ConfigError
from gitwarden.located_errors import config_error_at, line_of
from gitwarden.manifests.yaml_nodes import (
    FieldPath,
    Position,
    YamlLimitError,
    YamlSyntaxError,
    parse_documents,
)
from gitwarden.yaml_schema.declaration import FORM_TAGS, REFUSAL, Section

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

SectionT = TypeVar("SectionT", bound=Section)


@dataclass(frozen=True)
class ReadDocument(Generic[SectionT]):
    """The validated file (None: empty) and the position of every field, for later findings."""

    value: SectionT | None
    positions: Mapping[FieldPath, Position]

    def line(self, path: FieldPath) -> int:
        return line_of(self.positions, path) or 1


def read_document(
    schema: type[SectionT],
    text: str,
    name: str,
    *,
    not_a_mapping: str = "must be a mapping of settings",
) -> ReadDocument[SectionT]:
    """One YAML document checked against ``schema``; an empty document has value None."""
    try:
        documents = list(parse_documents(text))
    except (YamlSyntaxError, YamlLimitError) as error:
        raise ConfigError(f"invalid YAML: {error}", file=name, line=error.line) from None
    # Checked first: settings in a second document must not be dropped because the first
    # one is empty.
    if len(documents) > 1:
        raise ConfigError("holds more than one YAML document", file=name, line=documents[1].line)
    if not documents or documents[0].value is None:
        return ReadDocument(None, {})
    value, positions = documents[0].value, documents[0].positions
    if not isinstance(value, dict):
        raise config_error_at(name, positions, (), not_a_mapping)
    return ReadDocument(validate(schema, value, name, positions), positions)


def validate(
    schema: type[SectionT],
    value: Any,
    name: str,
    positions: Mapping[FieldPath, Position],
) -> SectionT:
    try:
        return schema.model_validate(value)
    except ValidationError as invalid:
        raise _first_error(invalid, name, positions) from None


def _first_error(
    invalid: ValidationError, name: str, positions: Mapping[FieldPath, Position]
) -> ConfigError:
    """The error nearest the top of the file: the one a reader meets first."""
    errors = [_located(detail, name, positions) for detail in invalid.errors()]
    return min(errors, key=lambda error: error.line or 0)


def _located(
    detail: ErrorDetails, name: str, positions: Mapping[FieldPath, Position]
) -> ConfigError:
    path: FieldPath = tuple(
        part for part in detail["loc"] if part != "[key]" and part not in FORM_TAGS
    )
    context = detail.get("ctx") or {}
    if detail["type"] == REFUSAL:
        return config_error_at(
            name, positions, (*path, *context["at"]), context["message"], context["hint"]
        )
    # pydantic's own wording: only reached where a declaration lacks a gitwarden check.
    return config_error_at(name, positions, path, detail["msg"].lower())


def json_schema(schema: type[Section], *, title: str, file_name: str) -> dict[str, Any]:
    """The JSON Schema of a file, for editors; generated from its one declaration."""
    generated = _without_null_defaults(schema.model_json_schema(mode="validation"))
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "title": title,
        "description": f"gitwarden's {file_name}",
        **{key: value for key, value in generated.items() if key != "title"},
    }


def _without_null_defaults(value: Any) -> Any:
    # An absent optional key defaults to None, but an explicit null is refused (an empty
    # `expires:` must not mean "never"): an editor must not offer null as the default.
    if isinstance(value, dict):
        return {
            key: _without_null_defaults(item)
            for key, item in value.items()
            if not (key == "default" and item is None)
        }
    if isinstance(value, list):
        return [_without_null_defaults(item) for item in value]
    return value
