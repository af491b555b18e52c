"""The audit trail and attestations sit on the foundation only (architecture, issue 10)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "gitwarden"
FOUNDATION = ("findings", "rules", "errors", "version", "state_location")
ALLOWED = {
    "audit": (*FOUNDATION, "audit", "attestation"),
    "attestation": (*FOUNDATION, "attestation"),
}


def _gitwarden_imports(module: Path) -> set[str]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name.split(".")[1] for name in names if name.startswith("gitwarden.")}


@pytest.mark.parametrize(
    "module",
    [path for package in ALLOWED for path in sorted((PACKAGE / package).glob("*.py"))],
    ids=lambda path: f"{path.parent.name}/{path.name}",
)
def test_module_imports_only_the_foundation_and_its_allowed_neighbour(module: Path) -> None:
    imported = _gitwarden_imports(module)
    assert imported <= set(ALLOWED[module.parent.name]), imported - set(ALLOWED[module.parent.name])
