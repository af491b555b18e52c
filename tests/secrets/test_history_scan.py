"""The history scan itself: each blob once, a cache that saves work and cannot hide a secret."""

from __future__ import annotations

from pathlib import Path

from gitwarden.secrets.history_scan import HistoryScanOptions, scan_history
from progress_recorder import Recorded, Recorder
from secret_repos import commit, git, make_repo
from secrets_values import GITHUB_TOKEN


def test_each_distinct_blob_is_scanned_once(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    commit(repo, "one", {"a.sh": f"GH={GITHUB_TOKEN}\n", "b.txt": "same\n"})
    git(repo, "checkout", "-q", "-b", "copy")
    commit(repo, "copy", {"c.sh": f"GH={GITHUB_TOKEN}\n"})
    git(repo, "checkout", "-q", "main")
    commit(repo, "two", {"d.txt": "same\n"})
    scanned = scan_history(repo, HistoryScanOptions(cache_dir=None))
    assert scanned.blobs_scanned == 2  # the token blob and the "same" blob
    assert sorted(s.finding.location.file for s in scanned.secrets) == ["a.sh", "c.sh"]


def test_cache_skips_clean_blobs_on_the_next_run(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    commit(
        repo, "one", {"a.sh": f"GH={GITHUB_TOKEN}\n", "b.txt": "clean\n", "c.txt": "also clean\n"}
    )
    options = HistoryScanOptions(cache_dir=tmp_path / "cache")
    first = scan_history(repo, options)
    second = scan_history(repo, options)
    assert (first.blobs_scanned, second.blobs_scanned, second.blobs_from_cache) == (3, 1, 2)
    assert len(second.secrets) == 1


def test_forged_cache_entry_does_not_hide_a_secret(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    commit(repo, "one", {"a.sh": f"GH={GITHUB_TOKEN}\n", "b.txt": "clean\n"})
    options = HistoryScanOptions(cache_dir=tmp_path / "cache")
    scan_history(repo, options)
    (cache_file,) = (tmp_path / "cache").iterdir()
    secret_blob = git(repo, "rev-parse", "HEAD:a.sh")
    lines = cache_file.read_text().splitlines()
    lines.insert(1, f"{secret_blob}:text")
    cache_file.write_text("\n".join(lines) + "\n")
    forged = scan_history(repo, options)
    assert [s.finding.rule_id for s in forged.secrets] == ["github-personal-access-token"]
    assert [p.rule_id for p in forged.problems] == ["history-cache-untrusted"]


def test_cache_restored_without_its_key_is_not_trusted(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    commit(repo, "one", {"b.txt": "clean\n"})
    options = HistoryScanOptions(cache_dir=tmp_path / "cache", cache_key_file=tmp_path / "k1")
    scan_history(repo, options)
    elsewhere = HistoryScanOptions(cache_dir=tmp_path / "cache", cache_key_file=tmp_path / "k2")
    second = scan_history(repo, elsewhere)
    assert (second.blobs_scanned, second.blobs_from_cache) == (1, 0)
    assert [p.rule_id for p in second.problems] == ["history-cache-untrusted"]


def test_progress_counts_the_commits_walked_and_the_blobs_scanned(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    commit(repo, "one", {"a.sh": f"GH={GITHUB_TOKEN}\n", "b.txt": "clean\n"})
    commit(repo, "empty")
    commit(repo, "two", {"c.txt": "also clean\n"})
    recorder = Recorder()

    scan_history(repo, HistoryScanOptions(cache_dir=None), progress=recorder)

    assert recorder.stages == [
        Recorded("walking the history for secrets", 3, 3, True),
        Recorded("scanning 3 blobs for secrets", 3, 3, True),
    ]


def test_progress_counts_only_the_blobs_the_cache_does_not_hold(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    commit(repo, "one", {"a.sh": f"GH={GITHUB_TOKEN}\n", "b.txt": "clean\n"})
    options = HistoryScanOptions(cache_dir=tmp_path / "cache")
    scan_history(repo, options)
    recorder = Recorder()

    scan_history(repo, options, progress=recorder)

    assert recorder.stages[1:] == [Recorded("scanning 1 blobs for secrets", 1, 1, True)]


def test_no_blob_stage_when_the_cache_holds_every_blob(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    commit(repo, "one", {"b.txt": "clean\n"})
    options = HistoryScanOptions(cache_dir=tmp_path / "cache")
    scan_history(repo, options)
    recorder = Recorder()

    scan_history(repo, options, progress=recorder)

    assert recorder.stages == [Recorded("walking the history for secrets", 1, 1, True)]


def test_a_walk_that_fails_still_finishes_its_stage(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    first = commit(repo, "one", {"a.txt": "one\n"})
    commit(repo, "two", {"b.txt": "two\n"})
    (repo / ".git" / "objects" / first[:2] / first[2:]).unlink()
    recorder = Recorder()

    scanned = scan_history(repo, HistoryScanOptions(cache_dir=None), progress=recorder)

    assert "history-object-missing" in [p.rule_id for p in scanned.problems]
    walk = recorder.stages[0]
    assert (walk.description, walk.total, walk.finished) == (
        "walking the history for secrets",
        None,
        True,
    )
