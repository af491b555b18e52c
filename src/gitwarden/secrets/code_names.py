"""Names in source code: what a generic assignment rule must not take for a secret.

In a program a literal is quoted; a bare word after ``name:`` or ``name =`` is a type or a
variable (``private_key: Ed25519PrivateKey``, ``token = session_token``), never the secret
itself. In YAML, `.env` and shell files a bare word is a value, so only code files count.
"""

from __future__ import annotations

import re

CODE_SUFFIXES = (
    ".py",
    ".pyi",
    ".go",
    ".rs",
    ".ts",
    ".tsx",
    ".js",
    ".jsx",
    ".mjs",
    ".cjs",
    ".java",
    ".kt",
    ".kts",
    ".scala",
    ".cs",
    ".swift",
    ".dart",
    ".c",
    ".h",
    ".cc",
    ".cpp",
    ".hpp",
)
_QUOTES = frozenset(b"\"'`")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def is_code_file(path: str) -> bool:
    """True for source files of a programming language (by their suffix)."""
    return path.lower().endswith(CODE_SUFFIXES)


def names_a_symbol(data: bytes, start: int, value: str) -> bool:
    """True when ``value`` (found at byte ``start`` of ``data``) is an unquoted identifier."""
    quoted = start > 0 and data[start - 1] in _QUOTES
    return not quoted and _IDENTIFIER.fullmatch(value) is not None
