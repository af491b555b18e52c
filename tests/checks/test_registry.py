"""The check registry lists check families only and imports nothing above them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from gitwarden.checks import registry

SOURCE = Path(registry.__file__).read_text(encoding="utf-8")
# What layer 3 may build on: its own package and the layers below.
ALLOWED = ("gitwarden.checks", "gitwarden.findings", "gitwarden.rules")


def module_level_imports(source: str) -> list[str]:
    names = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("gitwarden"):
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names.extend(a.name for a in node.names if a.name.startswith("gitwarden"))
    return names


def test_registry_imports_only_checks_and_the_foundation() -> None:
    imports = module_level_imports(SOURCE)
    assert imports and all(name.startswith(ALLOWED) for name in imports), imports


CHECK_MODULES = sorted(Path(registry.__file__).parent.glob("*.py"))
# Checks receive parsed inputs from the pipeline: no tree walker, no other scanner, no config.
BELOW_CHECKS = ("gitwarden.checks", "gitwarden.manifests", "gitwarden.findings", "gitwarden.rules")
FOUNDATION = ("gitwarden.path_patterns", "gitwarden.input_rules", "gitwarden.errors")


@pytest.mark.parametrize("module", CHECK_MODULES, ids=lambda path: path.stem)
def test_check_modules_import_nothing_above_the_manifests(module: Path) -> None:
    imports = module_level_imports(module.read_text(encoding="utf-8"))
    crossing = [name for name in imports if not name.startswith(BELOW_CHECKS + FOUNDATION)]
    assert crossing == []


def test_import_check_sees_a_crossed_layer() -> None:
    assert module_level_imports("from gitwarden.secrets import all_secret_rules\n") == [
        "gitwarden.secrets"
    ]


def test_every_family_contributes_checks() -> None:
    families_with_checks = {check.rule.family for check in registry.all_checks()}
    assert {family.FAMILY for family in registry.CHECK_FAMILIES} <= families_with_checks


def test_tool_codes_map_to_their_family_rule() -> None:
    assert registry.is_tool_rule_id("dockerfile-DL3007")
    assert not registry.is_tool_rule_id("pss-privileged")
