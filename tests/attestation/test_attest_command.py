from __future__ import annotations

from pathlib import Path

import pytest
from attestation_fixtures import ALLOW, DENY, REVISION, KeyFiles

from gitwarden.attestation.decision_predicate import DecisionPredicate, decision_statement
from gitwarden.attestation.signed_statements import sign_statement
from gitwarden.attestation.signing_keys import load_signing_key
from gitwarden.commands.attest import AttestVerifyOptions, attest_verify
from gitwarden.config import Config
from gitwarden.errors import UsageError
from gitwarden.findings import Severity


def _write(tmp_path: Path, predicate: DecisionPredicate, keys: KeyFiles) -> Path:
    path = tmp_path / "decision.intoto.json"
    envelope = sign_statement(decision_statement(predicate), load_signing_key(keys.private))
    path.write_bytes(envelope.to_bytes())
    return path


def test_trusted_allow_passes(tmp_path: Path, gate_keys: KeyFiles) -> None:
    options = AttestVerifyOptions(
        key_files=(gate_keys.public,), revision=REVISION, environment="prod"
    )
    result = attest_verify(_write(tmp_path, ALLOW, gate_keys), Config(), options)
    assert result.report.passed and result.report.findings == ()
    assert result.report.command == "attest verify"


def test_deny_fails_the_report(tmp_path: Path, gate_keys: KeyFiles) -> None:
    options = AttestVerifyOptions(key_files=(gate_keys.public,))
    result = attest_verify(_write(tmp_path, DENY, gate_keys), Config(), options)
    assert [f.rule_id for f in result.report.failing] == ["attestation-decision-deny"]


def test_config_can_lower_a_rule_below_the_threshold(tmp_path: Path, gate_keys: KeyFiles) -> None:
    config = Config(severity_overrides={"attestation-decision-deny": Severity.LOW})
    options = AttestVerifyOptions(key_files=(gate_keys.public,))
    assert attest_verify(_write(tmp_path, DENY, gate_keys), config, options).report.passed


def test_without_a_key_nothing_is_verified(tmp_path: Path, gate_keys: KeyFiles) -> None:
    with pytest.raises(UsageError, match="no trusted key"):
        attest_verify(_write(tmp_path, ALLOW, gate_keys), Config(), AttestVerifyOptions())


def test_missing_file_is_a_usage_error(tmp_path: Path, gate_keys: KeyFiles) -> None:
    options = AttestVerifyOptions(key_files=(gate_keys.public,))
    with pytest.raises(UsageError, match="cannot read"):
        attest_verify(tmp_path / "absent.json", Config(), options)
