"""`gitwarden.scan()` end to end: real files in tmp_path, real `kubectl kustomize`, real Helm
SDK; its equality with main's scanner, and the isolation of concurrent runs."""

from __future__ import annotations

import functools
import importlib
import json
import shutil
import subprocess
import textwrap
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import gitwarden
import gitwarden.pipeline.object_loading as object_loading
import gitwarden.pipeline.parsed_file_cache as parsed_file_cache
from gitwarden.commands.scan import ScanOptions, scan
from gitwarden.config import Config
from gitwarden.errors import UsageError
from gitwarden.findings import Finding, Severity
from gitwarden.report import get_format
from gitwarden.report.model import Report
from gitwarden.sources.helm import helm_renderer_name
from gitwarden.sources.kustomize import find_kustomize
from k8s_fixtures import CORPORA

needs_kustomize = pytest.mark.skipif(
    shutil.which("kubectl") is None and shutil.which("kustomize") is None,
    reason="needs kubectl or kustomize on PATH",
)

BASE_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: app
          image: registry.example.com/web:1.0
          securityContext:
            privileged: true
"""

# A strategic-merge patch: as a whole object it would be a Deployment in no namespace that
# shares the host network; as a patch it only adds hostNetwork to the base Deployment.
HOST_NETWORK_PATCH = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      hostNetwork: true
"""

KUSTOMIZATION_WITH_KIND = """\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml
"""

OVERLAY_REPO = {
    "app/base/kustomization.yaml": "resources:\n  - deployment.yaml\n",
    "app/base/deployment.yaml": BASE_DEPLOYMENT,
    "app/overlays/prod/kustomization.yaml": """\
        namespace: shop-prod
        namePrefix: prod-
        resources:
          - ../../base
        patches:
          - path: host-network.yaml
        """,
    "app/overlays/prod/host-network.yaml": HOST_NETWORK_PATCH,
}

PRIVILEGED_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: shell
  namespace: tools
spec:
  containers:
    - name: shell
      image: registry.example.com/shell:1.0
      securityContext:
        privileged: true
"""

CHART_DEPLOYMENT_TEMPLATE = """\
{{- $name := .Release.Name }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}-api
  namespace: apps
spec:
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      {{- if .Values.hostNetwork }}
      hostNetwork: true
      {{- end }}
      containers:
        - name: api
          image: {{ .Values.image | quote }}
          securityContext:
            privileged: false
        - name: agent
          image: {{ .Values.image | quote }}
          securityContext:
            privileged: {{ .Values.agentPrivileged }}
"""

CHART_REPO = {
    "charts/api/Chart.yaml": "apiVersion: v2\nname: api\nversion: 0.1.0\n",
    "charts/api/values.yaml": """\
        image: registry.example.com/api:1.0
        hostNetwork: false
        agentPrivileged: true
        """,
    "charts/api/values-prod.yaml": "hostNetwork: true\n",
    "charts/api/templates/deployment.yaml": CHART_DEPLOYMENT_TEMPLATE,
    "charts/api/templates/_helpers.tpl": '{{- define "api.name" -}}api{{- end }}\n',
    "charts/api/templates/NOTES.txt": "Installed {{ .Release.Name }}.\n",
}


def make_repo(root: Path, files: Mapping[str, str]) -> Path:
    """Write ``files`` (dedented) under ``root``; returns ``root``."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def line_of(text: str, needle: str, after: str | None = None) -> int:
    """1-based line of the first line containing ``needle`` (after the line holding ``after``)."""
    lines = textwrap.dedent(text).splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) + 1 if after else 0
    return next(i for i in range(start, len(lines)) if needle in lines[i]) + 1


def only(findings: Iterable[Finding], rule_id: str, **location: Any) -> Finding:
    """The single finding of ``rule_id`` whose location has the given attribute values."""
    matching = [
        f
        for f in findings
        if f.rule_id == rule_id
        and all(getattr(f.location, key) == value for key, value in location.items())
    ]
    assert len(matching) == 1, [(f.rule_id, f.location) for f in findings]
    return matching[0]


def files_with_findings(report: Report) -> set[str]:
    return {f.location.file for f in report.findings}


