"""`python -m gitwarden`."""

from __future__ import annotations

from gitwarden.cli import console_main

console_main()
