"""`gitwarden history` on real repositories: every ref, each blob once, honest coverage."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from gitwarden.cli.main import main
from gitwarden.commands.history import HistoryOptions, history
from gitwarden.config import Config
from gitwarden.errors import UsageError
from gitwarden.findings import Severity
from gitwarden.report import FORMATS, get_format
from gitwarden.report.model import Report
from secret_repos import commit, git, make_repo
from secrets_values import AWS_KEY_ID, GITHUB_TOKEN, OTHER_GITHUB_TOKEN


@pytest.fixture(autouse=True)
def private_state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cache keys and caches of each test stay in its own folder."""
    monkeypatch.setenv("GITWARDEN_STATE_DIR", str(tmp_path / "gitwarden-state"))


def run_history(repo: Path, **options: object) -> Report:
    return history(repo, Config(), HistoryOptions(cache_dir=None, **options))  # type: ignore[arg-type]


def summary(report: Report) -> list[tuple[str, str, int, str, str]]:
    return sorted(
        (
            f.rule_id,
            f.location.file,
            f.location.line,
            f.details.get("commit", ""),
            f.details.get("branches", ""),
        )
        for f in report.findings
    )


def test_secret_added_then_deleted_is_still_reported(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    added = commit(repo, "add", {"deploy.sh": f"GH={GITHUB_TOKEN}\n"})
    commit(repo, "remove", delete=("deploy.sh",))
    report = run_history(repo)
    assert summary(report) == [("github-personal-access-token", "deploy.sh", 1, added, "")]
    assert "rotate it: it is in history" in report.findings[0].message


def test_secret_still_present_names_the_branch(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    added = commit(repo, "add", {"deploy.sh": f"GH={GITHUB_TOKEN}\n"})
    assert summary(run_history(repo)) == [
        ("github-personal-access-token", "deploy.sh", 1, added, "main")
    ]


def test_secret_on_a_side_branch_only_is_reported(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    commit(repo, "root", {"README.md": "hello\n"})
    git(repo, "checkout", "-q", "-b", "feature")
    added = commit(repo, "side", {"ci/env": f"AWS_ACCESS_KEY_ID={AWS_KEY_ID}\n"})
    git(repo, "checkout", "-q", "main")
    assert summary(run_history(repo)) == [("aws-access-key-id", "ci/env", 1, added, "feature")]


def test_secret_in_a_tag_only_is_reported(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    commit(repo, "root", {"README.md": "hello\n"})
    git(repo, "checkout", "-q", "-b", "release")
    added = commit(repo, "release", {"release.env": f"TOKEN={GITHUB_TOKEN}\n"})
    git(repo, "tag", "-a", "v1.0", "-m", "v1.0")
    git(repo, "checkout", "-q", "main")
    git(repo, "branch", "-q", "-D", "release")
    report = run_history(repo)
    assert summary(report) == [("github-personal-access-token", "release.env", 1, added, "")]
    assert report.findings[0].details["refs"] == "refs/tags/v1.0"


def test_secret_later_turned_into_a_sealed_secret_is_reported(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    plain = (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: gh\ndata:\n"
        f"  token: {base64.b64encode(GITHUB_TOKEN.encode()).decode()}\n"
    )
    sealed = (
        "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: gh\n"
        "spec:\n  encryptedData:\n"
        "    token: AgBy3i4OJSWK+PiTySYZZA9rO43cGDEqAgBy3i4OJSWK+PiTySYZZA9rO43c\n"
    )
    added = commit(repo, "plain", {"k8s/gh.yaml": plain})
    commit(repo, "seal it", {"k8s/gh.yaml": sealed})
    report = run_history(repo)
    assert summary(report) == [("github-personal-access-token", "k8s/gh.yaml", 6, added, "")]
    assert report.findings[0].location.field_path == "data.token"


def test_sops_encrypted_file_in_history_is_clean(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    sops = (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: a\nstringData:\n"
        "  token: ENC[AES256_GCM,data:q83Zk1,iv:YWJj,tag:ZGVm,type:str]\n"
        "sops:\n  age:\n  - recipient: age1qqq\n  lastmodified: '2024-01-01T00:00:00Z'\n"
        "  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\n  version: 3.8.1\n"
    )
    commit(repo, "sops", {"secret.enc.yaml": sops})
    report = run_history(repo)
    assert report.findings == () and report.passed


def test_since_reports_only_newer_commits(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    old = commit(repo, "old", {"a.sh": f"GH={GITHUB_TOKEN}\n"})
    new = commit(repo, "new", {"b.sh": f"GH={OTHER_GITHUB_TOKEN}\n"})
    assert summary(run_history(repo, since=old)) == [
        ("github-personal-access-token", "b.sh", 1, new, "main")
    ]


def test_shallow_clone_is_reported_not_clean(tmp_path: Path) -> None:
    origin = make_repo(tmp_path / "origin")
    commit(origin, "one", {"a.txt": "1\n"})
    commit(origin, "two", {"a.txt": "2\n"})
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(clone))
    report = run_history(clone)
    assert [f.rule_id for f in report.findings] == ["history-shallow-clone"]
    assert not report.passed


def test_partial_clone_is_reported_and_missing_blobs_never_fetched(tmp_path: Path) -> None:
    origin = make_repo(tmp_path / "origin")
    commit(origin, "one", {"a.sh": f"GH={GITHUB_TOKEN}\n"})
    commit(origin, "two", delete=("a.sh",))
    git(origin, "config", "uploadpack.allowFilter", "true")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--filter=blob:none", f"file://{origin}", str(clone))
    report = run_history(clone)
    assert sorted(f.rule_id for f in report.findings) == [
        "history-object-missing",
        "history-partial-clone",
    ]


def test_missing_object_is_reported(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    commit(repo, "one", {"a.txt": "will vanish\n"})
    blob = git(repo, "rev-parse", "HEAD:a.txt")
    (repo / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    report = run_history(repo)
    assert [f.rule_id for f in report.findings] == ["history-object-missing"]
    assert blob[:12] in report.findings[0].message


def test_dangling_blob_is_found_only_with_unreachable(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    commit(repo, "one", {"a.txt": "clean\n"})
    (tmp_path / "loose").write_text(f"GH={GITHUB_TOKEN}\n")
    git(repo, "hash-object", "-w", str(tmp_path / "loose"))
    assert run_history(repo).findings == ()
    assert [f.rule_id for f in run_history(repo, unreachable=True).findings] == [
        "github-personal-access-token"
    ]


def test_secret_in_a_git_note_is_found(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    commit(repo, "one", {"a.txt": "clean\n"})
    git(repo, "notes", "add", "-m", f"deployed with {GITHUB_TOKEN}")
    report = run_history(repo)
    assert [f.rule_id for f in report.findings] == ["github-personal-access-token"]


def test_repository_config_is_never_executed(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    commit(repo, "one", {"a.txt": "clean\n"})
    marker = tmp_path / "pwned"
    for key in ("core.fsmonitor", "core.pager", "diff.external", "core.sshCommand"):
        git(repo, "config", key, f"touch {marker}")
    hook = repo / ".git" / "hooks" / "post-checkout"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\n")
    hook.chmod(0o755)
    run_history(repo)
    assert not marker.exists()


def test_cli_history_exit_code_is_1_on_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path / "r")
    commit(repo, "one", {"a.sh": f"GH={GITHUB_TOKEN}\n"})
    assert main(["history", str(repo), "--no-cache"]) == 1
    out = capsys.readouterr().out
    assert "github-personal-access-token" in out and GITHUB_TOKEN not in out


def test_cli_history_exit_code_is_0_when_clean(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    commit(repo, "one", {"a.txt": "clean\n"})
    assert main(["history", str(repo), "--no-cache"]) == 0


def test_cli_history_refuses_a_folder_that_is_not_a_repository(tmp_path: Path) -> None:
    assert main(["history", str(tmp_path), "--no-cache"]) == 2


def test_cli_history_refuses_an_unknown_since_revision(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    commit(repo, "one", {"a.txt": "clean\n"})
    assert main(["history", str(repo), "--since", "nope", "--no-cache"]) == 2


def test_history_details_carry_author_and_date(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    commit(repo, "one", {"a.sh": f"GH={GITHUB_TOKEN}\n"})
    details = run_history(repo).findings[0].details
    assert (details["author"], details["date"]) == (
        "Alice Example <alice@example.org>",
        "2024-05-01T10:00:00+00:00",
    )


@pytest.mark.parametrize("report_format", sorted(FORMATS))
def test_history_report_renders_in_every_format(tmp_path: Path, report_format: str) -> None:
    repo = make_repo(tmp_path / "r")
    commit(repo, "one", {"a.sh": f"GH={GITHUB_TOKEN}\n"})
    text = get_format(report_format).render(run_history(repo))
    assert "github-personal-access-token" in text and GITHUB_TOKEN not in text


def test_config_suppression_applies_to_history(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    commit(repo, "one", {"fixtures/a.sh": f"GH={GITHUB_TOKEN}\n"})
    (tmp_path / "cfg.yaml").write_text(
        "suppressions:\n  - rule: github-*\n    path: 'fixtures/**'\n    reason: test fixture\n"
    )
    assert main(["history", str(repo), "--no-cache", "--config", str(tmp_path / "cfg.yaml")]) == 0


def test_scanning_blobs_on_every_core_finds_what_one_process_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gitwarden.secrets.blob_scan as blob_scan

    repo = make_repo(tmp_path / "r")
    for index in range(12):
        commit(repo, f"c{index}", {f"app/{index}.txt": f"line {index}\n"})
    commit(repo, "leak", {"deploy.sh": f"GH={GITHUB_TOKEN}\nAWS={AWS_KEY_ID}\n"})
    commit(repo, "more", {"ci/env": f"TOKEN={OTHER_GITHUB_TOKEN}\n"}, delete=("deploy.sh",))
    serial = summary(run_history(repo))
    # Lower the threshold so that this small history takes the multi-process path.
    monkeypatch.setattr(blob_scan, "PARALLEL_MIN_BLOBS", 0)
    assert summary(run_history(repo)) == serial
    assert len(serial) == 3


def test_history_is_part_of_the_public_api(tmp_path: Path) -> None:
    import gitwarden

    repo = make_repo(tmp_path / "r")
    commit(repo, "one", {"a.sh": f"GH={GITHUB_TOKEN}\n"})
    report = gitwarden.history(repo, options=HistoryOptions(cache_dir=None))
    assert "history" in gitwarden.__all__
    assert [f.rule_id for f in report.findings] == ["github-personal-access-token"]


def test_repository_config_is_obeyed_when_none_is_given(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    commit(repo, "one", {"a.sh": f"GH={GITHUB_TOKEN}\n"})
    (repo / ".gitwarden.yaml").write_text("disabled_rules: [github-personal-access-token]\n")
    report = history(repo, options=HistoryOptions(cache_dir=None))
    assert report.findings == () and report.passed


def test_fail_on_in_options_sets_the_threshold(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    commit(repo, "one", {"a.sh": f"GH={GITHUB_TOKEN}\n"})
    report = history(repo, Config(), HistoryOptions(cache_dir=None, fail_on=Severity.CRITICAL))
    assert report.fail_on is Severity.CRITICAL


def test_baseline_and_write_baseline_together_are_refused(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    commit(repo, "one", {"a.txt": "clean\n"})
    both = HistoryOptions(cache_dir=None, baseline=tmp_path / "b", write_baseline=tmp_path / "w")
    with pytest.raises(UsageError):
        history(repo, Config(), both)


def test_missing_commit_is_a_finding_not_a_git_error(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    commit(repo, "one", {"a.txt": "clean\n"})
    middle = commit(repo, "two", {"b.txt": "also clean\n"})
    commit(repo, "three", {"deploy.sh": f"GH={GITHUB_TOKEN}\n"})
    (repo / ".git" / "objects" / middle[:2] / middle[2:]).unlink()
    report = history(repo, Config(), HistoryOptions(cache_dir=None))
    assert sorted(f.rule_id for f in report.findings) == [
        "github-personal-access-token",
        "history-object-missing",
    ]
    assert not report.passed


def test_cli_history_reports_a_missing_commit_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path / "r")
    commit(repo, "one", {"a.txt": "clean\n"})
    middle = commit(repo, "two", {"b.txt": "also clean\n"})
    commit(repo, "three", {"c.txt": "clean too\n"})
    (repo / ".git" / "objects" / middle[:2] / middle[2:]).unlink()
    assert main(["history", str(repo), "--no-cache"]) == 1
    out = capsys.readouterr().out
    assert "history-object-missing" in out and "revision walk setup failed" not in out


def test_cli_history_with_a_forged_cache_still_fails_on_the_secret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path / "r")
    commit(repo, "one", {"a.sh": f"GH={GITHUB_TOKEN}\n", "b.txt": "clean\n"})
    cache = tmp_path / "ci-cache"
    assert main(["history", str(repo), "--cache-dir", str(cache)]) == 1
    (cache_file,) = cache.iterdir()
    lines = cache_file.read_text().splitlines()
    lines.insert(1, f"{git(repo, 'rev-parse', 'HEAD:a.sh')}:text")
    cache_file.write_text("\n".join(lines) + "\n")
    capsys.readouterr()
    assert main(["history", str(repo), "--cache-dir", str(cache)]) == 1
    out = capsys.readouterr().out
    assert "github-personal-access-token" in out and "history-cache-untrusted" in out
