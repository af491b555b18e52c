"""`gitwarden trust ...` and `gitwarden verify`: authoring the policy, then verifying with it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from integrity_fixtures import SshKey, commit, gpg_key, make_repo

from gitwarden.cli import EXIT_FINDINGS, EXIT_PASS, EXIT_USAGE, main
from gitwarden.errors import ConfigError
from gitwarden.integrity.trust_authoring import load
from gitwarden.integrity.trust_file import parse_trust_policy


def authored(tmp_path: Path, keys: dict[str, SshKey]) -> Path:
    repo = make_repo(tmp_path / "repo")
    r = str(repo)
    assert main(["trust", "init", "--repo", r, "--max-key-age", "365"]) == 0
    assert main(["trust", "add", "alice", "--key", str(keys["alice"].public), "--repo", r]) == 0
    assert main(["trust", "add", "bob", "--key", str(keys["bob"].public), "--repo", r]) == 0
    assert (
        main(
            [
                "trust",
                "allow",
                "alice",
                "--branch",
                "main",
                "--path",
                "clusters/prod/**",
                "--repo",
                r,
            ]
        )
        == 0
    )
    assert main(["trust", "allow", "bob", "--branch", "main", "--repo", r]) == 0
    assert main(["trust", "allow", "alice", "--branch", "main", "--repo", r]) == 0
    return repo


def test_authored_policy_reads_back(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    policy = load(authored(tmp_path, keys))
    assert [p.name for p in policy.principals] == ["alice", "bob"]
    assert [(r.paths, r.principals) for r in policy.rules] == [
        (("clusters/prod/**",), ("alice",)),
        (("**",), ("bob", "alice")),
    ]
    assert policy.max_key_age_days == 365


def test_add_accepts_an_openpgp_certificate(
    tmp_path: Path, keys: dict[str, SshKey], gnupghome: Path
) -> None:
    repo = authored(tmp_path, keys)
    fingerprint, cert = gpg_key(gnupghome, "dora@example.com")
    (tmp_path / "dora.asc").write_text(cert)
    assert (
        main(["trust", "add", "dora", "--key", str(tmp_path / "dora.asc"), "--repo", str(repo)])
        == 0
    )
    assert load(repo).principal("dora").keys[0].fingerprint == fingerprint  # type: ignore[union-attr]


def test_add_refuses_a_file_that_is_not_a_key(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    repo = authored(tmp_path, keys)
    (tmp_path / "junk").write_text("hello")
    assert (
        main(["trust", "add", "x", "--key", str(tmp_path / "junk"), "--repo", str(repo)])
        == EXIT_USAGE
    )


def test_threshold_above_the_principals_is_refused(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    repo = authored(tmp_path, keys)
    code = main(
        ["trust", "allow", "bob", "--branch", "main", "--threshold", "3", "--repo", str(repo)]
    )
    assert code == EXIT_USAGE


@pytest.mark.parametrize("target", ["bob", "KEY"])
def test_revoke_by_name_or_key(tmp_path: Path, keys: dict[str, SshKey], target: str) -> None:
    repo = authored(tmp_path, keys)
    name = str(keys["bob"].public) if target == "KEY" else "bob"
    assert main(["trust", "revoke", name, "--reason", "left", "--repo", str(repo)]) == 0
    policy = load(repo)
    bob = policy.principal("bob")
    assert bob is not None and policy.revocation_of("bob", bob.keys[0]) is not None


def test_show_prints_the_fingerprint(
    tmp_path: Path, keys: dict[str, SshKey], capsys: pytest.CaptureFixture[str]
) -> None:
    repo = authored(tmp_path, keys)
    capsys.readouterr()
    assert main(["trust", "show", "--format", "json", "--repo", str(repo)]) == 0
    assert json.loads(capsys.readouterr().out)["fingerprint"] == load(repo).policy_id


@pytest.mark.parametrize(
    ("text", "line", "key"),
    [
        (
            "version: 1\nprincipals: {}\nrules:\n  - branches: [main]\n    principals: [nobody]\n",
            5,
            "rules[0].principals[0]",
        ),
        ("version: 1\nprincipal: {}\n", 2, "principal"),
        (
            "version: 1\nprincipals:\n  a:\n    ssh_keys: ['ssh-ed25519 @@@']\n",
            4,
            "principals.a.ssh_keys[0].key",
        ),
    ],
    ids=["unknown-principal", "unknown-key", "bad-ssh-key"],
)
def test_policy_errors_name_line_and_key(text: str, line: int, key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_trust_policy(text, "trust.yaml")
    assert (caught.value.line, caught.value.key) == (line, key)


@pytest.mark.parametrize(("signer", "code"), [("alice", EXIT_PASS), ("eve", EXIT_FINDINGS)])
def test_verify_exit_code(tmp_path: Path, keys: dict[str, SshKey], signer: str, code: int) -> None:
    repo = authored(tmp_path, keys)
    commit(repo, {}, "policy", keys["alice"])
    commit(repo, {"clusters/prod/a.yaml": "a"}, "prod", keys[signer])
    assert (
        main(["verify", "--repo", str(repo), "--format", "json", "-o", str(tmp_path / "r.json")])
        == code
    )


def test_verify_json_reports_each_failing_commit(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    repo = authored(tmp_path, keys)
    commit(repo, {}, "policy", keys["alice"])
    oid = commit(repo, {"clusters/prod/a.yaml": "a"}, "prod", keys["bob"])
    out = tmp_path / "r.json"
    main(["verify", "--repo", str(repo), "--format", "json", "-o", str(out)])
    findings = json.loads(out.read_text())["findings"]
    failing = [f for f in findings if f["rule"] == "signer-not-allowed"]
    assert [f["details"]["commit"] for f in failing] == [oid]


def k_of_n_repo(tmp_path: Path, keys: dict[str, SshKey]) -> tuple[Path, str]:
    """alice and bob both sign off clusters/prod on main; alice commits a prod change."""
    repo = authored(tmp_path, keys)
    r = str(repo)
    allow = ["trust", "allow", "bob", "--branch", "main", "--path", "clusters/prod/**"]
    assert main([*allow, "--threshold", "2", "--repo", r]) == 0
    policy = (repo / ".gitwarden/trust.yaml").read_text()
    commit(repo, {".gitwarden/trust.yaml": policy}, "policy", keys["alice"])
    return repo, commit(repo, {"clusters/prod/a.yaml": "a"}, "prod", keys["alice"])


def test_trust_approve_records_a_dsse_approval_that_meets_the_threshold(
    tmp_path: Path, keys: dict[str, SshKey], capsys: pytest.CaptureFixture[str]
) -> None:
    repo, oid = k_of_n_repo(tmp_path, keys)
    r = str(repo)
    assert main(["verify", "--repo", r, "--fail-on", "high"]) == EXIT_FINDINGS
    approve = ["trust", "approve", oid, "--signing-key", str(keys["bob"].private), "--repo", r]
    assert main([*approve, "-m", "prod quota checked"]) == EXIT_PASS
    assert "refs/gitwarden/approvals approval-" in capsys.readouterr().out
    assert main(["verify", "--repo", r, "--fail-on", "high"]) == EXIT_PASS


def test_trust_approve_writes_no_legacy_note(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    repo, oid = k_of_n_repo(tmp_path, keys)
    main(["trust", "approve", oid, "--signing-key", str(keys["bob"].private), "--repo", str(repo)])
    listing = ["for-each-ref", "--format=%(refname)", "refs/notes", "refs/gitwarden"]
    refs = subprocess.run(
        ["git", "-C", str(repo), *listing], capture_output=True, text=True, check=True
    ).stdout.split()
    assert refs == ["refs/gitwarden/approvals"]


def test_trust_approve_on_a_detached_head_needs_a_branch(
    tmp_path: Path, keys: dict[str, SshKey]
) -> None:
    repo, oid = k_of_n_repo(tmp_path, keys)
    subprocess.run(["git", "-C", str(repo), "checkout", "-q", "--detach"], check=True)
    approve = ["trust", "approve", oid, "--signing-key", str(keys["bob"].private)]
    assert main([*approve, "--repo", str(repo)]) == EXIT_USAGE
    assert main([*approve, "--branch", "main", "--repo", str(repo)]) == EXIT_PASS
