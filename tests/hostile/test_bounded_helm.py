"""Issue 11.4: a hostile Helm template cannot make a scan run for minutes or take gigabytes;
the chart that hits a render limit is reported as not checked and fails the gate."""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import pytest
from hostile_repos import QUIET_CONFIGMAP, make_repo, scan_json

HUGE_REPEAT = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: bomb}
data:
  a: {{ repeat 1073741824 "a" | quote }}
"""


@pytest.mark.skipif(importlib.util.find_spec("helm_python") is None, reason="needs the SDK")
def test_chart_allocating_gigabytes_is_stopped_and_fails_the_gate(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "settings.yaml": QUIET_CONFIGMAP,
            "charts/bomb/Chart.yaml": "apiVersion: v2\nname: bomb\nversion: 1.0.0\n",
            "charts/bomb/templates/cm.yaml": HUGE_REPEAT,
        },
    )
    started = time.monotonic()
    run = scan_json(repo)
    # Unbounded, this template took 31 s and 9.5 GB; the default 1 GiB limit stops it early.
    assert time.monotonic() - started < 30
    assert run.exit_code == 1
    [failure] = run.findings("render-failed")
    assert failure["file"] == "charts/bomb/Chart.yaml"
    assert "memory limit" in failure["message"]
    assert len(failure["message"]) < 400  # the renderer's backtrace stays out
