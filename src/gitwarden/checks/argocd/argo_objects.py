"""Reading Argo CD objects: the AppProjects, Application specs and settings ConfigMaps.

Shared by the modules of the argocd family, one per kind of object they check.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from gitwarden.checks.check import CheckContext
from gitwarden.findings import Location
from gitwarden.manifests.objects import K8sObject
from gitwarden.manifests.yaml_nodes import FieldPath

FAMILY = "argocd"
ARGO_GROUP = "argoproj.io"
PROJECTS_URL = "https://argo-cd.readthedocs.io/en/stable/user-guide/projects/"
SECURITY_URL = "https://argo-cd.readthedocs.io/en/stable/operator-manual/security/"
RBAC_URL = "https://argo-cd.readthedocs.io/en/stable/operator-manual/rbac/"
GPG_URL = "https://argo-cd.readthedocs.io/en/stable/user-guide/gpg-verification/"
SYNC_WINDOWS_URL = "https://argo-cd.readthedocs.io/en/stable/user-guide/sync_windows/"
APPSET_SECURITY_URL = (
    "https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Security/"
)
DECLARATIVE_URL = "https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/"
USER_MANAGEMENT_URL = "https://argo-cd.readthedocs.io/en/stable/operator-manual/user-management/"
SECRET_MANAGEMENT_URL = (
    "https://argo-cd.readthedocs.io/en/stable/operator-manual/secret-management/"
)
DEFAULT_PROJECT = "default"
WILDCARD = "*"


def is_argo(obj: K8sObject, *kinds: str) -> bool:
    return obj.kind in kinds and obj.api_group == ARGO_GROUP


def argo_objects(context: CheckContext, *kinds: str) -> Iterator[K8sObject]:
    return (obj for obj in context.objects if is_argo(obj, *kinds))


def mappings(value: Any) -> list[tuple[int, Mapping[str, Any]]]:
    if not isinstance(value, list):
        return []
    return [(index, item) for index, item in enumerate(value) if isinstance(item, Mapping)]


@dataclass(frozen=True)
class AppSpec:
    """The Application spec of an Application, or the template spec of an ApplicationSet."""

    obj: K8sObject
    path: FieldPath
    spec: Mapping[str, Any]

    def sources(self) -> list[tuple[FieldPath, Mapping[str, Any]]]:
        found: list[tuple[FieldPath, Mapping[str, Any]]] = []
        single = self.spec.get("source")
        if isinstance(single, Mapping):
            found.append(((*self.path, "source"), single))
        for index, source in mappings(self.spec.get("sources")):
            found.append(((*self.path, "sources", index), source))
        return found

    @property
    def destination(self) -> Mapping[str, Any]:
        value = self.spec.get("destination")
        return value if isinstance(value, Mapping) else {}

    @property
    def project(self) -> str:
        value = self.spec.get("project")
        return str(value) if value not in (None, "") else DEFAULT_PROJECT

    def is_production(self, context: CheckContext) -> bool:
        destination = self.destination
        paths = [self.obj.file, self.obj.rendered_from]
        paths += [str(source.get("path")) for _, source in self.sources() if source.get("path")]
        return context.settings.production.matches(
            namespaces=[_text(destination.get("namespace"))],
            clusters=[_text(destination.get("server")), _text(destination.get("name"))],
            paths=paths,
        )


def _text(value: Any) -> str | None:
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None


def app_specs(context: CheckContext) -> Iterator[AppSpec]:
    for obj in argo_objects(context, "Application", "ApplicationSet"):
        path: FieldPath = ("spec",) if obj.kind == "Application" else ("spec", "template", "spec")
        spec = obj.get(path)
        if isinstance(spec, Mapping):
            yield AppSpec(obj, path, spec)


def config_maps(context: CheckContext, name: str) -> Iterator[tuple[K8sObject, Mapping[str, Any]]]:
    for obj in context.of_kind("ConfigMap"):
        if obj.name == name and obj.api_version == "v1":
            data = obj.get(("data",))
            yield obj, data if isinstance(data, Mapping) else {}


def is_true(value: Any) -> bool:
    return str(value).strip().lower() == "true"


def line_in_value(obj: K8sObject, path: FieldPath, value: str, offset: int) -> Location:
    """The location of the line at character ``offset`` of a (block) string value."""
    location = obj.location(path)
    if "\n" not in value.rstrip("\n"):
        return location
    # A block scalar starts on the line after its key.
    line = location.line + 1 + value.count("\n", 0, offset)
    return Location(
        file=location.file,
        line=line,
        column=1,
        resource=location.resource,
        field_path=location.field_path,
        origin=location.origin,
    )


def projects(context: CheckContext) -> Iterator[tuple[K8sObject, Mapping[str, Any]]]:
    for obj in argo_objects(context, "AppProject"):
        spec = obj.get(("spec",))
        yield obj, spec if isinstance(spec, Mapping) else {}
