"""The layers of issue 10 hold: each module imports only from its own layer or below.

    6  cli                                      parse, call one command, render, exit code
    5  commands, scanner, pipeline, gitwarden   the library API and the scan pipeline
    4  config, config_schema, suppressions,     what is above every family: configuration,
       report                                    suppressions, the catalogue, reports
    3  checks, secrets, integrity, policy,      the scanners: each returns findings and its
       review, forge                             own result, and never imports another one
    2  manifests, yaml_schema, located_errors   YAML to Kubernetes objects with positions;
                                                 declared settings files, errors at file:line
    1  sources                                  tree walker, git, renderers
    0  findings, rules, errors, version,        the foundation
       path_patterns, input_rules

Every import counts, also those inside functions or under TYPE_CHECKING: a lazy import is
still a dependency. Known crossings that other branches are removing would be allowed
below, one entry per module pair, so the test fails on any new one (there are none left).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "gitwarden"

LAYERS: dict[str, int] = {
    "findings": 0,
    "rules": 0,
    "errors": 0,
    "version": 0,
    "path_patterns": 0,
    "input_rules": 0,
    "decision_rules": 0,
    "state_location": 0,
    "cache_files": 0,
    "distributions": 0,
    "progress": 0,
    "sources": 1,
    # The audit store and DSSE attestations: records of decisions, built on the foundation only.
    "attestation": 1,
    "audit": 1,
    "manifests": 2,
    # Declared YAML settings files (pydantic) and their located errors: no scanner below them.
    "yaml_schema": 2,
    "located_errors": 2,
    "checks": 3,
    "secrets": 3,
    "integrity": 3,
    "policy": 3,
    "review": 3,
    "forge": 3,
    "drift": 3,
    "config": 4,
    "config_schema": 4,
    "suppressions": 4,
    "suppressions_inline": 4,
    "report": 4,
    "rule_catalogue": 4,
    "commands": 5,
    "pipeline": 5,
    "gate": 5,  # the deploy gate composes the commands (the library API)
    "dashboard": 5,
    "__init__": 5,  # the package's public API re-exports the commands
    "cli": 6,
    "__main__": 6,
}
# Layers whose packages are independent of each other: a scanner never imports another one.
SEPARATE_PACKAGES = {3}

# Crossings on this branch that other engineers are removing now (issue 10 point 2). Delete
# an entry when its branch merges; the last test below says which entries have gone.
ALLOWED: set[tuple[str, str]] = set()


def imported_modules(path: Path, module: str, names: set[str]) -> Iterator[str]:
    """Every module of ``names`` that ``module`` (the file at ``path``) imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            for alias in node.names:
                # ``from gitwarden.checks import rbac`` imports gitwarden.checks.rbac.
                submodule = f"{source}.{alias.name}"
                yield submodule if submodule in names else source


def modules(root: Path) -> Iterator[tuple[str, Path]]:
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, path


def room(module: str) -> str:
    """The layer map's name for a module: its first part below the package."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def crossings(root: Path) -> set[tuple[str, str]]:
    """(importer, imported) pairs that import a higher layer or a sibling scanner."""
    names = {name for name, _ in modules(root)}
    found: set[tuple[str, str]] = set()
    for module, path in modules(root):
        layer = LAYERS[room(module)]
        for imported in imported_modules(path, module, names):
            # Every import runs the package's own lazy __init__: not a dependency on it.
            if imported not in names or imported == root.name or room(imported) == room(module):
                continue
            target = LAYERS[room(imported)]
            if target > layer or (target == layer and layer in SEPARATE_PACKAGES):
                found.add((module, imported))
    return found


def test_every_module_has_a_layer() -> None:
    unmapped = sorted({room(m) for m, _ in modules(PACKAGE)} - set(LAYERS))
    assert unmapped == [], f"add these to LAYERS in {__file__}: {unmapped}"


def test_no_module_imports_a_higher_layer_or_a_sibling_scanner() -> None:
    new = sorted(crossings(PACKAGE) - ALLOWED)
    assert new == [], "layer crossings (importer, imported):\n" + "\n".join(map(str, new))


def test_allow_list_names_only_crossings_that_still_exist() -> None:
    gone = sorted(ALLOWED - crossings(PACKAGE))
    assert gone == [], "fixed, delete from ALLOWED:\n" + "\n".join(map(str, gone))


# -- the test of the test: a synthetic package that crosses layers ------------------------


def write_package(root: Path, files: dict[str, str]) -> Path:
    package = root / "gitwarden"
    for name, text in {"__init__.py": "", **files}.items():
        target = package / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return package


BASE = {
    "findings.py": "",
    "report/__init__.py": "",
    "report/model.py": "from gitwarden.findings import Finding\n",
    "secrets/__init__.py": "",
    "secrets/engine.py": "from gitwarden import findings\n",
    "integrity/__init__.py": "",
    "integrity/rules.py": "",
}


@pytest.mark.parametrize(
    ("name", "text", "crossing"),
    [
        pytest.param(
            "integrity/verification.py",
            "from gitwarden.report.model import Report\n",
            ("gitwarden.integrity.verification", "gitwarden.report.model"),
            id="scanner-builds-a-report",
        ),
        pytest.param(
            "secrets/history.py",
            "def scan():\n    from ..integrity import rules\n",
            ("gitwarden.secrets.history", "gitwarden.integrity.rules"),
            id="scanner-imports-a-sibling-lazily",
        ),
        pytest.param(
            "findings.py",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import gitwarden.report\n",
            ("gitwarden.findings", "gitwarden.report"),
            id="foundation-imports-reports-for-typing",
        ),
    ],
)
def test_a_crossing_is_reported(
    tmp_path: Path, name: str, text: str, crossing: tuple[str, str]
) -> None:
    package = write_package(tmp_path, {**BASE, name: text})
    assert crossings(package) == {crossing}


def test_imports_down_the_layers_are_not_reported(tmp_path: Path) -> None:
    assert crossings(write_package(tmp_path, BASE)) == set()
