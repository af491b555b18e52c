"""`gitwarden.verify`: the library call, its config, and out-of-band roots of trust."""

from __future__ import annotations

import base64
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import gitwarden
from gitwarden.commands.verify import VerifyOptions, verify, verify_result
from gitwarden.config import Config
from gitwarden.errors import UsageError
from gitwarden.integrity.signature_verdict import SignatureStatus
from integrity.integrity_fixtures import SshKey, commit, gpg_key, make_repo, ssh_key, trust_yaml


@pytest.fixture(autouse=True)
def private_state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITWARDEN_STATE_DIR", str(tmp_path / "gitwarden-state"))


@pytest.fixture
def gnupghome(tmp_path: Path) -> Path:
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    return home


def armored_keyring(cert: str) -> str:
    return cert


def argocd_configmap(cert: str) -> str:
    return yaml.safe_dump(
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "argocd-gpg-keys-cm", "namespace": "argocd"},
            "data": {"4AEE18F83AFDEB23": cert},
        }
    )


def flux_secret(cert: str) -> str:
    documents = [
        {
            "apiVersion": "source.toolkit.fluxcd.io/v1",
            "kind": "GitRepository",
            "metadata": {"name": "podinfo", "namespace": "flux-system"},
            "spec": {
                "url": "https://example.com/podinfo",
                "verify": {"mode": "HEAD", "secretRef": {"name": "pgp-public-keys"}},
            },
        },
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "pgp-public-keys", "namespace": "flux-system"},
            "type": "Opaque",
            "data": {"author1.asc": base64.b64encode(cert.encode()).decode()},
        },
    ]
    return yaml.safe_dump_all(documents)


@pytest.mark.parametrize("layout", [armored_keyring, argocd_configmap, flux_secret])
def test_openpgp_key_sources_make_gpg_signed_commits_valid(
    tmp_path: Path, gnupghome: Path, layout: object
) -> None:
    fingerprint, cert = gpg_key(gnupghome, "alice@example.com")
    repo = make_repo(tmp_path / "repo")
    signed = commit(repo, {"a.txt": "a"}, "signed", gpg_key=fingerprint, gnupghome=gnupghome)
    unsigned = commit(repo, {"b.txt": "b"}, "unsigned")
    keys = tmp_path / "keys.yaml"
    keys.write_text(layout(cert))  # type: ignore[operator]
    result = verify_result(repo, options=VerifyOptions(keys=(str(keys),)))
    statuses = {v.commit: (v.status, v.key) for v in result.verdicts}
    assert statuses == {
        signed: (SignatureStatus.VALID, fingerprint),
        unsigned: (SignatureStatus.UNSIGNED, None),
    }


@pytest.mark.parametrize(
    ("options", "valid"),
    [("", True), ('namespaces="git,file" ', True), ('namespaces="file" ', False)],
)
def test_allowed_signers_keys_obey_the_namespaces_option(
    tmp_path: Path, options: str, valid: bool
) -> None:
    alice = ssh_key(tmp_path / "keys", "alice")
    repo = make_repo(tmp_path / "repo")
    oid = commit(repo, {"a.txt": "a"}, "signed", alice)
    other = ssh_key(tmp_path / "keys", "bob")
    signers = tmp_path / "allowed_signers"
    signers.write_text(
        f"# team keys\nalice@example.com {options}{alice.public_line}\n"
        f"bob@example.com {other.public_line}\n"
    )
    [verdict] = verify_result(repo, options=VerifyOptions(keys=(str(signers),))).verdicts
    assert (verdict.commit, verdict.status is SignatureStatus.VALID) == (oid, valid)


def test_allowed_signers_valid_before_limits_the_key(tmp_path: Path) -> None:
    alice = ssh_key(tmp_path / "keys", "alice")
    repo = make_repo(tmp_path / "repo")
    commit(repo, {"a.txt": "a"}, "signed", alice)
    signers = tmp_path / "allowed_signers"
    signers.write_text(f'alice@example.com valid-before="20200101" {alice.public_line}\n')
    [verdict] = verify_result(repo, options=VerifyOptions(keys=(str(signers),))).verdicts
    assert verdict.status is SignatureStatus.KEY_NOT_VALID


def test_keys_from_the_repository_are_read_at_the_named_revision(tmp_path: Path) -> None:
    alice = ssh_key(tmp_path / "keys", "alice")
    repo = make_repo(tmp_path / "repo")
    keys_commit = commit(
        repo, {"keys/allowed_signers": f"alice {alice.public_line}\n"}, "keys", alice
    )
    oid = commit(repo, {"a.txt": "a"}, "signed", alice)
    result = verify_result(repo, options=VerifyOptions(keys=(f"{keys_commit}:keys",)))
    assert {v.commit: v.status for v in result.verdicts} == {
        keys_commit: SignatureStatus.VALID,
        oid: SignatureStatus.VALID,
    }


def test_report_names_the_out_of_band_root_of_trust(tmp_path: Path) -> None:
    alice = ssh_key(tmp_path / "keys", "alice")
    repo = make_repo(tmp_path / "repo")
    commit(repo, {"a.txt": "a"}, "signed", alice)
    policy = tmp_path / "trust.yaml"
    policy.write_text(trust_yaml({"alice": [alice.public_line]}, []))
    report = verify(repo, options=VerifyOptions(policy=policy))
    [root] = report.findings
    assert (root.rule_id, root.location.file) == ("trust-root-out-of-band", str(policy))
    assert report.passed


