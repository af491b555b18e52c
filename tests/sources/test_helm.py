from __future__ import annotations

import importlib.util
import json
import resource
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from gitwarden.sources.helm import (
    RELEASE_NAME,
    HelmLimits,
    helm_renderer_name,
    render_chart,
)
from gitwarden.sources.worker_process import WorkerPool

needs_sdk = pytest.mark.skipif(
    importlib.util.find_spec("helm_python") is None, reason="needs helm-python-sdk"
)

CONFIG_MAP_TEMPLATE = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-settings
  namespace: {{ .Release.Namespace }}
data:
  mode: {{ .Values.mode }}
"""

# A stand-in `helm` binary: records how it was run, writes one template into --output-dir.
FAKE_HELM = """\
#!{python}
import json, os, sys
args = sys.argv[1:]
with open({record!r}, "a") as record:
    record.write(json.dumps({{"argv": args, "env": dict(os.environ)}}) + "\\n")
if {fail!r}:
    sys.stderr.write("Error: template: broken\\n")
    sys.exit(1)
out = args[args.index("--output-dir") + 1]
chart = os.path.basename(args[2])
os.makedirs(os.path.join(out, chart, "templates"))
with open(os.path.join(out, chart, "templates", "cm.yaml"), "w") as rendered:
    rendered.write("kind: ConfigMap\\n")
"""


def make_chart(root: Path, templates: dict[str, str], values: str = "mode: quiet\n") -> Path:
    """A chart folder named after ``root`` with the given templates and default values."""
    files = {
        "Chart.yaml": f"apiVersion: v2\nname: {root.name}\nversion: 0.1.0\n",
        "values.yaml": values,
        **{f"templates/{name}": text for name, text in templates.items()},
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def chart(tmp_path: Path) -> Path:
    return make_chart(tmp_path / "app", {"cm.yaml": CONFIG_MAP_TEMPLATE})


@pytest.fixture
def work_dir(tmp_path: Path) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    return work


# -- the embedded SDK ---------------------------------------------------------------------


@needs_sdk
def test_embedded_sdk_is_the_renderer_when_installed() -> None:
    assert helm_renderer_name() == "helm-python-sdk"


@needs_sdk
def test_chart_renders_its_templates_by_path_with_default_values(
    chart: Path, work_dir: Path
) -> None:
    output = render_chart(chart, None, "apps", work_dir)
    assert output.error is None
    assert list(output.manifests) == ["app/templates/cm.yaml"]
    assert "mode: quiet" in output.manifests["app/templates/cm.yaml"]


@needs_sdk
@pytest.mark.parametrize(
    ("needle", "expected"),
    [("name:", f"name: {RELEASE_NAME}-settings"), ("namespace:", "namespace: apps")],
)
def test_release_name_and_namespace_are_the_scans(
    chart: Path, work_dir: Path, needle: str, expected: str
) -> None:
    rendered = render_chart(chart, None, "apps", work_dir).manifests["app/templates/cm.yaml"]
    assert expected in [line.strip() for line in rendered.splitlines() if needle in line]


@needs_sdk
def test_values_file_overrides_the_defaults(chart: Path, work_dir: Path) -> None:
    values = write(chart / "values-prod.yaml", "mode: loud\n")
    output = render_chart(chart, values, "apps", work_dir)
    assert "mode: loud" in output.manifests["app/templates/cm.yaml"]


@needs_sdk
def test_values_file_may_use_anchors_and_aliases(chart: Path, work_dir: Path) -> None:
    values = write(chart / "values-prod.yaml", "shared: &mode loud\nmode: *mode\n")
    output = render_chart(chart, values, "apps", work_dir)
    assert "mode: loud" in output.manifests["app/templates/cm.yaml"]


@needs_sdk
def test_lookup_sees_no_cluster(tmp_path: Path, work_dir: Path) -> None:
    template = """\
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: probe
        data:
          found: {{ if lookup "v1" "Namespace" "" "kube-system" }}"yes"{{ else }}"no"{{ end }}
        """
    chart = make_chart(tmp_path / "probe", {"cm.yaml": template})
    output = render_chart(chart, None, "apps", work_dir)
    assert 'found: "no"' in output.manifests["probe/templates/cm.yaml"]


@needs_sdk
def test_missing_required_value_is_a_render_error(tmp_path: Path, work_dir: Path) -> None:
    template = 'kind: ConfigMap\nmetadata:\n  name: {{ required "name is required" .Values.x }}\n'
    chart = make_chart(tmp_path / "strict", {"cm.yaml": template})
    output = render_chart(chart, None, "apps", work_dir)
    assert output.manifests == {}
    assert output.error is not None and "name is required" in output.error


@needs_sdk
def test_invalid_values_file_is_an_error_naming_it(chart: Path, work_dir: Path) -> None:
    values = write(chart / "values-bad.yaml", "mode: [unclosed\n")
    output = render_chart(chart, values, "apps", work_dir)
    assert output.manifests == {}
    assert output.error is not None and "values-bad.yaml" in output.error


@needs_sdk
def test_values_file_with_exponential_aliases_is_refused(chart: Path, work_dir: Path) -> None:
    # Small enough to expand in a second if it were accepted; a real bomb is deeper.
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 6)]
    values = write(chart / "values-bomb.yaml", "\n".join(lines) + "\n")
    output = render_chart(chart, values, "apps", work_dir)
    assert output.error is not None and "alias" in output.error


@needs_sdk
def test_folder_that_is_not_a_chart_is_an_error(tmp_path: Path, work_dir: Path) -> None:
    (tmp_path / "empty").mkdir()
    output = render_chart(tmp_path / "empty", None, "apps", work_dir)
    assert (output.manifests, output.error is not None) == ({}, True)


@needs_sdk
def test_a_chart_helm_refuses_fails_reproducibly(tmp_path: Path, work_dir: Path) -> None:
    template = 'kind: ConfigMap\nmetadata:\n  name: {{ required "name is required" .Values.x }}\n'
    chart = make_chart(tmp_path / "strict", {"cm.yaml": template})
    assert render_chart(chart, None, "apps", work_dir).reproducible is True


# -- bounded rendering (issue 11.4) ------------------------------------------------------

NESTED_RANGE = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: loop}
data:
{{- range $i := until 100000 }}{{- range $j := until 100000 }}{{- end }}{{- end }}
  a: "1"
"""
HUGE_REPEAT = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: bomb}
data:
  a: {{ repeat 1073741824 "a" | quote }}
