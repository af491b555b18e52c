"""`gitwarden scan` on the command line: rendering options."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from gitwarden.cli import EXIT_USAGE, main
from k8s_fixtures import CORPORA
from repo_files import make_repo

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "insecure-gitops"

needs_kustomize = pytest.mark.skipif(
    shutil.which("kubectl") is None and shutil.which("kustomize") is None,
    reason="needs kubectl or kustomize on PATH",
)


def json_report(path: Path, out: Path, *options: str) -> str:
    main(["scan", str(path), "--format", "json", "--output", str(out), *options])
    return out.read_text()


@needs_kustomize
@pytest.mark.parametrize(
    "target",
    [CORPORA / "argocd-example-apps", EXAMPLE],
    ids=["argocd-example-apps", "insecure-gitops"],
)
def test_parallel_rendering_reports_what_a_serial_run_reports(target: Path, tmp_path: Path) -> None:
    if not target.is_dir():
        pytest.skip(f"{target} is not available")
    serial = json_report(target, tmp_path / "serial.json", "--jobs", "1", "--no-cache")
    parallel = json_report(target, tmp_path / "parallel.json", "--jobs", "4", "--no-cache")
    assert '"total": 0' not in serial
    assert parallel == serial


@pytest.mark.parametrize("jobs", ["0", "-2", "many"])
def test_jobs_must_be_a_positive_number(jobs: str, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["scan", str(tmp_path), "--jobs", jobs])
    assert exited.value.code == EXIT_USAGE


@needs_kustomize
def test_no_cache_leaves_the_render_cache_empty(tmp_path: Path, private_state_dir: Path) -> None:
    json_report(EXAMPLE, tmp_path / "report.json", "--no-cache")
    assert not list(private_state_dir.glob("render-cache/*/*"))


@needs_kustomize
def test_a_scan_fills_the_render_cache(tmp_path: Path, private_state_dir: Path) -> None:
    json_report(EXAMPLE, tmp_path / "report.json")
    assert list(private_state_dir.glob("render-cache/*/*.entry"))


PRIVILEGED_POD = """\
apiVersion: v1
kind: Pod
metadata: {name: shell, namespace: tools}
spec:
  containers:
    - name: shell
      image: registry.example.com/shell:1.0
      securityContext: {privileged: true}
"""


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        check=True,
        capture_output=True,
    )


def pod_repo(root: Path) -> Path:
    for name in ("apps/a/pod.yaml", "apps/b/pod.yaml", "other/pod.yaml"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(PRIVILEGED_POD)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "first")
    return root


def reported_files(out: Path) -> set[str]:
    return {finding["file"] for finding in json.loads(out.read_text())["findings"]}


def test_several_paths_keep_repository_relative_paths(tmp_path: Path) -> None:
    repo = pod_repo(tmp_path / "repo")
    out = tmp_path / "report.json"
    main(
        ["scan", str(repo / "apps/a/pod.yaml"), str(repo / "apps/b"), "-f", "json", "-o", str(out)]
    )
    assert reported_files(out) == {"apps/a/pod.yaml", "apps/b/pod.yaml"}


@pytest.mark.parametrize("option", ["--diff", "--changed-since"])
def test_diff_reports_what_changed_since_the_revision(tmp_path: Path, option: str) -> None:
    repo = pod_repo(tmp_path / "repo")
    (repo / "other/pod.yaml").write_text(PRIVILEGED_POD.replace("1.0", "1.1"))
    out = tmp_path / "report.json"
    main(["scan", str(repo), option, "HEAD", "-f", "json", "-o", str(out)])
    assert reported_files(out) == {"other/pod.yaml"}


def test_staged_reports_what_the_index_changes(tmp_path: Path) -> None:
    repo = pod_repo(tmp_path / "repo")
    (repo / "new.yaml").write_text(PRIVILEGED_POD)
    git(repo, "add", "new.yaml")
    out = tmp_path / "report.json"
    main(["scan", str(repo), "--staged", "-f", "json", "-o", str(out)])
    assert reported_files(out) == {"new.yaml"}


def test_diff_and_staged_together_are_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["scan", str(tmp_path), "--diff", "HEAD", "--staged"])
    assert exited.value.code == EXIT_USAGE


def test_a_missing_path_among_several_is_a_usage_error(tmp_path: Path) -> None:
    repo = pod_repo(tmp_path / "repo")
    assert main(["scan", str(repo / "apps"), str(repo / "gone.yaml")]) == EXIT_USAGE


def test_diff_outside_a_git_repository_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "pod.yaml").write_text(PRIVILEGED_POD)
    assert main(["scan", str(tmp_path), "--diff", "HEAD"]) == EXIT_USAGE


IMPORTED = """
import sys
from gitwarden.cli import main
main(sys.argv[2:])
print(sys.argv[1] in sys.modules)
"""


@pytest.mark.parametrize(
    ("module", "options", "imported"),
    [
        ("rich", [], False),
        ("gitwarden.commands.scan_baseline", [], False),
        ("gitwarden.commands.scan_baseline", ["--write-baseline", "baseline.json"], True),
    ],
    ids=["no-progress-bar-no-rich", "no-baseline-not-loaded", "baseline-loaded"],
)
def test_a_scan_imports_only_what_it_uses(
    module: str, options: list[str], imported: bool, tmp_path: Path
) -> None:
    (tmp_path / "app.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    arguments = ["scan", str(tmp_path), "--no-render", "-f", "json", "-o", "report.json"]
    done = subprocess.run(
        [sys.executable, "-c", IMPORTED, module, *arguments, *options],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    assert done.stdout.split() == [str(imported)]


STARTED_BEFORE_CHECKS = """
import sys
import gitwarden.cli.scan as cli_scan
from gitwarden.cli import main
seen = []
start = cli_scan.start_render_workers
def spy(*args, **kwargs):
    seen.append("gitwarden.checks.registry" in sys.modules)
    return start(*args, **kwargs)
