"""OpenPGP signature packets read as gpg reads them: armor, packet framing and MPI lengths.

GitHub's web-flow key writes RSA signature MPIs with the modulus' full bit count even when
the value has leading zero bits. RFC 4880 (3.2) asks for the exact bit count, gpg accepts
either, and Sequoia's parser rejects the packet ("Not a signature"). An MPI is a number:
re-encoding it with its exact bit count changes no value and nothing the signature's hash
covers (the MPIs follow the hashed area), so the cryptographic check that follows is the same
one gpg makes. Anything this module does not fully understand is left byte for byte as it was.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Final

BEGIN: Final = b"-----BEGIN PGP SIGNATURE-----"
END: Final = b"-----END PGP SIGNATURE-----"
MAX_SIGNATURE_BYTES: Final = 64 * 1024
SIGNATURE_TAG: Final = 2
# Public-key algorithm id -> number of MPIs in a v4 signature (RFC 4880 5.2.2, RFC 6637).
_SIGNATURE_MPIS: Final = {1: 1, 3: 1, 17: 2, 19: 2, 22: 2}


class ArmorError(ValueError):
    """The ASCII armor is malformed."""


@dataclass(frozen=True)
class Packet:
    tag: int
    body: bytes
    raw: bytes


def dearmor_signature(armored: bytes) -> bytes:
    """The binary packets of one armored signature; raises ArmorError."""
    if len(armored) > MAX_SIGNATURE_BYTES:
        raise ArmorError(f"the signature is over {MAX_SIGNATURE_BYTES} bytes")
    lines = [line.strip() for line in armored.strip().splitlines()]
    if len(lines) < 2 or lines[0] != BEGIN or lines[-1] != END:
        raise ArmorError("not an armored OpenPGP signature")
    body = lines[1:-1]
    # Armor headers ("Version: ...") end at the first blank line.
    if b"" in body:
        blank = body.index(b"")
        if not all(b": " in line for line in body[:blank]):
            raise ArmorError("malformed armor header")
        body = body[blank + 1 :]
    # The CRC-24 line is transport framing that must not cause rejection (RFC 9580 6.1),
    # and Sequoia ignores it too: the signature's own arithmetic is what is checked.
    if body and body[-1].startswith(b"="):
        body = body[:-1]
    try:
        return base64.b64decode(b"".join(body), validate=True)
    except (binascii.Error, ValueError):
        raise ArmorError("the armor is not valid base64") from None


def signature_packets(armored: bytes) -> bytes:
    """The binary packets of an armored signature, every signature MPI at its exact bit
    count; raises ArmorError when the armor is malformed."""
    data = dearmor_signature(armored)
    packets = packets_of(data)
    if packets is None:
        return data
    out = bytearray()
    for packet in packets:
        body = _normalised_signature_body(packet.body) if packet.tag == SIGNATURE_TAG else None
        out += _header(packet.tag, len(body)) + body if body is not None else packet.raw
    return bytes(out)


def packets_of(data: bytes) -> list[Packet] | None:
    """The packets in ``data``; None for framings left to the real parser (partial or
    indeterminate lengths, truncation)."""
    packets: list[Packet] = []
    position = 0
    while position < len(data):
        first = data[position]
        if not first & 0x80:
            return None
        if first & 0x40:  # new format
            tag = first & 0x3F
            framed = _new_length(data, position + 1)
        else:
            tag = (first >> 2) & 0x0F
            framed = _old_length(data, position + 1, first & 0x03)
        if framed is None:
            return None
        start, length = framed
        if start + length > len(data):
            return None
        packets.append(Packet(tag, data[start : start + length], data[position : start + length]))
        position = start + length
    return packets


def _new_length(data: bytes, at: int) -> tuple[int, int] | None:
    if at >= len(data):
        return None
    octet = data[at]
    if octet < 192:
        return at + 1, octet
    if octet < 224:
        if at + 1 >= len(data):
            return None
        return at + 2, ((octet - 192) << 8) + data[at + 1] + 192
    if octet == 255:
        if at + 5 > len(data):
            return None
        return at + 5, int.from_bytes(data[at + 1 : at + 5], "big")
    return None  # partial body lengths: not used for signatures by git or GitHub


def _old_length(data: bytes, at: int, kind: int) -> tuple[int, int] | None:
    size = {0: 1, 1: 2, 2: 4}.get(kind)
    if size is None or at + size > len(data):
        return None
    return at + size, int.from_bytes(data[at : at + size], "big")


def _header(tag: int, length: int) -> bytes:
    if length < 192:
        encoded = bytes([length])
    elif length < 8384:
        encoded = bytes([((length - 192) >> 8) + 192, (length - 192) & 0xFF])
    else:
        encoded = b"\xff" + length.to_bytes(4, "big")
    return bytes([0xC0 | tag]) + encoded


def _normalised_signature_body(body: bytes) -> bytes | None:
    """A v4 signature body with its MPIs re-encoded at their exact bit counts; None when
    they already are, or when the body is not one this module can read completely."""
    if len(body) < 6 or body[0] != 4:
        return None
    mpi_count = _SIGNATURE_MPIS.get(body[2])
    if mpi_count is None:
        return None
    position = 4
    for _ in range(2):  # hashed, then unhashed subpacket area
        if position + 2 > len(body):
            return None
        position += 2 + int.from_bytes(body[position : position + 2], "big")
    position += 2  # the left 16 bits of the hash
    head = body[:position]
    mpis: list[int] = []
    changed = False
    for _ in range(mpi_count):
        if position + 2 > len(body):
            return None
        bits = int.from_bytes(body[position : position + 2], "big")
        size = (bits + 7) // 8
        end = position + 2 + size
        if end > len(body):
            return None
        value = int.from_bytes(body[position + 2 : end], "big")
        if value.bit_length() > bits:
            return None  # a count too small is malformed, not merely loose: keep it
        changed |= value.bit_length() != bits
        mpis.append(value)
        position = end
    if position != len(body) or not changed:
        return None
    return head + b"".join(_mpi(value) for value in mpis)


def _mpi(value: int) -> bytes:
    bits = value.bit_length()
    return bits.to_bytes(2, "big") + value.to_bytes((bits + 7) // 8, "big")
