"""What can go wrong talking to a forge; each is a `GitwardenError` (exit code 2)."""

from __future__ import annotations

from gitwarden.errors import GitwardenError


class ForgeError(GitwardenError):
    """The forge's API could not answer what the audit needs."""


class ForgeUnreachableError(ForgeError):
    """The API did not answer (network, DNS, TLS, timeout, server error)."""


class RateLimitedError(ForgeError):
    """The API's rate limit would make the audit wait longer than allowed."""


class SavedResponseMissingError(ForgeError):
    """A request has no saved response in the --forge-data folder."""


class ProjectUnknownError(ForgeError):
    """The project could not be named from --project or the origin remote."""
