from __future__ import annotations

import json
import os
import shutil
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from gitwarden.sources import kustomize
from gitwarden.sources.kustomize import (
    ORIGIN_ANNOTATION,
    KustomizeOutput,
    KustomizeRenderer,
    find_kustomize,
    render_overlay,
)
from gitwarden.sources.offline import network_isolation
from gitwarden.sources.worker_process import WorkerPool

needs_kustomize = pytest.mark.skipif(
    shutil.which("kubectl") is None and shutil.which("kustomize") is None,
    reason="needs kubectl or kustomize on PATH",
)
needs_pykustomize = pytest.mark.skipif(
    kustomize.pykustomize_worker() is None, reason="needs pykustomize"
)
# Every real renderer this system has: the worker and the command must behave the same.
REAL_RENDERERS = [
    pytest.param("pykustomize", marks=needs_pykustomize),
    pytest.param("command", marks=needs_kustomize),
]

CONFIG_MAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: quiet
"""

# A stand-in renderer: records how it was run, then answers like kustomize would.
FAKE_RENDERER = """\
#!{python}
import json, os, sys
with open({record!r}, "w") as record:
    json.dump({{"argv": sys.argv, "env": dict(os.environ), "cwd": os.getcwd()}}, record)
sys.stderr.write({stderr!r}.replace("@WRAPPER@", sys.argv[1]))
sys.stdout.write({stdout!r})
sys.exit({code})
"""


def make_files(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def make_executable(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o755)
    return path


class FakeRenderer:
    """A renderer script under ``root`` and what it saw when it ran."""

    def __init__(self, root: Path, *, stdout: str = CONFIG_MAP, stderr: str = "", code: int = 0):
        self.record = root / "record.json"
        script = FAKE_RENDERER.format(
            python=sys.executable, record=str(self.record), stdout=stdout, stderr=stderr, code=code
        )
        self.renderer = KustomizeRenderer((str(make_executable(root / "bin/fake", script)),))

    def run(self, overlay: Path, work_dir: Path, **kwargs: Any) -> KustomizeOutput:
        work_dir.mkdir(exist_ok=True)
        return render_overlay(self.renderer, overlay, work_dir, **kwargs)

    @property
    def seen(self) -> dict[str, Any]:
        seen: dict[str, Any] = json.loads(self.record.read_text(encoding="utf-8"))
        return seen


@pytest.fixture
def overlay(tmp_path: Path) -> Path:
    return make_files(
        tmp_path / "repo/app",
        {"kustomization.yaml": "resources:\n  - cm.yaml\n", "cm.yaml": CONFIG_MAP},
    )


# -- choosing the renderer ----------------------------------------------------------------


def test_renderer_name_is_the_command_without_its_folder() -> None:
    assert KustomizeRenderer(("/usr/local/bin/kubectl", "kustomize")).name == "kubectl kustomize"


@pytest.mark.parametrize(
    ("installed", "expected"),
    [
        (("kubectl", "kustomize"), ("kustomize", "build")),
        (("kubectl",), ("kubectl", "kustomize")),
    ],
    ids=["standalone-kustomize-preferred", "kubectl"],
)
def test_find_kustomize_picks_the_installed_command(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    installed: tuple[str, ...],
    expected: tuple[str, str],
) -> None:
    monkeypatch.setattr(kustomize, "pykustomize_worker", lambda: None)
    for name in installed:
        make_executable(tmp_path / name, "#!/bin/sh\n")
    monkeypatch.setenv("PATH", str(tmp_path))
    found = find_kustomize()
    assert found is not None
    assert (Path(found.argv[0]).name, found.argv[1]) == expected


def test_find_kustomize_without_any_renderer_is_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kustomize, "pykustomize_worker", lambda: None)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_kustomize() is None


# -- how the renderer is run --------------------------------------------------------------


def test_overlay_is_built_through_a_wrapper_folder_in_the_work_dir(
    tmp_path: Path, overlay: Path
) -> None:
    fake = FakeRenderer(tmp_path)
    output = fake.run(overlay, tmp_path / "work")
    assert output.wrapper_dir.parent == tmp_path / "work"
    assert fake.seen["argv"][1] == str(output.wrapper_dir)
    assert fake.seen["cwd"] == str(output.wrapper_dir)


def test_wrapper_kustomization_includes_the_overlay_with_origin_annotations(
    tmp_path: Path, overlay: Path
) -> None:
    output = FakeRenderer(tmp_path).run(overlay, tmp_path / "work")
    wrapper = yaml.safe_load((output.wrapper_dir / "kustomization.yaml").read_text())
    [resource] = wrapper["resources"]
    assert Path(os.path.normpath(output.wrapper_dir / resource)) == overlay
    assert wrapper["buildMetadata"] == ["originAnnotations"]


def test_a_render_without_origins_asks_kustomize_for_none(tmp_path: Path, overlay: Path) -> None:
    output = FakeRenderer(tmp_path).run(overlay, tmp_path / "work", origins=False)
    wrapper = yaml.safe_load((output.wrapper_dir / "kustomization.yaml").read_text())
    assert "buildMetadata" not in wrapper


@pytest.mark.parametrize(
    "flag",
    [
        "--enable-alpha-plugins=false",
        "--enable-helm=false",
        "--load-restrictor=LoadRestrictionsRootOnly",
    ],
)
def test_renderer_runs_with_plugins_helm_and_outside_files_off(
    tmp_path: Path, overlay: Path, flag: str
) -> None:
    fake = FakeRenderer(tmp_path)
    fake.run(overlay, tmp_path / "work")
    assert flag in fake.seen["argv"]


def test_renderer_home_is_an_empty_folder_of_the_work_dir(tmp_path: Path, overlay: Path) -> None:
    fake = FakeRenderer(tmp_path)
    fake.run(overlay, tmp_path / "work")
    home = Path(fake.seen["env"]["HOME"])
    assert home.parent == tmp_path / "work"
    assert list(home.iterdir()) == []


@pytest.mark.parametrize("name", ["XDG_CONFIG_HOME", "KUSTOMIZE_PLUGIN_HOME"])
def test_renderer_config_and_plugin_folders_are_inside_its_home(
    tmp_path: Path, overlay: Path, name: str
) -> None:
    fake = FakeRenderer(tmp_path)
    fake.run(overlay, tmp_path / "work")
    env = fake.seen["env"]
    assert Path(env[name]).parent == Path(env["HOME"])


@pytest.mark.parametrize(
    "name", ["HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"]
)
def test_without_network_every_proxy_is_a_closed_local_port(
    tmp_path: Path, overlay: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv("NO_PROXY", "*")
    fake = FakeRenderer(tmp_path)
    fake.run(overlay, tmp_path / "work")
    env = fake.seen["env"]
    assert (env[name], env["NO_PROXY"]) == ("http://127.0.0.1:9", "")


def test_without_network_git_may_only_use_local_files(tmp_path: Path, overlay: Path) -> None:
    fake = FakeRenderer(tmp_path)
    fake.run(overlay, tmp_path / "work")
    assert fake.seen["env"]["GIT_ALLOW_PROTOCOL"] == "file"


def test_with_network_allowed_the_callers_proxy_is_used(
    tmp_path: Path, overlay: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example.com:3128")
    fake = FakeRenderer(tmp_path)
    fake.run(overlay, tmp_path / "work", allow_network=True)
    env = fake.seen["env"]
    assert env["HTTPS_PROXY"] == "http://proxy.example.com:3128"
    assert "GIT_ALLOW_PROTOCOL" not in env


@pytest.mark.parametrize("name", ["GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY", "KUBECONFIG"])
def test_renderer_does_not_inherit_the_callers_environment(
    tmp_path: Path, overlay: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv(name, "secret-value")
    fake = FakeRenderer(tmp_path)
    fake.run(overlay, tmp_path / "work")
    assert name not in fake.seen["env"]


def test_rendered_output_is_returned(tmp_path: Path, overlay: Path) -> None:
    output = FakeRenderer(tmp_path).run(overlay, tmp_path / "work")
    assert (output.text, output.error) == (CONFIG_MAP, None)


# -- errors -------------------------------------------------------------------------------

WRAPPER_LAYER = (
    "accumulating resources: accumulation err='accumulating resources from "
    "'../../repo/app': '@OVERLAY@' must resolve to a file': "
    "recursed accumulation of path '@OVERLAY@': "
)


@pytest.mark.parametrize(
    ("stderr", "expected"),
    [
        (
            'E0101 00:00:00.000000    1 run.go:72] "command failed" err="'
            + WRAPPER_LAYER
            + 'invalid Kustomization: json: unknown field \\"resourcez\\""\n',
            'invalid Kustomization: json: unknown field "resourcez"',
        ),
        (
            'E0101 00:00:00.000000    1 run.go:72] "command failed" err=<\n\t'
            + WRAPPER_LAYER
            + "failed to run 'git fetch': fatal: transport 'https' not allowed\n"
            "\t: exit status 128\n >\n",
            "failed to run 'git fetch': fatal: transport 'https' not allowed : exit status 128",
        ),
        (
            "# Warning: 'bases' is deprecated.\nError: "
            + WRAPPER_LAYER
            + "evalsymlink failure on '@OVERLAY@/missing.yaml'\n",
            "evalsymlink failure on 'missing.yaml'",
        ),
        (
            "Error: accumulating resources from '@OVERLAY@-old/base': "
            "'@WRAPPER@/kustomization.yaml' is invalid\n",
            "accumulating resources from '@OVERLAY@-old/base': "
            "'<wrapper>/kustomization.yaml' is invalid",
        ),
        ("", "renderer failed without a message"),
    ],
    ids=["klog-quoted", "klog-block", "kustomize", "other-paths", "silent"],
)
def test_renderer_error_is_cleaned_of_the_wrapper_and_logging_layers(
    tmp_path: Path, overlay: Path, stderr: str, expected: str
) -> None:
    fake = FakeRenderer(
        tmp_path, stdout="", stderr=stderr.replace("@OVERLAY@", str(overlay)), code=1
    )
    output = fake.run(overlay, tmp_path / "work")
    assert (output.text, output.error) == (None, expected.replace("@OVERLAY@", str(overlay)))


def test_renderer_that_hangs_is_stopped_at_the_timeout(tmp_path: Path, overlay: Path) -> None:
    script = f"#!{sys.executable}\nimport time\ntime.sleep(30)\n"
    renderer = KustomizeRenderer((str(make_executable(tmp_path / "bin/slow", script)),))
    (tmp_path / "work").mkdir()
    output = render_overlay(renderer, overlay, tmp_path / "work", timeout=1)
    assert (output.text, output.error) == (None, "timed out after 1s")


def test_renderer_that_cannot_start_is_an_error(tmp_path: Path, overlay: Path) -> None:
    renderer = KustomizeRenderer((str(tmp_path / "absent/kustomize"), "build"))
    (tmp_path / "work").mkdir()
    output = render_overlay(renderer, overlay, tmp_path / "work")
    assert output.text is None
    assert output.error is not None and output.error.startswith("could not run kustomize build")


# -- with the real renderer ---------------------------------------------------------------


@pytest.fixture(params=REAL_RENDERERS)
def real_renderer(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Which renderer `find_kustomize` finds in the test: the worker, or a command."""
    if request.param == "command":
        monkeypatch.setattr(kustomize, "pykustomize_worker", lambda: None)
    return str(request.param)


