"""docs/forge-posture.md lists every forge rule: the document cannot drift from the code."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitwarden.forge.audit import FORGE_RULES

DOC = Path(__file__).resolve().parents[2] / "docs" / "forge-posture.md"


@pytest.mark.parametrize("rule_id", sorted(rule.id for rule in FORGE_RULES))
def test_every_forge_rule_has_a_row(rule_id: str) -> None:
    rows = [line for line in DOC.read_text(encoding="utf-8").splitlines() if line.startswith("| `")]
    assert any(row.startswith(f"| `{rule_id}` |") for row in rows)
