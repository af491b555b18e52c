"""Issue 11.2: a scan fetches nothing, whatever field of a kustomization names remote content,
and the renderer itself cannot reach any host, loopback included."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hostile_repos import QUIET_CONFIGMAP, RecordingServer, make_repo, scan_json

from gitwarden.sources.offline import network_isolation

needs_kubectl = pytest.mark.skipif(
    shutil.which("kubectl") is None and shutil.which("kustomize") is None,
    reason="needs kubectl or kustomize",
)

PRIVILEGE_PATCH = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: tools}
data: {mode: loud}
"""
TRANSFORMER = """\
apiVersion: builtin
kind: PatchTransformer
metadata: {name: fetched}
path: PATCH_URL
"""


@pytest.mark.parametrize(
    "field",
    [
        "transformers: [URL]",
        "generators: [URL]",
        "validators: [URL]",
        "crds: [URL]",
        "configurations: [URL]",
        "openapi: {path: URL}",
        "patches: [{path: URL}]",
        "components: [URL]",
    ],
)
@needs_kubectl
def test_remote_reference_in_any_field_is_refused_and_never_fetched(
    tmp_path: Path, field: str
) -> None:
    with RecordingServer({"transformer.yaml": TRANSFORMER}) as server:
        kustomization = "resources: [settings.yaml]\n" + field.replace(
            "URL", f"{server.url}/transformer.yaml"
        )
        repo = make_repo(
            tmp_path / "repo",
            {"app/kustomization.yaml": kustomization + "\n", "app/settings.yaml": QUIET_CONFIGMAP},
        )
        run = scan_json(repo)
    assert server.requests == []
    assert run.exit_code == 1
    [refusal] = run.findings("remote-source-refused")
    assert f"{server.url}/transformer.yaml" in refusal["message"]


@needs_kubectl
@pytest.mark.skipif(not network_isolation(), reason="no network namespace on this system")
def test_renderer_cannot_reach_loopback_for_what_the_pre_check_cannot_see(
    tmp_path: Path,
) -> None:
    # The URL sits in a local transformer file, which the pre-check does not read: only the
    # renderer's network namespace stands between it and the server.
    with RecordingServer({"patch.yaml": PRIVILEGE_PATCH}) as server:
        repo = make_repo(
            tmp_path / "repo",
            {
                "app/kustomization.yaml": "resources: [settings.yaml]\ntransformers: [t.yaml]\n",
                "app/settings.yaml": QUIET_CONFIGMAP,
                "app/t.yaml": TRANSFORMER.replace("PATCH_URL", f"{server.url}/patch.yaml"),
            },
        )
        run = scan_json(repo)
    assert server.requests == []
    assert run.exit_code == 1
    [failure] = run.findings("render-failed")
    assert "network is unreachable" in failure["message"]