def real_render(overlay: Path, work_dir: Path, **options: Any) -> KustomizeOutput:
    renderer = find_kustomize()
    assert renderer is not None
    work_dir.mkdir(exist_ok=True)
    return render_overlay(renderer, overlay, work_dir, **options)


@pytest.mark.usefixtures("real_renderer")
def test_real_render_annotates_each_object_with_its_source_file(
    tmp_path: Path, overlay: Path
) -> None:
    output = real_render(overlay, tmp_path / "work")
    assert output.text is not None
    [rendered] = yaml.safe_load_all(output.text)
    origin = yaml.safe_load(rendered["metadata"]["annotations"][ORIGIN_ANNOTATION])
    assert Path(os.path.normpath(output.wrapper_dir / origin["path"])) == overlay / "cm.yaml"


@pytest.mark.usefixtures("real_renderer")
def test_real_render_without_origins_annotates_nothing(tmp_path: Path, overlay: Path) -> None:
    output = real_render(overlay, tmp_path / "work", origins=False)
    assert output.text is not None
    [rendered] = yaml.safe_load_all(output.text)
    assert ORIGIN_ANNOTATION not in rendered["metadata"].get("annotations", {})


@pytest.mark.usefixtures("real_renderer")
def test_real_render_refuses_exec_functions_without_running_them(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    overlay = make_files(
        tmp_path / "repo/app",
        {
            "kustomization.yaml": "resources:\n  - cm.yaml\ntransformers:\n  - fn.yaml\n",
            "cm.yaml": CONFIG_MAP,
            "fn.yaml": """\
                apiVersion: example.com/v1
                kind: Stamp
                metadata:
                  name: stamp
                  annotations:
                    config.kubernetes.io/function: |
                      exec:
                        path: ./stamp.sh
                """,
        },
    )
    make_executable(overlay / "stamp.sh", f"#!/bin/sh\ntouch '{marker}'\ncat\n")
    output = real_render(overlay, tmp_path / "work")
    assert (output.text, marker.exists()) == (None, False)


@pytest.mark.usefixtures("real_renderer")
def test_real_render_refuses_files_outside_the_overlay(tmp_path: Path) -> None:
    (tmp_path / "repo/host-secret.txt").parent.mkdir(parents=True)
    (tmp_path / "repo/host-secret.txt").write_text("password=hunter2\n", encoding="utf-8")
    overlay = make_files(
        tmp_path / "repo/app",
        {
            "kustomization.yaml": """\
                secretGenerator:
                  - name: stolen
                    files: [../host-secret.txt]
                """,
        },
    )
    output = real_render(overlay, tmp_path / "work")
    assert output.text is None
    assert output.error is not None and "security" in output.error


@pytest.mark.usefixtures("real_renderer")
def test_real_render_of_a_remote_resource_fails_at_the_closed_proxy(tmp_path: Path) -> None:
    overlay = make_files(
        tmp_path / "repo/app",
        {"kustomization.yaml": "resources:\n  - https://example.com/manifests/app.yaml\n"},
    )
    output = real_render(overlay, tmp_path / "work")
    assert output.text is None
    assert output.error is not None and "127.0.0.1:9" in output.error


@pytest.mark.usefixtures("real_renderer")
def test_real_render_error_is_plain_text_about_the_overlay(tmp_path: Path) -> None:
    overlay = make_files(tmp_path / "repo/app", {"kustomization.yaml": "resourcez: []\n"})
    output = real_render(overlay, tmp_path / "work")
    assert output.error is not None
    assert 'unknown field "resourcez"' in output.error
    assert str(tmp_path) not in output.error
    assert "must resolve to a file" not in output.error


@pytest.mark.usefixtures("real_renderer")
@pytest.mark.skipif(not network_isolation(), reason="no network namespace on this system")
def test_real_render_runs_in_its_own_network_namespace(tmp_path: Path, overlay: Path) -> None:
    output = real_render(overlay, tmp_path / "work")
    assert (output.text is not None, output.isolated) == (True, True)


@pytest.mark.usefixtures("real_renderer")
def test_real_render_with_network_allowed_is_not_isolated(tmp_path: Path, overlay: Path) -> None:
    output = real_render(overlay, tmp_path / "work", allow_network=True)
    assert output.isolated is False


def test_renderer_over_the_memory_limit_is_stopped_and_says_so(
    tmp_path: Path, overlay: Path
) -> None:
    script = f"#!{sys.executable}\ndata = bytearray(512 * 1024 * 1024)\n"
    renderer = KustomizeRenderer((str(make_executable(tmp_path / "bin/greedy", script)),))
    (tmp_path / "work").mkdir()
    output = render_overlay(renderer, overlay, tmp_path / "work", memory_bytes=128 << 20)
    assert (output.text, output.error) == (None, "stopped at the 128 MiB memory limit")


def test_an_overlay_the_renderer_refuses_fails_reproducibly(tmp_path: Path, overlay: Path) -> None:
    fake = FakeRenderer(tmp_path, stdout="", stderr="Error: no such file\n", code=1)
    assert fake.run(overlay, tmp_path / "work").reproducible is True


@pytest.mark.parametrize("cause", ["timeout", "cannot-start"])
def test_a_render_stopped_or_never_started_is_not_reproducible(
    tmp_path: Path, overlay: Path, cause: str
) -> None:
    (tmp_path / "work").mkdir()
    if cause == "timeout":
        script = f"#!{sys.executable}\nimport time\ntime.sleep(30)\n"
        renderer = KustomizeRenderer((str(make_executable(tmp_path / "bin/slow", script)),))
        output = render_overlay(renderer, overlay, tmp_path / "work", timeout=0.5)
    else:
        renderer = KustomizeRenderer((str(tmp_path / "absent/kustomize"), "build"))
        output = render_overlay(renderer, overlay, tmp_path / "work")
    assert output.error is not None
    assert output.reproducible is False


def test_the_renderer_collects_garbage_less_often_and_before_its_memory_limit(
    tmp_path: Path, overlay: Path
) -> None:
    fake = FakeRenderer(tmp_path)
    fake.run(overlay, tmp_path / "work")
    assert (fake.seen["env"]["GOGC"], fake.seen["env"]["GOMEMLIMIT"]) == ("200", "768MiB")


@pytest.mark.usefixtures("real_renderer")
def test_real_render_refuses_a_symlink_out_of_the_overlay(tmp_path: Path) -> None:
    (tmp_path / "repo/host-secret.yaml").parent.mkdir(parents=True)
    (tmp_path / "repo/host-secret.yaml").write_text(CONFIG_MAP, encoding="utf-8")
    overlay = make_files(tmp_path / "repo/app", {"kustomization.yaml": "resources:\n  - cm.yaml\n"})
    (overlay / "cm.yaml").symlink_to(tmp_path / "repo/host-secret.yaml")
    output = real_render(overlay, tmp_path / "work")
    assert output.text is None
    assert output.error is not None and "security" in output.error


# -- the pykustomize worker ---------------------------------------------------------------

# A stand-in worker: records its environment and folder, then answers like kustomize_worker,
# or sleeps or dies when the overlay's path says so.
FAKE_WORKER = """\
import json, os, sys, time
for line in sys.stdin:
    path = json.loads(line)["path"]
    with open({record!r}, "w") as record:
        json.dump({{"env": dict(os.environ), "cwd": os.getcwd(), "pid": os.getpid()}}, record)
    if os.path.exists({sleep!r}):
        time.sleep(60)
    if os.path.exists({die!r}):
        sys.stderr.write("panic: runtime error\\n")
        sys.exit(2)
    print(json.dumps({{"text": {stdout!r}}}), flush=True)
"""


class FakeWorker:
    """A worker renderer under ``root``; touch ``sleep`` or ``die`` to make it misbehave."""

    def __init__(self, root: Path) -> None:
        self.record, self.sleep, self.die = root / "record.json", root / "sleep", root / "die"
        script = FAKE_WORKER.format(
            record=str(self.record), sleep=str(self.sleep), die=str(self.die), stdout=CONFIG_MAP
        )
        path = make_executable(root / "bin/worker.py", script)
        self.renderer = KustomizeRenderer((sys.executable, "-I", str(path)), worker=True)

    @property
    def seen(self) -> dict[str, Any]:
        seen: dict[str, Any] = json.loads(self.record.read_text(encoding="utf-8"))
        return seen


def test_pykustomize_renderer_is_preferred_when_installed() -> None:
    worker = kustomize.pykustomize_worker()
    if worker is None:
        pytest.skip("pykustomize not installed")
    assert (find_kustomize(), worker.name, worker.argv[1:3]) == (
        worker,
        "pykustomize",
        ("-I", "-S"),
    )


@pytest.mark.parametrize(
    ("choice", "expected"),
    [("kubectl", "kubectl kustomize"), ("kustomize", None), ("no-such-renderer", None)],
)
def test_the_renderer_can_be_chosen_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, choice: str, expected: str | None
) -> None:
    make_executable(tmp_path / "kubectl", "#!/bin/sh\n")
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("GITWARDEN_KUSTOMIZE", choice)
    found = find_kustomize()
    assert (found.name if found else None) == expected


