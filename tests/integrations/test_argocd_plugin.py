"""The Argo CD Config Management Plugin, run as the repo-server runs it.

`gitwarden argocd generate` as a subprocess, in the application's folder of a checkout made
like Argo CD's, with the variables Argo CD sets. Allowed: the manifests on stdout. Denied:
empty stdout, the reason on stderr, a non-zero exit.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from host_fixtures import REPOSITORY_ROOT, host_env

from gitops_checkout import CONFIGMAP, SignedRepo, argocd_checkout, git, signed_repo
from secrets_values import GITHUB_TOKEN

GITWARDEN = str(Path(sys.executable).parent / "gitwarden")
PLUGIN = REPOSITORY_ROOT / "integrations" / "argocd" / "plugin.yaml"
OVERLAY = """\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop
namePrefix: prod-
resources: [settings.yaml]
"""
# Enough of Argo CD's own argocd-repo-server for the sidecar patch to apply to.
REPO_SERVER = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: argocd-repo-server
  namespace: argocd
spec:
  selector:
    matchLabels: {app.kubernetes.io/name: argocd-repo-server}
  template:
    metadata:
      labels: {app.kubernetes.io/name: argocd-repo-server}
    spec:
      containers:
        - name: argocd-repo-server
          image: quay.io/argoproj/argocd:v3.1.0
          securityContext:  # as Argo CD's install sets it
            runAsNonRoot: true
            readOnlyRootFilesystem: true
            allowPrivilegeEscalation: false
            capabilities: {drop: [ALL]}
            seccompProfile: {type: RuntimeDefault}
      volumes:
        - {name: var-files, emptyDir: {}}
        - {name: plugins, emptyDir: {}}
"""


def generate(
    repo: SignedRepo,
    revision: str,
    tmp_path: Path,
    app: str = "clusters/prod",
    checkout: Path | None = None,
    **env: str,
) -> subprocess.CompletedProcess[str]:
    checkout = checkout or argocd_checkout(repo, revision, tmp_path / "argocd-checkout")
    variables = {
        "ARGOCD_APP_NAME": "shop-prod",
        "ARGOCD_APP_NAMESPACE": "shop",
        "ARGOCD_APP_REVISION": revision,
        "ARGOCD_APP_SOURCE_PATH": app,
        "ARGOCD_APP_SOURCE_REPO_URL": str(repo.path),
        "ARGOCD_ENV_GITWARDEN_ENV": "prod",
        "GITWARDEN_SIGNING_KEY": str(repo.gate_key),
        "GITWARDEN_AUDIT_URL": repo.audit,
        "GITWARDEN_STATE_DIR": str(tmp_path / "state"),
        **env,
    }
    return subprocess.run(
        [GITWARDEN, "argocd", "generate"],
        cwd=checkout / app,
        env=host_env(**variables),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_an_allowed_revision_prints_the_applications_manifests(tmp_path: Path) -> None:
    repo = signed_repo(tmp_path)
    revision = git(repo.path, "rev-parse", "HEAD")

    done = generate(repo, revision, tmp_path)

    assert done.returncode == 0, done.stderr
    objects = [d for d in yaml.safe_load_all(done.stdout) if d]
    assert [(o["kind"], o["metadata"]["name"]) for o in objects] == [("ConfigMap", "settings")]


def test_a_revision_with_an_unsigned_commit_is_denied_with_nothing_generated(
    tmp_path: Path,
) -> None:
    repo = signed_repo(tmp_path)
    unsigned = repo.commit(
        {"clusters/prod/more.yaml": CONFIGMAP.replace("settings", "more")}, signed=False
    )

    done = generate(repo, unsigned, tmp_path)

    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith("gitwarden: shop-prod: DENY prod")
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_revision_holding_a_secret_is_denied(tmp_path: Path) -> None:
    repo = signed_repo(tmp_path)
    leaking = repo.commit({"clusters/prod/app.env": f"TOKEN={GITHUB_TOKEN}\n"})

    done = generate(repo, leaking, tmp_path)

    assert (done.returncode, done.stdout) == (1, "")
    assert GITHUB_TOKEN not in done.stderr


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="needs kubectl for kustomize")
def test_a_kustomize_application_is_rendered_without_gitwardens_origin_annotations(
    tmp_path: Path,
) -> None:
    repo = signed_repo(tmp_path, {"clusters/prod/kustomization.yaml": OVERLAY})
    revision = git(repo.path, "rev-parse", "HEAD")

    done = generate(repo, revision, tmp_path)

    assert done.returncode == 0, done.stderr
    objects = [d for d in yaml.safe_load_all(done.stdout) if d]
    assert [o["metadata"]["name"] for o in objects] == ["prod-settings"]
    assert "annotations" not in objects[0]["metadata"]


