"""The schema of `.gitwarden/trust.yaml`, as `gitwarden schema trust` publishes it.

Declared by the family that reads the file (``integrity.trust_schema``: each family owns the
settings it reads); this module names it for the schema files and for library callers.
"""

from __future__ import annotations

from typing import Any

from gitwarden.integrity.schemes import SCHEME_TYPES
from gitwarden.integrity.trust_file import read_trust_file
from gitwarden.integrity.trust_schema import TrustFile as TrustFileOf
from gitwarden.integrity.trust_schema import trust_file_schema

# The built-in schemes' schema (a scheme registered later is read, but not published).
TrustFile: type[TrustFileOf[Any]] = trust_file_schema(SCHEME_TYPES)

__all__ = ["TrustFile", "read_trust_file"]
