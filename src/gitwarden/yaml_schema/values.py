"""The value types gitwarden's YAML files are made of, each with its check and JSON Schema.

Each check refuses in gitwarden's words (see ``declaration.refuse``) and returns the clean
value; ``WithJsonSchema`` says the same for editors. The ``Optional`` forms default to absent
but refuse an explicit ``null``: an empty ``expires:`` must not mean "never expires".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema
from pydantic.json_schema import SkipJsonSchema

from gitwarden.findings import Severity
from gitwarden.path_patterns import compile_glob, compile_name_glob
from gitwarden.yaml_schema.declaration import refuse

_TEXT_SCHEMA = {"type": "string", "minLength": 1, "pattern": r"\S"}
_SEVERITY_SCHEMA = {"type": "string", "enum": [s.value for s in Severity]}
_DATE_SCHEMA = {"type": "string", "format": "date"}


def non_empty_string(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise refuse("must be a non-empty string")
    return value.strip()


def path_glob(value: Any) -> str:
    """A path glob that compiles (``*`` within a folder, ``**`` across folders)."""
    return _compiled(non_empty_string(value), compile_glob)


def name_glob(value: Any) -> str:
    """A glob over a whole name: a rule id, ``Kind/namespace/name``, a ref."""
    return _compiled(non_empty_string(value), compile_name_glob)


def _compiled(pattern: str, compile_pattern: Callable[[str], object]) -> str:
    try:
        compile_pattern(pattern)
    except ValueError as error:
        raise refuse(str(error)) from None
    return pattern


def severity(value: Any) -> Severity:
    try:
        return Severity.parse(non_empty_string(value))
    except ValueError as error:
        raise refuse(str(error)) from None


def positive_bytes(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise refuse("must be a positive integer (bytes)")
    return value


def calendar_date(value: Any) -> date:
    # A datetime is a date too, but comparing it with today's date raises TypeError.
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise refuse("must be a date (YYYY-MM-DD)")


def repository_path(value: Any) -> str:
    """A path inside the repository: the scanned repository chooses none outside it."""
    text = non_empty_string(value)
    path = PurePosixPath(text)
    if path.is_absolute() or ".." in path.parts:
        raise refuse("must be a path inside the repository (no '..', not absolute)")
    return text


def listed(message: str) -> BeforeValidator:
    """Refuse anything but a YAML sequence with ``message`` (pydantic would take a string)."""

    def check(value: Any) -> Any:
        if not isinstance(value, list):
            raise refuse(message)
        return value

    return BeforeValidator(check)


Text = Annotated[str, BeforeValidator(non_empty_string), WithJsonSchema(_TEXT_SCHEMA)]
PathGlob = Annotated[
    str,
    BeforeValidator(path_glob),
    WithJsonSchema({**_TEXT_SCHEMA, "description": "a path glob: * within a folder, ** across"}),
]
NameGlob = Annotated[
    str,
    BeforeValidator(name_glob),
    WithJsonSchema({**_TEXT_SCHEMA, "description": "a name glob (* and ?)"}),
]
SeverityName = Annotated[Severity, BeforeValidator(severity), WithJsonSchema(_SEVERITY_SCHEMA)]
PositiveBytes = Annotated[
    int, BeforeValidator(positive_bytes), WithJsonSchema({"type": "integer", "minimum": 1})
]
RepositoryPath = Annotated[
    str,
    BeforeValidator(repository_path),
    WithJsonSchema({**_TEXT_SCHEMA, "description": "a path inside the repository"}),
]
CalendarDate = Annotated[date, BeforeValidator(calendar_date), WithJsonSchema(_DATE_SCHEMA)]

OptionalSeverity = Annotated[
    Severity | SkipJsonSchema[None], BeforeValidator(severity), WithJsonSchema(_SEVERITY_SCHEMA)
]
OptionalPathGlob = Annotated[
    str | SkipJsonSchema[None], BeforeValidator(path_glob), WithJsonSchema(_TEXT_SCHEMA)
]
OptionalNameGlob = Annotated[
    str | SkipJsonSchema[None], BeforeValidator(name_glob), WithJsonSchema(_TEXT_SCHEMA)
]
OptionalDate = Annotated[
    date | SkipJsonSchema[None], BeforeValidator(calendar_date), WithJsonSchema(_DATE_SCHEMA)
]
