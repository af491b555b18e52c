"""Baselines: keyed hashes, no churn, stale entries reported, moved secrets still accepted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gitwarden.cli.main import main
from gitwarden.commands.history import HistoryOptions, history
from gitwarden.config import Config
from secret_repos import commit, git, make_repo
from secrets_values import GITHUB_TOKEN, OTHER_GITHUB_TOKEN


def history_with(repo: Path, **baseline: Path) -> list[tuple[str, str]]:
    report = history(
        repo,
        Config(),
        HistoryOptions(
            cache_dir=None, baseline=baseline.get("use"), write_baseline=baseline.get("write")
        ),
    )
    return sorted(
        (f.rule_id, f.suppression.source if f.suppression else "active") for f in report.findings
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "r")
    commit(repo, "one", {"a.sh": f"GH={GITHUB_TOKEN}\n"})
    return repo


def test_written_baseline_accepts_current_secrets(repo: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    assert main(["history", str(repo), "--no-cache", "--write-baseline", str(baseline)]) == 0
    assert main(["history", str(repo), "--no-cache", "--baseline", str(baseline)]) == 0


def test_baselined_finding_is_kept_and_marked(repo: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    history_with(repo, write=baseline)
    assert history_with(repo, use=baseline) == [("github-personal-access-token", "baseline")]


def test_baseline_never_holds_the_secret(repo: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    history_with(repo, write=baseline)
    text = baseline.read_text()
    assert GITHUB_TOKEN not in text and GITHUB_TOKEN[4:20] not in text


def test_rewriting_a_baseline_produces_no_churn(repo: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    history_with(repo, write=baseline)
    first = baseline.read_bytes()
    commit(repo, "unrelated", {"b.txt": "hello\n"})
    history_with(repo, write=baseline)
    assert baseline.read_bytes() == first


def test_two_baselines_hash_the_same_secret_differently(repo: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    history_with(repo, write=one)
    history_with(repo, write=two)
    hashes = [json.loads(p.read_text())["entries"][0]["hash"] for p in (one, two)]
    assert hashes[0] != hashes[1]


def test_secret_moved_to_another_file_stays_accepted(repo: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    history_with(repo, write=baseline)
    commit(repo, "move", {"ci/run.sh": f"# moved\n\nGH={GITHUB_TOKEN}\n"}, delete=("a.sh",))
    assert history_with(repo, use=baseline) == [
        ("github-personal-access-token", "baseline"),
        ("github-personal-access-token", "baseline"),
    ]


def test_new_secret_is_not_covered_by_the_baseline(repo: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    history_with(repo, write=baseline)
    commit(repo, "new", {"b.sh": f"GH={OTHER_GITHUB_TOKEN}\n"})
    assert history_with(repo, use=baseline) == [
        ("github-personal-access-token", "active"),
        ("github-personal-access-token", "baseline"),
    ]


def test_stale_entry_is_reported_after_history_is_rewritten(repo: Path, tmp_path: Path) -> None:
    git(repo, "checkout", "-q", "-b", "leak")
    commit(repo, "leak", {"b.sh": f"GH={OTHER_GITHUB_TOKEN}\n"})
    git(repo, "checkout", "-q", "main")
    baseline = tmp_path / "baseline.json"
    history_with(repo, write=baseline)
    git(repo, "branch", "-q", "-D", "leak")
    assert history_with(repo, use=baseline) == [
        ("baseline-stale", "active"),
        ("github-personal-access-token", "baseline"),
    ]


@pytest.mark.parametrize("content", ["not json", '{"version": 9}', '{"version": 1, "key": "zz"}'])
def test_invalid_baseline_is_a_usage_error(repo: Path, tmp_path: Path, content: str) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text(content)
    assert main(["history", str(repo), "--no-cache", "--baseline", str(baseline)]) == 2
