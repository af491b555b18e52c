"""YAML as an editor's JSON Schema validator sees it: timestamps stay text."""

from __future__ import annotations

from datetime import date
from typing import Any

import yaml


def as_json(text: str) -> Any:
    """The YAML document with dates written back as the ISO text they were written as."""

    def plain(value: Any) -> Any:
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, list):
            return [plain(item) for item in value]
        return value

    return plain(yaml.safe_load(text))
