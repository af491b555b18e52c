"""A credential found in one file, before it becomes a Finding (it still holds the value)."""

from __future__ import annotations

from dataclasses import dataclass

from gitwarden.rules import Rule


@dataclass(frozen=True)
class SecretHit:
    """``value`` is the credential itself: it never leaves the secrets package unredacted
    unless the user asks (--show-secrets); baselines store only a keyed hash of it."""

    rule: Rule
    value: str
    line: int
    column: int = 1
    resource: str | None = None
    field_path: str | None = None
    note: str = ""
    allowed_inline: bool = False
