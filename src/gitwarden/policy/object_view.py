"""Objects as policies see them: plain JSON values, with where they came from."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from gitwarden.manifests.objects import K8sObject


def plain_value(value: Any) -> Any:
    """A JSON-compatible copy of a parsed YAML value (dates become ISO strings)."""
    if isinstance(value, dict):
        return {str(k): plain_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_value(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def plain_body(obj: K8sObject) -> dict[str, Any]:
    body = plain_value(dict(obj.body))
    assert isinstance(body, dict)
    return body


class ObjectBodies:
    """The plain bodies of the scanned objects, converted once and only when asked for.

    Large objects that no check has read yet (CustomResourceDefinitions, whose schemas make
    up most bytes of install bundles) stay unparsed unless a policy can be about them:
    ``cheap`` gives their leading part (metadata and the short spec fields) instead.
    """

    def __init__(self, objects: Sequence[K8sObject]) -> None:
        self.objects = objects
        self._full: dict[int, dict[str, Any]] = {}

    def full(self, index: int) -> dict[str, Any]:
        found = self._full.get(index)
        if found is None:
            found = self._full[index] = plain_body(self.objects[index])
        return found

    def cheap(self, index: int) -> dict[str, Any]:
        obj = self.objects[index]
        if index in self._full or obj.header is None or "body" in obj.__dict__:
            return self.full(index)
        head = plain_value(dict(obj.header))
        assert isinstance(head, dict)
        return head


def source_of(obj: K8sObject) -> dict[str, Any]:
    """Where an object is: file, line, ``Kind/namespace/name`` and how it was rendered."""
    return {"file": obj.file, "line": obj.line, "resource": obj.resource, "origin": obj.origin}


def as_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
