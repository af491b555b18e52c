"""Fuzzing the readers of configuration a repository carries: `.gitwarden.yaml`, the trust
policy and `.sops.yaml`. Any exception but the project's own ConfigError fails."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest
import yaml
from fuzz_inputs import HOSTILE_SCALARS, corpus, mapping_with, token_soup
from hypothesis import given
from hypothesis import strategies as st

from gitwarden.checks.sops import read_sops_config
from gitwarden.config import parse_config
from gitwarden.errors import ConfigError
from gitwarden.integrity.trust_file import parse_trust_policy

CONFIG_KEYS = (
    "include",
    "exclude",
    "fail_on",
    "pod_security_level",
    "trusted_registries",
    "image_digest_severity",
    "severity_overrides",
    "disabled_rules",
    "max_document_bytes",
    "max_file_bytes",
    "suppressions",
    "policies",
    "production",
)
# A public key only: the trust policy must hold a parseable one to reach its deeper checks.
SSH_KEY = (
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBNzrmZBAdU00AbYXhg6eWeaaFly+KG+exIfuQW/DNDQ fuzz@example"
)

_odd = st.sampled_from(HOSTILE_SCALARS).map(lambda text: yaml.safe_load(f"x: {text!r}")["x"])
_dates = st.sampled_from(
    ["2026-01-10", "2026-13-40", "yesterday", 20260110, None, "2026-01-10T25:00"]
)
_names = st.sampled_from(["alice", "bob", "", "ci-bot", "main", "release/*", "*", "**/x"])
_small = st.one_of(st.integers(-3, 3), st.integers(), _odd, st.text(max_size=4), st.none())


def _key_entry() -> st.SearchStrategy[Any]:
    key = st.sampled_from([SSH_KEY, SSH_KEY[:40], "ssh-rsa AAAA", "", "SHA256:abc"])
    full = st.fixed_dictionaries(
        {"key": key},
        optional={"added": _dates, "valid_after": _dates, "valid_before": _dates, "x": _small},
    )
    return full | key


_trust = st.fixed_dictionaries(
    {"version": st.sampled_from([1, 1, "1", 2, None, "x"])},
    optional={
        "principals": st.dictionaries(
            _names,
            st.fixed_dictionaries(
                {},
                optional={
                    "ssh_keys": st.lists(_key_entry(), max_size=3) | _small,
                    "openpgp_certs": st.lists(st.text(max_size=20), max_size=2),
                },
            )
            | _small,
            max_size=3,
        ),
        "rules": st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "branches": st.lists(_names, max_size=3) | _names,
                    "paths": st.lists(_names, max_size=3),
                    "principals": st.lists(_names, max_size=3),
                    "threshold": _small,
                },
            ),
            max_size=3,
        ),
        "revoked": st.lists(
            st.fixed_dictionaries(
                {}, optional={"key": _names, "principal": _names, "reason": _small}
            ),
            max_size=2,
        ),
        "max_key_age_days": _small,
        "key_age_warning_days": _small,
        "protected_refs": st.lists(_names, max_size=3),
        "ledger_recorders": st.lists(_names, max_size=2),
    },
)
trust_inputs = _trust.map(lambda value: yaml.safe_dump(value, sort_keys=False)) | token_soup

_creation_rule = st.fixed_dictionaries(
    {},
    optional={
        key: st.sampled_from(["", "(", "[a-", "(?P<x>", "^apps/.*\\.yaml$", "a{99999}", "\\"])
        | _small
        for key in ("path_regex", "encrypted_regex", "unencrypted_regex")
    }
    | {"unencrypted_suffix": _small, "encrypted_suffix": _small},
)
sops_inputs = (
    st.fixed_dictionaries({"creation_rules": st.lists(_creation_rule, max_size=3) | _small}).map(
        yaml.safe_dump
    )
    | token_soup
)


def read_config(text: str) -> None:
    with contextlib.suppress(ConfigError):
        parse_config(text, ".gitwarden.yaml")


def read_trust(text: str) -> None:
    with contextlib.suppress(ConfigError):
        parse_trust_policy(text, ".gitwarden/trust.yaml")


@given(mapping_with(CONFIG_KEYS))
def test_config_parser_raises_only_config_errors(text: str) -> None:
    read_config(text)


@given(trust_inputs)
def test_trust_policy_parser_raises_only_config_errors(text: str) -> None:
    read_trust(text)


@given(sops_inputs)
def test_sops_config_reader_never_raises(text: str) -> None:
    read_sops_config(".sops.yaml", text)


@pytest.mark.parametrize("case", corpus("configuration"), ids=lambda path: path.name)
def test_configuration_inputs_that_once_crashed_are_read(case: Path) -> None:
    text = case.read_text(encoding="utf-8")
    read_config(text)
    read_trust(text)
    read_sops_config(".sops.yaml", text)
