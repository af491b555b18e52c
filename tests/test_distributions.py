"""Installed versions read from `.dist-info` folder names, as importlib.metadata reads them."""

from __future__ import annotations

import importlib.metadata
import sys
from pathlib import Path

import pytest

from gitwarden.distributions import installed_version


@pytest.mark.parametrize("name", ["PyYAML", "pyyaml", "pytest", "jsonschema-rs", "jsonschema_rs"])
def test_an_installed_distribution_has_the_version_importlib_metadata_reads(name: str) -> None:
    assert installed_version(name) == importlib.metadata.version(name)


def test_a_distribution_not_installed_has_no_version() -> None:
    assert installed_version("gitwarden-no-such-distribution") is None


def test_the_first_folder_on_the_path_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for folder, version in (("first", "2.0"), ("second", "1.0")):
        (tmp_path / folder / f"my_tool-{version}.dist-info").mkdir(parents=True)
    (tmp_path / "first" / "my_tool_extra-9.dist-info").mkdir()
    monkeypatch.setattr(
        sys, "path", [str(tmp_path / "missing"), *(str(tmp_path / f) for f in ("first", "second"))]
    )
    assert installed_version("My.Tool") == "2.0"
