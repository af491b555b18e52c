from __future__ import annotations

import pytest

from gitwarden.checks.argocd.argo_objects import app_specs, is_true, line_in_value, mappings
from gitwarden.checks.check import CheckContext
from k8s_fixtures import load_objects

APPSET = """\
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: s, namespace: argocd}
spec:
  template:
    spec:
      project: team-a
      sources: [{repoURL: https://a.example/x.git}, {repoURL: https://b.example/y.git}]
"""


def test_application_set_spec_is_its_template_spec() -> None:
    [app] = app_specs(CheckContext(load_objects(APPSET)))
    assert app.path == ("spec", "template", "spec")
    assert app.project == "team-a"
    assert [path for path, _ in app.sources()] == [
        ("spec", "template", "spec", "sources", 0),
        ("spec", "template", "spec", "sources", 1),
    ]


def test_application_without_project_is_in_the_default_project() -> None:
    text = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a}\nspec: {}\n"
    [app] = app_specs(CheckContext(load_objects(text)))
    assert app.project == "default"


@pytest.mark.parametrize(
    ("value", "true"), [("true", True), (" True ", True), ("false", False), (None, False)]
)
def test_is_true_reads_settings_strings(value: object, true: bool) -> None:
    assert is_true(value) is true


def test_mappings_skip_entries_that_are_not_mappings() -> None:
    assert mappings([{"a": 1}, "x", {"b": 2}]) == [(0, {"a": 1}), (2, {"b": 2})]


def test_line_in_a_block_value_is_counted_from_the_line_after_its_key() -> None:
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
        "data:\n  policy.csv: |\n    a\n    b\n"
    )
    [obj] = load_objects(text)
    value = obj.get(("data", "policy.csv"))
    assert line_in_value(obj, ("data", "policy.csv"), value, value.index("b")).line == 7
