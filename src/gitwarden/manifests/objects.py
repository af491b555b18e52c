"""Kubernetes objects that remember the file, line and field path of everything they hold."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from gitwarden.findings import Location
from gitwarden.manifests.positions import nearest_position
from gitwarden.manifests.yaml_nodes import FieldPath, ParsedDocument, Position


def format_field_path(path: FieldPath) -> str:
    """``("spec", "containers", 1, "image")`` -> ``spec.containers[1].image``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif "." in part or "/" in part or not part:
            text += f'["{part}"]'
        else:
            text += f".{part}" if text else part
    return text


@dataclass(frozen=True, eq=False)
class K8sObject:
    """One Kubernetes object as committed (or as rendered, mapped back to its source file).

    The body is parsed on first use: large objects that no check reads (CRDs) cost only a
    syntax check. ``path_prefix`` locates an item of a ``List`` inside its document.
    """

    api_version: str
    kind: str
    name: str
    namespace: str | None
    file: str
    line: int
    document: Callable[[], ParsedDocument]
    path_prefix: FieldPath = ()
    origin: str | None = None
    # The folder of the overlay or chart that rendered this object, ending in "/".
    rendered_from: str | None = None
    # For rendered objects: the positions of the source object, so that a field that
    # exists in the source file is reported at its own line there.
    source_positions: Callable[[], Mapping[FieldPath, Position]] | None = None
    rendered_body: Mapping[str, Any] | None = None
    # For lazily parsed objects (CRDs): the small leading part already parsed, which holds
    # metadata and the short spec fields (group, names, scope) without the huge schemas.
    header: Mapping[str, Any] | None = None

    @property
    def head(self) -> Mapping[str, Any]:
        """The leading fields without forcing a full parse (the whole body when parsed)."""
        return self.header if self.header is not None else self.body

    @cached_property
    def body(self) -> Mapping[str, Any]:
        if self.rendered_body is not None:
            return self.rendered_body
        value: Any = self.document().value
        for part in self.path_prefix:
            value = value[part]
        return value if isinstance(value, Mapping) else {}

    @cached_property
    def _positions(self) -> Mapping[FieldPath, Position]:
        if self.source_positions is not None:
            return self.source_positions()
        return self.document().positions

    @property
    def resource(self) -> str:
        """``Kind/namespace/name``, or ``Kind/name`` for objects without a namespace."""
        if self.namespace:
            return f"{self.kind}/{self.namespace}/{self.name}"
        return f"{self.kind}/{self.name}"

    @property
    def api_group(self) -> str:
        return self.api_version.rpartition("/")[0] if "/" in self.api_version else ""

    @property
    def metadata(self) -> Mapping[str, Any]:
        value = self.head.get("metadata")
        return value if isinstance(value, Mapping) else {}

    @property
    def labels(self) -> Mapping[str, str]:
        value = self.metadata.get("labels")
        return value if isinstance(value, Mapping) else {}

    @property
    def annotations(self) -> Mapping[str, str]:
        value = self.metadata.get("annotations")
        return value if isinstance(value, Mapping) else {}

    def get(self, path: FieldPath, default: Any = None) -> Any:
        """The value at ``path`` in the body, or ``default`` when any step is missing."""
        value: Any = self.body
        for part in path:
            if isinstance(part, int):
                if not isinstance(value, list) or part >= len(value):
                    return default
            elif not isinstance(value, Mapping) or part not in value:
                return default
            value = value[part]
        return value

    def position(self, path: FieldPath) -> Position:
        """Line and column of ``path``, or of its nearest ancestor that is written down."""
        full = (*self.path_prefix, *path) if self.source_positions is None else path
        # Never above the object itself: a List item's ancestors are the List's fields.
        found = nearest_position(self._positions, full, shortest=len(full) - len(path))
        return found if found is not None else (self.line, 1)

    def location(self, path: FieldPath = ()) -> Location:
        """The finding location of ``path`` in this object."""
        line, column = self.position(path)
        return Location(
            file=self.file,
            line=line,
            column=column,
            resource=self.resource,
            field_path=format_field_path(path) or None,
            origin=self.origin,
        )
