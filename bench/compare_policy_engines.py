#!/usr/bin/env python3
"""Benchmark gitwarden's policy engines (Rego, CEL admission policies, Kyverno, Gatekeeper).

Runs, in one invocation and on the same machine, ``gitwarden scan --no-render --format json``
over the corpus without policies (the baseline) and with each kind of policy folder (Gatekeeper:
three library templates with Constraints, one referential over ``data.inventory``), then
``gitwarden policy test`` over the conformance suites, and ``conftest test`` with the same Rego
policies (and ``gator verify`` over the Gatekeeper suites) when the binary is given or on PATH
(conftest is a Go binary published outside PyPI, npm and Debian, so it may be missing; the
script says so instead of inventing a figure).

Each command runs ``--warmup`` times unmeasured and then ``--runs`` times, each inside a fresh
wrapper process (this script's hidden ``_measure`` mode) that reports wall time and the peak
RSS of the command (``getrusage(RUSAGE_CHILDREN)``: the wrapper has no other child).

Usage::

    .venv/bin/python bench/compare_policy_engines.py [--corpus DIR] [--runs N] [--conftest PATH]
        [--gator PATH]
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpora" / "argo-cd-manifests"
CONFORMANCE = REPO_ROOT.parent / "shared" / "conformance"
GITWARDEN = REPO_ROOT / ".venv" / "bin" / "gitwarden"

REGO = {
    "owner.rego": """package main

import rego.v1

workloads := {"Deployment", "StatefulSet", "DaemonSet"}

deny contains msg if {
	workloads[input.kind]
	not input.metadata.labels.owner
	msg := sprintf("%s/%s has no owner label", [input.kind, input.metadata.name])
}

warn contains {"msg": msg, "severity": "low"} if {
	workloads[input.kind]
	some c in input.spec.template.spec.containers
	not startswith(c.image, "quay.io/argoproj/")
	msg := sprintf("%s: image %s outside quay.io/argoproj", [input.metadata.name, c.image])
}
""",
    # Cross-object: every Service selects some workload (uses the whole object set).
    "services.rego": """package main

import rego.v1

deny contains msg if {
	input.kind == "Service"
	input.spec.selector
	not selects_something(input.spec.selector)
	msg := sprintf("Service %s selects no workload", [input.metadata.name])
}

selects_something(selector) if {
	some obj in data.gitwarden.objects
	obj.kind in {"Deployment", "StatefulSet", "DaemonSet"}
	labels := object.get(obj.spec.template.metadata, "labels", {})
	every key, value in selector {
		labels[key] == value
	}
}
""",
}

VAP = {
    "admission.yaml": """apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: workload-rules
spec:
  matchConstraints:
    resourceRules:
      - apiGroups: ["apps"]
        apiVersions: ["v1"]
        operations: ["CREATE", "UPDATE"]
        resources: ["deployments", "statefulsets"]
  variables:
    - name: containers
      expression: "object.spec.template.spec.containers"
  validations:
    - expression: "!has(object.spec.replicas) || object.spec.replicas <= 3"
      message: "at most 3 replicas"
    - expression: "variables.containers.all(c, has(c.resources) && has(c.resources.limits))"
      messageExpression: "'every container of ' + object.metadata.name + ' needs limits'"
    - expression: "variables.containers.all(c, !c.image.endsWith(':latest'))"
      message: "no latest tags"
""",
}

KYVERNO = {
    "kyverno.yaml": """apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: samples
spec:
  validationFailureAction: Audit
  rules:
    - name: check-for-labels
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        message: "The label `app.kubernetes.io/name` is required."
        pattern:
          metadata:
            labels:
              app.kubernetes.io/name: "?*"
    - name: privileged-containers
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        message: "Privileged mode is disallowed."
        pattern:
          spec:
            =(initContainers):
              - =(securityContext):
                  =(privileged): "false"
            containers:
              - =(securityContext):
                  =(privileged): "false"
    - name: validate-image-tag
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        message: "Using a mutable image tag e.g. 'latest' is not allowed."
        foreach:
          - list: "request.object.spec.containers"
            pattern:
              image: "!*:latest"
    - name: adding-capabilities
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        message: "Adding capabilities is not allowed."
        deny:
          conditions:
            all:
              - key: "{{ request.object.spec.[initContainers, containers][].securityContext.capabilities.add[] }}"
                operator: AnyNotIn
                value: [NET_BIND_SERVICE]
""",  # noqa: E501 (the policy as Kyverno publishes it)
}

GATEKEEPER = {
    "templates.yaml": """apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8srequiredlabels
spec:
  crd:
    spec:
      names:
        kind: K8sRequiredLabels
      validation:
        openAPIV3Schema:
          type: object
          properties:
            labels:
              type: array
              items: {type: string}
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8srequiredlabels

        violation[{"msg": msg, "details": {"missing_labels": missing}}] {
          provided := {label | input.review.object.metadata.labels[label]}
          required := {label | label := input.parameters.labels[_]}
          missing := required - provided
          count(missing) > 0
          msg := sprintf("you must provide labels: %v", [missing])
        }
