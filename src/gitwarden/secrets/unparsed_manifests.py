"""Secret-like text in a manifest that does not parse, read line by line.

A document the YAML parser refuses (tab indentation, a stray quote, too large) is never
applied, but whatever it holds is committed all the same. For such a document with a
``kind: Secret`` line, the ``data:`` and ``stringData:`` entries are read by indentation:
``data`` values are base64-decoded, and each value is classified by the credential rules
(then the generic ones); a value no rule names is still Secret data in plain text.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from gitwarden.secrets.engine import SecretEngine
from gitwarden.secrets.hits import SecretHit
from gitwarden.secrets.kubernetes_rules import UNPARSED_SECRET_DATA
from gitwarden.secrets.placeholders import is_placeholder
from gitwarden.secrets.secret_data_keys import PUBLIC_KEYS

_KIND_SECRET = re.compile(r"""["']?kind["']?[ \t]*:[ \t]*["']?Secret["']?,?(?:[ \t]+#.*)?""")
_SECTION = re.compile(r"""["']?(data|stringData)["']?[ \t]*:[ \t]*\{?(?:[ \t]+#.*)?""")
_KEY = re.compile(r"""[ \t]*["']?([-._a-zA-Z0-9]+)["']?[ \t]*:(?:[ \t]|$)""")
_NAME = re.compile(r"""[ \t]+["']?name["']?[ \t]*:[ \t]*["']?([-.a-zA-Z0-9]+)""")
_BLOCK_SCALAR = re.compile(r"[|>][-+0-9]*")


@dataclass(frozen=True)
class _Entry:
    section: str
    key: str
    value: str
    line: int
    column: int


def scan_unparsed_secrets(
    text: str, unread_lines: Sequence[int], engine: SecretEngine
) -> list[SecretHit]:
    """Hits in the Secret-like documents of ``text`` that hold one of ``unread_lines``."""
    lines = text.split("\n")
    unread = sorted(unread_lines)
    hits: list[SecretHit] = []
    for first, last in _documents(lines):
        # bisect, not a scan of every unread line: a file may hold many broken documents.
        at = bisect.bisect_left(unread, first)
        if at == len(unread) or unread[at] > last:
            continue
        document = lines[first - 1 : last]
        if not any(_KIND_SECRET.fullmatch(line.strip()) for line in document):
            continue
        resource = _resource(document)
        for entry in _entries(document, first):
            hits.extend(_classify(entry, resource, engine))
    return hits


def _documents(lines: list[str]) -> Iterator[tuple[int, int]]:
    """(first, last) 1-based line of each document; a ``---`` line opens the next one."""
    first = 1
    for number, line in enumerate(lines, start=1):
        if number > first and line.startswith("---") and line[3:4] in ("", " ", "\t", "\r"):
            yield first, number - 1
            first = number
    yield first, len(lines)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _is_blank(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _resource(document: list[str]) -> str | None:
    for line in document:
        found = _NAME.match(line)
        if found:
            return f"Secret/{found.group(1)}"
    return None


def _entries(document: list[str], first: int) -> Iterator[_Entry]:
    index = 0
    while index < len(document):
        line = document[index]
        section = _SECTION.fullmatch(line.strip())
        index += 1
        if section is None:
            continue
        depth = _indent(line)
        entry_depth: int | None = None
        while index < len(document):
            line = document[index]
            if _is_blank(line):
                index += 1
                continue
            if _indent(line) <= depth or line.strip().startswith("}"):
                break
            entry_depth = _indent(line) if entry_depth is None else entry_depth
            found = _KEY.match(line) if _indent(line) == entry_depth else None
            index += 1
            if found is None:
                continue
            rest = line[found.end() :]
            value = _plain_value(rest)
            key, number = found.group(1), first + index - 1
            if _BLOCK_SCALAR.fullmatch(value):
                value, index = _block(document, index, entry_depth)
                number, column = number + 1, entry_depth + 1
            else:
                column = found.end() + len(rest) - len(rest.lstrip()) + 1
            if value:
                yield _Entry(section.group(1), key, value, number, column)


def _plain_value(rest: str) -> str:
    value = rest.strip().removesuffix(",").strip()
    if value[:1] in ("'", '"'):
        quote = value[0]
        closing = value.find(quote, 1)
        return value[1:closing] if closing != -1 else value[1:]
    comment = re.search(r"[ \t]#", value)
    return (value[: comment.start()] if comment else value).strip()


def _block(document: list[str], index: int, entry_depth: int) -> tuple[str, int]:
    """The lines of a ``|`` or ``>`` value that starts after ``index``, and where it ends."""
    body: list[str] = []
    while index < len(document):
        line = document[index]
        if line.strip() and _indent(line) <= entry_depth:
            break
        body.append(line.strip())
        index += 1
    return "\n".join(body).strip(), index


def _classify(entry: _Entry, resource: str | None, engine: SecretEngine) -> Iterator[SecretHit]:
    if entry.key in PUBLIC_KEYS:
        return
    if entry.value.lstrip()[:1] in ("[", "{"):
        # A flow collection, most often the construct that broke the parse: not one value.
        # The pattern pass over every line still sees what it holds.
        return
    decoded = _decoded(entry)
    text = decoded.decode("utf-8", "replace")
    if is_placeholder(text) or text.lstrip().startswith("-----BEGIN CERTIFICATE"):
        return
    note = (
        "base64-decoded from Secret data" if entry.section == "data" else "Secret stringData"
    ) + " in a document that does not parse"
    specific = [m for m in engine.scan(decoded) if not m.rule.generic]
    matches = specific or [
        m for m in engine.scan(f"{entry.key}: {text}".encode()) if m.rule.generic
    ]
    field_path = f"{entry.section}.{entry.key}"
    for match in matches:
        yield SecretHit(
            match.rule.rule, match.value, entry.line, entry.column, resource, field_path, note
        )
    if not matches:
        shown = text if "\ufffd" not in text else entry.value
        yield SecretHit(
            UNPARSED_SECRET_DATA, shown, entry.line, entry.column, resource, field_path, note
        )


def _decoded(entry: _Entry) -> bytes:
    if entry.section == "stringData":
        return entry.value.encode()
    try:
        return base64.b64decode("".join(entry.value.split()), validate=True)
    except (binascii.Error, ValueError):
        return entry.value.encode()  # not base64: plain text either way
