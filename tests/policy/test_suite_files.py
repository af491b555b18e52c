"""Reading the files a suite names: relative, bounded, never out of the folder under test."""

from __future__ import annotations

from pathlib import Path

import pytest
from policy_fixtures import write_files

from gitwarden.policy.suite_files import SuiteFileError, suite_document, suite_objects

OBJECT = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"


def test_objects_are_read_relative_to_the_suite(tmp_path: Path) -> None:
    write_files(tmp_path, {"s/objects.yaml": OBJECT + "---\n" + OBJECT})
    assert len(suite_objects(tmp_path / "s", "objects.yaml", tmp_path)) == 2


def test_path_out_of_the_boundary_is_refused(tmp_path: Path) -> None:
    write_files(tmp_path, {"secret.yaml": OBJECT, "s/x.yaml": OBJECT})
    with pytest.raises(SuiteFileError, match="leads out of"):
        suite_objects(tmp_path / "s", "../secret.yaml", tmp_path / "s")


def test_symbolic_link_is_not_read(tmp_path: Path) -> None:
    write_files(tmp_path, {"real.yaml": OBJECT})
    (tmp_path / "link.yaml").symlink_to(tmp_path / "real.yaml")
    with pytest.raises(SuiteFileError):
        suite_objects(tmp_path, "link.yaml", tmp_path)


def test_invalid_yaml_is_an_error(tmp_path: Path) -> None:
    write_files(tmp_path, {"bad.yaml": "kind: [\n"})
    with pytest.raises(SuiteFileError):
        suite_objects(tmp_path, "bad.yaml", tmp_path)


def test_a_suite_document_must_be_one_object(tmp_path: Path) -> None:
    write_files(tmp_path, {"two.yaml": OBJECT + "---\n" + OBJECT})
    with pytest.raises(SuiteFileError, match="expected one YAML object"):
        suite_document(tmp_path, "two.yaml", tmp_path)
