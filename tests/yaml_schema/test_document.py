"""Reading a YAML document against a schema: errors at file, line and key; JSON Schema out."""

from __future__ import annotations

import pytest

from gitwarden.errors import ConfigError
from gitwarden.yaml_schema.declaration import Section
from gitwarden.yaml_schema.document import JSON_SCHEMA_DIALECT, json_schema, read_document
from gitwarden.yaml_schema.values import OptionalDate, PositiveBytes, Text

NAME = "demo.yaml"


class Demo(Section):
    name: Text = "x"
    size: PositiveBytes = 1


def error_of(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        read_document(Demo, text, NAME)
    return caught.value


@pytest.mark.parametrize("text", ["", "# nothing\n", "---\n", "null\n"])
def test_empty_document_has_no_value(text: str) -> None:
    assert read_document(Demo, text, NAME).value is None


def test_valid_document_is_read_with_its_positions() -> None:
    document = read_document(Demo, "name: a\nsize: 5\n", NAME)
    assert document.value == Demo(name="a", size=5)
    assert document.line(("size",)) == 2


def test_error_names_file_line_and_key() -> None:
    error = error_of("name: a\nsize: 0\n")
    assert (error.file, error.line, error.key) == (NAME, 2, "size")


def test_of_several_errors_the_one_nearest_the_top_is_reported() -> None:
    assert error_of("size: 0\nname: ''\n").line == 1
    assert error_of("name: ''\nsize: 0\n").line == 1


def test_root_that_is_not_a_mapping_is_told_what_it_must_be() -> None:
    error = error_of("- a\n")
    assert "must be a mapping of settings" in error.message


def test_json_schema_names_its_dialect_and_refuses_unknown_keys() -> None:
    published = json_schema(Demo, title="demo", file_name=NAME)
    assert published["$schema"] == JSON_SCHEMA_DIALECT
    assert published["additionalProperties"] is False
    assert set(published["properties"]) == {"name", "size"}


def test_json_schema_offers_no_null_default_for_keys_that_refuse_null() -> None:
    class Optional(Section):
        expires: OptionalDate = None

    published = json_schema(Optional, title="demo", file_name=NAME)
    assert "default" not in published["properties"]["expires"]
