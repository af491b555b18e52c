"""The check registry lists check families only and imports nothing above them."""

from __future__ import annotations

import ast
import dataclasses
import functools
import tempfile
from pathlib import Path

import pytest

from gitwarden.checks import registry
from gitwarden.checks.check import Check, CheckContext, FileScope, run_checks_for_files
from gitwarden.commands.report_assembly import config_for
from gitwarden.findings import Finding
from gitwarden.pipeline.object_loading import ObjectLimits, load_objects
from gitwarden.pipeline.scan_sources import collect_sources
from k8s_fixtures import CORPORA

CORPUS_NAMES = (
    "argo-cd-manifests",
    "argocd-example-apps",
    "flux2-kustomize-helm-example",
    "flux2-manifests",
    "microservices-demo",
)
SOURCE = Path(registry.__file__).read_text(encoding="utf-8")
# What layer 3 may build on: its own package and the layers below.
ALLOWED = ("gitwarden.checks", "gitwarden.findings", "gitwarden.rules")


def module_level_imports(source: str) -> list[str]:
    names = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("gitwarden"):
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names.extend(a.name for a in node.names if a.name.startswith("gitwarden"))
    return names


def test_registry_imports_only_checks_and_the_foundation() -> None:
    imports = module_level_imports(SOURCE)
    assert imports and all(name.startswith(ALLOWED) for name in imports), imports


CHECK_MODULES = sorted(Path(registry.__file__).parent.glob("*.py"))
# Checks receive parsed inputs from the pipeline: no tree walker, no other scanner, no config.
BELOW_CHECKS = ("gitwarden.checks", "gitwarden.manifests", "gitwarden.findings", "gitwarden.rules")
FOUNDATION = ("gitwarden.path_patterns", "gitwarden.input_rules", "gitwarden.errors")


@pytest.mark.parametrize("module", CHECK_MODULES, ids=lambda path: path.stem)
def test_check_modules_import_nothing_above_the_manifests(module: Path) -> None:
    imports = module_level_imports(module.read_text(encoding="utf-8"))
    crossing = [name for name in imports if not name.startswith(BELOW_CHECKS + FOUNDATION)]
    assert crossing == []


def test_import_check_sees_a_crossed_layer() -> None:
    assert module_level_imports("from gitwarden.secrets import all_secret_rules\n") == [
        "gitwarden.secrets"
    ]


def test_every_family_contributes_checks() -> None:
    families_with_checks = {check.rule.family for check in registry.all_checks()}
    assert {family.FAMILY for family in registry.CHECK_FAMILIES} <= families_with_checks


def test_tool_codes_map_to_their_family_rule() -> None:
    assert registry.is_tool_rule_id("dockerfile-DL3007")
    assert not registry.is_tool_rule_id("pss-privileged")


# -- file scopes: what `scan --diff` may narrow ----------------------------------------------

CONTEXT_KINDS_REPO = {
    "ns.yaml": """\
apiVersion: v1
kind: Namespace
metadata:
  name: lab
  labels: {pod-security.kubernetes.io/enforce: privileged}
""",
    "pod.yaml": """\
apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: lab}
spec:
  serviceAccountName: quiet
  containers:
    - name: app
      image: registry.example.com/app:1.0
      securityContext: {privileged: true}
    - name: proxy
      image: registry.example.com/proxy:1.0
      volumeMounts: [{name: token, mountPath: /var/run/secrets/kubernetes.io/serviceaccount}]
  volumes:
    - name: token
      projected: {sources: [{serviceAccountToken: {path: token}}]}
""",
    "sa.yaml": """\
apiVersion: v1
kind: ServiceAccount
metadata: {name: quiet, namespace: lab}
automountServiceAccountToken: false
""",
    "limits.yaml": """\
apiVersion: v1
kind: LimitRange
metadata: {name: defaults, namespace: lab}
spec:
  limits:
    - type: Container
      default: {cpu: 500m, memory: 128Mi}
      defaultRequest: {cpu: 100m, memory: 64Mi}
""",
    "crd.yaml": """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Cluster
  names: {kind: Widget, plural: widgets}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {type: object, properties: {size: {type: integer}}}
""",
    "widget.yaml": "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n"
    "spec: {size: large}\n",
}


