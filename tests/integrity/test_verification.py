"""`gitwarden.verify`: each rule of the trust policy on real signed histories."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from integrity_fixtures import SshKey, commit, git, make_repo
from legacy_approval_notes import approve

from gitwarden.attestation.approval_statements import ApprovalClaim
from gitwarden.commands.approve import record_approval
from gitwarden.commands.trust import TrustApproveOptions, trust_approve
from gitwarden.commands.verify import VerifyOptions, verify
from gitwarden.integrity.local_state import state_file
from gitwarden.integrity.verification import CACHE_FILE, HistoryRequest, verify_history
from gitwarden.sources.git_repository import GitRepository
from progress_recorder import Recorded, Recorder

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
PROD_RULE = {"branches": ["main"], "paths": ["clusters/prod/**"], "principals": ["alice"]}
POLICY_RULE = {"branches": ["main"], "paths": [".gitwarden/**"], "principals": ["alice"]}


def policy_text(
    keys: dict[str, SshKey],
    names: tuple[str, ...] = ("alice", "bob"),
    rules: list[dict[str, object]] | None = None,
    **extra: object,
) -> str:
    document: dict[str, object] = {
        "version": 1,
        "principals": {
            n: {"ssh_keys": [{"key": keys[n].public_line, "added": "2026-01-01"}]} for n in names
        },
        "rules": rules if rules is not None else [PROD_RULE, POLICY_RULE],
        **extra,
    }
    return yaml.safe_dump(document, sort_keys=False)


def start(tmp_path: Path, keys: dict[str, SshKey], **policy: object) -> Path:
    repo = make_repo(tmp_path / "repo")
    commit(repo, {".gitwarden/trust.yaml": policy_text(keys, **policy)}, "policy", keys["alice"])  # type: ignore[arg-type]
    return repo


def findings_for(repo: Path, oid: str, **options: object) -> list[str]:
    report = verify(repo, options=VerifyOptions(**options))  # type: ignore[arg-type]
    return [f.rule_id for f in report.findings if f.details.get("commit") == oid]


@pytest.mark.parametrize(
    ("signer", "path", "expected"),
    [
        ("alice", "clusters/prod/app.yaml", []),
        ("bob", "clusters/prod/app.yaml", ["signer-not-allowed"]),
        ("bob", "clusters/dev/app.yaml", []),
        ("bob", ".gitwarden/notes.txt", ["signer-not-allowed"]),
    ],
    ids=["allowed-prod", "bob-prod", "bob-unruled-path", "bob-policy-folder"],
)
def test_signer_must_be_allowed_for_every_path(
    tmp_path: Path, keys: dict[str, SshKey], signer: str, path: str, expected: list[str]
) -> None:
    repo = start(tmp_path, keys)
    oid = commit(repo, {path: "x"}, "change", keys[signer])
    assert findings_for(repo, oid) == expected


@pytest.mark.parametrize(("signed", "expected"), [(True, []), (False, ["unsigned-commit"])])
def test_unsigned_commit(
    tmp_path: Path, keys: dict[str, SshKey], signed: bool, expected: list[str]
) -> None:
    repo = start(tmp_path, keys)
    oid = commit(repo, {"a.txt": "a"}, "change", keys["bob"] if signed else None)
    assert findings_for(repo, oid) == expected


def test_policy_change_is_judged_by_the_parent_policy(
    tmp_path: Path, keys: dict[str, SshKey]
) -> None:
    repo = start(tmp_path, keys)
    # bob lets himself into prod: the change itself needs alice (rule on .gitwarden/**).
    grab = policy_text(keys, rules=[{**PROD_RULE, "principals": ["alice", "bob"]}, POLICY_RULE])
    grab_oid = commit(repo, {".gitwarden/trust.yaml": grab}, "let bob in", keys["bob"])
    assert findings_for(repo, grab_oid) == ["signer-not-allowed"]


def test_next_commit_uses_the_changed_policy(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    repo = start(tmp_path, keys)
    grant = policy_text(keys, rules=[{**PROD_RULE, "principals": ["alice", "bob"]}, POLICY_RULE])
    commit(repo, {".gitwarden/trust.yaml": grant}, "let bob in", keys["alice"])
    oid = commit(repo, {"clusters/prod/a.yaml": "a"}, "bob in prod", keys["bob"])
    assert findings_for(repo, oid) == []


@pytest.mark.parametrize(
    ("revocation", "expected"),
    [({"key": "BOB"}, ["revoked-key"]), ({"principal": "bob"}, ["revoked-key"]), (None, [])],
    ids=["key", "principal", "none"],
)
def test_revoked_key(
    tmp_path: Path, keys: dict[str, SshKey], revocation: dict[str, str] | None, expected: list[str]
) -> None:
    revoked = []
    if revocation is not None:
        from gitwarden.integrity.ssh_wire import parse_public_key_line

        fingerprint = parse_public_key_line(keys["bob"].public_line).fingerprint
        revoked = [{k: (fingerprint if v == "BOB" else v) for k, v in revocation.items()}]
    repo = start(tmp_path, keys, revoked=revoked)
    oid = commit(repo, {"a.txt": "a"}, "by bob", keys["bob"])
    assert findings_for(repo, oid) == expected


def test_revocation_in_the_newest_policy_applies_to_older_commits(
    tmp_path: Path, keys: dict[str, SshKey]
) -> None:
    repo = start(tmp_path, keys)
    old = commit(repo, {"a.txt": "a"}, "by bob", keys["bob"])
    commit(
        repo,
        {".gitwarden/trust.yaml": policy_text(keys, revoked=[{"principal": "bob"}])},
        "revoke bob",
        keys["alice"],
    )
    assert findings_for(repo, old) == ["revoked-key"]


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        ({"valid_before": "2000-01-01"}, ["key-outside-validity"]),
        ({"valid_after": "2999-01-01"}, ["key-outside-validity"]),
        ({"valid_after": "2000-01-01", "valid_before": "2999-01-01"}, []),
    ],
    ids=["expired", "not-yet-valid", "inside"],
)
def test_key_validity_window(
    tmp_path: Path, keys: dict[str, SshKey], window: dict[str, str], expected: list[str]
) -> None:
    repo = start(tmp_path, keys)
    text = yaml.safe_load((repo / ".gitwarden/trust.yaml").read_text())
    text["principals"]["bob"]["ssh_keys"][0].update(window)
    commit(repo, {".gitwarden/trust.yaml": yaml.safe_dump(text)}, "window", keys["alice"])
    oid = commit(repo, {"a.txt": "a"}, "by bob", keys["bob"])
    assert findings_for(repo, oid) == expected


@pytest.mark.parametrize(("max_age", "expected"), [(30, ["key-too-old"]), (100000, [])])
def test_key_past_maximum_age_fails(
    tmp_path: Path, keys: dict[str, SshKey], max_age: int, expected: list[str]
) -> None:
    # Keys are added 2026-01-01; commits are made now (after 2026-11).
    repo = start(tmp_path, keys, max_key_age_days=max_age)
    oid = commit(repo, {"a.txt": "a"}, "by bob", keys["bob"])
    assert findings_for(repo, oid) == expected


def test_key_close_to_maximum_age_warns(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    from datetime import UTC, datetime

    repo = start(tmp_path, keys, max_key_age_days=400, key_age_warning_days=30)
    report = verify(repo, options=VerifyOptions(now=datetime(2027, 1, 20, tzinfo=UTC)))
    assert sorted(f.rule_id for f in report.findings if f.rule_id.startswith("key-")) == [
        "key-age-warning",
        "key-age-warning",
    ]
    assert report.passed


def test_threshold_needs_approvals_from_other_principals(
    tmp_path: Path, keys: dict[str, SshKey]
) -> None:
    two_of_three = {
        "branches": ["main"],
        "paths": ["clusters/prod/**"],
        "principals": ["alice", "bob", "carol"],
        "threshold": 2,
    }
    repo = start(tmp_path, keys, names=("alice", "bob", "carol"), rules=[two_of_three])
    oid = commit(repo, {"clusters/prod/a.yaml": "a"}, "prod", keys["alice"])
    assert findings_for(repo, oid) == ["threshold-not-met"]


def test_threshold_met_by_signed_approval(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    two_of_three = {
        "branches": ["main"],
        "paths": ["clusters/prod/**"],
        "principals": ["alice", "bob", "carol"],
        "threshold": 2,
    }
    repo = start(tmp_path, keys, names=("alice", "bob", "carol"), rules=[two_of_three])
    oid = commit(repo, {"clusters/prod/a.yaml": "a"}, "prod", keys["alice"])
    approve(GitRepository(repo), oid, keys["carol"].private)
    assert findings_for(repo, oid) == []


def test_approval_by_unknown_key_does_not_count(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    two = {
        "branches": ["main"],
        "paths": ["clusters/prod/**"],
        "principals": ["alice", "bob"],
        "threshold": 2,
    }
    repo = start(tmp_path, keys, rules=[two])
    oid = commit(repo, {"clusters/prod/a.yaml": "a"}, "prod", keys["alice"])
    approve(GitRepository(repo), oid, keys["eve"].private)
    assert findings_for(repo, oid) == ["threshold-not-met"]


def test_merge_is_judged_on_what_it_brings_in(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    repo = start(tmp_path, keys)
    git(repo, "checkout", "-q", "-b", "feature")
    commit(repo, {"clusters/prod/a.yaml": "a"}, "prod change", keys["bob"])
    git(repo, "checkout", "-q", "main")
    commit(repo, {"other.txt": "x"}, "unrelated", keys["bob"])
    git(
        repo,
        "-c",
        "gpg.format=ssh",
        "-c",
        f"user.signingkey={keys['bob'].private}",
        "merge",
        "-q",
        "--no-ff",
        "-S",
        "-m",
        "merge",
        "feature",
    )
    merge = git(repo, "rev-parse", "HEAD")
    assert findings_for(repo, merge) == ["signer-not-allowed"]


def test_root_policy_is_trusted_on_first_use(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    repo = start(tmp_path, keys)
    report = verify(repo)
    assert [f.rule_id for f in report.findings] == ["trust-on-first-use"]
    assert report.passed


def test_pinned_policy_fingerprint_replaces_first_use(
    tmp_path: Path, keys: dict[str, SshKey]
) -> None:
    repo = start(tmp_path, keys)
    pinned = verify(repo).findings[0].details["policy"]
    report = verify(repo, options=VerifyOptions(policy_fingerprint=pinned))
    assert report.findings == ()


def test_wrong_pinned_fingerprint_fails(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    repo = start(tmp_path, keys)
    report = verify(repo, options=VerifyOptions(policy_fingerprint="sha256:" + "0" * 64))
    assert [f.rule_id for f in report.findings] == ["trust-root-mismatch"]
    assert not report.passed


def test_trust_anchor_skips_history_before_it(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    repo = make_repo(tmp_path / "repo")
    commit(repo, {"old.txt": "unsigned history"}, "old")
    anchor = commit(repo, {".gitwarden/trust.yaml": policy_text(keys)}, "policy")
    commit(repo, {"a.txt": "a"}, "signed", keys["bob"])
    report = verify(repo, options=VerifyOptions(trust_anchor=anchor))
    assert report.findings == ()


def test_commit_without_governing_policy_fails(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    repo = make_repo(tmp_path / "repo")
    oid = commit(repo, {"a.txt": "a"}, "no policy", keys["alice"])
    assert findings_for(repo, oid) == ["no-trust-policy"]


def test_invalid_policy_fails_closed(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    repo = start(tmp_path, keys)
    commit(repo, {".gitwarden/trust.yaml": "rules: [unclosed"}, "break policy", keys["alice"])
    oid = commit(repo, {"a.txt": "a"}, "after", keys["alice"])
    assert findings_for(repo, oid) == ["no-trust-policy"]


def test_signed_tag_is_verified(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    repo = start(tmp_path, keys)
    git(
        repo,
        "-c",
        "gpg.format=ssh",
        "-c",
        f"user.signingkey={keys['eve'].private}",
        "tag",
        "-s",
        "-m",
        "release",
        "v1",
    )
    report = verify(repo, options=VerifyOptions(refs=("v1",)))
    assert [f.rule_id for f in report.findings if f.details.get("object") == "tag"] == [
        "unknown-signer"
    ]


def test_shallow_clone_fails_with_the_reason(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    repo = start(tmp_path, keys)
    commit(repo, {"a.txt": "a"}, "second", keys["alice"])
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    report = verify(clone)
    assert [f.rule_id for f in report.findings] == ["history-unavailable"]
    assert "shallow" in report.findings[0].message


def test_missing_objects_fail_with_the_reason(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    repo = start(tmp_path, keys)
    second = commit(repo, {"a.txt": "a"}, "second", keys["alice"])
    commit(repo, {"b.txt": "b"}, "third", keys["alice"])
    loose = repo / ".git" / "objects" / second[:2] / second[2:]
    loose.unlink()
    report = verify(repo)
    assert [f.rule_id for f in report.findings] == ["history-unavailable"]
    assert not report.passed


def test_cache_serves_old_commits_and_verifies_new_ones(
    tmp_path: Path, keys: dict[str, SshKey]
) -> None:
    repo = start(tmp_path, keys)
    old = commit(repo, {"a.txt": "a"}, "by bob", keys["bob"])
    verify(repo)
    cache_file = state_file(GitRepository(repo).git_dir, CACHE_FILE)
    cache = json.loads(cache_file.read_text())
    # Mark every cached verdict so that a re-verification would be visible.
    for key in cache["entries"]:
        cache["entries"][key] = [["unsigned-commit", "high", "from the cache", {}]]
    cache_file.write_text(json.dumps(cache))
    new = commit(repo, {"b.txt": "b"}, "by eve", keys["eve"])
    report = verify(repo)
    by_commit = {f.details["commit"]: (f.rule_id, f.message) for f in report.findings}
    assert by_commit[old] == ("unsigned-commit", "from the cache")
    assert by_commit[new][0] == "unknown-signer"


def test_partial_clone_fails_with_the_reason(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    repo = start(tmp_path, keys)
    commit(repo, {"a.txt": "a"}, "second", keys["alice"])
    git(repo, "config", "uploadpack.allowFilter", "true")
    clone = tmp_path / "partial"
    subprocess.run(
        ["git", "clone", "-q", "--no-checkout", "--filter=blob:none", f"file://{repo}", str(clone)],
        check=True,
    )
    report = verify(clone)
    assert [f.rule_id for f in report.findings] == ["history-unavailable"]
    assert "partial clone" in report.findings[0].message


@pytest.mark.parametrize(
    ("signer", "expected"),
    [("alice", []), ("bob", ["signer-not-allowed"]), (None, ["unsigned-commit"])],
)
def test_sha256_repository_is_verified_like_a_sha1_one(
    tmp_path: Path, keys: dict[str, SshKey], signer: str | None, expected: list[str]
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main", "--object-format=sha256")
    commit(repo, {".gitwarden/trust.yaml": policy_text(keys)}, "policy", keys["alice"])
    oid = commit(repo, {"clusters/prod/app.yaml": "a"}, "prod", keys[signer] if signer else None)
    assert len(oid) == 64
    assert findings_for(repo, oid) == expected


@pytest.mark.parametrize("approver", ["dora", "erin"], ids=["trusted-openpgp", "unknown-openpgp"])
def test_openpgp_approval_counts_only_for_a_principal(
    tmp_path: Path, keys: dict[str, SshKey], monkeypatch: pytest.MonkeyPatch, approver: str
) -> None:
    from integrity_fixtures import gpg_key

    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    monkeypatch.setenv("GNUPGHOME", str(home))
    dora, dora_cert = gpg_key(home, "dora@example.com")
    erin, _ = gpg_key(home, "erin@example.com")
    document = yaml.safe_load(policy_text(keys, names=("alice",), rules=[]))
    document["principals"]["dora"] = {"openpgp_certs": [dora_cert]}
    document["rules"] = [
        {
            "branches": ["main"],
            "paths": ["clusters/prod/**"],
            "principals": ["alice", "dora"],
            "threshold": 2,
        }
    ]
    repo = make_repo(tmp_path / "repo")
    commit(repo, {".gitwarden/trust.yaml": yaml.safe_dump(document)}, "policy", keys["alice"])
    oid = commit(repo, {"clusters/prod/a.yaml": "a"}, "prod", keys["alice"])
    approve(GitRepository(repo), oid, gpg_key=dora if approver == "dora" else erin)
    expected = [] if approver == "dora" else ["threshold-not-met"]
    assert findings_for(repo, oid) == expected


TWO_OF_THREE = {
    "branches": ["main"],
    "paths": ["clusters/prod/**"],
    "principals": ["alice", "bob", "carol"],
    "threshold": 2,
}


def dsse_approve(repo: Path, commit_id: str, key: Path | None, *, gpg: str | None = None) -> None:
    options = TrustApproveOptions(commit_id, key, gpg, message="checked the prod diff")
    trust_approve(repo, None, options)


def verify_report(repo: Path) -> list[tuple[str, str]]:
    report = verify(repo, options=VerifyOptions(use_cache=False))
    return [(f.rule_id, f.details.get("commit", "")) for f in report.findings]


@pytest.mark.parametrize(
    ("approver", "expected"),
    [("carol", []), ("eve", ["threshold-not-met"]), ("alice", ["threshold-not-met"])],
    ids=["principal", "unknown-key", "the-signer-again"],
)
def test_threshold_counts_a_dsse_approval_from_trust_approve(
    tmp_path: Path, keys: dict[str, SshKey], approver: str, expected: list[str]
) -> None:
    repo = start(tmp_path, keys, names=("alice", "bob", "carol"), rules=[TWO_OF_THREE])
    oid = commit(repo, {"clusters/prod/a.yaml": "a"}, "prod", keys["alice"])
    dsse_approve(repo, oid, keys[approver].private)
    assert findings_for(repo, oid) == expected


def test_a_dsse_approval_counts_for_its_commit_only(
    tmp_path: Path, keys: dict[str, SshKey]
) -> None:
    repo = start(tmp_path, keys, names=("alice", "bob", "carol"), rules=[TWO_OF_THREE])
    first = commit(repo, {"clusters/prod/a.yaml": "a"}, "prod", keys["alice"])
    dsse_approve(repo, first, keys["carol"].private)
    second = commit(repo, {"clusters/prod/a.yaml": "b"}, "prod again", keys["alice"])
    assert (findings_for(repo, first), findings_for(repo, second)) == ([], ["threshold-not-met"])


def test_a_dsse_approval_naming_another_tree_does_not_count(
    tmp_path: Path, keys: dict[str, SshKey]
) -> None:
    repo = start(tmp_path, keys, names=("alice", "bob", "carol"), rules=[TWO_OF_THREE])
    oid = commit(repo, {"clusters/prod/a.yaml": "a"}, "prod", keys["alice"])
    policy_tree = git(repo, "rev-parse", f"{oid}~1^{{tree}}")
    claim = ApprovalClaim("refs/heads/main", oid, oid, policy_tree, "read it", NOW)
    record_approval(GitRepository(repo), claim, signing_key=keys["carol"].private)
    assert findings_for(repo, oid) == ["threshold-not-met"]


def test_an_openpgp_dsse_approval_counts(
    tmp_path: Path, keys: dict[str, SshKey], monkeypatch: pytest.MonkeyPatch
) -> None:
    from integrity_fixtures import gpg_key

    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    monkeypatch.setenv("GNUPGHOME", str(home))
    dora, dora_cert = gpg_key(home, "dora@example.com")
    document = yaml.safe_load(policy_text(keys, names=("alice",), rules=[]))
    document["principals"]["dora"] = {"openpgp_certs": [dora_cert]}
    document["rules"] = [{**TWO_OF_THREE, "principals": ["alice", "dora"]}]
    repo = make_repo(tmp_path / "repo")
    commit(repo, {".gitwarden/trust.yaml": yaml.safe_dump(document)}, "policy", keys["alice"])
    oid = commit(repo, {"clusters/prod/a.yaml": "a"}, "prod", keys["alice"])
    dsse_approve(repo, oid, None, gpg=dora)
    assert findings_for(repo, oid) == []


def test_a_legacy_note_still_counts_and_is_marked_legacy_once_per_ref(
    tmp_path: Path, keys: dict[str, SshKey]
) -> None:
    repo = start(tmp_path, keys, names=("alice", "bob", "carol"), rules=[TWO_OF_THREE])
    first = commit(repo, {"clusters/prod/a.yaml": "a"}, "prod", keys["alice"])
    approve(GitRepository(repo), first, keys["carol"].private)
    second = commit(repo, {"clusters/prod/a.yaml": "b"}, "prod again", keys["alice"])
    approve(GitRepository(repo), second, keys["bob"].private)
    report = verify(repo, options=VerifyOptions(use_cache=False))
    legacy = [f for f in report.findings if f.rule_id == "legacy-approval-note"]
    assert [f.rule_id for f in report.findings if f.details.get("commit") in (first, second)] == []
    assert [(f.severity.value, f.details["commits"], f.details["approvers"]) for f in legacy] == [
        ("info", f"{first},{second}", "bob, carol")
    ]


@pytest.mark.parametrize("cached", [False, True], ids=["first-run", "from-cache"])
def test_a_legacy_note_repeated_as_a_dsse_approval_is_not_marked(
    tmp_path: Path, keys: dict[str, SshKey], cached: bool
) -> None:
    repo = start(tmp_path, keys, names=("alice", "bob", "carol"), rules=[TWO_OF_THREE])
    root = git(repo, "rev-parse", "HEAD")
    oid = commit(repo, {"clusters/prod/a.yaml": "a"}, "prod", keys["alice"])
    approve(GitRepository(repo), oid, keys["carol"].private)
    if cached:
        verify(repo)  # the cache holds the legacy verdict; the new approval must void it
    dsse_approve(repo, oid, keys["carol"].private)
    assert [f.rule_id for f in verify(repo).findings if f.details.get("commit") != root] == []


def test_a_legacy_note_of_an_unknown_key_is_not_marked(
    tmp_path: Path, keys: dict[str, SshKey]
) -> None:
    repo = start(tmp_path, keys, names=("alice", "bob", "carol"), rules=[TWO_OF_THREE])
    oid = commit(repo, {"clusters/prod/a.yaml": "a"}, "prod", keys["alice"])
    approve(GitRepository(repo), oid, keys["eve"].private)
    assert [r for r, _ in verify_report(repo)] == ["trust-on-first-use", "threshold-not-met"]


def test_progress_counts_every_commit_of_every_ref_up_front(
    tmp_path: Path, keys: dict[str, SshKey]
) -> None:
    repo = start(tmp_path, keys)
    commit(repo, {"a.txt": "a"}, "one", keys["alice"])
    git(repo, "branch", "side")
    commit(repo, {"b.txt": "b"}, "two", keys["bob"])
    recorder = Recorder()

    verify_history(
        GitRepository(repo), HistoryRequest(refs=("main", "side"), use_cache=False), recorder
    )

    assert recorder.stages == [Recorded("verifying commit signatures", 5, 5, True)]


def test_progress_counts_cached_commits_at_once_and_the_rest_one_by_one(
    tmp_path: Path, keys: dict[str, SshKey]
) -> None:
    repo = start(tmp_path, keys)
    commit(repo, {"a.txt": "a"}, "one", keys["alice"])
    verify_history(GitRepository(repo), HistoryRequest())
    commit(repo, {"b.txt": "b"}, "two", keys["bob"])
    commit(repo, {"c.txt": "c"}, "three", keys["bob"])
    recorder = Recorder()

    verify_history(GitRepository(repo), HistoryRequest(), recorder)

    (verifying,) = recorder.stages
    assert (verifying.total, verifying.steps) == (4, [2, 1, 1])


def test_progress_leaves_out_what_the_trust_anchor_excludes(
    tmp_path: Path, keys: dict[str, SshKey]
) -> None:
    repo = start(tmp_path, keys)
    anchor = commit(repo, {"a.txt": "a"}, "one", keys["alice"])
    commit(repo, {"b.txt": "b"}, "two", keys["bob"])
    recorder = Recorder()

    verify_history(GitRepository(repo), HistoryRequest(trust_anchor=anchor), recorder)

    assert recorder.stages == [Recorded("verifying commit signatures", 1, 1, True)]
