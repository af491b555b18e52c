"""Every YAML file gitwarden reads by a schema: name -> where its declaration lives.

A new file (the review policy, environments) is one new schema module plus one line here;
`gitwarden schema NAME` then publishes it. Modules load only when their schema is asked for.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from gitwarden.yaml_schema.declaration import Section


@dataclass(frozen=True)
class SchemaFile:
    """A described file: its name in a repository and its declaration (``module:Class``)."""

    file_name: str
    declaration: str

    def model(self) -> type[Section]:
        module_name, _, class_name = self.declaration.partition(":")
        model: type[Section] = getattr(importlib.import_module(module_name), class_name)
        return model


SCHEMA_FILES: dict[str, SchemaFile] = {
    "config": SchemaFile(".gitwarden.yaml", "gitwarden.config_schema.gitwarden_file:GitwardenFile"),
    "trust": SchemaFile(".gitwarden/trust.yaml", "gitwarden.config_schema.trust_yaml:TrustFile"),
    "review": SchemaFile(
        ".gitwarden/review.yaml", "gitwarden.config_schema.review_yaml:ReviewFile"
    ),
}