def make_repo(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).write_text(text)
    return root


def scan_context(root: Path, render: bool) -> CheckContext:
    config = config_for(root, None)
    sources = collect_sources(root, config, render=render, allow_network=False)
    limits = ObjectLimits(config.max_file_bytes, config.max_document_bytes)
    with tempfile.TemporaryDirectory() as work:
        loaded = load_objects(sources, limits, Path(work))
    return CheckContext(loaded.objects, config.checks, sources.inputs)


@functools.cache
def corpus_context(name: str) -> CheckContext:
    return scan_context(CORPORA / name, render=False)


def file_groups(context: CheckContext, parts: int) -> list[frozenset[str]]:
    files = sorted({obj.file for obj in context.objects} | set(context.inputs.paths))
    return [frozenset(files[start::parts]) for start in range(parts)]


def narrowing_losses(check: Check, context: CheckContext) -> list[Finding]:
    """Findings a run on every object gives at some files that a run narrowed to those
    files (`run_checks_for_files`) does not give, or gives differently."""
    full = list(check.find(context))
    lost: list[Finding] = []
    for parts in (2, 3):
        for group in file_groups(context, parts):
            expected = [f for f in full if f.location.file in group]
            narrowed = run_checks_for_files([check], context, group)
            got = [f for f in narrowed if f.location.file in group]
            if got != expected:
                lost.extend(f for f in expected if f not in got)
                lost.extend(f for f in got if f not in expected)
    return lost


SCOPED = [check for check in registry.all_checks() if check.scope is not None]


@pytest.mark.parametrize("check", SCOPED, ids=lambda check: check.rule.id)
def test_a_file_scoped_check_gives_the_same_findings_on_its_files_alone(
    check: Check, tmp_path: Path
) -> None:
    contexts = [scan_context(make_repo(tmp_path, CONTEXT_KINDS_REPO), render=False)]
    contexts += [corpus_context(name) for name in CORPUS_NAMES if (CORPORA / name).is_dir()]
    assert [loss for context in contexts for loss in narrowing_losses(check, context)] == []


@pytest.mark.parametrize(
    ("rule_id", "file"),
    [
        ("pss-privileged", "pod.yaml"),
        ("hardening-service-account-token-automounted", "pod.yaml"),
        ("sidecars-service-account-token", "pod.yaml"),
        ("hardening-resource-limits-missing", "pod.yaml"),
        ("hardening-namespace-missing", "widget.yaml"),
        ("schema-invalid-value", "widget.yaml"),
    ],
)
def test_each_context_kind_changes_a_finding_of_the_fixture(
    rule_id: str, file: str, tmp_path: Path
) -> None:
    # Without this, the narrowing test would pass for a scope that forgot its context kind.
    context = scan_context(make_repo(tmp_path, CONTEXT_KINDS_REPO), render=False)
    (check,) = [c for c in registry.all_checks() if c.rule.id == rule_id]
    alone = CheckContext(
        [obj for obj in context.objects if obj.file == file], context.settings, context.inputs
    )

    def at_file(run_on: CheckContext) -> list[Finding]:
        return [f for f in check.find(run_on) if f.location.file == file]

    assert at_file(context) != at_file(alone)


def test_a_scope_that_forgets_a_context_kind_is_caught(tmp_path: Path) -> None:
    context = scan_context(make_repo(tmp_path, CONTEXT_KINDS_REPO), render=False)
    (privileged,) = [c for c in registry.all_checks() if c.rule.id == "pss-privileged"]
    assert narrowing_losses(dataclasses.replace(privileged, scope=FileScope()), context)


@pytest.mark.parametrize("rule_id", sorted(registry.FILE_SCOPES))
def test_every_file_scope_names_a_registered_rule(rule_id: str) -> None:
    assert rule_id in {check.rule.id for check in registry.all_checks()}


@pytest.mark.parametrize(
    "rule_id",
    ["netpol-workloads-not-isolated", "rbac-wildcard-verbs", "images-no-signature-policy"],
)
def test_cross_object_checks_see_the_whole_context(rule_id: str) -> None:
    (check,) = [c for c in registry.all_checks() if c.rule.id == rule_id]
    assert check.scope is None