def test_worker_renders_in_the_sandbox_environment(tmp_path: Path, overlay: Path) -> None:
    fake = FakeWorker(tmp_path)
    (tmp_path / "work").mkdir()
    output = render_overlay(fake.renderer, overlay, tmp_path / "work")
    env = fake.seen["env"]
    assert (output.text, output.error) == (CONFIG_MAP, None)
    assert (env["HOME"], env["HTTPS_PROXY"], env["GIT_ALLOW_PROTOCOL"]) == (
        str(tmp_path / "work/home"),
        "http://127.0.0.1:9",
        "file",
    )
    assert (env["GOGC"], env["GOMEMLIMIT"], fake.seen["cwd"]) == (
        "400",
        "160MiB",
        str(tmp_path / "work"),
    )


def test_worker_does_not_inherit_the_callers_environment(
    tmp_path: Path, overlay: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "secret-value")
    fake = FakeWorker(tmp_path)
    (tmp_path / "work").mkdir()
    render_overlay(fake.renderer, overlay, tmp_path / "work")
    assert "GITHUB_TOKEN" not in fake.seen["env"]


def test_worker_past_the_timeout_is_stopped_and_replaced(tmp_path: Path, overlay: Path) -> None:
    fake = FakeWorker(tmp_path)
    (tmp_path / "work").mkdir()
    pool = WorkerPool(1)
    try:
        render_overlay(fake.renderer, overlay, tmp_path / "work", workers=pool)
        first_pid = fake.seen["pid"]
        fake.sleep.touch()
        stopped = render_overlay(fake.renderer, overlay, tmp_path / "work", timeout=1, workers=pool)
        fake.sleep.unlink()
        after = render_overlay(fake.renderer, overlay, tmp_path / "work", workers=pool)
    finally:
        pool.close()
    assert (stopped.text, stopped.error, stopped.reproducible) == (
        None,
        "timed out after 1s",
        False,
    )
    assert after.text == CONFIG_MAP
    assert fake.seen["pid"] != first_pid


