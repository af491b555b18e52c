"""The Kubernetes OpenAPI schemas of one release, read from the kubernetes-validate package.

The package ships the strict JSON Schemas of every release it supports (unknown fields are
``additionalProperties: false``), one folder per release. Only its data is used: one
``_definitions.json`` per release, indexed by group, version and kind. Access to the package
stays in this module so that swapping the schema source touches one file.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

from gitwarden.checks.kubernetes_release import KubernetesVersion
from gitwarden.errors import GitwardenError

SCHEMA_PACKAGE = "kubernetes_validate"
SCHEMA_FOLDER = "kubernetes-json-schema"
DEFINITIONS_FILE = "_definitions.json"
OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
# The $id of the definitions document: references inside it are relative to it.
DEFINITIONS_URI = "https://kubernetes.io/api/_definitions.json"
_STRICT_FOLDER = re.compile(r"^v(\d+)\.(\d+)\.\d+-local-strict$")


@dataclass(frozen=True)
class GroupVersionKind:
    """What an object is: API group (``""`` for the core group), version and kind."""

    group: str
    version: str
    kind: str

    @classmethod
    def of(cls, api_version: str, kind: str) -> GroupVersionKind:
        group, _, version = api_version.rpartition("/")
        return cls(group, version, kind)

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version


def _schema_root() -> Path:
    """The package's schema folder, found without importing the package.

    Importing kubernetes_validate runs its validator module (jsonschema, PyYAML...): a third
    of a second that reading its data files does not need.
    """
    spec = importlib.util.find_spec(SCHEMA_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise GitwardenError(
            f"the {SCHEMA_PACKAGE} package (Kubernetes schemas) is not installed",
            hint="pip install kubernetes-validate",
        )
    return Path(next(iter(spec.submodule_search_locations))) / SCHEMA_FOLDER


def _schema_folders() -> dict[KubernetesVersion, str]:
    folders: dict[KubernetesVersion, str] = {}
    for entry in _schema_root().iterdir():
        match = _STRICT_FOLDER.match(entry.name)
        if match is not None:
            folders[KubernetesVersion(int(match.group(1)), int(match.group(2)))] = entry.name
    return folders


@cache
def available_versions() -> tuple[KubernetesVersion, ...]:
    """The releases whose schemas are installed, oldest first."""
    return tuple(sorted(_schema_folders()))


def newest_version() -> KubernetesVersion:
    return available_versions()[-1]


@dataclass(frozen=True, eq=False)
class KubernetesSchemas:
    """The definitions of one release and which definition describes which kind."""

    version: KubernetesVersion
    document: Mapping[str, Any]
    definition_of: Mapping[GroupVersionKind, str]
    # The definitions as the reference registry of every validator, built-in and custom.
    registry: jsonschema_rs.Registry

    # The built-in API groups of this release ("" is the core group).
    groups: frozenset[str]

    def validator(self, name: str) -> jsonschema_rs.Validator:
        """The compiled validator of definition ``name`` (compiled once per process)."""
        return _compiled(self, name)

    def metadata_validator(self) -> jsonschema_rs.Validator:
        """A validator of ``{"metadata": ...}`` alone: what is checked of a CRD."""
        return _compiled_metadata(self)

    def versions_serving(self, group: str, kind: str) -> tuple[str, ...]:
        """The versions of ``group`` that serve ``kind`` in this release."""
        return tuple(
            sorted(g.api_version for g in self.definition_of if g.group == group and g.kind == kind)
        )

    def kinds_of_group(self, group: str) -> frozenset[str]:
        return frozenset(g.kind for g in self.definition_of if g.group == group)


def _index(definitions: Mapping[str, Any]) -> dict[GroupVersionKind, str]:
    index: dict[GroupVersionKind, str] = {}
    for name, definition in definitions.items():
        for gvk in definition.get("x-kubernetes-group-version-kind", ()):
            # Lists and DeleteOptions are served but never written in a repository.
            if gvk["kind"].endswith("List") or gvk["kind"] in ("DeleteOptions", "WatchEvent"):
                continue
            index[GroupVersionKind(gvk["group"], gvk["version"], gvk["kind"])] = name
    return index


@cache
def load_schemas(version: KubernetesVersion) -> KubernetesSchemas:
    """The schemas for ``version``: read once per process, never written to afterwards."""
    folders = _schema_folders()
    if version not in folders:
        carried = available_versions()
        raise GitwardenError(
            f"no Kubernetes {version} schemas installed (kubernetes-validate carries "
            f"{carried[0]} to {carried[-1]})",
            hint="set kubernetes_version to one of those releases, or upgrade "
            "kubernetes-validate for newer ones",
        )
    path = _schema_root() / folders[version] / DEFINITIONS_FILE
    document = json.loads(path.read_text(encoding="utf-8"))
    registry = jsonschema_rs.Registry([(DEFINITIONS_URI, document)])
    index = _index(document["$defs"])
    groups = frozenset(gvk.group for gvk in index)
    return KubernetesSchemas(version, document, index, registry, groups)


@cache
def _compiled(schemas: KubernetesSchemas, name: str) -> jsonschema_rs.Validator:
    # A pure function of the release's package data, like load_schemas: sharing it between
    # scans shares no scan's objects, and compiling a kind's validator is most of its cost.
    reference = {"$ref": f"{DEFINITIONS_URI}#/$defs/{name}"}
    return jsonschema_rs.Draft202012Validator(reference, registry=schemas.registry)


@cache
def _compiled_metadata(schemas: KubernetesSchemas) -> jsonschema_rs.Validator:
    metadata = {"$ref": f"{DEFINITIONS_URI}#/$defs/{OBJECT_META}"}
    schema = {"type": "object", "properties": {"metadata": metadata}}
    return jsonschema_rs.Draft202012Validator(schema, registry=schemas.registry)
