"""Files recognised but not checked: listed once per kind as info, never checked as objects."""

from __future__ import annotations

from pathlib import Path

import pytest
from pipeline_repos import make_repo

from gitwarden.commands.scan import ScanOptions, scan
from gitwarden.config import Config
from gitwarden.findings import Finding, Severity
from gitwarden.pipeline.unchecked_inputs import LISTED_FILES, not_checked_findings

FLUX_SCHEMA_CONFIG = """\
apiVersion: schema.plugin.fluxcd.io/v1beta1
kind: Config
validate:
  schemaLocation: [ecosystem]
  skipMissingSchemas: true
"""
JSONNET_APP = 'local params = import "params.libsonnet";\n[{apiVersion: "v1", kind: "Service"}]\n'
WIDGET_CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.org}
spec:
  group: example.org
  scope: Namespaced
  names: {kind: Widget, plural: widgets}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
"""


def findings_of(root: Path) -> list[Finding]:
    return list(scan(root, Config(), ScanOptions(render=False, secrets=False)).findings)


def not_checked(root: Path) -> list[Finding]:
    return [f for f in findings_of(root) if f.rule_id == "files-not-checked"]


def test_jsonnet_files_are_listed_once_as_not_checked(tmp_path: Path) -> None:
    make_repo(
        tmp_path,
        {
            "apps/guestbook/guestbook-ui.jsonnet": JSONNET_APP,
            "apps/guestbook/params.libsonnet": "{name: 'guestbook'}\n",
            "apps/other/app.jsonnet": JSONNET_APP,
        },
    )
    [finding] = not_checked(tmp_path)
    assert finding.severity is Severity.INFO
    assert finding.message.startswith(
        "not checked: jsonnet — 3 files: apps/guestbook/guestbook-ui.jsonnet, "
        "apps/guestbook/params.libsonnet, apps/other/app.jsonnet."
    )
    assert finding.location.file == "apps/guestbook/guestbook-ui.jsonnet"


def test_each_kind_of_unchecked_file_has_its_own_finding(tmp_path: Path) -> None:
    make_repo(
        tmp_path,
        {
            "app.jsonnet": JSONNET_APP,
            "cue/app.cue": 'package app\nkind: "Deployment"\n',
            ".fluxschema.yml": FLUX_SCHEMA_CONFIG,
        },
    )
    assert sorted(f.details["kind"] for f in not_checked(tmp_path)) == [
        "cue",
        "jsonnet",
        "tool config",
    ]


def test_a_tool_config_with_a_kind_gets_no_hardening_findings(tmp_path: Path) -> None:
    make_repo(tmp_path, {".fluxschema.yml": FLUX_SCHEMA_CONFIG})
    findings = findings_of(tmp_path)
    assert [(f.rule_id, f.location.file) for f in findings] == [
        ("files-not-checked", ".fluxschema.yml")
    ]
    assert "not checked: tool config — 1 file: .fluxschema.yml." in findings[0].message


@pytest.mark.parametrize(
    "files",
    [
        # A built-in kind without metadata is a broken object, not a tool config.
        {"deploy.yaml": "apiVersion: v1\nkind: ConfigMap\ndata: {a: b}\n"},
        # So is a kind a CRD in the scan defines.
        {"crd.yaml": WIDGET_CRD, "widget.yaml": "apiVersion: example.org/v1\nkind: Widget\n"},
        # A custom resource with metadata is an object whose CRD is elsewhere.
        {"widget.yaml": "apiVersion: example.org/v1\nkind: Widget\nmetadata: {name: w}\n"},
        {"deploy.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"},
    ],
)
def test_kubernetes_objects_are_never_listed_as_not_checked(
    tmp_path: Path, files: dict[str, str]
) -> None:
    make_repo(tmp_path, files)
    assert not_checked(tmp_path) == []


def test_a_config_map_without_metadata_is_still_checked(tmp_path: Path) -> None:
    make_repo(tmp_path, {"deploy.yaml": "apiVersion: v1\nkind: ConfigMap\ndata: {a: b}\n"})
    assert "hardening-namespace-missing" in {f.rule_id for f in findings_of(tmp_path)}


def test_a_long_listing_names_the_first_files_and_counts_the_rest() -> None:
    paths = [f"apps/app-{n:02d}.cue" for n in range(LISTED_FILES + 3)]
    [finding] = not_checked_findings({"cue": paths})
    assert f"{LISTED_FILES + 3} files" in finding.message
    assert "apps/app-09.cue and 3 more." in finding.message
    assert "apps/app-10.cue" not in finding.message


def test_the_finding_is_stable_when_files_are_added_after_the_first() -> None:
    [before] = not_checked_findings({"jsonnet": ["a.jsonnet"]})
    [after] = not_checked_findings({"jsonnet": ["a.jsonnet", "b.jsonnet"]})
    assert before.fingerprint == after.fingerprint


@pytest.mark.parametrize(
    ("paths", "listed"),
    [
        (("apps/b.jsonnet",), "not checked: jsonnet — 1 file: apps/b.jsonnet."),
        (("apps",), "not checked: jsonnet — 2 files: apps/a.jsonnet, apps/b.jsonnet."),
    ],
)
def test_a_narrowed_scan_lists_the_unchecked_files_it_touches(
    tmp_path: Path, paths: tuple[str, ...], listed: str
) -> None:
    make_repo(
        tmp_path,
        {"apps/a.jsonnet": JSONNET_APP, "apps/b.jsonnet": JSONNET_APP, "deploy.yaml": "a: 1\n"},
    )
    options = ScanOptions(render=False, secrets=False, paths=paths)
    [finding] = [
        f for f in scan(tmp_path, Config(), options).findings if f.rule_id == "files-not-checked"
    ]
    assert finding.message.startswith(listed)


def test_a_narrowed_scan_touching_no_unchecked_file_lists_none(tmp_path: Path) -> None:
    make_repo(tmp_path, {"apps/a.jsonnet": JSONNET_APP, "deploy.yaml": "a: 1\n"})
    options = ScanOptions(render=False, secrets=False, paths=("deploy.yaml",))
    assert "files-not-checked" not in {
        f.rule_id for f in scan(tmp_path, Config(), options).findings
    }
