"""Live state over the Kubernetes API: read-only lists, paginated, with the user's kubeconfig.

The kubeconfig (contexts, CA data, client certificates, tokens, exec plugins the user set up)
is read by lightkube, which also builds the HTTPS client; this module only issues GETs:
discovery (`/api`, `/apis`), then one paginated list (``limit`` and ``continue``) per kind and
namespace. Secrets are listed as `PartialObjectMetadataList`, so their values never leave the
API server. A 403 is kept as an `UnreadKind` naming the missing permission; an unreachable
server or any other error response is a `LiveStateError`, never an empty cluster.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2
from lightkube.config import client_adapter
from lightkube.config.client_adapter import ConnectionParams
from lightkube.config.kubeconfig import KubeConfig
from lightkube.core.exceptions import ConfigError as KubeConfigError

from gitwarden.sources.live_state import LiveObject, LiveState, LiveStateError, UnreadKind

# Only metadata comes back: names, labels, owners, managers; never `data`.
METADATA_ONLY = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json"
SECRET = ("", "Secret")
DEFAULT_PAGE_SIZE = 500
DEFAULT_MAX_OBJECTS = 200_000
DEFAULT_TIMEOUT_SECONDS = 15.0


@dataclass(frozen=True)
class ApiResource:
    """A listable resource of the discovery documents."""

    group: str
    version: str
    kind: str
    plural: str
    namespaced: bool

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def prefix(self) -> str:
        return f"/apis/{self.group}/{self.version}" if self.group else f"/api/{self.version}"


@dataclass(frozen=True)
class LiveQuery:
    """What to list: (group, kind) pairs, in which namespaces (empty: all namespaces).

    Kinds the server does not serve (no Argo CD installed) are skipped: there is nothing of
    them to compare. ``metadata_only`` kinds are read without their contents.
    """

    kinds: frozenset[tuple[str, str]]
    namespaces: tuple[str, ...] = ()
    metadata_only: frozenset[tuple[str, str]] = frozenset({SECRET})
    page_size: int = DEFAULT_PAGE_SIZE
    max_objects: int = DEFAULT_MAX_OBJECTS


@dataclass(frozen=True)
class ClusterAccess:
    """How to reach the cluster: kubeconfig file (default: $KUBECONFIG, ~/.kube/config), context."""

    kubeconfig: Path | None = None
    context: str | None = None
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    # For tests and callers with their own transport; None uses the network.
    transport: httpx2.BaseTransport | None = field(default=None, compare=False)


def read_cluster(access: ClusterAccess, query: LiveQuery) -> LiveState:
    """List what ``query`` asks for from the cluster of ``access``'s context."""
    config = _kubeconfig(access)
    params = ConnectionParams(
        timeout=httpx2.Timeout(access.timeout_seconds),
        trust_env=False,
        transport=access.transport,
    )
    server = str(config.cluster.server)
    try:
        client = client_adapter.Client(config, params)
    except (OSError, ValueError, KubeConfigError) as error:
        raise LiveStateError(f"kubeconfig context {config.context_name}: {error}") from error
    with client:
        reader = _ApiReader(client, server, query)
        resources = reader.discover()
        objects: list[LiveObject] = []
        unread: list[UnreadKind] = []
        listed: set[tuple[str, str]] = set()
        for resource in resources:
            complete = True
            for namespace in _namespaces_for(resource, query):
                denied = reader.list_into(resource, namespace, objects)
                if denied is not None:
                    unread.append(denied)
                    complete = False
            if complete:
                listed.add((resource.group, resource.kind))
    return LiveState(
        objects=tuple(objects),
        listed=frozenset(listed),
        unread=tuple(unread),
        origin=f"context {config.context_name} ({server})",
    )


def _kubeconfig(access: ClusterAccess) -> Any:
    path = access.kubeconfig
    if path is None:
        named = os.environ.get("KUBECONFIG", "").split(os.pathsep)[0]
        path = Path(named) if named else Path.home() / ".kube" / "config"
    try:
        return KubeConfig.from_file(path).get(context_name=access.context)
    except (OSError, KeyError, TypeError, KubeConfigError) as error:
        raise LiveStateError(
            f"{path}: cannot use this kubeconfig: {error}",
            hint="pass --kubeconfig FILE and --context NAME, or --live FILE for a dump",
        ) from error


def _namespaces_for(resource: ApiResource, query: LiveQuery) -> Iterable[str | None]:
    if not resource.namespaced or not query.namespaces:
        return (None,)
    return query.namespaces