def test_a_worker_that_dies_fails_its_overlay_only(tmp_path: Path, overlay: Path) -> None:
    fake = FakeWorker(tmp_path)
    (tmp_path / "work").mkdir()
    pool = WorkerPool(1)
    try:
        fake.die.touch()
        died = render_overlay(fake.renderer, overlay, tmp_path / "work", workers=pool)
        fake.die.unlink()
        after = render_overlay(fake.renderer, overlay, tmp_path / "work", workers=pool)
    finally:
        pool.close()
    assert (died.text, died.error, died.reproducible) == (
        None,
        "could not run pykustomize: panic: runtime error",
        False,
    )
    assert after.text == CONFIG_MAP


@needs_pykustomize
def test_pykustomize_over_the_memory_limit_is_stopped_and_replaced(
    tmp_path: Path, overlay: Path
) -> None:
    large = make_files(
        tmp_path / "repo/large",
        {
            "kustomization.yaml": "resources:\n  - cm.yaml\n",
            "cm.yaml": CONFIG_MAP + f"  blob: {'x' * (40 << 20)}\n",
        },
    )
    renderer = kustomize.pykustomize_worker()
    assert renderer is not None
    (tmp_path / "work").mkdir()
    pool = WorkerPool(1)
    try:
        limited = render_overlay(
            renderer, large, tmp_path / "work", memory_bytes=192 << 20, workers=pool
        )
        after = render_overlay(
            renderer, overlay, tmp_path / "work", memory_bytes=192 << 20, workers=pool
        )
    finally:
        pool.close()
    assert (limited.text, limited.error) == (None, "stopped at the 192 MiB memory limit")
    assert after.text is not None and "settings" in after.text


