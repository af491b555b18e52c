from __future__ import annotations

from forge.forge_postures import context
from gitwarden.forge.posture import AccessGrant


def test_writers_are_write_maintain_and_admin() -> None:
    access = tuple(
        AccessGrant(level, "user", level) for level in ("admin", "maintain", "write", "read")
    )
    writers = context(access=access).posture.writers() or ()
    assert [grant.name for grant in writers] == ["admin", "maintain", "write"]


def test_writers_of_an_unreadable_access_list_are_unknown() -> None:
    assert context(access=None).posture.writers() is None
