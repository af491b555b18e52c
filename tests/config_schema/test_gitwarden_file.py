"""The `.gitwarden.yaml` schema published as JSON Schema validates real configurations."""

from __future__ import annotations

import re
from pathlib import Path

import jsonschema
import pytest
from schema_samples import as_json

from gitwarden.commands.schema import schema
from gitwarden.config import parse_config

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = {
    "example-repository": ROOT / "examples" / "insecure-gitops" / ".gitwarden.yaml",
    "gitwarden-itself": ROOT / ".gitwarden.yaml",
}


def published() -> dict[str, object]:
    return dict(schema("config").document)


def readme_configuration_example() -> str:
    """The YAML block of the README's "Configuration" section."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert match is not None
    return match.group(1)


@pytest.mark.parametrize("path", CONFIGS.values(), ids=CONFIGS.keys())
def test_repository_configs_validate_against_the_published_schema(path: Path) -> None:
    text = path.read_text()
    parse_config(text, path.name)  # the reader accepts it too
    jsonschema.validate(as_json(text), published())


def test_readme_configuration_example_validates_against_the_published_schema() -> None:
    text = readme_configuration_example()
    parse_config(text, ".gitwarden.yaml")
    jsonschema.validate(as_json(text), published())


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("exlude: [vendor/]\n", id="unknown-key"),
        pytest.param("fail_on: hgih\n", id="unknown-severity"),
        pytest.param("suppressions:\n  - rule: x\n", id="suppression-without-reason"),
        pytest.param("max_file_bytes: 0\n", id="zero-bytes"),
        pytest.param("exclude: vendor/\n", id="string-not-list"),
        pytest.param("pod_security_level: strict\n", id="no-such-level"),
        pytest.param(
            "severity_overrides:\n  - {rule: render-failed, severity: low}\n",
            id="override-without-reason",
        ),
    ],
)
def test_invalid_config_fails_the_published_schema(text: str) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(as_json(text), published())


def test_both_forms_of_severity_overrides_validate() -> None:
    text = (
        "severity_overrides:\n  - {rule: render-failed, severity: medium, reason: legacy,"
        " path: 'legacy/**'}\n"
    )
    jsonschema.validate(as_json(text), published())
    jsonschema.validate(as_json("severity_overrides: {render-failed: low}\n"), published())


def test_published_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(published())
