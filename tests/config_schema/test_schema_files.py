"""Every described file resolves to its declaration."""

from __future__ import annotations

import pytest

from gitwarden.config_schema.schema_files import SCHEMA_FILES
from gitwarden.yaml_schema.declaration import Section


@pytest.mark.parametrize("name", sorted(SCHEMA_FILES))
def test_each_schema_file_names_a_section_declaration(name: str) -> None:
    assert issubclass(SCHEMA_FILES[name].model(), Section)


def test_config_and_trust_files_are_described() -> None:
    assert {f.file_name for f in SCHEMA_FILES.values()} >= {
        ".gitwarden.yaml",
        ".gitwarden/trust.yaml",
    }
