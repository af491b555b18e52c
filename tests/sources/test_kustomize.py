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

needs_kustomize = pytest.mark.skipif(
    shutil.which("kubectl") is None and shutil.which("kustomize") is None,
    reason="needs kubectl or kustomize on PATH",
)

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


def real_render(overlay: Path, work_dir: Path) -> KustomizeOutput:
    renderer = find_kustomize()
    assert renderer is not None
    work_dir.mkdir(exist_ok=True)
    return render_overlay(renderer, overlay, work_dir)


@needs_kustomize
def test_real_render_annotates_each_object_with_its_source_file(
    tmp_path: Path, overlay: Path
) -> None:
    output = real_render(overlay, tmp_path / "work")
    assert output.text is not None
    [rendered] = yaml.safe_load_all(output.text)
    origin = yaml.safe_load(rendered["metadata"]["annotations"][ORIGIN_ANNOTATION])
    assert Path(os.path.normpath(output.wrapper_dir / origin["path"])) == overlay / "cm.yaml"


@needs_kustomize
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


@needs_kustomize
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


@needs_kustomize
def test_real_render_of_a_remote_resource_fails_at_the_closed_proxy(tmp_path: Path) -> None:
    overlay = make_files(
        tmp_path / "repo/app",
        {"kustomization.yaml": "resources:\n  - https://example.com/manifests/app.yaml\n"},
    )
    output = real_render(overlay, tmp_path / "work")
    assert output.text is None
    assert output.error is not None and "127.0.0.1:9" in output.error


@needs_kustomize
def test_real_render_error_is_plain_text_about_the_overlay(tmp_path: Path) -> None:
    overlay = make_files(tmp_path / "repo/app", {"kustomization.yaml": "resourcez: []\n"})
    output = real_render(overlay, tmp_path / "work")
    assert output.error is not None
    assert 'unknown field "resourcez"' in output.error
    assert str(tmp_path) not in output.error
    assert "must resolve to a file" not in output.error


@needs_kustomize
@pytest.mark.skipif(not network_isolation(), reason="no network namespace on this system")
def test_real_render_runs_in_its_own_network_namespace(tmp_path: Path, overlay: Path) -> None:
    output = real_render(overlay, tmp_path / "work")
    assert (output.text is not None, output.isolated) == (True, True)


@needs_kustomize
def test_real_render_with_network_allowed_is_not_isolated(tmp_path: Path, overlay: Path) -> None:
    renderer = find_kustomize()
    assert renderer is not None
    (tmp_path / "work").mkdir()
    output = render_overlay(renderer, overlay, tmp_path / "work", allow_network=True)
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
