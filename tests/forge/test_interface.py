from __future__ import annotations

import pytest

from gitwarden.forge.interface import AuditScope


@pytest.mark.parametrize(
    ("production", "branch", "deploys"),
    [((), "main", True), (("release",), "release", True), (("release",), "main", False)],
)
def test_deploying_branches(production: tuple[str, ...], branch: str, deploys: bool) -> None:
    assert AuditScope("acme/gitops", production).deploys_from(branch) is deploys