@pytest.fixture
def render_calls(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Folders handed to the kustomize renderer during the test (the real one still runs)."""
    calls: list[Path] = []
    real = object_loading.render_overlay

    def recording(renderer: Any, overlay: Path, *args: Any, **kwargs: Any) -> Any:
        calls.append(overlay)
        return real(renderer, overlay, *args, **kwargs)

    monkeypatch.setattr(object_loading, "render_overlay", recording)
    return calls


# -- the public entry point ---------------------------------------------------------------


def test_package_exports_scan_as_a_function_after_the_module_is_imported() -> None:
    import gitwarden

    assert callable(gitwarden.scan)


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        scan(tmp_path / "absent")


# -- kustomize overlays -------------------------------------------------------------------


@needs_kustomize
def test_overlay_finding_points_at_base_file_and_field_line(tmp_path: Path) -> None:
    report = scan(make_repo(tmp_path, OVERLAY_REPO))
    finding = only(report.findings, "pss-privileged")
    assert finding.location.file == "app/base/deployment.yaml"
    assert finding.location.line == line_of(BASE_DEPLOYMENT, "privileged: true")
    assert finding.location.origin == "kustomize app/overlays/prod"


@needs_kustomize
def test_overlay_resource_carries_overlay_namespace_and_prefix(tmp_path: Path) -> None:
    report = scan(make_repo(tmp_path, OVERLAY_REPO))
    assert only(report.findings, "pss-privileged").location.resource == (
        "Deployment/shop-prod/prod-web"
    )


@needs_kustomize
def test_overlay_patch_is_applied_before_checks(tmp_path: Path) -> None:
    report = scan(make_repo(tmp_path, OVERLAY_REPO))
    finding = only(report.findings, "pss-host-namespaces")
    assert finding.location.resource == "Deployment/shop-prod/prod-web"
    assert finding.location.field_path == "spec.template.spec.hostNetwork"


@pytest.mark.parametrize(
    "render", [pytest.param(True, marks=needs_kustomize), False], ids=["render", "no-render"]
)
def test_patch_file_is_never_checked_as_a_whole_object(tmp_path: Path, render: bool) -> None:
    report = scan(make_repo(tmp_path, OVERLAY_REPO), options=ScanOptions(render=render))
    assert "app/overlays/prod/host-network.yaml" not in files_with_findings(report)


def test_no_render_scans_overlay_files_as_they_are(tmp_path: Path) -> None:
    report = scan(make_repo(tmp_path, OVERLAY_REPO), options=ScanOptions(render=False))
    finding = only(report.findings, "pss-privileged")
    assert finding.location.resource == "Deployment/web"
    assert finding.location.origin is None
    assert finding.location.line == line_of(BASE_DEPLOYMENT, "privileged: true")


def test_kustomization_files_are_never_checked_as_objects(tmp_path: Path) -> None:
    files = {**OVERLAY_REPO, "app/base/kustomization.yaml": KUSTOMIZATION_WITH_KIND}
    report = scan(make_repo(tmp_path, files), options=ScanOptions(render=False))
    assert not {"app/base/kustomization.yaml", "app/overlays/prod/kustomization.yaml"} & (
        files_with_findings(report)
    )


@needs_kustomize
def test_overlay_at_repository_root_is_named_dot(tmp_path: Path) -> None:
    files = {
        "kustomization.yaml": "namespace: tools\nresources:\n  - pod.yaml\n",
        "pod.yaml": PRIVILEGED_POD,
    }
    report = scan(make_repo(tmp_path, files))
    finding = only(report.findings, "pss-privileged")
    assert (finding.location.file, finding.location.origin) == ("pod.yaml", "kustomize .")


@needs_kustomize
def test_generated_object_is_attributed_to_the_overlay_kustomization(tmp_path: Path) -> None:
    files = {
        "app/kustomization.yaml": """\
            namespace: default
            configMapGenerator:
              - name: settings
                literals: [mode=quiet]
            """,
    }
    report = scan(make_repo(tmp_path, files))
    finding = only(report.findings, "hardening-default-namespace")
    assert finding.location.file == "app/kustomization.yaml"
    assert finding.location.origin == "kustomize app"


# -- what is refused before rendering -----------------------------------------------------

REMOTE_REPO = {
    "apps/web/kustomization.yaml": """\
        resources:
          - https://github.com/example/platform//deploy/base?ref=v1.2.0
          - pod.yaml
        """,
    "apps/web/pod.yaml": PRIVILEGED_POD,
}


@needs_kustomize
def test_remote_base_is_refused_without_running_the_renderer(
    tmp_path: Path, render_calls: list[Path]
) -> None:
    report = scan(make_repo(tmp_path, REMOTE_REPO))
    refusal = only(report.findings, "remote-source-refused")
    assert refusal.location.file == "apps/web/kustomization.yaml"
    assert "https://github.com/example/platform//deploy/base?ref=v1.2.0" in refusal.message
    assert render_calls == []


@needs_kustomize
def test_local_files_of_a_refused_overlay_are_still_checked(tmp_path: Path) -> None:
    report = scan(make_repo(tmp_path, REMOTE_REPO))
    finding = only(report.findings, "pss-privileged")
    assert (finding.location.file, finding.location.origin) == ("apps/web/pod.yaml", None)


EXEC_FUNCTION_REPO = {
    "apps/web/kustomization.yaml": """\
        resources:
          - pod.yaml
        transformers:
          - stamp.yaml
        """,
    "apps/web/pod.yaml": PRIVILEGED_POD,
    "apps/web/stamp.yaml": """\
        apiVersion: example.com/v1
        kind: Stamp
        metadata:
          name: stamp
          annotations:
            config.kubernetes.io/function: |
              exec:
                path: ./evil.sh
        """,
}


def make_exec_function_repo(root: Path) -> Path:
    """An overlay whose transformer is an exec KRM function that leaves a marker file."""
    repo = make_repo(root / "repo", EXEC_FUNCTION_REPO)
    script = repo / "apps/web/evil.sh"
    script.write_text(f"#!/bin/sh\ntouch '{root / 'executed'}'\ncat\n", encoding="utf-8")
    script.chmod(0o755)
    return repo


@needs_kustomize
def test_exec_function_of_an_overlay_is_not_executed(tmp_path: Path) -> None:
    scan(make_exec_function_repo(tmp_path))
    assert not (tmp_path / "executed").exists()


@needs_kustomize
def test_exec_function_overlay_is_reported_as_render_failure(tmp_path: Path) -> None:
    report = scan(make_exec_function_repo(tmp_path))
    failure = only(report.findings, "render-failed")
    assert failure.location.file == "apps/web/kustomization.yaml"
    assert "plugin" in failure.message


@needs_kustomize
def test_render_failure_message_is_plain_text_with_repository_paths(tmp_path: Path) -> None:
    files = {
        "base/kustomization.yaml": "resourcez: []\n",
        "overlay/kustomization.yaml": "resources:\n  - ../base\n",
    }
    report = scan(make_repo(tmp_path, files))
    message = only(report.findings, "render-failed").message
    assert 'unknown field "resourcez"' in message
    assert "'base'" in message
    assert str(tmp_path) not in message
    assert "gitwarden-" not in message


@needs_kustomize
def test_component_is_rendered_only_inside_its_overlay(
    tmp_path: Path, render_calls: list[Path]
) -> None:
    files = {
        "components/debug/kustomization.yaml": """\
            apiVersion: kustomize.config.k8s.io/v1alpha1
            kind: Component
            patches:
              - path: host-pid.yaml
            """,
        "components/debug/host-pid.yaml": """\
            apiVersion: v1
            kind: Pod
            metadata:
              name: shell
              namespace: tools
            spec:
              hostPID: true
            """,
        "apps/tools/kustomization.yaml": """\
            resources:
              - pod.yaml
            components:
              - ../../components/debug
            """,
        "apps/tools/pod.yaml": PRIVILEGED_POD,
    }
    report = scan(make_repo(tmp_path, files))
    assert [call.relative_to(tmp_path).as_posix() for call in render_calls] == ["apps/tools"]
    assert only(report.findings, "pss-host-namespaces").location.file == "apps/tools/pod.yaml"


@needs_kustomize
def test_unused_component_is_not_rendered_on_its_own(
    tmp_path: Path, render_calls: list[Path]
) -> None:
    files = {
        "components/debug/kustomization.yaml": """\
            apiVersion: kustomize.config.k8s.io/v1alpha1
            kind: Component
            patches:
              - path: host-pid.yaml
            """,
        "components/debug/host-pid.yaml": PRIVILEGED_POD,
    }
    report = scan(make_repo(tmp_path, files))
    assert render_calls == []
    assert report.findings == ()


@needs_kustomize
def test_overlay_holding_a_symlink_out_of_the_repository_is_not_rendered(
    tmp_path: Path, render_calls: list[Path]
) -> None:
    outside = make_repo(tmp_path / "outside", {"host-secret.yaml": PRIVILEGED_POD})
    repo = make_repo(
        tmp_path / "repo",
        {"apps/web/kustomization.yaml": "resources:\n  - pod.yaml\n  - linked.yaml\n"},
    )
    (repo / "apps/web/pod.yaml").write_text(
        PRIVILEGED_POD.replace("name: shell", "name: local"), encoding="utf-8"
    )
    (repo / "apps/web/linked.yaml").symlink_to(outside / "host-secret.yaml")
    report = scan(repo)
    assert render_calls == []
    failure = only(report.findings, "render-failed")
    assert (failure.location.file, "symbolic link" in failure.message) == (
        "apps/web/kustomization.yaml",
        True,
    )
    assert only(report.findings, "symlink-outside-repo").location.file == "apps/web/linked.yaml"
    assert "Pod/tools/shell" not in {f.location.resource for f in report.findings}


@needs_kustomize
def test_overlay_referring_outside_the_scanned_folder_is_not_rendered(
    tmp_path: Path, render_calls: list[Path]
) -> None:
    make_repo(tmp_path, {"shared/pod.yaml": PRIVILEGED_POD})
    repo = make_repo(tmp_path / "repo", {"app/kustomization.yaml": "resources:\n  - ../../x\n"})
    report = scan(repo)
    assert render_calls == []
    assert "outside the scanned folder" in only(report.findings, "render-failed").message


# -- Helm charts --------------------------------------------------------------------------


def test_chart_renders_with_its_default_values(tmp_path: Path) -> None:
    report = scan(make_repo(tmp_path, CHART_REPO))
    finding = only(report.findings, "pss-privileged", origin="helm charts/api")
    assert finding.location.file == "charts/api/templates/deployment.yaml"
    assert finding.location.resource == "Deployment/apps/release-api"


def test_chart_objects_in_the_release_namespace_are_not_in_default(tmp_path: Path) -> None:
    # The namespace is chosen where the chart is installed, not by the chart.
    template = CHART_DEPLOYMENT_TEMPLATE.replace(
        "namespace: apps", "namespace: {{ .Release.Namespace }}"
    )
    files = {**CHART_REPO, "charts/api/templates/deployment.yaml": template}
    report = scan(make_repo(tmp_path, files))
    assert "hardening-default-namespace" not in {f.rule_id for f in report.findings}


def test_chart_finding_points_at_the_line_of_its_field_in_the_template(tmp_path: Path) -> None:
    report = scan(make_repo(tmp_path, CHART_REPO))
    finding = only(report.findings, "pss-privileged", origin="helm charts/api")
    # The second container's `privileged:`, not the first one's.
    assert finding.location.line == line_of(
        CHART_DEPLOYMENT_TEMPLATE, "privileged:", after="name: agent"
    )


def test_chart_finding_for_an_absent_field_points_at_its_parent_in_the_template(
    tmp_path: Path,
) -> None:
    report = scan(make_repo(tmp_path, CHART_REPO))
    finding = only(
        report.findings, "hardening-service-account-token-automounted", origin="helm charts/api"
    )
    # automountServiceAccountToken belongs in the pod spec, under `template:`.
    assert finding.location.line == line_of(CHART_DEPLOYMENT_TEMPLATE, "spec:", after="template:")


def test_chart_values_variant_is_rendered_as_its_own_origin(tmp_path: Path) -> None:
    report = scan(make_repo(tmp_path, CHART_REPO))
    finding = only(report.findings, "pss-host-namespaces")
    assert finding.location.origin == "helm charts/api (values-prod.yaml)"
    assert finding.location.file == "charts/api/templates/deployment.yaml"
    assert finding.location.line == line_of(CHART_DEPLOYMENT_TEMPLATE, "hostNetwork: true")


@pytest.mark.parametrize("render", [True, False], ids=["render", "no-render"])
def test_chart_templates_and_values_are_never_parsed_as_manifests(
    tmp_path: Path, render: bool
) -> None:
    report = scan(make_repo(tmp_path, CHART_REPO), options=ScanOptions(render=render))
    assert not [f for f in report.findings if f.rule_id == "parse-error"]
    assert "charts/api/values.yaml" not in files_with_findings(report)


SUBCHART_POD_TEMPLATE = """\
apiVersion: v1
kind: Pod
metadata:
  name: agent
  namespace: tools
spec:
  containers:
    - name: agent
      image: registry.example.com/agent:1.0
      securityContext:
        privileged: {{ .Values.privileged }}
"""


@pytest.mark.parametrize("parent", ["", "charts/platform"], ids=["root-chart", "nested-chart"])
def test_subchart_is_rendered_only_with_its_parents_values(tmp_path: Path, parent: str) -> None:
    prefix = f"{parent}/" if parent else ""
    files = {
        f"{prefix}Chart.yaml": "apiVersion: v2\nname: platform\nversion: 0.1.0\n",
        f"{prefix}values.yaml": "agent:\n  privileged: false\n",
        f"{prefix}charts/agent/Chart.yaml": "apiVersion: v2\nname: agent\nversion: 0.1.0\n",
        f"{prefix}charts/agent/values.yaml": "privileged: true\n",
        f"{prefix}charts/agent/templates/pod.yaml": SUBCHART_POD_TEMPLATE,
    }
    report = scan(make_repo(tmp_path, files))
    assert "pss-privileged" not in {f.rule_id for f in report.findings}
    assert f"{prefix}charts/agent/templates/pod.yaml" in files_with_findings(report)


def test_chart_that_fails_to_render_is_reported(tmp_path: Path) -> None:
    files = {
        "charts/broken/Chart.yaml": "apiVersion: v2\nname: broken\nversion: 0.1.0\n",
        "charts/broken/templates/cm.yaml": """\
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {{ required "x is required" .Values.x }}
            """,
    }
    report = scan(make_repo(tmp_path, files))
    failure = only(report.findings, "render-failed")
    assert failure.location.file == "charts/broken/Chart.yaml"
    assert "x is required" in failure.message


def test_chart_values_variant_that_fails_names_the_values_file(tmp_path: Path) -> None:
    files = {**CHART_REPO, "charts/api/values-bad.yaml": "image: [unclosed\n"}
    report = scan(make_repo(tmp_path, files))
    assert "values-bad.yaml" in only(report.findings, "render-failed").message


def test_no_render_reports_chart_as_not_rendered(tmp_path: Path) -> None:
    report = scan(make_repo(tmp_path, CHART_REPO), options=ScanOptions(render=False))
    finding = only(report.findings, "renderer-missing")
    assert (finding.severity, finding.location.file) == (Severity.INFO, "charts/api/Chart.yaml")
    assert [f.rule_id for f in report.findings] == ["renderer-missing"]


# -- plain files --------------------------------------------------------------------------


def test_malformed_yaml_is_a_parse_error_and_other_files_still_scan(tmp_path: Path) -> None:
    files = {
        "broken.yaml": 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: "unclosed\n  b: 1\n',
        "pod.yaml": PRIVILEGED_POD,
    }
    report = scan(make_repo(tmp_path, files))
    assert only(report.findings, "parse-error").location.file == "broken.yaml"
    assert only(report.findings, "pss-privileged").location.file == "pod.yaml"


def test_single_file_can_be_scanned(tmp_path: Path) -> None:
    make_repo(tmp_path, {"pod.yaml": PRIVILEGED_POD})
    report = scan(tmp_path / "pod.yaml")
    assert only(report.findings, "pss-privileged").location.file == "pod.yaml"


# -- suppressions and configuration -------------------------------------------------------

IGNORED_PRIVILEGED_POD = PRIVILEGED_POD.replace(
    "  namespace: tools\n",
    '  namespace: tools\n  annotations:\n    gitwarden.io/ignore: "pss-privileged -- lab only"\n',
)


def test_annotation_suppression_marks_the_finding_suppressed(tmp_path: Path) -> None:
    report = scan(make_repo(tmp_path, {"pod.yaml": IGNORED_PRIVILEGED_POD}))
    suppression = only(report.findings, "pss-privileged").suppression
    assert suppression is not None
    assert (suppression.source, suppression.reason) == ("annotation", "lab only")


@needs_kustomize
def test_annotation_in_a_base_suppresses_the_rendered_finding(tmp_path: Path) -> None:
    files = {
        "kustomization.yaml": "namespace: lab\nresources:\n  - pod.yaml\n",
        "pod.yaml": IGNORED_PRIVILEGED_POD,
    }
    report = scan(make_repo(tmp_path, files))
    finding = only(report.findings, "pss-privileged")
    assert (finding.location.origin, finding.suppressed) == ("kustomize .", True)


SUPPRESSION_CONFIG = """\
suppressions:
  - rule: pss-privileged
    path: "pod.yaml"
    reason: "Break-glass shell (SEC-1)."
    expires: 2025-01-31
"""


@pytest.mark.parametrize(
    ("today", "suppressed"),
    [(date(2025, 1, 31), True), (date(2025, 2, 1), False)],
    ids=["on-expiry-day", "day-after"],
)
def test_config_suppression_applies_until_it_expires(
    tmp_path: Path, today: date, suppressed: bool
) -> None:
    repo = make_repo(tmp_path, {"pod.yaml": PRIVILEGED_POD, ".gitwarden.yaml": SUPPRESSION_CONFIG})
    report = scan(repo, options=ScanOptions(today=today))
    assert only(report.findings, "pss-privileged").suppressed is suppressed


def test_expired_suppression_is_reported_at_its_config_line(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"pod.yaml": PRIVILEGED_POD, ".gitwarden.yaml": SUPPRESSION_CONFIG})
    report = scan(repo, options=ScanOptions(today=date(2025, 2, 1)))
    expired = only(report.findings, "suppression-expired")
    assert (expired.location.file, expired.location.line) == (".gitwarden.yaml", 2)


def test_severity_override_changes_the_finding_severity(tmp_path: Path) -> None:
    config = Config(severity_overrides={"pss-privileged": Severity.LOW})
    report = scan(make_repo(tmp_path, {"pod.yaml": PRIVILEGED_POD}), config)
    assert only(report.findings, "pss-privileged").severity is Severity.LOW


def test_disabled_rule_produces_no_findings(tmp_path: Path) -> None:
    config = Config(disabled_rules=("pss-privileged",))
    report = scan(make_repo(tmp_path, {"pod.yaml": PRIVILEGED_POD}), config)
    assert "pss-privileged" not in {f.rule_id for f in report.findings}


def test_disabled_rules_also_silence_findings_about_suppressions(tmp_path: Path) -> None:
    text = SUPPRESSION_CONFIG + "disabled_rules: [suppression-expired]\n"
    repo = make_repo(tmp_path, {"pod.yaml": PRIVILEGED_POD, ".gitwarden.yaml": text})
    report = scan(repo, options=ScanOptions(today=date(2025, 2, 1)))
    assert "suppression-expired" not in {f.rule_id for f in report.findings}


def test_severity_override_applies_to_findings_about_suppressions(tmp_path: Path) -> None:
    text = SUPPRESSION_CONFIG + "severity_overrides: {suppression-expired: critical}\n"
    repo = make_repo(tmp_path, {"pod.yaml": PRIVILEGED_POD, ".gitwarden.yaml": text})
    report = scan(repo, options=ScanOptions(today=date(2025, 2, 1)))
    assert only(report.findings, "suppression-expired").severity is Severity.CRITICAL


@pytest.mark.parametrize(
    ("config_fail_on", "option_fail_on", "expected"),
    [
        (None, None, Severity.HIGH),
        (Severity.LOW, None, Severity.LOW),
        (Severity.LOW, Severity.CRITICAL, Severity.CRITICAL),
    ],
    ids=["default", "config", "option-wins"],
)
def test_fail_on_comes_from_options_then_config_then_default(
    tmp_path: Path,
    config_fail_on: Severity | None,
    option_fail_on: Severity | None,
    expected: Severity,
) -> None:
    repo = make_repo(tmp_path, {"pod.yaml": PRIVILEGED_POD})
    report = scan(repo, Config(fail_on=config_fail_on), ScanOptions(fail_on=option_fail_on))
    assert report.fail_on is expected


@pytest.mark.parametrize(
    ("fail_on", "disabled", "passed"),
    [
        (Severity.CRITICAL, (), False),
        (Severity.CRITICAL, ("pss-privileged",), True),
        (Severity.HIGH, ("pss-privileged",), True),
        (Severity.MEDIUM, ("pss-privileged",), False),
    ],
    ids=["critical-finding", "worst-left-medium", "medium-below-high", "medium-at-medium"],
)
def test_report_passes_when_no_finding_reaches_fail_on(
    tmp_path: Path, fail_on: Severity, disabled: tuple[str, ...], passed: bool
) -> None:
    # pss-privileged is the pod's only finding above medium.
    config = Config(disabled_rules=disabled, fail_on=fail_on)
    report = scan(make_repo(tmp_path, {"pod.yaml": PRIVILEGED_POD}), config)
    assert report.passed is passed


def test_suppressed_findings_do_not_fail_the_report(tmp_path: Path) -> None:
    config = Config(fail_on=Severity.CRITICAL)
    report = scan(make_repo(tmp_path, {"pod.yaml": IGNORED_PRIVILEGED_POD}), config)
    assert report.passed


# -- real-world corpora -------------------------------------------------------------------

CORPUS_FOLDERS = sorted(p.name for p in CORPORA.iterdir() if p.is_dir()) if CORPORA.is_dir() else []


@pytest.mark.skipif(not CORPUS_FOLDERS, reason="corpora not present")
@pytest.mark.parametrize("folder", CORPUS_FOLDERS)
def test_corpus_scans_without_an_exception(folder: str) -> None:
    assert corpus_report(folder).objects_scanned > 0


@functools.cache
def corpus_report(folder: str) -> Report:
    """One full scan per corpus for the whole session: the large ones take seconds."""
    return scan(CORPORA / folder, options=ScanOptions(today=date(2025, 1, 1)))


def _argo_controller_wildcard_verbs_line(install: Path) -> int:
    """The line of `verbs:` in the first rule of the controller's ClusterRole."""
    lines = install.read_text(encoding="utf-8").splitlines()
    for start, line in enumerate(lines):
        if line != "kind: ClusterRole":
            continue
        end = next((i for i in range(start, len(lines)) if lines[i] == "---"), len(lines))
        if "  name: argocd-application-controller" in lines[start:end]:
            return next(i for i in range(start, end) if lines[i].strip() == "verbs:") + 1
    raise AssertionError("ClusterRole argocd-application-controller not in install.yaml")


@pytest.mark.skipif(
    not (CORPORA / "argo-cd-manifests" / "install.yaml").is_file(), reason="corpus not present"
)
def test_argo_cd_controller_cluster_role_has_wildcard_verbs_at_its_line() -> None:
    finding = only(
        corpus_report("argo-cd-manifests").findings,
        "rbac-wildcard-verbs",
        file="install.yaml",
        resource="ClusterRole/argocd-application-controller",
        field_path="rules[0].verbs",
    )
    install = CORPORA / "argo-cd-manifests" / "install.yaml"
    assert finding.location.line == _argo_controller_wildcard_verbs_line(install)


def test_overlay_inflating_helm_charts_is_not_rendered(tmp_path: Path) -> None:
    (tmp_path / "kustomization.yaml").write_text(
        "helmCharts:\n- name: app\n  repo: https://charts.example.com\n  version: 1.0.0\n"
    )
    report = scan(tmp_path)
    [refusal] = [f for f in report.findings if f.rule_id == "render-failed"]
    assert "uses helmCharts" in refusal.message
    assert refusal.location.file == "kustomization.yaml"


# -- equality with main's scanner ---------------------------------------------------------

REPO_ROOT = Path(__file__).resolve().parents[2]
MAIN_REPORTS = REPO_ROOT / "tests" / "pipeline" / "main_reports"
# The day main's reports were produced: suppression expiry depends on it.
MAIN_REPORT_DAY = date(2026, 12, 1)
# The renderer of record: pykustomize's one error message differs from kubectl's (README).
_KUSTOMIZE = find_kustomize()
RENDERERS_PRESENT = (
    _KUSTOMIZE is not None and _KUSTOMIZE.worker and helm_renderer_name() is not None
)


def json_report(target: Path) -> dict[str, Any]:
    report = scan(target, options=ScanOptions(today=MAIN_REPORT_DAY))
    parsed: dict[str, Any] = json.loads(get_format("json").render(report))
    return parsed


@pytest.mark.skipif(not RENDERERS_PRESENT, reason="main's reports were rendered with both")
@pytest.mark.parametrize(
    ("target", "fixture"),
    [
        (REPO_ROOT / "examples" / "insecure-gitops", "insecure-gitops.json"),
        (CORPORA / "argocd-example-apps", "argocd-example-apps.json"),
    ],
)
def test_scan_reports_exactly_the_findings_of_mains_scanner(target: Path, fixture: str) -> None:
    if not target.is_dir():
        pytest.skip(f"{target} not present")
    expected = json.loads((MAIN_REPORTS / fixture).read_text())
    actual = json_report(target)
    assert actual["findings"] == expected["findings"]
    assert actual["summary"] == expected["summary"]


def test_package_scan_is_the_command() -> None:
    assert gitwarden.scan is scan
    assert gitwarden.ScanOptions is ScanOptions
    assert "scan" in gitwarden.__all__ and "ScanOptions" in gitwarden.__all__


def test_the_transitional_scanner_module_is_gone() -> None:
    # The command lives in gitwarden.commands.scan, its stages in gitwarden.pipeline.
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("gitwarden.scanner")


# -- two scans in one process ------------------------------------------------------------

SOPS_REPO = {
    ".sops.yaml": "creation_rules:\n  - path_regex: secrets/.*\\.yaml$\n    age: age1xyz\n",
    "secrets/db.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: db}\ndata: {a: b}\n",
}
RBAC_REPO = {
    "rbac.yaml": """\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: everything}
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: everything}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: everything}
subjects:
  - {kind: ServiceAccount, name: deployer, namespace: ci}
""",
    "Dockerfile": 'FROM ubuntu:latest\nUSER 1000\nCMD ["sleep", "1"]\n',
}


def finding_keys(target: Path) -> set[tuple[str, str, int]]:
    report = scan(target, options=ScanOptions(secrets=False))
    return {(f.rule_id, f.location.file, f.location.line) for f in report.findings}


def test_concurrent_scans_each_see_only_their_own_repository(tmp_path: Path) -> None:
    sops_repo = make_repo(tmp_path / "sops", SOPS_REPO)
    rbac_repo = make_repo(tmp_path / "rbac", RBAC_REPO)
    alone = {repo: finding_keys(repo) for repo in (sops_repo, rbac_repo)}
    assert any(key[0] == "sops-file-not-encrypted" for key in alone[sops_repo])
    assert any(key[0] == "rbac-wildcard-verbs" for key in alone[rbac_repo])
    targets = [sops_repo, rbac_repo] * 4
    with ThreadPoolExecutor(max_workers=2) as pool:
        together = list(pool.map(finding_keys, targets))
    assert together == [alone[target] for target in targets]


def readme_scan_example() -> str:
    """The README's Python example of `gitwarden.scan` (the first python block calling it)."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    blocks = readme.split("```python\n")[1:]
    return next(block.split("```", 1)[0] for block in blocks if "gitwarden.scan(" in block)


def test_readme_python_example_runs_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path, {"pod.yaml": PRIVILEGED_POD})
    code = readme_scan_example().replace('"path/to/repo"', repr(str(repo)))
    exec(compile(code, "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert any(line.split()[:1] == ["pod.yaml"] and "pss-privileged" in line for line in printed)


# -- parallel rendering and the render cache --------------------------------------------------

TWO_OVERLAYS = {
    **OVERLAY_REPO,
    "app/overlays/stage/kustomization.yaml": "namespace: shop-stage\nresources:\n  - ../../base\n",
    "db/kustomization.yaml": "resources:\n  - pod.yaml\n",
    "db/pod.yaml": PRIVILEGED_POD,
}


def json_of(report: Report) -> str:
    return get_format("json").render(report, color=False)


@needs_kustomize
def test_parallel_scan_reports_what_a_serial_scan_reports(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {**TWO_OVERLAYS, **CHART_REPO})
    serial = scan(repo, options=ScanOptions(jobs=1, cache=False))
    parallel = scan(repo, options=ScanOptions(jobs=4, cache=False))
    assert serial.findings
    assert json_of(parallel) == json_of(serial)


@needs_kustomize
def test_warm_scan_reports_what_the_cold_scan_reported(
    tmp_path: Path, render_calls: list[Path]
) -> None:
    repo = make_repo(tmp_path / "repo", {**TWO_OVERLAYS, **CHART_REPO})
    cold = scan(repo)
    rendered_cold = len(render_calls)
    warm = scan(repo)
    assert rendered_cold == 3
    assert len(render_calls) == rendered_cold  # nothing rendered again
    assert json_of(warm) == json_of(cold)


def test_warm_scan_parses_no_plain_manifest_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path / "repo", {"pod.yaml": PRIVILEGED_POD, "cm.yaml": "kind: x\n"})
    cold = scan(repo, options=ScanOptions(render=False))
    parsed: list[str] = []
    real = parsed_file_cache.load_manifest_text

    def recording(text: str, file: str, **options: Any) -> Any:
        parsed.append(file)
        return real(text, file, **options)

    monkeypatch.setattr(parsed_file_cache, "load_manifest_text", recording)
    warm = scan(repo, options=ScanOptions(render=False))
    assert json_of(warm) == json_of(cold)
    assert parsed == []


def test_no_cache_keeps_no_parsed_file(tmp_path: Path, private_state_dir: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"pod.yaml": PRIVILEGED_POD})
    scan(repo, options=ScanOptions(cache=False))
    assert list(private_state_dir.rglob("*.entry")) == []


@pytest.mark.skipif(not CORPORA.is_dir(), reason="corpora not present")
@pytest.mark.parametrize(
    ("folder", "render"),
    [
        *((folder, False) for folder in sorted(p.name for p in CORPORA.iterdir() if p.is_dir())),
        ("argo-cd-manifests", True),
    ]
    if CORPORA.is_dir()
    else [],
)
def test_a_warm_scan_of_a_corpus_reports_exactly_the_cold_scans_findings(
    folder: str, render: bool
) -> None:
    if render and shutil.which("kubectl") is None:
        pytest.skip("kubectl is not installed")
    options = ScanOptions(render=render, today=date(2025, 1, 1))
    cold = scan(CORPORA / folder, options=options)
    warm = scan(CORPORA / folder, options=options)
    assert warm.findings
    assert json_of(warm) == json_of(cold)


@needs_kustomize
def test_one_byte_changed_in_a_base_renders_only_the_overlays_using_it(
    tmp_path: Path, render_calls: list[Path]
) -> None:
    repo = make_repo(tmp_path / "repo", TWO_OVERLAYS)
    scan(repo)
    render_calls.clear()
    deployment = repo / "app/base/deployment.yaml"
    deployment.write_text(deployment.read_text().replace("web:1.0", "web:1.1"))
    scan(repo)
    assert sorted(render_calls) == [repo / "app/overlays/prod", repo / "app/overlays/stage"]


@needs_kustomize
def test_one_byte_changed_in_an_overlay_renders_that_overlay_only(
    tmp_path: Path, render_calls: list[Path]
) -> None:
    repo = make_repo(tmp_path / "repo", TWO_OVERLAYS)
    scan(repo)
    render_calls.clear()
    (repo / "db/pod.yaml").write_text(PRIVILEGED_POD.replace("shell:1.0", "shell:1.1"))
    scan(repo)
    assert render_calls == [repo / "db"]


@needs_kustomize
def test_no_cache_renders_every_overlay_again(tmp_path: Path, render_calls: list[Path]) -> None:
    repo = make_repo(tmp_path / "repo", TWO_OVERLAYS)
    scan(repo)
    render_calls.clear()
    scan(repo, options=ScanOptions(cache=False))
    assert len(render_calls) == 3


@needs_kustomize
def test_a_tampered_cache_entry_is_ignored_rendered_again_and_reported(
    tmp_path: Path, render_calls: list[Path], private_state_dir: Path
) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {"db/kustomization.yaml": "resources:\n  - pod.yaml\n", "db/pod.yaml": PRIVILEGED_POD},
    )
    cold = scan(repo)
    (entry,) = private_state_dir.glob("render-cache/*/*.entry")
    # An attacker swaps the privileged pod for a harmless one, keeping the old MAC.
    original = entry.read_bytes()
    tampered = original.replace(b'"privileged":true', b'"privileged":false')
    assert tampered != original
    entry.write_bytes(tampered)
    render_calls.clear()
    warm = scan(repo)
    assert render_calls == [repo / "db"]
    rejected = only(warm.findings, "render-cache-rejected", file="db/kustomization.yaml")
    assert rejected.severity is Severity.MEDIUM
    cold_keys = {(f.rule_id, f.location) for f in cold.findings}
    assert {(f.rule_id, f.location) for f in warm.findings} - cold_keys == {
        (rejected.rule_id, rejected.location)
    }


@needs_kustomize
def test_warm_scan_parses_no_rendered_output_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path / "repo", TWO_OVERLAYS)
    parsed: list[str] = []
    for attribution in ("kustomize_records", "kustomize_records_by_identity"):
        real = getattr(object_loading, attribution)

        def recording(text: str, real: Any = real, **options: Any) -> Any:
            parsed.append(options["overlay_file"])
            return real(text, **options)

        monkeypatch.setattr(object_loading, attribution, recording)
    cold = scan(repo)
    assert len(parsed) == 3
    warm = scan(repo)
    assert len(parsed) == 3
    assert json_of(warm) == json_of(cold)


BROKEN_OVERLAY = {"bad/kustomization.yaml": "resources:\n  - missing.yaml\n"}


@needs_kustomize
def test_an_overlay_that_fails_to_build_is_reported_again_without_rendering(
    tmp_path: Path, render_calls: list[Path]
) -> None:
    repo = make_repo(tmp_path / "repo", {**TWO_OVERLAYS, **BROKEN_OVERLAY})
    cold = scan(repo)
    failed = only(cold.findings, "render-failed", file="bad/kustomization.yaml")
    render_calls.clear()
    warm = scan(repo)
    assert render_calls == []
    assert only(warm.findings, "render-failed", file="bad/kustomization.yaml") == failed
    assert json_of(warm) == json_of(cold)


@needs_kustomize
def test_an_overlay_that_timed_out_is_rendered_again(
    tmp_path: Path, render_calls: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {"db/kustomization.yaml": "resources:\n  - pod.yaml\n", "db/pod.yaml": PRIVILEGED_POD},
    )
    real = object_loading.render_overlay

    def timing_out(*args: Any, **options: Any) -> Any:
        return real(*args, **{**options, "timeout": 0.0001})

    monkeypatch.setattr(object_loading, "render_overlay", timing_out)
    first = scan(repo)
    assert (
        "timed out" in only(first.findings, "render-failed", file="db/kustomization.yaml").message
    )
    monkeypatch.setattr(object_loading, "render_overlay", real)
    render_calls.clear()
    second = scan(repo)
    assert render_calls == [repo / "db"]
    assert not [f for f in second.findings if f.rule_id == "render-failed"]


TIMESTAMPED_CHART = {
    "stamped/Chart.yaml": "apiVersion: v2\nname: stamped\nversion: 0.1.0\n",
    # A plain timestamp is a date to YAML, a value JSON (and so the cache) cannot carry.
    "stamped/templates/schedule.yaml": "apiVersion: example.com/v1\nkind: Schedule\n"
    "metadata: {name: stamped}\nspec:\n  since: 2026-12-01\n",
}


@pytest.mark.skipif(helm_renderer_name() is None, reason="needs a Helm renderer")
def test_a_chart_whose_objects_json_cannot_carry_is_rendered_every_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path / "repo", {**CHART_REPO, **TIMESTAMPED_CHART})
    calls: list[Path] = []
    real = object_loading.render_chart

    def recording(chart_dir: Path, *args: Any, **options: Any) -> Any:
        calls.append(chart_dir)
        return real(chart_dir, *args, **options)

    monkeypatch.setattr(object_loading, "render_chart", recording)
    cold = scan(repo)
    calls.clear()
    warm = scan(repo)
    assert calls == [repo / "stamped"]
    assert json_of(warm) == json_of(cold)


@pytest.mark.skipif(helm_renderer_name() is None, reason="needs a Helm renderer")
def test_warm_scan_renders_no_chart_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path / "repo", CHART_REPO)
    calls: list[Path | None] = []
    real = object_loading.render_chart

    def recording(chart_dir: Path, values_file: Path | None, *args: Any, **options: Any) -> Any:
        calls.append(values_file)
        return real(chart_dir, values_file, *args, **options)

    monkeypatch.setattr(object_loading, "render_chart", recording)
    cold = scan(repo)
    assert set(calls) == {None, repo / "charts/api/values-prod.yaml"}
    warm = scan(repo)
    assert len(calls) == 2
    assert json_of(warm) == json_of(cold)


# -- several paths, --diff and --staged ------------------------------------------------------

ISOLATED_WEB = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: app
          image: registry.example.com/web:1.0
"""

DEFAULT_DENY = """\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
"""


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        check=True,
        capture_output=True,
    )


