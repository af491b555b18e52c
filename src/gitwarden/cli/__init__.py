"""The command line. Each command lives in its own module here and registers itself in
``gitwarden.cli.main.COMMANDS``."""

from __future__ import annotations

from gitwarden.cli.main import (
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_PASS,
    EXIT_USAGE,
    console_main,
    main,
)

__all__ = ["EXIT_FINDINGS", "EXIT_INTERNAL", "EXIT_PASS", "EXIT_USAGE", "console_main", "main"]
