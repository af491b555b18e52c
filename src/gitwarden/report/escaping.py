"""Making scanned content safe to show: terminals, XML, JSON and Markdown all receive it.

Control characters and bidirectional overrides from a scanned repository could move the
cursor, recolour, hide or reorder text ("Trojan Source"); a newline in a file name could
forge a whole report line (a fake ``PASS``). They are all shown as escapes. File names that
are not valid UTF-8 reach us as lone surrogates (Python's ``surrogateescape``); they are
shown as the ``\\xNN`` of the byte they stand for, and percent-encoded in URIs.
"""

from __future__ import annotations

import json
import re
from typing import Any

from gitwarden.findings import Suppression

# Every C0 control (tab and newline included), DEL, C1, bidi controls, lone surrogates and
# the two noncharacters XML refuses: what `printable` returns fits every format.
UNSAFE_CHARACTERS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
# The same, but keeping line breaks: for text whose lines are laid out by the format.
UNSAFE_IN_LINES = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
# XML 1.0 cannot carry most control characters at all, not even escaped.
XML_UNSAFE_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
# What makes a JSON string invalid UTF-8 once written: lone surrogates.
SURROGATES = re.compile("[\ud800-\udfff]")
_ESCAPED_BYTES = range(0xDC80, 0xDD00)


def _as_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code in _ESCAPED_BYTES:
        return f"\\x{code - 0xDC00:02x}"  # the undecodable byte this surrogate stands for
    return ascii(match.group())[1:-1]


def printable(text: str) -> str:
    """``text`` on one line, unsafe characters shown as ``\\xNN`` / ``\\uNNNN`` escapes."""
    return UNSAFE_CHARACTERS.sub(_as_escape, text)


def printable_lines(text: str) -> str:
    """Like `printable`, but line breaks stay: for messages a format lays out by line."""
    return UNSAFE_IN_LINES.sub(_as_escape, text)


def xml_text(text: str) -> str:
    """``text`` that an XML 1.0 document can carry."""
    return XML_UNSAFE_CHARACTERS.sub(_as_escape, text)


def valid_unicode(value: Any) -> Any:
    """``value`` (JSON data) with every string made encodable as UTF-8, recursively."""
    if isinstance(value, str):
        return SURROGATES.sub(_as_escape, value)
    if isinstance(value, dict):
        return {valid_unicode(key): valid_unicode(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [valid_unicode(item) for item in value]
    return value


def indented_json(value: Any) -> str:
    """``value`` as JSON indented by two, valid UTF-8: `valid_unicode` applied where needed.

    json.dumps escapes every character beyond ASCII, and writes a surrogate (lone, or half
    of a pair for a character beyond the BMP) as ``\\udXXX``: text without that escape held
    no lone surrogate, so the walk over the whole document (tens of ms on a large report)
    is skipped, and the text is the same as with it.
    """
    text = json.dumps(value, indent=2)
    if "\\ud" not in text:
        return text
    return json.dumps(valid_unicode(value), indent=2)


def path_bytes(path: str) -> bytes:
    """The bytes of a file name as the file system holds them (undoing surrogateescape)."""
    return path.encode("utf-8", "surrogateescape")


def describe_suppression(suppression: Suppression) -> str:
    until = f" until {suppression.expires.isoformat()}" if suppression.expires else ""
    return f"suppressed by {suppression.source}{until}: {printable(suppression.reason)}"
