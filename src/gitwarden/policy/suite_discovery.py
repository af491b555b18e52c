"""Finding the originals' test files in a policy folder: ``gator verify`` suites and Kyverno
CLI tests (which live in hidden ``.kyverno-test`` folders, so those are searched too)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from gitwarden.policy.kyverno_tests import TEST_FILE

_SNIFF_BYTES = 4096
_SUITE = re.compile(r"^kind:\s*Suite\s*$", re.MULTILINE)
_SUITE_GROUP = re.compile(r"^apiVersion:\s*test\.gatekeeper\.sh/", re.MULTILINE)
_SKIPPED_FOLDERS = frozenset({".git", ".venv", "node_modules"})


@dataclass(frozen=True)
class SuiteFiles:
    gator: tuple[Path, ...]
    kyverno: tuple[Path, ...]


def find_suites(folder: Path) -> SuiteFiles:
    """Every gator suite and kyverno-test.yaml under ``folder`` (links are not followed)."""
    if folder.is_file():
        return _classify([folder])
    found: list[Path] = []
    for here, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIPPED_FOLDERS)
        found.extend(Path(here) / name for name in sorted(filenames))
    return _classify(found)


def _classify(paths: list[Path]) -> SuiteFiles:
    gator: list[Path] = []
    kyverno: list[Path] = []
    for path in paths:
        if path.is_symlink() or not path.name.endswith((".yaml", ".yml")):
            continue
        if path.name == TEST_FILE:
            kyverno.append(path)
        elif _is_gator_suite(path):
            gator.append(path)
    return SuiteFiles(tuple(gator), tuple(kyverno))


def _is_gator_suite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES).decode("utf-8", "replace")
    except OSError:
        return False
    return bool(_SUITE.search(head) and _SUITE_GROUP.search(head))
