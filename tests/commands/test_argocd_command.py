"""`gitwarden.argocd_generate()` from Python: the gate's result, and manifests only on allow."""

from __future__ import annotations

from pathlib import Path

import pytest

import gitwarden
from gitops_checkout import CONFIGMAP, argocd_checkout, git, signed_repo
from gitwarden.commands.argocd import ArgocdOptions, argocd_generate
from gitwarden.errors import UsageError


def variables(revision: str, **extra: str) -> dict[str, str]:
    return {"ARGOCD_APP_REVISION": revision, "ARGOCD_ENV_GITWARDEN_ENV": "prod", **extra}


@pytest.mark.parametrize("signed", [True, False], ids=["signed-allowed", "unsigned-denied"])
def test_manifests_are_generated_only_for_an_allowed_revision(tmp_path: Path, signed: bool) -> None:
    repo = signed_repo(tmp_path)
    revision = repo.commit(
        {"clusters/prod/more.yaml": CONFIGMAP.replace("settings", "more")}, signed=signed
    )
    checkout = argocd_checkout(repo, revision, tmp_path / "checkout")

    result = argocd_generate(
        checkout / "clusters" / "prod",
        None,
        ArgocdOptions(environ=variables(revision), signing_key=repo.gate_key, audit=repo.audit),
    )

    assert result.allowed is signed
    assert (result.manifests is not None) is signed
    assert result.report.command == "gate"
    assert result.report.target == str(checkout)


def test_the_decision_is_recorded_under_argo_cds_repository_url(tmp_path: Path) -> None:
    repo = signed_repo(tmp_path)
    revision = git(repo.path, "rev-parse", "HEAD")
    checkout = argocd_checkout(repo, revision, tmp_path / "checkout")
    url = "https://user:token@git.example/shop.git"

    result = argocd_generate(
        checkout / "clusters" / "prod",
        None,
        ArgocdOptions(
            environ=variables(revision, ARGOCD_APP_SOURCE_REPO_URL=url),
            signing_key=repo.gate_key,
            audit=repo.audit,
        ),
    )

    assert result.gate.decision.repository == "https://git.example/shop.git"


def test_the_gate_key_comes_from_the_sidecar_environment(tmp_path: Path) -> None:
    repo = signed_repo(tmp_path)
    revision = git(repo.path, "rev-parse", "HEAD")
    checkout = argocd_checkout(repo, revision, tmp_path / "checkout")
    environ = variables(revision, GITWARDEN_SIGNING_KEY=str(repo.gate_key))

    result = argocd_generate(
        checkout / "clusters" / "prod", None, ArgocdOptions(environ=environ, audit=repo.audit)
    )

    assert result.gate.audit_entry is not None


def test_a_folder_outside_a_git_checkout_is_refused(tmp_path: Path) -> None:
    with pytest.raises(gitwarden.errors.GitwardenError, match="not a Git repository"):
        argocd_generate(tmp_path, None, ArgocdOptions(environ=variables("HEAD")))


def test_the_package_exports_argocd_generate() -> None:
    assert gitwarden.argocd_generate is argocd_generate
    assert "argocd_generate" in gitwarden.__all__


def test_settings_are_read_before_anything_runs(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="ARGOCD_APP_REVISION"):
        argocd_generate(tmp_path, None, ArgocdOptions(environ={}))


def test_without_a_gate_key_nothing_is_judged_and_the_hint_names_the_variable(
    tmp_path: Path,
) -> None:
    repo = signed_repo(tmp_path)
    revision = git(repo.path, "rev-parse", "HEAD")
    checkout = argocd_checkout(repo, revision, tmp_path / "checkout")

    with pytest.raises(UsageError) as raised:
        argocd_generate(
            checkout / "clusters" / "prod",
            None,
            ArgocdOptions(environ=variables(revision), audit=repo.audit),
        )

    assert "GITWARDEN_SIGNING_KEY" in (raised.value.hint or "")
