"""Live state from dumps: `kubectl get -o yaml|json`, folders of them, `argocd app manifests`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from drift.kube_api_server import RESPONSES
from gitwarden.sources.live_dumps import read_live_dumps
from gitwarden.sources.live_state import LiveStateError

KUBECTL_YAML = RESPONSES / "kubectl_get_shop.yaml"
ARGOCD_LIVE = RESPONSES / "argocd_live_shop.yaml"


def test_a_kubectl_list_yields_its_items() -> None:
    state = read_live_dumps(KUBECTL_YAML)
    assert [(o.kind, o.namespace, o.name) for o in state.objects] == [
        ("Deployment", "shop", "web"),
        ("Service", "shop", "web"),
    ]


def test_kubectl_json_output_reads_the_same(tmp_path: Path) -> None:
    dump = tmp_path / "live.json"
    dump.write_text(json.dumps(yaml.safe_load(KUBECTL_YAML.read_text())))
    assert [o.body for o in read_live_dumps(dump).objects] == [
        o.body for o in read_live_dumps(KUBECTL_YAML).objects
    ]


def test_an_argocd_live_manifest_stream_yields_each_document() -> None:
    assert [o.kind for o in read_live_dumps(ARGOCD_LIVE).objects] == ["Service", "Deployment"]


def test_a_folder_of_dumps_is_read_whole(tmp_path: Path) -> None:
    shutil.copy(KUBECTL_YAML, tmp_path / "shop.yaml")
    (tmp_path / "nested").mkdir()
    shutil.copy(ARGOCD_LIVE, tmp_path / "nested" / "argocd.yml")
    (tmp_path / "README.txt").write_text("not a dump")
    assert len(read_live_dumps(tmp_path).objects) == 4


def test_a_dump_is_not_said_to_list_kinds_completely() -> None:
    assert read_live_dumps(KUBECTL_YAML).listed is None


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.yaml", "items: [unclosed", "not valid YAML"),
        ("broken.json", "{", "not valid JSON"),
        ("scalar.yaml", "just text", "not a Kubernetes object"),
        ("nokind.yaml", "metadata: {name: x}", "without kind or metadata"),
    ],
)
def test_an_unreadable_dump_is_an_error(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    dump = tmp_path / name
    dump.write_text(content)
    with pytest.raises(LiveStateError, match=message):
        read_live_dumps(dump)


def test_a_missing_dump_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(LiveStateError, match="no such live dump"):
        read_live_dumps(tmp_path / "absent.yaml")


def test_an_empty_dump_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(LiveStateError, match="no live dump files"):
        read_live_dumps(tmp_path)


def test_a_dump_over_the_size_limit_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(LiveStateError, match="over 100 bytes"):
        read_live_dumps(KUBECTL_YAML, max_bytes=100)


def test_a_symlink_in_a_dump_folder_is_not_followed(tmp_path: Path) -> None:
    shutil.copy(KUBECTL_YAML, tmp_path / "shop.yaml")
    (tmp_path / "elsewhere.yaml").symlink_to(ARGOCD_LIVE)
    assert len(read_live_dumps(tmp_path).objects) == 2


def test_anchored_dumps_are_read_with_aliases_kept(tmp_path: Path) -> None:
    dump = tmp_path / "anchored.yaml"
    dump.write_text(
        "apiVersion: v1\nkind: List\nitems:\n"
        "- &cm {apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: shop}}\n"
        "- *cm\n"
    )
    assert [o.name for o in read_live_dumps(dump).objects] == ["a", "a"]


def test_yaml_dumps_keep_kubernetes_types(tmp_path: Path) -> None:
    dump = tmp_path / "typed.yaml"
    dump.write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"
        '  creationTimestamp: "2026-11-30T08:12:41Z"\n'
        'data:\n  port: "8080"\n  enabled: "true"\n  empty: null\n'
    )
    [obj] = read_live_dumps(dump).objects
    assert obj.body["data"] == {"port": "8080", "enabled": "true", "empty": None}
