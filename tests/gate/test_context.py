"""The context's threshold (environment, then config, then high) and its time budget."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from gate_fixtures import GitopsRepo

from gitwarden.config import Config, EnvironmentSettings
from gitwarden.findings import Severity
from gitwarden.gate.context import GateContext, GateTimeoutError
from gitwarden.gate.protected_base import ProtectedBase
from gitwarden.sources.git_repository import GitRepository
from gitwarden.sources.revision_tree import MaterialisedTree


def context(
    repo: GitopsRepo, environment: Severity | None, config: Severity | None, deadline: float
) -> GateContext:
    prod = EnvironmentSettings("prod", ("main",), fail_on=environment)
    base = ProtectedBase("main", "a" * 40, "ledger", Config(fail_on=config), prod)
    tree = MaterialisedTree("a" * 40, "b" * 40, Path(), 0, ())
    return GateContext(
        GitRepository(repo.path),
        "repo",
        "a" * 40,
        tree,
        base,
        None,
        datetime.now(UTC),
        Path(),
        deadline,
    )


@pytest.mark.parametrize(
    ("environment", "config", "expected"),
    [
        (Severity.CRITICAL, Severity.LOW, Severity.CRITICAL),
        (None, Severity.LOW, Severity.LOW),
        (None, None, Severity.HIGH),
    ],
)
def test_the_environment_threshold_wins(
    repo: GitopsRepo, environment: Severity | None, config: Severity | None, expected: Severity
) -> None:
    assert context(repo, environment, config, time.monotonic() + 60).fail_on is expected


def test_past_the_deadline_a_check_is_refused(repo: GitopsRepo) -> None:
    with pytest.raises(GateTimeoutError):
        context(repo, None, None, time.monotonic() - 1).check_time()
