"""`gitwarden schema config|trust`: print the JSON Schema of a gitwarden file, for editors."""

from __future__ import annotations

import argparse
from pathlib import Path

from gitwarden.cli import output
from gitwarden.commands.schema import schema
from gitwarden.config_schema.schema_files import SCHEMA_FILES


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "schema", help="print the JSON Schema of .gitwarden.yaml (config) or trust.yaml (trust)"
    )
    parser.add_argument("name", choices=sorted(SCHEMA_FILES), help="which file")
    parser.add_argument("--output", "-o", type=Path, help="write the schema to FILE")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> bool:
    output.emit(schema(args.name).text, args.output)
    return True
