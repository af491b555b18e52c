"""Issue 11.1: whatever gitwarden could not check fails the default gate ("not checked" is
never "clean"), and a user can accept the gap explicitly, per path, with a reason."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest
from hostile_repos import PRIVILEGED_POD, QUIET_CONFIGMAP, CliRun, make_repo, scan_json

PRIVILEGE_PATCH = """\
apiVersion: v1
kind: Pod
metadata: {name: root-shell, namespace: tools}
spec:
  containers:
    - name: shell
      securityContext: {privileged: true}
"""

NOT_CHECKED_REPOS: dict[str, tuple[str, dict[str, str | bytes]]] = {
    "remote base": (
        "remote-source-refused",
        {
            "apps/web/kustomization.yaml": """\
                resources:
                  - https://github.com/example/platform//deploy?ref=v1
                patches:
                  - path: privileged.yaml
                """,
            "apps/web/privileged.yaml": PRIVILEGE_PATCH,
        },
    ),
    "helmCharts": (
        "render-failed",
        {
            "apps/web/kustomization.yaml": """\
                helmCharts:
                  - name: web
                    repo: oci://registry.example.com/charts
                    version: 1.0.0
                patches:
                  - path: privileged.yaml
                """,
            "apps/web/privileged.yaml": PRIVILEGE_PATCH,
        },
    ),
    "overlay that fails to render": (
        "render-failed",
        {
            "apps/web/kustomization.yaml": "resources: [missing.yaml]\n",
        },
    ),
    "chart that fails to render": (
        "render-failed",
        {
            "charts/web/Chart.yaml": "apiVersion: v2\nname: web\nversion: 1.0.0\n",
            "charts/web/templates/pod.yaml": '{{ fail "hostile" }}\n',
        },
    ),
    "document over the size cap": (
        "document-too-large",
        {"pod.yaml": PRIVILEGED_POD + "# " + "x" * (6 * 1024 * 1024) + "\n"},
    ),
    "binary file": ("binary-file", {"pod.yaml": PRIVILEGED_POD.encode() + b"\0\0\0"}),
}


HAS_KUSTOMIZE = bool(shutil.which("kubectl") or shutil.which("kustomize"))
HAS_HELM_SDK = importlib.util.find_spec("helm_python") is not None
# Without its renderer a case is reported as renderer-missing instead: skip it there.
RENDERER_OF = {
    "remote base": ("kubectl", HAS_KUSTOMIZE),
    "helmCharts": ("kubectl", HAS_KUSTOMIZE),
    "overlay that fails to render": ("kubectl", HAS_KUSTOMIZE),
    "chart that fails to render": ("helm-python-sdk", HAS_HELM_SDK),
}


def case_param(case: str) -> object:
    renderer, installed = RENDERER_OF.get(case, ("", True))
    return pytest.param(case, marks=pytest.mark.skipif(not installed, reason=f"needs {renderer}"))


def failing_rules(run: CliRun) -> set[str]:
    return {
        f["rule"]
        for f in run.report["findings"]
        if not f["suppressed"] and f["severity"] in ("high", "critical")
    }


@pytest.mark.parametrize("case", [case_param(case) for case in sorted(NOT_CHECKED_REPOS)])
def test_what_was_not_checked_fails_the_default_gate(tmp_path: Path, case: str) -> None:
    rule, files = NOT_CHECKED_REPOS[case]
    repo = make_repo(tmp_path / "repo", {"settings.yaml": QUIET_CONFIGMAP, **files})
    run = scan_json(repo)
    assert run.exit_code == 1
    # The gap alone fails the run: nothing else in these repositories is high.
    assert failing_rules(run) == {rule}


def test_fifo_named_like_a_dotenv_file_fails_the_default_gate(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"settings.yaml": QUIET_CONFIGMAP})
    os.mkfifo(repo / ".env")
    run = scan_json(repo)
    assert run.exit_code == 1
    assert [f["file"] for f in run.findings("parse-error")] == [".env"]


@pytest.mark.skipif(not HAS_KUSTOMIZE, reason="needs kubectl")
def test_a_gap_accepted_with_a_reason_for_its_path_passes(tmp_path: Path) -> None:
    rule, files = NOT_CHECKED_REPOS["remote base"]
    config = (
        "suppressions:\n"
        f"  - rule: {rule}\n"
        '    path: "apps/web/**"\n'
        '    reason: "platform base is scanned in its own repository (SEC-1)"\n'
    )
    repo = make_repo(
        tmp_path / "repo", {"settings.yaml": QUIET_CONFIGMAP, ".gitwarden.yaml": config, **files}
    )
    run = scan_json(repo)
    assert run.exit_code == 0
    [accepted] = run.findings(rule)
    assert accepted["suppression"]["reason"].startswith("platform base")