"""
TIGHT = HelmLimits(timeout_seconds=2, memory_bytes=256 << 20)


@needs_sdk
def test_default_limits_are_thirty_seconds_and_one_gibibyte() -> None:
    assert (HelmLimits().timeout_seconds, HelmLimits().memory_bytes) == (30, 1 << 30)


@needs_sdk
def test_chart_that_loops_is_stopped_at_the_time_limit(tmp_path: Path, work_dir: Path) -> None:
    chart = make_chart(tmp_path / "loop", {"cm.yaml": NESTED_RANGE})
    output = render_chart(chart, None, "apps", work_dir, limits=TIGHT)
    assert (output.manifests, output.limit) in (({}, "time"), ({}, "cpu"))
    assert output.error is not None and "limit" in output.error


@needs_sdk
def test_chart_that_allocates_gigabytes_is_stopped_at_the_memory_limit(
    tmp_path: Path, work_dir: Path
) -> None:
    chart = make_chart(tmp_path / "bomb", {"cm.yaml": HUGE_REPEAT})
    # A generous clock: on a loaded machine the memory limit, not the timeout, must stop it.
    memory_only = HelmLimits(timeout_seconds=60, memory_bytes=TIGHT.memory_bytes)
    output = render_chart(chart, None, "apps", work_dir, limits=memory_only)
    assert (output.manifests, output.limit) == ({}, "memory")
    assert output.error == "rendering stopped at the 256 MiB memory limit"


@needs_sdk
def test_chart_within_tight_limits_still_renders(chart: Path, work_dir: Path) -> None:
    output = render_chart(chart, None, "apps", work_dir, limits=TIGHT)
    assert (output.error, output.limit, list(output.manifests)) == (
        None,
        None,
        ["app/templates/cm.yaml"],
    )


@needs_sdk
def test_chart_render_does_not_load_the_sdk_into_the_caller(chart: Path, work_dir: Path) -> None:
    # The render runs in a child: a hostile chart cannot take the scanning process with it.
    code = (
        "import sys, pathlib\n"
        "from gitwarden.sources.helm import render_chart\n"
        f"out = render_chart(pathlib.Path({str(chart)!r}), None, 'apps', "
        f"pathlib.Path({str(work_dir)!r}))\n"
        "maps = [l for l in open('/proc/self/maps') if 'helm' in l and '.so' in l]\n"
        "print(len(out.manifests), 'chart-sdk' if any('libhelm' in l for l in maps) else 'none')"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert completed.stdout.split() == ["1", "none"]


# -- the helm binary, when the SDK is not installed ---------------------------------------


class FakeHelm:
    """A `helm` on PATH standing in for the real one; ``runs`` is what it was given."""

    def __init__(self, root: Path, *, fail: bool = False) -> None:
        self.record = root / "helm-runs.jsonl"
        script = FAKE_HELM.format(python=sys.executable, record=str(self.record), fail=fail)
        helm = root / "bin/helm"
        helm.parent.mkdir(parents=True)
        helm.write_text(script, encoding="utf-8")
        helm.chmod(0o755)
        self.bin = helm.parent

    @property
    def runs(self) -> list[dict[str, Any]]:
        lines = self.record.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines]


@pytest.fixture
def without_sdk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "helm_python", None)  # makes the import fail


@pytest.fixture
def fake_helm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, without_sdk: None) -> FakeHelm:
    fake = FakeHelm(tmp_path)
    monkeypatch.setenv("PATH", str(fake.bin))
    return fake


@pytest.mark.parametrize(("on_path", "expected"), [(True, "helm"), (False, None)])
def test_without_the_sdk_the_helm_binary_is_the_renderer(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    without_sdk: None,
    on_path: bool,
    expected: str | None,
) -> None:
    fake = FakeHelm(tmp_path)
    monkeypatch.setenv("PATH", str(fake.bin if on_path else tmp_path))
    assert helm_renderer_name() == expected


def test_without_any_renderer_rendering_is_an_error(
    chart: Path, work_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, without_sdk: None
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert render_chart(chart, None, "apps", work_dir).error == "no Helm renderer installed"


def test_binary_renders_the_chart_into_template_paths(
    chart: Path, work_dir: Path, fake_helm: FakeHelm
) -> None:
    output = render_chart(chart, None, "apps", work_dir)
    assert (output.error, list(output.manifests)) == (None, ["app/templates/cm.yaml"])


def test_binary_is_given_the_values_file_itself(
    chart: Path, work_dir: Path, fake_helm: FakeHelm
) -> None:
    values = write(chart / "values-prod.yaml", "mode: loud\n")
    render_chart(chart, values, "apps", work_dir)
    argv = fake_helm.runs[0]["argv"]
    assert argv[argv.index("--values") + 1] == str(values)


def test_binary_without_a_values_file_gets_no_values_flag(
    chart: Path, work_dir: Path, fake_helm: FakeHelm
) -> None:
    render_chart(chart, None, "apps", work_dir)
    assert "--values" not in fake_helm.runs[0]["argv"]


def test_binary_renders_read_only_their_own_output(
    tmp_path: Path, work_dir: Path, fake_helm: FakeHelm
) -> None:
    first = make_chart(tmp_path / "first", {"cm.yaml": CONFIG_MAP_TEMPLATE})
    second = make_chart(tmp_path / "second", {"cm.yaml": CONFIG_MAP_TEMPLATE})
    render_chart(first, None, "apps", work_dir)
    output = render_chart(second, None, "apps", work_dir)
    assert list(output.manifests) == ["second/templates/cm.yaml"]


@pytest.mark.parametrize(
    "name", ["HOME", "HELM_PLUGINS", "HELM_CONFIG_HOME", "HELM_CACHE_HOME", "HELM_DATA_HOME"]
)
def test_binary_folders_are_inside_the_work_dir(
    chart: Path, work_dir: Path, fake_helm: FakeHelm, name: str
) -> None:
    render_chart(chart, None, "apps", work_dir)
    assert Path(fake_helm.runs[0]["env"][name]).is_relative_to(work_dir)


@pytest.mark.parametrize("name", ["HTTP_PROXY", "HTTPS_PROXY"])
def test_binary_proxies_are_a_closed_local_port(
    chart: Path, work_dir: Path, fake_helm: FakeHelm, name: str
) -> None:
    render_chart(chart, None, "apps", work_dir)
    assert fake_helm.runs[0]["env"][name] == "http://127.0.0.1:9"


def test_binary_does_not_inherit_the_callers_environment(
    chart: Path, work_dir: Path, fake_helm: FakeHelm, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HELM_REGISTRY_CONFIG", "/home/someone/.config/helm/registry.json")
    render_chart(chart, None, "apps", work_dir)
    assert "HELM_REGISTRY_CONFIG" not in fake_helm.runs[0]["env"]


def test_binary_failure_is_reported_with_its_message(
    chart: Path, work_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, without_sdk: None
) -> None:
    fake = FakeHelm(tmp_path, fail=True)
    monkeypatch.setenv("PATH", str(fake.bin))
    output = render_chart(chart, None, "apps", work_dir)
    assert (output.manifests, output.error) == ({}, "Error: template: broken")


@needs_sdk
def test_a_chart_stopped_at_a_limit_is_not_reproducible(tmp_path: Path, work_dir: Path) -> None:
    chart = make_chart(tmp_path / "loop", {"cm.yaml": NESTED_RANGE})
    output = render_chart(chart, None, "apps", work_dir, limits=TIGHT)
    assert output.limit is not None
    assert output.reproducible is False


# -- persistent SDK workers -----------------------------------------------------------------

# About 0.35 s of CPU a render: a few of them pass a one-second budget together.
BUSY_TEMPLATE = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: busy}
data:
{{- range $i := until 8000 }}{{- range $j := until 1000 }}{{- end }}{{- end }}
  a: "1"
"""


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@needs_sdk
def test_charts_of_one_pool_render_in_one_sdk_worker(chart: Path, work_dir: Path) -> None:
    pool = WorkerPool(2)
    try:
        outputs = [render_chart(chart, None, "apps", work_dir, workers=pool) for _ in range(3)]
        live = pool.pids
    finally:
        pool.close()
    assert [list(o.manifests) for o in outputs] == [["app/templates/cm.yaml"]] * 3
    assert len(live) == 1


