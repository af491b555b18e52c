"""Files gitwarden recognises but does not check, reported once per kind as info.

Jsonnet and CUE produce objects only when their tool evaluates them; a tool's own
configuration file with an ``apiVersion``/``kind`` (Flux's ``.fluxschema.yml``, a kind
cluster config) is no Kubernetes object at all. None of them is checked, so none may look
clean: each kind is named with its files, and no hardening rule runs on an object that
never reaches a cluster.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from gitwarden.findings import Finding, Location
from gitwarden.input_rules import FILES_NOT_CHECKED
from gitwarden.manifests.objects import K8sObject
from gitwarden.pipeline.change_set import ChangeSet
from gitwarden.sources.tree import RepoFile

# Languages whose files are programs that evaluate to manifests.
LANGUAGE_SUFFIXES: Mapping[str, tuple[str, ...]] = {
    "jsonnet": (".jsonnet", ".libsonnet"),
    "cue": (".cue",),
}
TOOL_CONFIG = "tool config"
# A finding names this many files, then says how many more there are.
LISTED_FILES = 10
_WHY = {
    "jsonnet": "Jsonnet is evaluated by its tool, such as Argo CD or Tanka, not read as YAML",
    "cue": "CUE is evaluated by its tool, such as cue export or Timoni, not read as YAML",
    TOOL_CONFIG: (
        "A tool's configuration names a `kind:` but has no `metadata`, and no Kubernetes "
        "release or CRD in the scan serves its API group: it is no Kubernetes object"
    ),
}


@dataclass(frozen=True)
class ServedKinds:
    """What a cluster could hold: the built-in API groups and the kinds CRDs define."""

    builtin_groups: frozenset[str]
    custom_kinds: frozenset[tuple[str, str]]

    def serves(self, obj: K8sObject) -> bool:
        return (
            obj.api_group in self.builtin_groups or (obj.api_group, obj.kind) in self.custom_kinds
        )


def language_files(files: Iterable[RepoFile]) -> dict[str, list[str]]:
    """The Jsonnet and CUE files among ``files``, by language."""
    found: dict[str, list[str]] = {}
    for repo_file in files:
        name = repo_file.name.lower()
        for language, suffixes in LANGUAGE_SUFFIXES.items():
            if name.endswith(suffixes):
                found.setdefault(language, []).append(repo_file.path)
    return found


def is_tool_config(obj: K8sObject, served: ServedKinds) -> bool:
    """True for a document that names a kind but is no object a cluster would store.

    Every stored object has ``metadata`` (a name at least); a document without it, of a
    group nothing serves, is read by a tool, not applied. A built-in or CRD-defined kind
    missing its metadata stays an object, checked and reported as such.
    """
    return obj.origin is None and "metadata" not in obj.head and not served.serves(obj)


def unchecked_in(
    files_by_kind: Mapping[str, Sequence[str]], change: ChangeSet | None
) -> dict[str, list[str]]:
    """The unchecked files of each kind that ``change`` touches (all of them without one)."""
    return {
        kind: [path for path in paths if change is None or change.touches(path)]
        for kind, paths in files_by_kind.items()
    }


def not_checked_findings(files_by_kind: Mapping[str, Sequence[str]]) -> list[Finding]:
    """One info finding per kind of unchecked file, naming its files (sorted)."""
    findings = []
    for kind, paths in sorted(files_by_kind.items()):
        names = sorted(set(paths))
        if not names:
            continue
        shown = ", ".join(names[:LISTED_FILES])
        more = len(names) - LISTED_FILES
        listing = shown + (f" and {more} more" if more > 0 else "")
        count = f"{len(names)} file" + ("s" if len(names) != 1 else "")
        findings.append(
            FILES_NOT_CHECKED.finding(
                f"not checked: {kind} — {count}: {listing}. {_WHY[kind]}.",
                Location(file=names[0]),
                details={"kind": kind, "files": str(len(names))},
            )
        )
    return findings
