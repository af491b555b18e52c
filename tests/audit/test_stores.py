from __future__ import annotations

import pytest

from gitwarden.audit.stores import open_store
from gitwarden.errors import UsageError


@pytest.mark.parametrize("url", ["mysql://db/audit", "audit.db", "sqlite://relative.db"])
def test_unsupported_url_is_refused_with_the_supported_forms(url: str) -> None:
    with pytest.raises(UsageError) as refused:
        open_store(url, create=True)
    assert "sqlite:///PATH" in refused.value.diagnostics()
