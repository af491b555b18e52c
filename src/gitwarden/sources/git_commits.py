"""Commit and annotated-tag objects parsed from their raw bytes, with the signed payload.

git signs a commit by adding a ``gpgsig`` header (``gpgsig-sha256`` in a SHA-256
repository); the signed payload is the object without either header, as git computes it. A
signed tag carries its signature at the end of the message. These parsers work on the bytes
of the real objects, so what is verified is exactly what git stores.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The header line and its continuation lines (each starts with one space).
_TREE = re.compile(rb"tree ([0-9a-f]{40,64})\n")
_PARENT = re.compile(rb"^parent ([0-9a-f]{40,64})$", re.MULTILINE)
_AUTHOR = re.compile(rb"^author ([^\n]*)$", re.MULTILINE)
_COMMITTER = re.compile(rb"^committer ([^\n]*)$", re.MULTILINE)
_GPGSIG = re.compile(rb"^(gpgsig(?:-sha256)?) ([^\n]*\n(?: [^\n]*\n)*)", re.MULTILINE)
SHA256_HEX_DIGITS = 64
_SIGNATURE_STARTS = (
    b"-----BEGIN PGP SIGNATURE-----",
    b"-----BEGIN SSH SIGNATURE-----",
    b"-----BEGIN SIGNED MESSAGE-----",
)


class MalformedObjectError(ValueError):
    """The object's bytes are not a well-formed commit or tag."""


@dataclass(frozen=True)
class Signed:
    """What a signature covers and the armored signature itself (None when unsigned)."""

    payload: bytes
    signature: bytes | None


@dataclass(frozen=True)
class Commit:
    oid: str
    tree: str
    parents: tuple[str, ...]
    author: str
    committer: str
    committed_at: int
    message: str
    signed: Signed

    @property
    def first_parent(self) -> str | None:
        return self.parents[0] if self.parents else None

    @property
    def summary(self) -> str:
        return self.message.split("\n", 1)[0]

    @property
    def author_identity(self) -> str:
        """``Name <email>`` of the author header, without its timestamp."""
        parts = self.author.rsplit(" ", 2)
        return parts[0] if len(parts) == 3 else self.author


@dataclass(frozen=True)
class Tag:
    oid: str
    target: str
    target_kind: str
    name: str
    tagger: str
    tagged_at: int
    signed: Signed


def _split_headers(data: bytes) -> tuple[list[tuple[bytes, bytes]], bytes]:
    """Headers (name, value with continuation lines joined) and the message."""
    head, separator, message = data.partition(b"\n\n")
    if not separator and not data.endswith(b"\n"):
        head = data
    headers: list[tuple[bytes, bytes]] = []
    for line in head.split(b"\n"):
        if line.startswith(b" ") and headers:
            name, value = headers[-1]
            headers[-1] = (name, value + b"\n" + line[1:])
        elif line:
            name, _, value = line.partition(b" ")
            headers.append((name, value))
    return headers, message


def _signed_commit_payload(data: bytes, header: bytes) -> Signed:
    """The payload without any signature header; the signature of the repository's hash
    (``header``). A signature for the other hash is not this repository's signature."""
    head_end = data.find(b"\n\n")
    head_end = len(data) if head_end < 0 else head_end + 1
    matches = list(_GPGSIG.finditer(data, 0, head_end))
    if not matches:
        return Signed(data, None)
    signature = next(
        (m.group(2).replace(b"\n ", b"\n") for m in matches if m.group(1) == header), None
    )
    payload = bytearray()
    position = 0
    for match in matches:
        payload += data[position : match.start()]
        position = match.end()
    payload += data[position:]
    return Signed(bytes(payload), signature)


def _person_time(value: bytes) -> int:
    parts = value.rsplit(b" ", 2)
    try:
        return int(parts[-2])
    except (IndexError, ValueError):
        raise MalformedObjectError(f"bad timestamp in {value[:80]!r}") from None


def parse_commit(oid: str, data: bytes) -> Commit:
    head_end = data.find(b"\n\n")
    head = data if head_end < 0 else data[: head_end + 1]
    message = b"" if head_end < 0 else data[head_end + 2 :]
    tree = _TREE.match(head)
    committer = _COMMITTER.search(head)
    if tree is None or committer is None:
        raise MalformedObjectError(f"commit {oid} lacks a tree or committer header")
    author = _AUTHOR.search(head)
    return Commit(
        oid=oid,
        tree=tree.group(1).decode("ascii"),
        parents=tuple(p.decode("ascii") for p in _PARENT.findall(head)),
        author=author.group(1).decode("utf-8", "replace") if author else "",
        committer=committer.group(1).decode("utf-8", "replace"),
        committed_at=_person_time(committer.group(1)),
        message=message.decode("utf-8", "replace"),
        signed=_signed_commit_payload(
            data, b"gpgsig-sha256" if len(oid) == SHA256_HEX_DIGITS else b"gpgsig"
        ),
    )


def parse_tag(oid: str, data: bytes) -> Tag:
    headers, _ = _split_headers(data)
    values = dict(headers)
    if b"object" not in values or b"tag" not in values:
        raise MalformedObjectError(f"tag {oid} lacks an object or tag header")
    start = min(
        (i for i in (data.rfind(b"\n" + marker) for marker in _SIGNATURE_STARTS) if i >= 0),
        default=-1,
    )
    signed = Signed(data, None) if start < 0 else Signed(data[: start + 1], data[start + 1 :])
    tagger = values.get(b"tagger", b"")
    return Tag(
        oid=oid,
        target=values[b"object"].decode("ascii", "replace"),
        target_kind=values.get(b"type", b"commit").decode("ascii", "replace"),
        name=values[b"tag"].decode("utf-8", "replace"),
        tagger=tagger.decode("utf-8", "replace"),
        tagged_at=_person_time(tagger) if tagger else 0,
        signed=signed,
    )
