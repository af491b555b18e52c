"""When a declared scalar and a live one mean the same: ports as text, quantities in any unit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from gitwarden.manifests.quantities import parse_quantity


def same_value(desired: Any, live: Any) -> bool:
    """Equal, or equal once the server's canonical form is allowed for (``0.5`` == ``500m``)."""
    if desired == live and type(desired) is type(live):
        return True
    if isinstance(desired, bool) or isinstance(live, bool):
        return desired is live
    if isinstance(desired, int | float | str) and isinstance(live, int | float | str):
        if str(desired) == str(live):
            return True
        left, right = quantity(desired), quantity(live)
        return left is not None and left == right
    return bool(desired == live)


def quantity(value: Any) -> Decimal | None:
    """A Kubernetes resource quantity as a number, or None when it is not one."""
    return parse_quantity(str(value))
