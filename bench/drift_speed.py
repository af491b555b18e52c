"""How fast `gitwarden drift` answers against 5,000 live objects (target: under 5 s).

Builds, in a temporary folder, a Git repository declaring 1,000 Deployments, 1,000 Services
and 500 ConfigMaps over 10 namespaces, and a live state of 5,000 objects: those 2,500 (with
real-shaped managedFields, server defaults and status, 2% of the Deployments scaled by hand),
2,000 Pods with status imageIDs and 500 Secrets (metadata only). Then times, each --runs
times after one warm-up:

- `gitwarden drift --live live.json` and `--live live.yaml` as subprocesses (what a user
  waits for, interpreter start included);
- the API path in-process: `gitwarden.drift` over a kubeconfig whose HTTPS transport is
  replaced by an in-memory one serving discovery and paginated lists (500 per page), so
  the figure is gitwarden's own work, not a network's.

    .venv/bin/python bench/drift_speed.py [--runs 3] [--objects 5000]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx2
import yaml

NAMESPACES = 10


def deployment(index: int, replicas: int, live: bool) -> dict[str, Any]:
    name, namespace = f"app-{index}", f"team-{index % NAMESPACES}"
    container: dict[str, Any] = {
        "name": "app",
        "image": f"ghcr.io/acme/app-{index}:1.0.{index}",
        "ports": [{"containerPort": 8080}],
        "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}},
        "securityContext": {"runAsNonRoot": True, "allowPrivilegeEscalation": False},
    }
    body: dict[str, Any] = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": namespace, "labels": {"app": name}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [container]},
            },
        },
    }
    if live:
        container.update(
            imagePullPolicy="IfNotPresent",
            terminationMessagePath="/dev/termination-log",
            terminationMessagePolicy="File",
        )
        container["ports"][0]["protocol"] = "TCP"
        body["spec"].update(progressDeadlineSeconds=600, revisionHistoryLimit=10)
        body["metadata"].update(
            uid=f"uid-{index}",
            resourceVersion=str(1000 + index),
            generation=2,
            creationTimestamp="2026-11-30T08:12:41Z",
            managedFields=[
                {
                    "manager": "kustomize-controller",
                    "operation": "Apply",
                    "apiVersion": "apps/v1",
                    "time": "2026-11-30T08:12:41Z",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:spec": {
                            "f:replicas": {},
                            "f:template": {
                                "f:spec": {
                                    "f:containers": {
                                        'k:{"name":"app"}': {".": {}, "f:image": {}, "f:name": {}}
                                    }
                                }
                            },
                        }
                    },
                },
                {
                    "manager": "kubectl-scale" if replicas != 2 else "kube-controller-manager",
                    "operation": "Update",
                    "apiVersion": "apps/v1",
                    "time": "2026-12-01T07:00:00Z",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {"f:spec": {"f:replicas": {}}},
                },
            ],
        )
        body["status"] = {"replicas": replicas, "readyReplicas": replicas}
    return body


def service(index: int, live: bool) -> dict[str, Any]:
    name, namespace = f"app-{index}", f"team-{index % NAMESPACES}"
    port: dict[str, Any] = {"name": "http", "port": 80, "targetPort": 8080}
    body: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"selector": {"app": name}, "ports": [port]},
    }
    if live:
        port["protocol"] = "TCP"
        body["spec"].update(
            clusterIP=f"10.96.{index // 250}.{index % 250}",
            type="ClusterIP",
            sessionAffinity="None",
        )
        body["metadata"]["uid"] = f"svc-{index}"
    return body


def config_map(index: int) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": f"settings-{index}", "namespace": f"team-{index % NAMESPACES}"},
        "data": {"LOG_LEVEL": "info", "FEATURE": str(index)},
    }


def pod(index: int) -> dict[str, Any]:
    app = index // 2
    image = f"ghcr.io/acme/app-{app}:1.0.{app}"
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": f"app-{app}-7d9c8b6f5-{index}",
            "namespace": f"team-{app % NAMESPACES}",
            "ownerReferences": [
                {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": f"app-{app}-7d9c8b6f5"}
            ],
        },
        "spec": {"containers": [{"name": "app", "image": image}]},
        "status": {
            "containerStatuses": [
                {
                    "name": "app",
                    "image": image,
                    "imageID": f"ghcr.io/acme/app-{app}@sha256:{app:064x}",
                }
            ]
        },
    }


def secret(index: int) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {
            "name": f"token-{index}",
            "namespace": f"team-{index % NAMESPACES}",
            "ownerReferences": [{"apiVersion": "v1", "kind": "ServiceAccount", "name": "x"}],
        },
    }


def build(root: Path, total: int) -> tuple[Path, list[dict[str, Any]]]:
    unit = total // 10  # 2 Deployments, 2 Services, 1 ConfigMap, 4 Pods, 1 Secret per unit of 10
    repo = root / "repo"
    repo.mkdir()
    declared: list[dict[str, Any]] = []
    live: list[dict[str, Any]] = []
    for index in range(unit * 2):
        drifted = index % 50 == 0
        declared += [deployment(index, 2, False), service(index, False)]
        live += [deployment(index, 5 if drifted else 2, True), service(index, True)]
    for index in range(unit):
        declared.append(config_map(index))
        live += [config_map(index), secret(index)]
    live += [pod(index) for index in range(unit * 4)]
    for namespace in range(NAMESPACES):
        mine = [o for o in declared if o["metadata"]["namespace"] == f"team-{namespace}"]
        (repo / f"team-{namespace}.yaml").write_text(yaml.safe_dump_all(mine, sort_keys=False))
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    return repo, live


def timed(command: list[str], runs: int) -> tuple[float, float, int]:
    """Median wall seconds, median CPU seconds (user + system) and the exit code."""
    subprocess.run(command, capture_output=True, check=False)  # warm-up
    walls, cpus, code = [], [], 0
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        code = subprocess.run(command, capture_output=True, check=False).returncode
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus), code


def api_transport(live: list[dict[str, Any]], page: int) -> httpx2.MockTransport:
    plural = {
        "Deployment": "deployments",
        "Service": "services",
        "ConfigMap": "configmaps",
        "Pod": "pods",
        "Secret": "secrets",
    }
    lists: dict[str, list[dict[str, Any]]] = {}
    for obj in live:
        group = "/apis/apps/v1" if obj["apiVersion"] == "apps/v1" else "/api/v1"
        path = f"{group}/namespaces/{obj['metadata']['namespace']}/{plural[obj['kind']]}"
        lists.setdefault(path, []).append(obj)

    def resource(name: str, kind: str) -> dict[str, Any]:
        return {"name": name, "kind": kind, "namespaced": True, "verbs": ["get", "list"]}

    discovery: dict[str, Any] = {
        "/api": {"versions": ["v1"]},
        "/api/v1": {"resources": [resource(p, k) for k, p in plural.items() if k != "Deployment"]},
        "/apis": {"groups": [{"name": "apps", "preferredVersion": {"version": "v1"}}]},
        "/apis/apps/v1": {"resources": [resource("deployments", "Deployment")]},
    }

    def handle(request: httpx2.Request) -> httpx2.Response:
        path = request.url.path
        if path in discovery:
            return httpx2.Response(200, json=discovery[path])
        items = lists.get(path, [])
        start = int(request.url.params.get("continue") or 0)
        chunk = items[start : start + page]
        more = start + page < len(items)
        meta = {"continue": str(start + page)} if more else {}
        return httpx2.Response(200, json={"kind": "List", "metadata": meta, "items": chunk})

    return httpx2.MockTransport(handle)


def time_api(repo: Path, live: list[dict[str, Any]], root: Path, runs: int) -> tuple[float, float]:
    import gitwarden.commands.drift as command
    from gitwarden.commands.drift import DriftOptions, drift
    from gitwarden.sources.kubernetes_api import ClusterAccess

    kubeconfig = root / "kubeconfig"
    kubeconfig.write_text(
        yaml.safe_dump(
            {
                "current-context": "bench",
                "clusters": [{"name": "c", "cluster": {"server": "https://bench.invalid"}}],
                "users": [{"name": "u", "user": {"token": "t"}}],
                "contexts": [{"name": "bench", "context": {"cluster": "c", "user": "u"}}],
            }
        )
    )
    transport = api_transport(live, 500)

    def with_transport(**kwargs: Any) -> ClusterAccess:
        return ClusterAccess(**kwargs, transport=transport)

    # The command builds its ClusterAccess; the bench hands it the in-memory transport.
    command.ClusterAccess = with_transport  # type: ignore[misc,assignment]
    options = DriftOptions(kubeconfig=kubeconfig)
    drift(repo, options=options)  # warm-up
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu_start = time.perf_counter(), time.process_time()
        report = drift(repo, options=options)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu_start)
    print(f"  API path findings: {len(report.findings)}; live objects {report.objects_scanned}")
    return statistics.median(walls), statistics.median(cpus)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--objects", type=int, default=5000)
    args = parser.parse_args()
    gitwarden = str(Path(sys.executable).with_name("gitwarden"))
    with tempfile.TemporaryDirectory(prefix="drift-bench-") as folder:
        root = Path(folder)
        repo, live = build(root, args.objects)
        dump = {"apiVersion": "v1", "kind": "List", "items": live}
        (root / "live.json").write_text(json.dumps(dump))
        (root / "live.yaml").write_text(yaml.safe_dump(dump))
        print(f"{len(live)} live objects, {sum(1 for _ in repo.glob('*.yaml'))} manifest files")
        for name in ("live.json", "live.yaml"):
            command = [gitwarden, "drift", "--repo", str(repo), "--live", str(root / name)]
            wall, cpu, code = timed(command, args.runs)
            print(
                f"  gitwarden drift --live {name}: median {wall:.2f} s wall, "
                f"{cpu:.2f} s CPU (exit {code})"
            )
        wall, cpu = time_api(repo, live, root, args.runs)
        print(
            f"  gitwarden.drift over the API (in-memory): median {wall:.2f} s wall, {cpu:.2f} s CPU"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
