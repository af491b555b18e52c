"""The registered policy engines: each is a module with `evaluate`, loaded only when needed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gitwarden.policy.engine import PolicyInputs
from gitwarden.policy.engines import POLICY_ENGINES
from gitwarden.policy.object_view import ObjectBodies
from k8s_fixtures import load_objects

# One policy object of each built-in engine that reads objects (Rego reads .rego files).
POLICY_OBJECTS = {
    "cel": "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\n",
    "kyverno": "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\n",
    "kyverno-cel": "apiVersion: policies.kyverno.io/v1alpha1\nkind: ValidatingPolicy\n",
    "gatekeeper": "apiVersion: templates.gatekeeper.sh/v1\nkind: ConstraintTemplate\n",
}


@pytest.mark.parametrize("name", POLICY_OBJECTS)
def test_each_engine_is_wanted_by_its_own_policies_alone(name: str) -> None:
    objects = load_objects(POLICY_OBJECTS[name] + "metadata: {name: p}\n")
    inputs = PolicyInputs(objects, objects, ObjectBodies(objects))
    assert [n for n, e in POLICY_ENGINES.items() if e.wanted(inputs)] == [name]


def test_engines_run_in_a_stable_order() -> None:
    assert list(POLICY_ENGINES) == ["rego", "cel", "kyverno", "kyverno-cel", "gatekeeper"]


def test_scan_without_policies_imports_no_engine(tmp_path: Path) -> None:
    (tmp_path / "pod.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: web}\n")
    program = (
        "import sys, gitwarden\n"
        f"gitwarden.scan({str(tmp_path)!r})\n"
        "print(sorted(m for m in sys.modules if m.split('.')[-1] in "
        "('rego', 'cel', 'kyverno', 'gatekeeper', 'kyverno_validating_policy')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