@needs_pykustomize
def test_pykustomize_builds_many_overlays_in_one_worker(tmp_path: Path, overlay: Path) -> None:
    renderer = kustomize.pykustomize_worker()
    assert renderer is not None
    (tmp_path / "work").mkdir()
    pool = WorkerPool(2)
    try:
        outputs = [
            render_overlay(renderer, overlay, tmp_path / "work", workers=pool) for _ in range(3)
        ]
        live = pool.pids
    finally:
        pool.close()
    assert [o.error for o in outputs] == [None, None, None]
    assert len(live) == 1


@needs_pykustomize
@pytest.mark.skipif(shutil.which("kubectl") is None, reason="needs kubectl")
def test_pykustomize_output_is_kubectls_byte_for_byte(tmp_path: Path, overlay: Path) -> None:
    worker, command = kustomize.pykustomize_worker(), find_kustomize("kubectl")
    assert worker is not None and command is not None
    (tmp_path / "work").mkdir()
    built = [render_overlay(r, overlay, tmp_path / "work").text for r in (worker, command)]
    assert built[0] is not None and built[0] == built[1]


def test_renderer_without_a_pool_leaves_no_worker_running(tmp_path: Path, overlay: Path) -> None:
    fake = FakeWorker(tmp_path)
    (tmp_path / "work").mkdir()
    render_overlay(fake.renderer, overlay, tmp_path / "work")
    with pytest.raises(ProcessLookupError):
        os.kill(fake.seen["pid"], 0)


