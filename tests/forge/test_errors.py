from __future__ import annotations

import pytest

from gitwarden.errors import GitwardenError
from gitwarden.forge.errors import (
    ForgeError,
    ForgeUnreachableError,
    ProjectUnknownError,
    RateLimitedError,
    SavedResponseMissingError,
)


@pytest.mark.parametrize(
    "error",
    [ForgeUnreachableError, RateLimitedError, SavedResponseMissingError, ProjectUnknownError],
)
def test_forge_errors_exit_like_every_gitwarden_error(error: type[ForgeError]) -> None:
    assert issubclass(error, GitwardenError)
    assert error("what", hint="how").diagnostics() == "what\nhint: how"
