"""Where the fields of a rendered Helm object are written in its Go template.

A template is not YAML until rendered, but its literal keys and list items are written at
the indentation they will have: the outline of its lines is enough to find the line of a
field by its path, and the ``kind:`` lines tell which document declares which object.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from gitwarden.manifests.yaml_nodes import FieldPath, Position


def kind_line(template: str, kind: str, ordinal: int) -> int:
    """The template line that declares the ``ordinal``-th object of ``kind`` it renders.

    Templates hold several documents, maybe of one kind; when conditionals or loops make
    the count differ from the output, the first declaration is the best guess.
    """
    pattern = re.compile(rf"^kind:\s*['\"]?{re.escape(kind)}['\"]?\s*(?:#.*)?$", re.MULTILINE)
    starts = [template.count("\n", 0, match.start()) + 1 for match in pattern.finditer(template)]
    if not starts:
        return 1
    return starts[ordinal] if ordinal < len(starts) else starts[0]


@dataclass(frozen=True)
class _OutlineLine:
    """One line of a template that holds YAML structure: a key, a list item, or both."""

    line: int  # 1-based
    indent: int  # column of the first character (the dash of a list item)
    dash: bool
    key: str | None
    key_indent: int  # column of the key, or of the item's content


# A field's line (None: not written) and the lines nested under it.
_Step = tuple[_OutlineLine | None, list[_OutlineLine]]
_KEY = re.compile(r"""(['"]?)([^\s'"{}#:\-][^'"{}#:]*?|-[^\s'"{}#:][^'"{}#:]*?)\1\s*:(?:\s|$)""")


class TemplateOutline:
    """The indentation structure of a Go template, read line by line.

    A template is not YAML until rendered, but its literal keys and list items are written
    at the indentation they will have: enough to find the line of a field by its path.
    Lines that are only template actions or comments carry no structure and are skipped.
    """

    def __init__(self, template: str) -> None:
        self.documents: list[list[_OutlineLine]] = [[]]
        for number, text in enumerate(template.splitlines(), start=1):
            if text.startswith("---"):
                self.documents.append([])
                continue
            outline = _outline_line(number, text)
            if outline is not None:
                self.documents[-1].append(outline)
        # Document index of each line, to find the document holding an object's `kind:`.
        self.document_of_line: dict[int, int] = {
            item.line: index for index, lines in enumerate(self.documents) for item in lines
        }
        # Each path walked once: a finding's location tries a field and then its ancestors,
        # and the objects of one template ask for the same fields.
        self._walked: dict[tuple[int, FieldPath], _Step] = {}

    def find(self, kind_line: int, path: FieldPath) -> Position | None:
        """The position of ``path`` in the document whose ``kind:`` is at ``kind_line``."""
        document = self.document_of_line.get(kind_line)
        if document is None or not path:
            return None
        found, _ = self._walk(document, path)
        return (found.line, found.key_indent + 1) if found else None

    def _walk(self, document: int, path: FieldPath) -> _Step:
        """The line of ``path`` in ``document`` and the block under it."""
        known = self._walked.get((document, path))
        if known is not None:
            return known
        if not path:
            return None, self.documents[document]
        parent, block = self._walk(document, path[:-1])
        step = path[-1]
        if parent is None and len(path) > 1:
            walked: _Step = (None, [])
        elif isinstance(step, int):
            walked = _item(block, step)
        else:
            walked = _child(block, step)
        self._walked[(document, path)] = walked
        return walked


def _outline_line(number: int, text: str) -> _OutlineLine | None:
    stripped = text.lstrip(" ")
    if not stripped.strip() or stripped.startswith(("#", "{{")):
        return None
    indent = len(text) - len(stripped)
    dash = stripped == "-" or stripped.startswith("- ")
    content = stripped[1:].lstrip(" ") if dash else stripped
    key_indent = len(text) - len(content)
    match = _KEY.match(content)
    return _OutlineLine(number, indent, dash, match.group(2) if match else None, key_indent)


def _child(block: list[_OutlineLine], key: str) -> tuple[_OutlineLine | None, list[_OutlineLine]]:
    """The line of mapping key ``key`` directly in ``block``, and the block under it."""
    keyed = [item for item in block if item.key is not None and not item.dash]
    first = block[0] if block else None
    if first is not None and first.dash:
        return None, []  # a sequence, not a mapping
    level = min((item.key_indent for item in keyed), default=-1)
    for index, item in enumerate(block):
        if item.key == key and item.key_indent == level and not item.dash:
            return item, _under(block, index, item.key_indent)
    return None, []


def _item(
    block: list[_OutlineLine], position: int
) -> tuple[_OutlineLine | None, list[_OutlineLine]]:
    """The ``position``-th list item directly in ``block``, and the block it holds."""
    if not block or not block[0].dash:
        return None, []
    level = block[0].indent
    starts = [index for index, item in enumerate(block) if item.dash and item.indent == level]
    if position >= len(starts):
        return None, []
    index = starts[position]
    item = block[index]
    # The item's first key shares its line: seen from inside, it is a plain key.
    inner = _OutlineLine(item.line, item.key_indent, False, item.key, item.key_indent)
    rest = _under(block, index, level)
    return item, ([inner, *rest] if item.key is not None else rest)


def _under(block: list[_OutlineLine], index: int, indent: int) -> list[_OutlineLine]:
    """The lines nested under ``block[index]`` (a key or item at ``indent``)."""
    owner = block[index]
    nested = []
    for item in block[index + 1 :]:
        # A compact sequence (`key:` then `- item` at the same column) belongs to its key.
        if item.indent > indent or (item.indent == indent and item.dash and not owner.dash):
            nested.append(item)
        else:
            break
    return nested


class TemplateFieldMap(Mapping[FieldPath, Position]):
    """The positions of one templated object: looked up path by path, never listed."""

    def __init__(self, template: TemplateOutline, kind_line: int) -> None:
        self.template = template
        self.kind_line = kind_line

    def __getitem__(self, path: FieldPath) -> Position:
        if not path:
            return (self.kind_line, 1)
        found = self.template.find(self.kind_line, path)
        if found is None:
            raise KeyError(path)
        return found

    def __iter__(self) -> Iterator[FieldPath]:
        return iter(())

    def __len__(self) -> int:
        return 0
