"""The scanner over a whole environment: counts, and one finding per drift."""

from __future__ import annotations

from pathlib import Path

from drift.drift_scenarios import declared, live_dump
from drift.kube_api_server import RESPONSES
from gitwarden.drift.scanner import DriftSettings, find_drift


def test_the_result_counts_compared_and_live_objects(tmp_path: Path) -> None:
    from drift.gitops_repo import SHOP

    state = live_dump(tmp_path, (RESPONSES / "kubectl_get_shop.yaml").read_text())
    result = find_drift(declared(SHOP), state, DriftSettings())
    assert (result.objects_compared, result.live_objects, result.findings) == (2, 2, ())


def test_two_runs_do_not_share_state(tmp_path: Path) -> None:
    from drift.gitops_repo import SHOP

    state = live_dump(tmp_path, (RESPONSES / "kubectl_get_shop.yaml").read_text())
    changed = live_dump(
        tmp_path,
        (RESPONSES / "kubectl_get_shop.yaml")
        .read_text()
        .replace("replicas: 2\n", "replicas: 9\n", 1),
        "changed.yaml",
    )
    first = find_drift(declared(SHOP), changed, DriftSettings())
    second = find_drift(declared(SHOP), state, DriftSettings())
    assert (len(first.findings), len(second.findings)) == (1, 0)
