"""`commands.audit_store_access`: the one way commands find, open and close the audit store."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitwarden.audit.store import AuditStoreError
from gitwarden.commands.audit_store_access import opened_store


def test_reader_is_refused_a_store_that_was_never_written(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'missing.db'}"
    with (
        pytest.raises(AuditStoreError, match="no audit store"),
        opened_store(url, {}, create=False),
    ):
        pass
    assert not (tmp_path / "missing.db").exists()


def test_environment_names_the_store_when_no_target_is_given(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'from-env.db'}"
    with opened_store(None, {"GITWARDEN_AUDIT_URL": url}, create=True) as store:
        assert store.location == str(tmp_path / "from-env.db")


def test_target_wins_over_the_environment(tmp_path: Path) -> None:
    target = f"sqlite:///{tmp_path / 'target.db'}"
    environ = {"GITWARDEN_AUDIT_URL": f"sqlite:///{tmp_path / 'env.db'}"}
    with opened_store(target, environ, create=True) as store:
        assert store.location == str(tmp_path / "target.db")


def test_default_file_is_in_the_state_folder(tmp_path: Path) -> None:
    environ = {"GITWARDEN_STATE_DIR": str(tmp_path / "state")}
    with opened_store(None, environ, create=True) as store:
        assert store.location == str(tmp_path / "state" / "audit.db")