cli_scan.start_render_workers = spy
main(sys.argv[1:])
print(seen)
"""

OVERLAY = {
    "base/kustomization.yaml": "resources:\n- cm.yaml\n",
    "base/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
    "prod/kustomization.yaml": "namespace: prod\nresources:\n- ../base\n",
}


@pytest.mark.parametrize(
    ("options", "seen"), [([], "[False]"), (["--no-render"], "[]"), (["--only", "secrets"], "[]")]
)
def test_renderer_children_start_before_the_checks_are_imported(
    options: list[str], seen: str, tmp_path: Path
) -> None:
    repo = make_repo(tmp_path / "repo", OVERLAY)
    arguments = ["scan", str(repo), "-f", "json", "-o", str(tmp_path / "r.json"), *options]
    done = subprocess.run(
        [sys.executable, "-c", STARTED_BEFORE_CHECKS, *arguments],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split("\n")[-2] == seen


RENDERS_BEFORE_CHECKS = """
import sys
from gitwarden.cli import main
from gitwarden.pipeline import object_loading
LATER = ("gitwarden.checks.registry", "gitwarden.rule_catalogue", "gitwarden.secrets.engine")
seen = []
render = object_loading.render_overlay
def spy(*args, **kwargs):
    seen.append([module in sys.modules for module in LATER])
    return render(*args, **kwargs)
object_loading.render_overlay = spy
main(sys.argv[1:])
print(seen[:1], [module in sys.modules for module in LATER])
"""


@needs_kustomize
def test_the_first_render_is_asked_for_before_the_later_stages_are_imported(
    tmp_path: Path,
) -> None:
    repo = make_repo(tmp_path / "repo", OVERLAY)
    arguments = ["scan", str(repo), "-f", "json", "-o", str(tmp_path / "r.json"), "--no-cache"]
    done = subprocess.run(
        [sys.executable, "-c", RENDERS_BEFORE_CHECKS, *arguments],
        capture_output=True,
        text=True,
        check=True,
    )
    # Before the first render none of them is loaded; by the end of the scan, all are.
    assert done.stdout.split("\n")[-2] == "[[False, False, False]] [True, True, True]"
    assert json.loads((tmp_path / "r.json").read_text())["summary"]["objects_scanned"] == 1


def test_a_scan_the_cache_answers_starts_no_renderer_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gitwarden.cli.scan as cli_scan

    started: list[object] = []
    start = cli_scan.start_render_workers

    def spy(*args: Any, **kwargs: Any) -> Any:
        workers = start(*args, **kwargs)
        started.append(workers)
        return workers

    monkeypatch.setattr(cli_scan, "start_render_workers", spy)
    repo = make_repo(tmp_path / "repo", OVERLAY)
    reports = [json_report(repo, tmp_path / f"{n}.json") for n in range(3)]
    assert reports[0] == reports[1] == reports[2]
    # The first scan knew nothing of the folder; the next ones find its overlay cached.
    assert started[0] is not None
    assert started[1:] == [None, None]
    # Without the cache, the overlay renders again: its child starts ahead.
    json_report(repo, tmp_path / "no-cache.json", "--no-cache")
    assert started[3] is not None
    # A file is not rendered: nothing is started for it.
    json_report(repo / "base" / "cm.yaml", tmp_path / "file.json")
    assert len(started) == 4
