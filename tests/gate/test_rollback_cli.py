"""`gitwarden rollback approve`: the CLI signs a rollback the gate then allows."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

import pytest
from gate_fixtures import GitopsRepo, git

from gitwarden.cli.main import main
from gitwarden.cli.rollback import until_argument


def gate(repo: GitopsRepo, revision: str) -> int:
    return main(
        [
            "gate",
            *("--repo", str(repo.path), "--rev", revision, "--env", "prod"),
            *("--audit", repo.audit, "--signing-key", str(repo.gate_key.private)),
        ]
    )


def test_a_rollback_approved_on_the_command_line_is_allowed_by_the_gate(
    repo: GitopsRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    first = git(repo.path, "rev-parse", "HEAD")
    second = repo.commit({"clusters/prod/b.yaml": "kind: ConfigMap\n"})
    repo.record_ledger()
    assert gate(repo, first) == 0 and gate(repo, second) == 0
    assert gate(repo, first) == 1
    code = main(
        [
            "rollback",
            "approve",
            *("--repo", str(repo.path), "--env", "prod", "--rev", first),
            *("-m", "bad release", "--signing-key", str(repo.alice.private)),
            *("--audit", repo.audit),
        ]
    )
    assert code == 0
    assert f"from {second[:12]} to {first[:12]}" in capsys.readouterr().out
    assert gate(repo, first) == 0


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2026-12-02", datetime(2026, 12, 3, tzinfo=UTC)),
        ("2026-12-01T18:00:00Z", datetime(2026, 12, 1, 18, tzinfo=UTC)),
        ("2026-12-01T18:00", datetime(2026, 12, 1, 18, tzinfo=UTC)),
    ],
    ids=["date-means-end-of-day", "utc-time", "naive-time-is-utc"],
)
def test_until_reads_a_date_or_a_time(text: str, moment: datetime) -> None:
    assert until_argument(text) == moment


def test_until_refuses_what_is_no_time() -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        until_argument("next tuesday")