def committed_repo(root: Path, files: Mapping[str, str]) -> Path:
    make_repo(root, files)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "first")
    return root


def finding_dicts(report: Report) -> list[dict[str, Any]]:
    return list(json.loads(json_of(report))["findings"])


@needs_kustomize
def test_diff_reports_exactly_the_full_scans_findings_for_a_one_file_change(
    tmp_path: Path,
) -> None:
    corpus = CORPORA / "argo-cd-manifests"
    if not corpus.is_dir():
        pytest.skip("the argo-cd-manifests corpus is not available")
    repo = tmp_path / "repo"
    shutil.copytree(corpus, repo)
    committed_repo(repo, {})
    changed = "base/redis/argocd-redis-deployment.yaml"
    path = repo / changed
    path.write_text(path.read_text().replace("redis:", "redis-next:"))
    full = finding_dicts(scan(repo))
    narrowed = finding_dicts(scan(repo, options=ScanOptions(diff_base="HEAD")))
    at_change = [f for f in full if f["file"] == changed]
    assert at_change
    assert [f for f in narrowed if f["file"] == changed] == at_change
    # Nothing invented, nothing out of the change: a subset of the full scan, in its order.
    assert [f for f in full if f in narrowed] == narrowed
    assert len(narrowed) < len(full)
    assert not [f for f in narrowed if f["file"] == "install.yaml"]
    # Everything the full scan reports through an overlay rendering the change, none lost.
    through = {f["origin"] for f in at_change if f["origin"]}
    assert through
    assert [f for f in narrowed if f["origin"] in through] == [
        f for f in full if f["origin"] in through
    ]


