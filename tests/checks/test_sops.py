"""SOPS facts: .sops.yaml creation rules, which files are inspected, what counts as encrypted."""

from __future__ import annotations

import pytest

from gitwarden.checks.check import CheckContext, RepositoryInputs
from gitwarden.checks.sops import (
    SopsState,
    must_inspect,
    read_sops_config,
    sops_documents,
    sops_state,
    unencrypted_reason,
)

CONFIG = """\
creation_rules:
  - path_regex: clusters/.*/secrets/.*\\.yaml$
    encrypted_regex: ^(data|stringData)$
  - path_regex: .*\\.env$
"""
ENCRYPTED_VALUE = "ENC[AES256_GCM,data:abc,type:str]"


def test_creation_rules_are_read_with_their_lines() -> None:
    config = read_sops_config(".sops.yaml", CONFIG)
    assert [(rule.index, rule.line, rule.path_regex) for rule in config.rules] == [
        (0, 2, "clusters/.*/secrets/.*\\.yaml$"),
        (1, 4, ".*\\.env$"),
    ]
    assert config.problems == ()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("creation_rules:\n  - path_regex: (?<=x)y\n", "is invalid"),
        ("creation_rules: [\n", "invalid YAML"),
    ],
    ids=["lookaround", "broken-yaml"],
)
def test_unreadable_creation_rules_are_problems(text: str, problem: str) -> None:
    [found] = read_sops_config(".sops.yaml", text).problems
    assert problem in found


@pytest.mark.parametrize(
    ("path", "rule_index"),
    [("clusters/prod/secrets/db.yaml", 0), ("apps/.env", 1), ("apps/db.yaml", None)],
)
def test_the_first_covering_rule_governs_a_path(path: str, rule_index: int | None) -> None:
    state = SopsState((read_sops_config(".sops.yaml", CONFIG),))
    governed = state.governing_rule(path)
    assert (governed[1].index if governed else None) == rule_index


@pytest.mark.parametrize(
    ("text", "must_encrypt", "inspected"),
    [
        ("a: b\n", True, True),
        (f"a: {ENCRYPTED_VALUE}\nsops: {{mac: x}}\n", False, True),
        ("a: b\n", False, False),
    ],
    ids=["governed", "looks-encrypted", "plain"],
)
def test_which_files_are_inspected(text: str, must_encrypt: bool, inspected: bool) -> None:
    assert must_inspect(text, must_encrypt) is inspected


def test_unparsable_file_has_no_sops_documents() -> None:
    assert sops_documents("a: [\n") is None


@pytest.mark.parametrize(
    ("body", "clear"),
    [
        ({"data": {"password": ENCRYPTED_VALUE}, "sops": {"mac": ENCRYPTED_VALUE}}, False),
        ({"data": {"password": "hunter2"}, "sops": {"mac": ENCRYPTED_VALUE}}, True),
        ({"data": {"password": "hunter2"}}, True),
    ],
    ids=["encrypted", "clear-value", "no-metadata"],
)
def test_unencrypted_reason_names_clear_values(body: dict[str, object], clear: bool) -> None:
    assert (unencrypted_reason(body) is not None) is clear


def test_sops_state_is_the_contexts_own() -> None:
    state = SopsState((read_sops_config(".sops.yaml", CONFIG),))
    context = CheckContext([], inputs=RepositoryInputs(sops=state))
    assert sops_state(context) is state
