"""`gitwarden drift` on the command line: exit 0 no drift, 1 drift, 2 error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from drift.gitops_repo import gitops_repo
from drift.kube_api_server import RESPONSES
from gitwarden.cli.main import main

KUBECTL_YAML = RESPONSES / "kubectl_get_shop.yaml"


def dump_with_replicas(tmp_path: Path, replicas: int) -> Path:
    dump = yaml.safe_load(KUBECTL_YAML.read_text())
    dump["items"][0]["spec"]["replicas"] = replicas
    path = tmp_path / "live.yaml"
    path.write_text(yaml.safe_dump(dump))
    return path


@pytest.mark.parametrize(("replicas", "code"), [(2, 0), (7, 1)])
def test_drift_at_or_above_fail_on_exits_one(tmp_path: Path, replicas: int, code: int) -> None:
    repo = gitops_repo(tmp_path / "repo")
    live = dump_with_replicas(tmp_path, replicas)
    argv = ["drift", "--repo", str(repo), "--live", str(live), "--fail-on", "medium"]
    assert main(argv) == code


def test_an_unreadable_dump_exits_two(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = gitops_repo(tmp_path / "repo")
    live = tmp_path / "live.json"
    live.write_text("{not json")
    assert main(["drift", "--repo", str(repo), "--live", str(live)]) == 2
    assert "not valid JSON" in capsys.readouterr().err


def test_an_unreachable_api_exits_two(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = gitops_repo(tmp_path / "repo")
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "current-context": "gone",
                "clusters": [{"name": "gone", "cluster": {"server": "https://127.0.0.1:1"}}],
                "users": [{"name": "u", "user": {"token": "t"}}],
                "contexts": [{"name": "gone", "context": {"cluster": "gone", "user": "u"}}],
            }
        )
    )
    assert main(["drift", "--repo", str(repo), "--kubeconfig", str(kubeconfig)]) == 2
    assert "Kubernetes API unreachable" in capsys.readouterr().err


def test_json_output_carries_the_field_manager(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = gitops_repo(tmp_path / "repo")
    live = dump_with_replicas(tmp_path, 7)
    main(["drift", "--repo", str(repo), "--live", str(live), "--format", "json"])
    [finding] = json.loads(capsys.readouterr().out)["findings"]
    assert (finding["rule"], finding["details"]["field_manager"]) == (
        "drift-field-changed",
        "an unrecorded manager (no managedFields entry)",
    )


def test_display_options_shape_the_text_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # --min-severity and --summary are accepted by every reporting command; drift obeys them.
    repo = gitops_repo(tmp_path / "repo")
    live = dump_with_replicas(tmp_path, 7)
    argv = ["drift", "--repo", str(repo), "--live", str(live), "--fail-on", "medium"]
    assert main([*argv, "--min-severity", "critical"]) == 1
    hidden = capsys.readouterr().out
    assert "drift-field-changed" not in hidden
    assert "1 below the display floor not shown" in hidden
    assert main([*argv, "--summary"]) == 1
    assert "drift-field-changed" in capsys.readouterr().out