def test_diff_of_an_unchanged_tree_reports_nothing(tmp_path: Path) -> None:
    repo = committed_repo(tmp_path / "repo", {"pod.yaml": PRIVILEGED_POD})
    assert scan(repo, options=ScanOptions(diff_base="HEAD")).findings == ()


@pytest.mark.parametrize(
    ("others", "fires"),
    [({"np.yaml": DEFAULT_DENY}, False), ({"cm.yaml": "kind: ConfigMap\n"}, True)],
)
def test_diff_judges_a_changed_workload_with_the_unchanged_network_policies(
    tmp_path: Path, others: dict[str, str], fires: bool
) -> None:
    repo = committed_repo(tmp_path / "repo", {"web.yaml": ISOLATED_WEB, **others})
    (repo / "web.yaml").write_text(ISOLATED_WEB.replace("web:1.0", "web:1.1"))
    narrowed = scan(repo, options=ScanOptions(diff_base="HEAD"))
    assert files_with_findings(narrowed) <= {"web.yaml"}
    rules = {f.rule_id for f in narrowed.findings}
    assert ("netpol-workloads-not-isolated" in rules) is fires


def test_diff_reports_the_changed_file_only(tmp_path: Path) -> None:
    repo = committed_repo(
        tmp_path / "repo", {"pod.yaml": PRIVILEGED_POD, "other/pod.yaml": PRIVILEGED_POD}
    )
    (repo / "other/pod.yaml").write_text(PRIVILEGED_POD.replace("shell:1.0", "shell:1.1"))
    narrowed = scan(repo, options=ScanOptions(diff_base="HEAD"))
    assert files_with_findings(narrowed) == {"other/pod.yaml"}