---
apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8sallowedrepos
spec:
  crd:
    spec:
      names:
        kind: K8sAllowedRepos
      validation:
        openAPIV3Schema:
          type: object
          properties:
            repos:
              type: array
              items: {type: string}
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8sallowedrepos

        violation[{"msg": msg}] {
          container := input.review.object.spec.template.spec.containers[_]
          not strings.any_prefix_match(container.image, input.parameters.repos)
          msg := sprintf("container <%v> has an invalid image repo <%v>", [container.name, container.image])
        }
---
apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8suniqueserviceselector
  annotations:
    metadata.gatekeeper.sh/requires-sync-data: |
      "[[{"groups": [""], "versions": ["v1"], "kinds": ["Service"]}]]"
spec:
  crd:
    spec:
      names:
        kind: K8sUniqueServiceSelector
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8suniqueserviceselector

        make_apiversion(kind) = apiVersion {
          g := kind.group
          v := kind.version
          g != ""
          apiVersion = sprintf("%v/%v", [g, v])
        }

        make_apiversion(kind) = apiVersion {
          kind.group == ""
          apiVersion = kind.version
        }

        identical(obj, review) {
          obj.metadata.namespace == review.namespace
          obj.metadata.name == review.name
          obj.kind == review.kind.kind
          obj.apiVersion == make_apiversion(review.kind)
        }

        flatten_selector(obj) = flattened {
          selectors := [s | s = concat(":", [key, val]); val = obj.spec.selector[key]]
          flattened := concat(",", sort(selectors))
        }

        violation[{"msg": msg}] {
          input.review.kind.kind == "Service"
          input.review.kind.version == "v1"
          input.review.kind.group == ""
          input_selector := flatten_selector(input.review.object)
          other := data.inventory.namespace[namespace][_]["Service"][name]
          not identical(other, input.review)
          other_selector := flatten_selector(other)
          input_selector == other_selector
          msg := sprintf("same selector as service <%v> in namespace <%v>", [name, namespace])
        }
""",  # noqa: E501 (templates as the Gatekeeper library publishes them)
    "constraints.yaml": """apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sRequiredLabels
metadata:
  name: workloads-need-a-name-label
spec:
  enforcementAction: warn
  match:
    kinds:
      - apiGroups: ["apps"]
        kinds: ["Deployment", "StatefulSet"]
  parameters:
    labels: ["app.kubernetes.io/name"]
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sAllowedRepos
metadata:
  name: argoproj-images-only
spec:
  match:
    kinds:
      - apiGroups: ["apps"]
        kinds: ["Deployment", "StatefulSet"]
  parameters:
    repos: ["quay.io/argoproj/"]
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sUniqueServiceSelector
metadata:
  name: unique-service-selector
spec:
  match:
    kinds:
      - apiGroups: [""]
        kinds: ["Service"]
