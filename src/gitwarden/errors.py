"""gitwarden's error hierarchy: messages written for the user (what, where, how to fix)."""

from __future__ import annotations


class GitwardenError(Exception):
    """Base of every error gitwarden reports to the user without a traceback (exit code 2)."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def diagnostics(self) -> str:
        """The full text shown to the user: the problem, then how to fix it."""
        if self.hint:
            return f"{self.message}\nhint: {self.hint}"
        return self.message


class ConfigError(GitwardenError):
    """The configuration file is invalid; the message names the file, line and key."""

    def __init__(
        self,
        message: str,
        *,
        file: str,
        line: int | None = None,
        key: str | None = None,
        hint: str | None = None,
    ) -> None:
        where = file if line is None else f"{file}:{line}"
        what = f"{where}: {message}" if key is None else f"{where}: {key}: {message}"
        super().__init__(what, hint=hint)
        self.file = file
        self.line = line
        self.key = key


class UsageError(GitwardenError):
    """The command line asks for something impossible (missing path, bad option value)."""
