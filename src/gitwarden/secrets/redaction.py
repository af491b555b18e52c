"""Showing a secret without revealing it: the first and last characters only."""

from __future__ import annotations


def redact(value: str) -> str:
    """``ghp_…a1B2``-style: enough to recognise which credential it is, not to use it."""
    value = value.strip()
    if len(value) <= 8:
        return "*" * len(value) if value else ""
    keep = 4 if len(value) >= 24 else 2
    return f"{value[:keep]}…{value[-keep:]}"


def shown(value: str, show_secrets: bool) -> str:
    return value.strip() if show_secrets else redact(value)
