"""What runs in an environment: the last allowed gate decision the audit store holds."""

from __future__ import annotations

from pathlib import Path

from gate_fixtures import git, gitops_repo

from gitwarden.attestation.signing_keys import load_verifying_key
from gitwarden.audit.stores import open_store
from gitwarden.gate.deployments import last_deployed


def deployed(audit: str, repository: str, environment: str = "prod") -> str | None:
    store = open_store(audit, create=True)
    try:
        return last_deployed(store, repository, environment)
    finally:
        store.close()


def test_an_empty_store_has_no_deployment(tmp_path: Path) -> None:
    assert deployed(f"sqlite:///{tmp_path / 'audit.db'}", "repo") is None


def test_a_denied_decision_is_not_a_deployment(tmp_path: Path) -> None:
    repo = gitops_repo(tmp_path)
    allowed = git(repo.path, "rev-parse", "HEAD")
    assert repo.gate().allowed
    repo.commit({"clusters/prod/x.yaml": "kind: ConfigMap\n"}, signed=False)
    assert not repo.gate().allowed
    assert deployed(repo.audit, str(repo.path.resolve())) == allowed


def test_another_environment_has_its_own_deployments(tmp_path: Path) -> None:
    repo = gitops_repo(tmp_path)
    assert repo.gate().allowed
    assert deployed(repo.audit, str(repo.path.resolve()), "staging") is None


def test_an_allow_sealed_by_another_key_is_not_a_deployment(tmp_path: Path) -> None:
    repo = gitops_repo(tmp_path)
    genuine = git(repo.path, "rev-parse", "HEAD")
    assert repo.gate().allowed
    forged = repo.commit({"clusters/prod/x.yaml": "kind: ConfigMap\n"})
    repo.gate(forged, signing_key=repo.mallory.private)  # appended with an outsider's key
    gate_key = load_verifying_key(repo.gate_key.public)
    store = open_store(repo.audit, create=False)
    try:
        assert last_deployed(store, str(repo.path.resolve()), "prod") == forged
        assert last_deployed(store, str(repo.path.resolve()), "prod", gate_key) == genuine
    finally:
        store.close()
