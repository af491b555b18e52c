"""A repository of real files in tmp_path, written from a path -> text mapping."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path


def make_repo(root: Path, files: Mapping[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root
