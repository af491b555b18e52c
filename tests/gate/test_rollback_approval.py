"""A rollback approval verifies only under a principal's key and only for its exact move."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from gate_fixtures import ssh_key

from gitwarden.attestation.signing_keys import load_signing_key
from gitwarden.attestation.statement import AttestationError
from gitwarden.gate.rollback_approval import (
    ApprovedRollback,
    RollbackApproval,
    check_rollback_approval,
    new_approval,
    sign_rollback_approval,
)
from gitwarden.integrity.trust_file import parse_trust_policy

FROM, TO = "b" * 40, "a" * 40


@pytest.fixture
def keys(tmp_path: Path) -> dict[str, Path]:
    return {name: ssh_key(tmp_path, name).private for name in ("alice", "mallory")}


def policy(tmp_path: Path) -> object:
    line = (tmp_path / "alice.pub").read_text().strip()
    text = yaml.safe_dump(
        {"version": 1, "principals": {"alice": {"ssh_keys": [line]}}, "rules": []}
    )
    return parse_trust_policy(text, "trust.yaml")


def check(envelope: object, tmp_path: Path, to: str = TO) -> object:
    return check_rollback_approval(
        envelope,  # type: ignore[arg-type]
        policy(tmp_path),  # type: ignore[arg-type]
        environment="prod",
        from_revision=FROM,
        to_revision=to,
    )


def test_a_principal_signed_approval_names_its_approver(
    keys: dict[str, Path], tmp_path: Path
) -> None:
    move = RollbackApproval("prod", FROM, TO, "bad release", "2026-12-01T09:00:00Z")
    envelope = sign_rollback_approval(move, load_signing_key(keys["alice"]))
    assert check(envelope, tmp_path).principals == ("alice",)  # type: ignore[attr-defined]


def test_an_approval_by_someone_outside_the_policy_is_refused(
    keys: dict[str, Path], tmp_path: Path
) -> None:
    move = RollbackApproval("prod", FROM, TO, "trust me", "2026-12-01T09:00:00Z")
    envelope = sign_rollback_approval(move, load_signing_key(keys["mallory"]))
    with pytest.raises(AttestationError):
        check(envelope, tmp_path)


def test_an_approval_for_another_revision_is_refused(keys: dict[str, Path], tmp_path: Path) -> None:
    move = RollbackApproval("prod", FROM, TO, "bad release", "2026-12-01T09:00:00Z")
    envelope = sign_rollback_approval(move, load_signing_key(keys["alice"]))
    with pytest.raises(AttestationError, match="for to"):
        check(envelope, tmp_path, to="c" * 40)


@pytest.mark.parametrize(
    ("expires_at", "refused"),
    [("2026-12-01T08:59:59Z", True), ("2026-12-01T09:00:01Z", False), ("soon", True)],
    ids=["expired", "still-valid", "unreadable-expiry"],
)
def test_an_approval_past_its_expiry_is_refused(
    keys: dict[str, Path], tmp_path: Path, expires_at: str, refused: bool
) -> None:
    move = RollbackApproval("prod", FROM, TO, "bad", "2026-12-01T08:00:00Z", "", expires_at)
    envelope = sign_rollback_approval(move, load_signing_key(keys["alice"]))
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def checking() -> ApprovedRollback:
        return check_rollback_approval(
            envelope,
            policy(tmp_path),  # type: ignore[arg-type]
            environment="prod",
            from_revision=FROM,
            to_revision=TO,
            now=now,
        )

    if refused:
        with pytest.raises(AttestationError):
            checking()
    else:
        assert checking().principals == ("alice",)


def test_a_new_approval_expires_a_day_after_it_is_made() -> None:
    made = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    approval = new_approval("prod", FROM, TO, "bad", now=made)
    assert approval.expires_at == "2026-12-02T09:00:00Z"
