"""The SSH wire encoding (RFC 4251 strings and integers) and OpenSSH public key lines."""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from dataclasses import dataclass

_UINT32 = struct.Struct(">I")


class WireFormatError(ValueError):
    """Bytes that do not follow the SSH wire encoding."""


class WireReader:
    __slots__ = ("data", "position")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.position = 0

    def take(self, count: int) -> bytes:
        start = self.position
        end = start + count
        if count < 0 or end > len(self.data):
            raise WireFormatError("truncated SSH wire data")
        self.position = end
        return self.data[start:end]

    def uint32(self) -> int:
        start = self.position
        if start + 4 > len(self.data):
            raise WireFormatError("truncated SSH wire data")
        self.position = start + 4
        value: int = _UINT32.unpack_from(self.data, start)[0]
        return value

    def byte(self) -> int:
        return self.take(1)[0]

    def string(self) -> bytes:
        return self.take(self.uint32())

    def mpint(self) -> int:
        return int.from_bytes(self.string(), "big", signed=True)

    def done(self) -> bool:
        return self.position == len(self.data)


def wire_string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def wire_mpint(value: int) -> bytes:
    if value == 0:
        return wire_string(b"")
    raw = value.to_bytes((value.bit_length() + 8) // 8, "big", signed=True)
    return wire_string(raw)


@dataclass(frozen=True)
class SshPublicKey:
    """An OpenSSH public key: its type, wire blob and the comment it came with."""

    key_type: str
    blob: bytes
    comment: str = ""

    @property
    def fingerprint(self) -> str:
        digest = base64.b64encode(hashlib.sha256(self.blob).digest()).decode().rstrip("=")
        return f"SHA256:{digest}"

    @property
    def line(self) -> str:
        return f"{self.key_type} {base64.b64encode(self.blob).decode()}"


def parse_public_key_line(text: str) -> SshPublicKey:
    """Read ``type base64 [comment]`` (an authorized_keys / .pub line without options)."""
    parts = text.strip().split(None, 2)
    if len(parts) < 2:
        raise WireFormatError("an SSH public key is 'TYPE BASE64 [COMMENT]'")
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError):
        raise WireFormatError("the key's base64 part is not valid base64") from None
    embedded = WireReader(blob).string().decode("ascii", "replace")
    if embedded != parts[0]:
        raise WireFormatError(f"key says it is {parts[0]} but its blob is {embedded}")
    return SshPublicKey(parts[0], blob, parts[2] if len(parts) > 2 else "")
