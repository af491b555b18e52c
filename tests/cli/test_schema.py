"""`gitwarden schema config|trust` prints the published JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gitwarden.cli import EXIT_PASS, main
from gitwarden.commands.schema import schema


@pytest.mark.parametrize("name", ["config", "trust"])
def test_schema_command_prints_the_json_schema(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schema", name]) == EXIT_PASS
    assert json.loads(capsys.readouterr().out) == dict(schema(name).document)


def test_schema_command_writes_the_output_file(tmp_path: Path) -> None:
    out = tmp_path / "config.schema.json"
    assert main(["schema", "config", "-o", str(out)]) == EXIT_PASS
    assert json.loads(out.read_text())["title"] == "gitwarden config"


def test_schema_command_refuses_an_unknown_file(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["schema", "no-such-file"])
    assert caught.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
