"""The check contract: a context per scan, and what checks derive from it kept on it."""

from __future__ import annotations

import dataclasses

import pytest

from gitwarden.checks.check import (
    Check,
    CheckContext,
    FileScope,
    FileText,
    RepositoryInputs,
    run_checks_for_files,
)
from gitwarden.findings import Finding, Severity
from gitwarden.manifests.objects import K8sObject
from gitwarden.rules import Rule
from k8s_fixtures import load_objects

NAMESPACE = "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n"


def test_derived_value_is_built_once_per_context() -> None:
    calls: list[CheckContext] = []

    def build(context: CheckContext) -> int:
        calls.append(context)
        return len(context.objects)

    context = CheckContext(load_objects(NAMESPACE))
    assert (context.derived(build), context.derived(build)) == (1, 1)
    assert calls == [context]


def test_two_contexts_derive_their_own_values() -> None:
    def names(context: CheckContext) -> list[str]:
        return [obj.name for obj in context.objects]

    first = CheckContext(load_objects(NAMESPACE))
    second = CheckContext([])
    assert (first.derived(names), second.derived(names)) == (["shop"], [])


def test_context_without_inputs_has_no_repository_files() -> None:
    inputs = CheckContext([]).inputs
    assert (inputs.paths, inputs.dockerfiles, inputs.sops.configs) == ((), (), ())


def test_file_text_names_its_file() -> None:
    assert FileText("images/web/Dockerfile", "FROM scratch\n").name == "Dockerfile"
    assert RepositoryInputs(paths=("a",)).paths == ("a",)


# -- checks narrowed to some files (scan --diff) --------------------------------------------

TWO_FILES = {
    "a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
    "b.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n",
    "ns.yaml": NAMESPACE,
}
RULE = Rule(id="t", family="t", severity=Severity.LOW, title="t", rationale="r", remediation="m")


def objects_of(files: dict[str, str]) -> list[K8sObject]:
    return [obj for name, text in files.items() for obj in load_objects(text, name)]


def seen_by(scope: FileScope | None) -> tuple[Check, list[list[str]]]:
    """A check recording the files of the objects each run shows it."""
    runs: list[list[str]] = []

    def find(context: CheckContext) -> list[Finding]:
        runs.append([obj.file for obj in context.objects])
        return []

    return Check(RULE, find, scope), runs


@pytest.mark.parametrize(
    ("scope", "seen"),
    [
        (FileScope(), ["a.yaml"]),
        (FileScope(frozenset({"Namespace"})), ["a.yaml", "ns.yaml"]),
        (None, ["a.yaml", "b.yaml", "ns.yaml"]),
    ],
    ids=["alone", "with-context-kind", "unscoped"],
)
def test_a_check_narrowed_to_files_sees_what_its_scope_allows(
    scope: FileScope | None, seen: list[str]
) -> None:
    check, runs = seen_by(scope)
    run_checks_for_files([check], CheckContext(objects_of(TWO_FILES)), {"a.yaml"})
    assert runs == [seen]


def test_narrowed_findings_come_in_check_order() -> None:
    def named(rule_id: str, scope: FileScope | None) -> Check:
        rule = dataclasses.replace(RULE, id=rule_id)
        return Check(
            rule,
            lambda context: [rule.finding("m", obj.location()) for obj in context.objects],
            scope,
        )

    checks = [named("first", FileScope()), named("second", None), named("third", FileScope())]
    found = run_checks_for_files(checks, CheckContext(objects_of(TWO_FILES)), {"b.yaml"})
    assert [(f.rule_id, f.location.file) for f in found] == [
        ("first", "b.yaml"),
        ("second", "a.yaml"),
        ("second", "b.yaml"),
        ("second", "ns.yaml"),
        ("third", "b.yaml"),
    ]