@pytest.mark.usefixtures("real_renderer")
def test_real_render_does_not_inflate_helm_charts(tmp_path: Path) -> None:
    overlay = make_files(
        tmp_path / "repo/app",
        {
            "kustomization.yaml": """\
                helmCharts:
                  - name: app
                    repo: https://charts.example.com
                    version: 1.0.0
                """,
        },
    )
    output = real_render(overlay, tmp_path / "work")
    assert output.text is None
    assert output.error is not None and "enable-helm" in output.error


def test_a_worker_answer_without_text_or_error_is_not_a_render(
    tmp_path: Path, overlay: Path
) -> None:
    script = make_executable(
        tmp_path / "bin/odd.py", "import sys\nfor line in sys.stdin:\n    print('{}', flush=True)\n"
    )
    renderer = KustomizeRenderer((sys.executable, "-I", str(script)), worker=True)
    (tmp_path / "work").mkdir()
    output = render_overlay(renderer, overlay, tmp_path / "work")
    assert (output.text, output.error, output.reproducible) == (
        None,
        "could not run pykustomize: the renderer gave no readable answer",
        False,
    )


@needs_pykustomize
@pytest.mark.skipif(shutil.which("kubectl") is None, reason="needs kubectl")
@pytest.mark.parametrize(
    "files",
    [
        {"kustomization.yaml": "resources:\n  - missing.yaml\n"},
        {"kustomization.yaml": "resourcez: []\n"},
        {"kustomization.yaml": "resources:\n  - ../no-base\n"},
        {"kustomization.yaml": "resources:\n  - cm.yaml\n", "cm.yaml": "metadata: {name: x\n"},
    ],
    ids=["missing-file", "unknown-field", "missing-base", "broken-yaml"],
)
def test_pykustomize_errors_read_as_kubectls(tmp_path: Path, files: dict[str, str]) -> None:
    overlay = make_files(tmp_path / "repo/app", files)
    worker, command = kustomize.pykustomize_worker(), find_kustomize("kubectl")
    assert worker is not None and command is not None
    (tmp_path / "work").mkdir()
    errors = [render_overlay(r, overlay, tmp_path / "work").error for r in (worker, command)]
    assert errors[0] is not None and errors[0] == errors[1]
    assert str(tmp_path / "work") not in errors[0]
