"""The check contract: a context per scan, and what checks derive from it kept on it."""

from __future__ import annotations

from gitwarden.checks.check import CheckContext, FileText, RepositoryInputs
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
