"""`gitwarden.schema(name)`: the JSON Schema of a gitwarden file, from its one declaration."""

from __future__ import annotations

import json

import pytest

import gitwarden
from gitwarden.commands.schema import SchemaOptions, schema
from gitwarden.errors import UsageError


@pytest.mark.parametrize(
    ("name", "file_name"), [("config", ".gitwarden.yaml"), ("trust", ".gitwarden/trust.yaml")]
)
def test_schema_describes_the_named_file(name: str, file_name: str) -> None:
    published = schema(name)
    assert published.file_name == file_name
    assert json.loads(published.text) == dict(published.document)


def test_config_schema_lists_every_top_level_key() -> None:
    properties = schema("config").document["properties"]
    assert {"suppressions", "severity_overrides", "policies", "production"} <= set(properties)


def test_unknown_schema_name_is_a_usage_error_with_the_name_probably_meant() -> None:
    with pytest.raises(UsageError) as caught:
        schema("trsut")
    assert caught.value.hint == "did you mean 'trust'?"


def test_indent_none_writes_one_line() -> None:
    assert schema("config", options=SchemaOptions(indent=None)).text.count("\n") == 1


def test_schema_is_part_of_the_library_api() -> None:
    assert "schema" in gitwarden.__all__
    assert gitwarden.schema is schema
