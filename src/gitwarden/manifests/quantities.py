"""Kubernetes resource quantities (``500m``, ``1Gi``, ``2e3``) as numbers.

Shared by the scanners that compare values as the API server means them: drift (a declared
``0.5`` is the live ``500m``) and Kyverno's patterns (``<2Gi``).
"""

from __future__ import annotations

import re
from decimal import Decimal

_QUANTITY = re.compile(
    r"^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$"
)
_SUFFIXES = {
    None: Decimal(1),
    "n": Decimal("1e-9"),
    "u": Decimal("1e-6"),
    "m": Decimal("1e-3"),
    "k": Decimal("1e3"),
    "M": Decimal("1e6"),
    "G": Decimal("1e9"),
    "T": Decimal("1e12"),
    "P": Decimal("1e15"),
    "E": Decimal("1e18"),
    "Ki": Decimal(2**10),
    "Mi": Decimal(2**20),
    "Gi": Decimal(2**30),
    "Ti": Decimal(2**40),
    "Pi": Decimal(2**50),
    "Ei": Decimal(2**60),
}


def is_quantity(text: str) -> bool:
    """True when ``text`` is exactly a quantity (no blanks around it)."""
    return _QUANTITY.match(text) is not None


def parse_quantity(text: str) -> Decimal | None:
    """The quantity written in ``text`` (surrounding blanks allowed), or None."""
    match = _QUANTITY.match(text.strip())
    if match is None:
        return None
    # The pattern admits only numbers Decimal reads: no InvalidOperation to catch.
    return Decimal(match.group(1)) * _SUFFIXES[match.group(2)]
