"""Making scanned content safe to show: terminals, XML and Markdown all receive it.

Control characters and bidirectional overrides from a scanned repository could move the
cursor, recolour, hide or reorder text ("Trojan Source"); they are shown as escapes.
"""

from __future__ import annotations

import re

from gitwarden.findings import Suppression

UNSAFE_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# XML 1.0 cannot carry most control characters at all, not even escaped.
XML_UNSAFE_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def _as_escape(match: re.Match[str]) -> str:
    return ascii(match.group())[1:-1]


def printable(text: str) -> str:
    """``text`` with unsafe characters shown as ``\\xNN`` / ``\\uNNNN`` escapes."""
    return UNSAFE_CHARACTERS.sub(_as_escape, text)


def xml_text(text: str) -> str:
    """``text`` that an XML 1.0 document can carry."""
    return XML_UNSAFE_CHARACTERS.sub(_as_escape, text)


def describe_suppression(suppression: Suppression) -> str:
    until = f" until {suppression.expires.isoformat()}" if suppression.expires else ""
    return f"suppressed by {suppression.source}{until}: {printable(suppression.reason)}"
