"""`gitwarden attest verify FILE --key PUB`: exit 0 trusted allow, 1 anything else, 2 error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from attestation_fixtures import ALLOW, DENY, REVISION, KeyFiles

from gitwarden.attestation.decision_predicate import DecisionPredicate, decision_statement
from gitwarden.attestation.signed_statements import sign_statement
from gitwarden.attestation.signing_keys import load_signing_key
from gitwarden.cli.main import main


def _write(tmp_path: Path, predicate: DecisionPredicate, keys: KeyFiles) -> Path:
    path = tmp_path / "decision.intoto.json"
    envelope = sign_statement(decision_statement(predicate), load_signing_key(keys.private))
    path.write_bytes(envelope.to_bytes())
    return path


@pytest.mark.parametrize(
    ("predicate", "extra", "code"),
    [
        (ALLOW, ["--rev", REVISION, "--env", "prod"], 0),
        (ALLOW, ["--env", "staging"], 1),
        (ALLOW, ["--rev", "1" * 40], 1),
        (DENY, [], 1),
    ],
    ids=["allow", "other-env", "other-rev", "deny"],
)
def test_exit_code_says_whether_the_attestation_admits_the_deploy(
    tmp_path: Path, gate_keys: KeyFiles, predicate: DecisionPredicate, extra: list[str], code: int
) -> None:
    file = _write(tmp_path, predicate, gate_keys)
    assert main(["attest", "verify", str(file), "--key", str(gate_keys.public), *extra]) == code


def test_untrusted_signer_exits_1_with_a_json_finding(
    tmp_path: Path, gate_keys: KeyFiles, other_keys: KeyFiles, capsys: pytest.CaptureFixture[str]
) -> None:
    file = _write(tmp_path, ALLOW, other_keys)
    code = main(["attest", "verify", str(file), "--key", str(gate_keys.public), "-f", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [f["rule"] for f in report["findings"]] == ["attestation-signature-invalid"]


def test_unusable_key_file_exits_2(
    tmp_path: Path, gate_keys: KeyFiles, capsys: pytest.CaptureFixture[str]
) -> None:
    file = _write(tmp_path, ALLOW, gate_keys)
    bad_key = tmp_path / "bad.pub"
    bad_key.write_text("ssh-ed25519 not-base64\n")
    assert main(["attest", "verify", str(file), "--key", str(bad_key)]) == 2
    assert "not a usable public key" in capsys.readouterr().err