def test_an_application_outside_the_environments_paths_is_refused(tmp_path: Path) -> None:
    repo = signed_repo(tmp_path, {"clusters/dev/settings.yaml": CONFIGMAP})
    revision = git(repo.path, "rev-parse", "HEAD")

    done = generate(repo, revision, tmp_path, app="clusters/dev")

    assert (done.returncode, done.stdout) == (2, "")
    assert "outside environment 'prod'" in done.stderr


def test_the_judged_revision_is_rendered_not_the_working_tree(tmp_path: Path) -> None:
    repo = signed_repo(tmp_path)
    revision = git(repo.path, "rev-parse", "HEAD")
    checkout = argocd_checkout(repo, revision, tmp_path / "argocd-checkout")
    (checkout / "clusters" / "prod" / "injected.yaml").write_text(
        CONFIGMAP.replace("settings", "injected")
    )

    done = generate(repo, revision, tmp_path, checkout=checkout)

    assert done.returncode == 0, done.stderr
    assert "settings" in done.stdout
    assert "injected" not in done.stdout


def test_a_misspelt_gitwarden_variable_is_refused(tmp_path: Path) -> None:
    repo = signed_repo(tmp_path)
    revision = git(repo.path, "rev-parse", "HEAD")

    done = generate(repo, revision, tmp_path, ARGOCD_ENV_GITWARDEN_FAILON="low")

    assert (done.returncode, done.stdout) == (2, "")
    assert "ARGOCD_ENV_GITWARDEN_FAIL_ON" in done.stderr


def test_the_plugin_runs_init_and_generate_through_gitwarden_argocd() -> None:
    plugin = yaml.safe_load(PLUGIN.read_text())

    assert plugin["kind"] == "ConfigManagementPlugin"
    assert plugin["spec"]["init"]["command"][:3] == ["gitwarden", "argocd", "init"]
    assert plugin["spec"]["generate"]["command"][:3] == ["gitwarden", "argocd", "generate"]


def test_gitwardens_scan_of_the_integrations_passes() -> None:
    done = subprocess.run(
        [GITWARDEN, "scan", str(REPOSITORY_ROOT / "integrations"), "--fail-on", "high"],
        env=host_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )

    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="needs kubectl for kustomize")
def test_the_sidecar_patched_into_a_repo_server_is_hardened(tmp_path: Path) -> None:
    install = tmp_path / "argocd-install"
    shutil.copytree(PLUGIN.parent, install / "gitwarden-plugin")
    (install / "repo-server.yaml").write_text(REPO_SERVER)
    (install / "kustomization.yaml").write_text(
        "resources: [repo-server.yaml]\ncomponents: [gitwarden-plugin]\n"
    )
    out = tmp_path / "report.json"

    subprocess.run(
        [GITWARDEN, "scan", str(install), "--format", "json", "--output", str(out)],
        env=host_env(),
        capture_output=True,
        check=False,
        timeout=300,
    )

    findings = json.loads(out.read_text())["findings"]
    sidecar = [f for f in findings if "'gitwarden'" in f["message"]]
    assert sidecar, "the patch did not add the sidecar"
    assert {f["severity"] for f in sidecar} <= {"low", "info"}, sidecar
