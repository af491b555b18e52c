from __future__ import annotations

import pytest

from gitwarden.audit.store_location import audit_url


@pytest.mark.parametrize(
    ("explicit", "environ", "expected"),
    [
        ("sqlite:///x.db", {"GITWARDEN_AUDIT_URL": "postgresql://h/db"}, "sqlite:///x.db"),
        (None, {"GITWARDEN_AUDIT_URL": "postgresql://h/db"}, "postgresql://h/db"),
        (None, {"GITWARDEN_STATE_DIR": "/state", "HOME": "/home/u"}, "sqlite:////state/audit.db"),
        (None, {"HOME": "/home/u"}, "sqlite:////home/u/.local/state/gitwarden/audit.db"),
    ],
)
def test_store_url_precedence(explicit: str | None, environ: dict[str, str], expected: str) -> None:
    assert audit_url(explicit, environ) == expected
