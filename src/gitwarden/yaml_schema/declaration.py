"""What a section of a gitwarden YAML file is: a frozen pydantic model that names its keys.

pydantic checks the values; this module makes its errors read like gitwarden's: a section
that is not a mapping, an unknown key (with the key probably meant) and a missing key are
refused by the section itself, before pydantic's own wording could appear.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, GetJsonSchemaHandler, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from gitwarden.manifests.yaml_nodes import FieldPath

REFUSAL = "gitwarden"

# Tags of the alternative forms a value may take (pydantic puts them in error locations,
# where no YAML key stands, so the error locator drops them).
MAPPING_FORM = "<mapping form>"
LIST_FORM = "<list form>"
TEXT_FORM = "<text form>"
FORM_TAGS = frozenset({MAPPING_FORM, LIST_FORM, TEXT_FORM})


def refuse(message: str, *, at: FieldPath = (), hint: str | None = None) -> PydanticCustomError:
    """An error in gitwarden's words; ``at`` is where it is, below the value being checked."""
    return PydanticCustomError(REFUSAL, "{message}", {"message": message, "at": at, "hint": hint})


def did_you_mean(word: str, known: Iterable[str]) -> str:
    choices = sorted(known)
    close = difflib.get_close_matches(word, choices, n=1)
    return f"did you mean '{close[0]}'?" if close else "known keys: " + ", ".join(choices)


class Section(BaseModel):
    """A mapping with known keys. Subclasses declare their keys as pydantic fields."""

    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)

    # What a value that is not a mapping is told; None: name the keys.
    not_a_mapping: ClassVar[str | None] = None

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, value: Any) -> Any:
        fields = cls.model_fields
        required = [name for name, info in fields.items() if info.is_required()]
        if not isinstance(value, Mapping):
            raise refuse(cls.not_a_mapping or _mapping_message(required, list(fields)))
        for key in value:
            if key not in fields:
                raise refuse("unknown key", at=(key,), hint=did_you_mean(str(key), fields))
        for key in required:
            if key not in value:
                raise refuse(f"missing required key '{key}'")
        return value


def _mapping_message(required: list[str], keys: list[str]) -> str:
    if required:
        return f"must be a mapping with keys {', '.join(required)}"
    return f"must be a mapping with any of the keys {', '.join(keys)}"


@dataclass(frozen=True)
class OrText:
    """Marks a mapping that may also be written as its main value alone (a key line).

    The reader turns the text into the mapping (a ``BeforeValidator``); this says so in the
    JSON Schema, which would otherwise only describe the mapping.
    """

    description: str

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        text = {"type": "string", "minLength": 1, "description": self.description}
        return {"anyOf": [text, handler(schema)]}
