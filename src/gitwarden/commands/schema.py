"""`gitwarden.schema(name)`: the JSON Schema of one of gitwarden's YAML files, for editors.

Generated from the declaration the reader itself uses, so the published schema cannot drift
from what gitwarden accepts.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from gitwarden.config import Config
from gitwarden.config_schema.schema_files import SCHEMA_FILES
from gitwarden.errors import UsageError
from gitwarden.yaml_schema.document import json_schema


@dataclass(frozen=True)
class SchemaOptions:
    """How the schema is written: ``indent`` spaces per level (None: one line)."""

    indent: int | None = 2


@dataclass(frozen=True)
class PublishedSchema:
    """The JSON Schema of ``file_name`` (the file `gitwarden schema name` describes)."""

    name: str
    file_name: str
    document: Mapping[str, Any]
    indent: int | None = 2

    @property
    def text(self) -> str:
        return json.dumps(dict(self.document), indent=self.indent) + "\n"


def schema(
    target: str, config: Config | None = None, options: SchemaOptions | None = None
) -> PublishedSchema:
    """The JSON Schema of the file named ``target`` (``config``, ``trust``).

    ``config`` is accepted like every command's, but a schema does not depend on it.
    """
    options = options or SchemaOptions()
    described = SCHEMA_FILES.get(target)
    if described is None:
        close = difflib.get_close_matches(target, SCHEMA_FILES, n=1)
        raise UsageError(
            f"no schema named {target!r}",
            hint=f"did you mean '{close[0]}'?" if close else "one of: " + ", ".join(SCHEMA_FILES),
        )
    document = json_schema(
        described.model(), title=f"gitwarden {target}", file_name=described.file_name
    )
    return PublishedSchema(target, described.file_name, MappingProxyType(document), options.indent)