""",
}


def measure(command: list[str]) -> None:
    """Hidden mode: run ``command``, print wall seconds and its peak RSS (MB) as JSON."""
    start = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        json.dumps(
            {
                "wall": wall,
                "peak_mb": peak_kb / 1024,
                "returncode": completed.returncode,
                "stdout": completed.stdout,
                "stderr": completed.stderr[-2000:],
            }
        )
    )


def timed(command: list[str], warmup: int, runs: int) -> dict[str, object]:
    results = []
    for index in range(warmup + runs):
        wrapper = [sys.executable, __file__, "_measure", *command]
        done = subprocess.run(wrapper, capture_output=True, text=True, check=True)
        if index >= warmup:
            results.append(json.loads(done.stdout))
    walls = [r["wall"] for r in results]
    last = results[-1]
    return {
        "wall_median": statistics.median(walls),
        "wall_min": min(walls),
        "peak_mb": max(r["peak_mb"] for r in results),
        "returncode": last["returncode"],
        "stdout": last["stdout"],
        "stderr": last["stderr"],
    }


def write_folder(root: Path, files: dict[str, str]) -> Path:
    root.mkdir(parents=True)
    for name, text in files.items():
        (root / name).write_text(text)
    return root


def policy_counts(stdout: str) -> str:
    try:
        report = json.loads(stdout)
    except json.JSONDecodeError:
        return "no JSON report"
    findings = report["findings"]
    prefixes = ("rego:", "vap:", "kyverno:", "gatekeeper:", "policy-")
    policy = [f for f in findings if f["rule"].startswith(prefixes)]
    errors = [f for f in policy if f["rule"].startswith("policy-")]
    objects = report["summary"]["objects_scanned"]
    return f"{objects} objects, {len(policy)} policy findings, {len(errors)} policy errors"


def in_process(corpus: Path, folders: dict[str, Path], runs: int) -> list[tuple[str, float, float]]:
    """The policy stage alone: objects loaded once, then ``evaluate_policies`` timed (wall
    and CPU, median of ``runs``; CPU time is what a busy shared machine distorts least)."""
    from gitwarden.manifests.loader import load_manifest_text
    from gitwarden.policy.evaluate import evaluate_policies
    from gitwarden.policy.sources import PolicySource, load_policy_sources

    objects = []
    for path in sorted(corpus.rglob("*.y*ml")):
        objects.extend(load_manifest_text(path.read_text(), str(path)).objects)
    rows = []
    for name, folder in folders.items():
        walls, cpus = [], []
        for _ in range(runs):
            fresh = [
                o
                for path in sorted(corpus.rglob("*.y*ml"))
                for o in load_manifest_text(path.read_text(), str(path)).objects
            ]
            loaded = load_policy_sources([(PolicySource(str(folder)), Path.cwd())], None)
            wall, cpu = time.perf_counter(), time.process_time()
            evaluate_policies(fresh, loaded)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        rows.append((name, statistics.median(walls), statistics.median(cpus)))
    print(f"policy stage in-process over {len(objects)} objects (median of {runs}):")
    for name, wall, cpu in rows:
        print(f"  {name:10} wall {wall * 1000:8.1f} ms   cpu {cpu * 1000:8.1f} ms")
    return rows


def conformance_runs(runs: int) -> None:
    """`gitwarden policy test` over the originals' suites, in-process (median of ``runs``):
    the Gatekeeper library's gator suites and Kyverno's kyverno-test.yaml files."""
    from gitwarden.commands.policy_test import policy_test

    for name in ("gatekeeper-library", "kyverno-policies"):
        folder = CONFORMANCE / name
        if not folder.is_dir():
            print(f"conformance {name}: not found at {folder}")
            continue
        walls, cpus = [], []
        for _ in range(runs):
            start, cpu = time.perf_counter(), time.process_time()
            result = policy_test(folder)
            walls.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
        print(
            f"policy test {name}: median wall {statistics.median(walls):.2f} s, "
            f"cpu {statistics.median(cpus):.2f} s; {result.summary()}"
        )


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "_measure":
        measure(sys.argv[2:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--conftest", default=shutil.which("conftest"))
    parser.add_argument("--gator", default=shutil.which("gator"))
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    with tempfile.TemporaryDirectory(prefix="gitwarden-bench-") as work:
        folders = {
            "rego": write_folder(Path(work) / "rego", REGO),
            "vap": write_folder(Path(work) / "vap", VAP),
            "kyverno": write_folder(Path(work) / "kyverno", KYVERNO),
            "gatekeeper": write_folder(Path(work) / "gatekeeper", GATEKEEPER),
        }
        base = [str(GITWARDEN), "scan", "--no-render", "--format", "json", str(corpus)]
        commands: dict[str, list[str]] = {"gitwarden scan (no policies)": base}
        for name, folder in folders.items():
            commands[f"gitwarden scan --policy {name}/"] = [*base, "--policy", str(folder)]
        commands["gitwarden scan --policy (all four)"] = [
            *base,
            *(arg for folder in folders.values() for arg in ("--policy", str(folder))),
        ]
        rows = []
        for label, command in commands.items():
            result = timed(command, args.warmup, args.runs)
            rows.append((label, result, policy_counts(str(result["stdout"]))))
        if args.conftest:
            files = sorted(str(p) for p in corpus.rglob("*.yaml"))
            conftest = [args.conftest, "test", "--no-color", "-p", str(folders["rego"]), *files]
            result = timed(conftest, args.warmup, args.runs)
            rows.append(("conftest test -p rego/ FILES", result, f"exit {result['returncode']}"))
        print(f"corpus: {corpus}")
        print(f"machine: {platform.machine()}, Python {platform.python_version()}")
        baseline = float(rows[0][1]["wall_median"])  # type: ignore[arg-type]
        print(f"{'command':45} {'median':>8} {'min':>8} {'+policy':>8} {'peak MB':>8}  result")
        for label, result, summary in rows:
            median = float(result["wall_median"])  # type: ignore[arg-type]
            low = float(result["wall_min"])  # type: ignore[arg-type]
            peak = float(result["peak_mb"])  # type: ignore[arg-type]
            print(
                f"{label:45} {median:8.2f} {low:8.2f} {median - baseline:+8.2f} {peak:8.0f}"
                f"  {summary}"
            )
        in_process(corpus, folders, args.runs)
        conformance_runs(args.runs)
    if not args.gator:
        print("gator: not installed (a Go binary, not in PyPI, npm or Debian): no peer figure")
    else:
        suites = CONFORMANCE / "gatekeeper-library"
        result = timed([args.gator, "verify", f"{suites}/..."], args.warmup, args.runs)
        print(f"gator verify gatekeeper-library/...: median {result['wall_median']:.2f} s")
    if not args.conftest:
        print("conftest: not installed (a Go binary, not in PyPI, npm or Debian): no peer figure")
    return 0


if __name__ == "__main__":
    sys.exit(main())