def test_staged_scans_the_index_content_not_the_working_tree(tmp_path: Path) -> None:
    repo = committed_repo(tmp_path / "repo", {"quiet.yaml": "kind: ConfigMap\n"})
    (repo / "pod.yaml").write_text(PRIVILEGED_POD)
    git(repo, "add", "pod.yaml")
    (repo / "pod.yaml").write_text(PRIVILEGED_POD.replace("privileged: true", "privileged: false"))
    (repo / "unstaged.yaml").write_text(PRIVILEGED_POD)
    report = scan(repo, options=ScanOptions(staged=True))
    assert only(report.findings, "pss-privileged", file="pod.yaml")
    assert files_with_findings(report) == {"pod.yaml"}


def test_named_paths_report_their_findings_with_repository_relative_paths(
    tmp_path: Path,
) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {"a/pod.yaml": PRIVILEGED_POD, "b/pod.yaml": PRIVILEGED_POD, "c/pod.yaml": PRIVILEGED_POD},
    )
    report = scan(repo, options=ScanOptions(paths=("a", "b/pod.yaml")))
    assert files_with_findings(report) == {"a/pod.yaml", "b/pod.yaml"}


@pytest.mark.parametrize(
    "options",
    [
        ScanOptions(paths=("a",), diff_base="HEAD"),
        ScanOptions(diff_base="HEAD", staged=True),
        ScanOptions(paths=("missing",)),
    ],
    ids=["paths-and-diff", "diff-and-staged", "missing-path"],
)
def test_impossible_scopes_are_usage_errors(tmp_path: Path, options: ScanOptions) -> None:
    repo = make_repo(tmp_path / "repo", {"a/pod.yaml": PRIVILEGED_POD})
    with pytest.raises(UsageError):
        scan(repo, options=options)