class _ApiReader:
    """The GETs of one run; its state (the client, the count) dies with the run."""

    def __init__(self, client: httpx2.Client, server: str, query: LiveQuery) -> None:
        self._client = client
        self._server = server
        self._query = query
        self._count = 0

    def discover(self) -> list[ApiResource]:
        """The listable resources of the wanted kinds, at each group's preferred version."""
        wanted_groups = {group for group, _ in self._query.kinds}
        versions: list[tuple[str, str]] = []
        if "" in wanted_groups:
            core = self._get_json("/api")
            versions.extend(("", str(version)) for version in core.get("versions", [])[:1])
        for group in self._get_json("/apis").get("groups", []):
            name = str(group.get("name", ""))
            preferred = group.get("preferredVersion", {}).get("version")
            if name in wanted_groups and preferred:
                versions.append((name, str(preferred)))
        found: dict[tuple[str, str], ApiResource] = {}
        for group, version in versions:
            prefix = f"/apis/{group}/{version}" if group else f"/api/{version}"
            for entry in self._get_json(prefix).get("resources", []):
                resource = _resource(group, version, entry)
                key = (group, resource.kind) if resource else None
                if resource and key in self._query.kinds and key not in found:
                    found[key] = resource
        return sorted(found.values(), key=lambda r: (r.group, r.kind))

    def list_into(
        self, resource: ApiResource, namespace: str | None, objects: list[LiveObject]
    ) -> UnreadKind | None:
        """Append every object of one list (all its pages); the refusal when forbidden."""
        path = resource.prefix
        if namespace is not None:
            path += f"/namespaces/{namespace}"
        path += f"/{resource.plural}"
        metadata_only = (resource.group, resource.kind) in self._query.metadata_only
        headers = {"Accept": METADATA_ONLY} if metadata_only else {}
        token: str | None = None
        while True:
            params: dict[str, str | int] = {"limit": self._query.page_size}
            if token:
                params["continue"] = token
            response = self._get(path, params, headers)
            if response.status_code == 403:
                return UnreadKind(
                    group=resource.group,
                    kind=resource.kind,
                    namespace=namespace,
                    reason=_status_message(response),
                    resource=resource.plural,
                )
            page = self._json_of(path, response)
            for item in page.get("items") or []:
                objects.append(LiveObject(_typed(item, resource), f"{self._server}{path}"))
            self._count += len(page.get("items") or [])
            if self._count > self._query.max_objects:
                raise LiveStateError(
                    f"{self._server}: more than {self._query.max_objects} live objects listed",
                    hint="narrow the environment's namespaces",
                )
            token = page.get("metadata", {}).get("continue") or None
            if token is None:
                return None

    def _get_json(self, path: str) -> Mapping[str, Any]:
        return self._json_of(path, self._get(path, {}, {}))

    def _get(
        self, path: str, params: Mapping[str, str | int], headers: Mapping[str, str]
    ) -> httpx2.Response:
        try:
            return self._client.get(path, params=dict(params), headers=dict(headers))
        except httpx2.HTTPError as error:
            raise LiveStateError(
                f"{self._server}{path}: Kubernetes API unreachable: {error}",
                hint="check the context's server, CA and credentials (kubectl get --raw /api)",
            ) from error

    def _json_of(self, path: str, response: httpx2.Response) -> Mapping[str, Any]:
        if response.status_code != 200:
            raise LiveStateError(
                f"{self._server}{path}: HTTP {response.status_code}: {_status_message(response)}"
            )
        try:
            value = response.json()
        except ValueError as error:
            raise LiveStateError(f"{self._server}{path}: the answer is not JSON") from error
        if not isinstance(value, Mapping):
            raise LiveStateError(f"{self._server}{path}: the answer is not a JSON object")
        return value


def _resource(group: str, version: str, entry: Mapping[str, Any]) -> ApiResource | None:
    name = str(entry.get("name", ""))
    # "pods/log" and friends are subresources, not lists.
    if not name or "/" in name or "list" not in (entry.get("verbs") or []):
        return None
    return ApiResource(group, version, str(entry.get("kind", "")), name, bool(entry["namespaced"]))


def _typed(item: Any, resource: ApiResource) -> Mapping[str, Any]:
    """List items carry no apiVersion/kind (metadata-only ones say PartialObjectMetadata)."""
    body = dict(item) if isinstance(item, Mapping) else {}
    body["apiVersion"] = resource.api_version
    body["kind"] = resource.kind
    return body


def _status_message(response: httpx2.Response) -> str:
    try:
        status = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(status, Mapping) and status.get("message"):
        return str(status["message"])
    return response.reason_phrase
