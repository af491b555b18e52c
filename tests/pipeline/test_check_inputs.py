"""The non-object inputs checks read: .sops.yaml, the files it governs, Dockerfiles."""

from __future__ import annotations

from pathlib import Path

import pytest
from pipeline_repos import make_repo, walk

from gitwarden.checks.check import RepositoryInputs
from gitwarden.pipeline.check_inputs import read_check_inputs

SOPS_CONFIG = "creation_rules:\n  - path_regex: secrets/.*\n    age: age1xyz\n"
PLAIN_CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata: {a: b}\n"
ENCRYPTED = (
    "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\n"
    "data: {password: 'ENC[AES256_GCM,data:abc,type:str]'}\n"
    "sops: {mac: 'ENC[AES256_GCM,data:mac,type:str]', version: 3.8.1}\n"
)


def inputs_of(root: Path) -> RepositoryInputs:
    return read_check_inputs(walk(root).all_files)


def test_every_walked_path_is_listed(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"a.yaml": PLAIN_CONFIGMAP, "docs/readme.md": "hello\n"})
    assert inputs_of(root).paths == ("a.yaml", "docs/readme.md")


def test_sops_configs_are_parsed(tmp_path: Path) -> None:
    [config] = inputs_of(make_repo(tmp_path, {".sops.yaml": SOPS_CONFIG})).sops.configs
    assert (config.file, [rule.path_regex for rule in config.rules]) == (
        ".sops.yaml",
        ["secrets/.*"],
    )


@pytest.mark.parametrize(
    ("files", "inspected"),
    [
        ({".sops.yaml": SOPS_CONFIG, "secrets/db.yaml": PLAIN_CONFIGMAP}, True),
        ({"apps/db.yaml": ENCRYPTED}, True),
        ({".sops.yaml": SOPS_CONFIG, "apps/app.yaml": PLAIN_CONFIGMAP}, False),
    ],
    ids=["governed-by-a-rule", "looks-encrypted", "neither"],
)
def test_documents_are_kept_for_governed_or_encrypted_files(
    tmp_path: Path, files: dict[str, str], inspected: bool
) -> None:
    documents = inputs_of(make_repo(tmp_path, files)).sops.documents
    assert (len(documents) == 1) is inspected


@pytest.mark.parametrize(
    ("path", "kept"),
    [("secrets/app.env", True), ("config/app.env", False)],
    ids=["governed", "not-governed"],
)
def test_governed_non_yaml_files_keep_their_text(tmp_path: Path, path: str, kept: bool) -> None:
    root = make_repo(tmp_path, {".sops.yaml": SOPS_CONFIG, path: "PASSWORD=hunter2\n"})
    texts = inputs_of(root).sops.other_texts
    assert texts == ({path: "PASSWORD=hunter2\n"} if kept else {})


def test_unparsable_file_has_no_documents(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {".sops.yaml": SOPS_CONFIG, "secrets/db.yaml": "a: [\n"})
    assert inputs_of(root).sops.documents == {}


def test_unreadable_sops_config_is_reported(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {})
    (root / ".sops.yaml").write_bytes(b"\x00\x01binary")
    [problem] = inputs_of(root).sops.unreadable
    assert problem.location.file == ".sops.yaml"


def test_dockerfiles_are_read(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"images/web/Dockerfile": "FROM scratch\n", "notes.md": "x\n"})
    [dockerfile] = inputs_of(root).dockerfiles
    assert (dockerfile.path, dockerfile.text, dockerfile.problem) == (
        "images/web/Dockerfile",
        "FROM scratch\n",
        None,
    )


def test_unreadable_dockerfile_carries_its_problem(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {})
    (root / "Dockerfile").write_bytes(b"\x00\x01binary")
    [dockerfile] = inputs_of(root).dockerfiles
    assert dockerfile.text is None and dockerfile.problem is not None
