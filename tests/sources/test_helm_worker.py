from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from gitwarden.sources import helm_worker

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("helm_python") is None, reason="needs helm-python-sdk"
)


def make_chart(root: Path, template: str) -> Path:
    (root / "templates").mkdir(parents=True)
    (root / "Chart.yaml").write_text(f"apiVersion: v2\nname: {root.name}\nversion: 0.1.0\n")
    (root / "templates/cm.yaml").write_text(template)
    return root


def request(chart: Path, values_yaml: str | None = None) -> dict[str, Any]:
    return {
        "chart_dir": str(chart),
        "values_yaml": values_yaml,
        "values_name": "values-x.yaml" if values_yaml is not None else None,
        "release": "rel",
        "namespace": "ns",
    }


def test_worker_answers_with_the_rendered_templates(tmp_path: Path) -> None:
    chart = make_chart(tmp_path / "app", "kind: ConfigMap\nname: {{ .Values.name }}\n")
    answer = helm_worker.render(request(chart, "name: from-values\n"))
    assert answer == {
        "manifests": {"app/templates/cm.yaml": "kind: ConfigMap\nname: from-values\n"}
    }


def test_worker_answers_a_render_error_instead_of_raising(tmp_path: Path) -> None:
    chart = make_chart(tmp_path / "app", '{{ fail "refused" }}\n')
    answer = helm_worker.render(request(chart))
    assert "refused" in answer["error"]


def test_worker_names_the_values_file_it_could_not_read(tmp_path: Path) -> None:
    chart = make_chart(tmp_path / "app", "kind: ConfigMap\n")
    answer = helm_worker.render(request(chart, "a: [unclosed\n"))
    assert answer["error"].startswith("values file values-x.yaml invalid")


def test_worker_reads_a_request_and_writes_its_answer_as_json(tmp_path: Path) -> None:
    chart = make_chart(tmp_path / "app", "kind: ConfigMap\n")
    completed = subprocess.run(
        [sys.executable, "-I", helm_worker.__file__],
        input=json.dumps(request(chart)),
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(completed.stdout) == {
        "manifests": {"app/templates/cm.yaml": "kind: ConfigMap\n"}
    }


def test_worker_without_site_finds_the_sdk_in_the_folder_it_is_given(tmp_path: Path) -> None:
    chart = make_chart(tmp_path / "app", "kind: ConfigMap\n")
    spec = importlib.util.find_spec("helm_python")
    assert spec is not None and spec.origin is not None
    completed = subprocess.run(
        [sys.executable, "-I", "-S", helm_worker.__file__, str(Path(spec.origin).parents[1])],
        input=json.dumps(request(chart)),
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(completed.stdout) == {
        "manifests": {"app/templates/cm.yaml": "kind: ConfigMap\n"}
    }


def test_worker_answers_one_line_per_request_line(tmp_path: Path) -> None:
    charts = [make_chart(tmp_path / name, "kind: ConfigMap\n") for name in ("one", "two")]
    completed = subprocess.run(
        [sys.executable, "-I", helm_worker.__file__],
        input="".join(json.dumps(request(chart)) + "\n" for chart in charts),
        capture_output=True,
        text=True,
        check=True,
    )
    answers = [json.loads(line) for line in completed.stdout.splitlines()]
    assert [list(a["manifests"]) for a in answers] == [
        ["one/templates/cm.yaml"],
        ["two/templates/cm.yaml"],
    ]


def test_cpu_budget_counts_from_what_the_worker_used_so_far() -> None:
    code = (
        "import resource, sys\n"
        f"sys.path.insert(0, {str(Path(helm_worker.__file__).parent)!r})\n"
        "import helm_worker\n"
        "sum(range(30_000_000))\n"  # some CPU time used before the budget is set
        "helm_worker.limit_cpu(5)\n"
        "usage = resource.getrusage(resource.RUSAGE_SELF)\n"
        "soft, hard = resource.getrlimit(resource.RLIMIT_CPU)\n"
        "print(soft - (usage.ru_utime + usage.ru_stime), hard == resource.RLIM_INFINITY)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-I", "-c", code], capture_output=True, text=True, check=True
    )
    headroom, unlimited_hard = completed.stdout.split()
    assert 5 <= float(headroom) < 6
    assert unlimited_hard == "True"