@needs_sdk
def test_the_cpu_limit_is_per_render_not_per_worker(tmp_path: Path, work_dir: Path) -> None:
    busy = make_chart(tmp_path / "busy", {"cm.yaml": BUSY_TEMPLATE})
    limits = HelmLimits(timeout_seconds=60, cpu_seconds=1)
    before = children_cpu_seconds()
    pool = WorkerPool(1)
    try:
        outputs = [
            render_chart(busy, None, "apps", work_dir, limits=limits, workers=pool)
            for _ in range(5)
        ]
        live = pool.pids
    finally:
        pool.close()
    assert [o.limit for o in outputs] == [None] * 5
    assert len(live) == 1
    assert children_cpu_seconds() - before > limits.cpu_limit  # one worker used more than 1 s


@needs_sdk
@pytest.mark.parametrize(
    ("template", "limits", "limit", "error"),
    [
        (
            NESTED_RANGE,
            HelmLimits(timeout_seconds=60, cpu_seconds=1),
            "cpu",
            "rendering stopped at the 1s CPU-time limit",
        ),
        # CPU budget larger than the clock: the wall-clock limit must stop it.
        (
            NESTED_RANGE,
            HelmLimits(timeout_seconds=1, cpu_seconds=120),
            "time",
            "rendering stopped at the 1s time limit",
        ),
        (
            HUGE_REPEAT,
            HelmLimits(timeout_seconds=60, memory_bytes=TIGHT.memory_bytes),
            "memory",
            None,
        ),
    ],
    ids=["cpu-budget", "time-limit", "memory-limit"],
)
def test_a_render_past_a_limit_is_stopped_and_the_next_chart_renders_in_a_fresh_worker(
    tmp_path: Path,
    chart: Path,
    work_dir: Path,
    template: str,
    limits: HelmLimits,
    limit: str,
    error: str | None,
) -> None:
    runaway = make_chart(tmp_path / "runaway", {"cm.yaml": template})
    pool = WorkerPool(1)
    try:
        stopped = render_chart(runaway, None, "apps", work_dir, limits=limits, workers=pool)
        after = render_chart(chart, None, "apps", work_dir, limits=limits, workers=pool)
    finally:
        pool.close()
    assert stopped.limit == limit
    if error is not None:
        assert stopped.error == error
    assert list(after.manifests) == ["app/templates/cm.yaml"]