def test_out_of_band_policy_rules_judge_every_commit(tmp_path: Path) -> None:
    alice, bob = ssh_key(tmp_path / "keys", "alice"), ssh_key(tmp_path / "keys", "bob")
    repo = make_repo(tmp_path / "repo")
    oid = commit(repo, {"clusters/prod/app.yaml": "a"}, "prod change", bob)
    policy = tmp_path / "trust.yaml"
    rules = [{"branches": ["main"], "paths": ["clusters/prod/**"], "principals": ["alice"]}]
    policy.write_text(trust_yaml({"alice": [alice.public_line], "bob": [bob.public_line]}, rules))
    report = verify(repo, options=VerifyOptions(policy=policy))
    assert [(f.rule_id, f.details.get("commit")) for f in report.findings][1:] == [
        ("signer-not-allowed", oid)
    ]


def test_keys_and_policy_together_are_refused(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    with pytest.raises(UsageError, match="not both"):
        verify(repo, options=VerifyOptions(keys=("k",), policy=tmp_path / "p.yaml"))


def test_adoption_counts_unsigned_and_unknown_key_commits_per_author(tmp_path: Path) -> None:
    alice, eve = ssh_key(tmp_path / "keys", "alice"), ssh_key(tmp_path / "keys", "eve")
    repo = make_repo(tmp_path / "repo")
    commit(repo, {"a": "1"}, "one", alice)
    commit(repo, {"b": "2"}, "two")
    commit(repo, {"c": "3"}, "three")
    commit(repo, {"d": "4"}, "four", eve)
    signers = tmp_path / "allowed_signers"
    signers.write_text(f"alice {alice.public_line}\n")
    adoption = verify_result(repo, options=VerifyOptions(keys=(str(signers),))).adoption
    eve_key = subprocess.run(
        ["ssh-keygen", "-lf", str(eve.public)], capture_output=True, text=True, check=True
    ).stdout.split()[1]
    assert [(e.author, e.status.value, e.key, e.commits) for e in adoption.entries] == [
        ("Test <test@example.com>", "unsigned", None, 2),
        ("Test <test@example.com>", "unknown-key", eve_key, 1),
    ]


def test_config_disabled_rule_is_obeyed(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    commit(repo, {"a.txt": "a"}, "unsigned")
    signers = tmp_path / "allowed_signers"
    signers.write_text(f"alice {ssh_key(tmp_path / 'keys', 'alice').public_line}\n")
    options = VerifyOptions(keys=(str(signers),))
    enforced = verify(repo, options=options)
    relaxed = verify(repo, Config(disabled_rules=("unsigned-commit",)), options)
    assert "unsigned-commit" in [f.rule_id for f in enforced.findings]
    assert "unsigned-commit" not in [f.rule_id for f in relaxed.findings]
    assert (enforced.passed, relaxed.passed) == (False, True)


def test_repository_gitwarden_yaml_is_the_default_config(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    commit(repo, {".gitwarden.yaml": "disabled_rules: [unsigned-commit]\n"}, "unsigned")
    signers = tmp_path / "allowed_signers"
    signers.write_text(f"alice {ssh_key(tmp_path / 'keys', 'alice').public_line}\n")
    report = verify(repo, options=VerifyOptions(keys=(str(signers),)))
    assert "unsigned-commit" not in [f.rule_id for f in report.findings]


def test_verify_is_exported_from_the_package() -> None:
    assert gitwarden.verify is verify
    assert "verify" in gitwarden.__all__


@pytest.mark.parametrize(("signed", "exit_code"), [(True, 0), (False, 1)])
def test_cli_verify_with_keys_exits_like_the_report(
    tmp_path: Path, signed: bool, exit_code: int
) -> None:
    alice: SshKey = ssh_key(tmp_path / "keys", "alice")
    repo = make_repo(tmp_path / "repo")
    commit(repo, {"a.txt": "a"}, "change", alice if signed else None)
    signers = tmp_path / "allowed_signers"
    signers.write_text(f"alice {alice.public_line}\n")
    done = subprocess.run(
        [sys.executable, "-m", "gitwarden", "verify", "--repo", str(repo), "--keys", str(signers)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == exit_code, done.stderr


def test_two_verifications_in_threads_get_their_serial_results(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    alice, eve = ssh_key(tmp_path / "keys", "alice"), ssh_key(tmp_path / "keys", "eve")
    signers = tmp_path / "allowed_signers"
    signers.write_text(f"alice {alice.public_line}\n")
    repos = []
    for name, key in (("trusted", alice), ("stranger", eve)):
        repo = make_repo(tmp_path / name)
        for index in range(5):
            commit(repo, {f"{index}.txt": name}, f"{name} {index}", key)
        repos.append(repo)
    options = VerifyOptions(keys=(str(signers),), use_cache=False)

    def rule_ids(repo: Path) -> list[str]:
        return sorted(f.rule_id for f in verify(repo, options=options).findings)

    serial = [rule_ids(repo) for repo in repos]
    with ThreadPoolExecutor(max_workers=4) as pool:
        concurrent = list(pool.map(rule_ids, repos * 3))
    assert concurrent == serial * 3
    assert serial[0] != serial[1]


def test_readme_python_example_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Signed history") :]
    example = section.split("```python\n", 1)[1].split("```", 1)[0]
    alice = ssh_key(tmp_path / "keys", "alice")
    repo = make_repo(tmp_path / "repo")
    commit(repo, {"a.txt": "a"}, "signed", alice)
    commit(repo, {"b.txt": "b"}, "unsigned")
    (repo / "allowed_signers").write_text(f"alice {alice.public_line}\n")
    monkeypatch.chdir(repo)
    exec(compile(example, "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert printed.startswith("False ['trust-root-out-of-band', 'unsigned-commit']")
    assert "1  unsigned" in printed
