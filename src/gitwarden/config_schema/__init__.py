"""Declarative schemas of gitwarden's own YAML files, each described once.

One declaration per file gives both the reader (values checked, errors at file, line and key,
with the key that was probably meant) and the published JSON Schema (`gitwarden schema NAME`),
so the two cannot drift. ``schema_files.SCHEMA_FILES`` names every described file.
"""
