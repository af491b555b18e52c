"""The policy engines gitwarden evaluates, one module each (see ``engine`` for the protocol).

Adding an engine: one module with ``evaluate(inputs) -> PolicyResults`` and one entry here.
Engines run in this order, so findings keep a stable order; a module is imported only when a
scan holds a policy (the engines cost ~0.1 s to import and most scans have none).
"""

from __future__ import annotations

from gitwarden.policy.engine import PolicyEngine

POLICY_ENGINES: dict[str, PolicyEngine] = {
    "rego": PolicyEngine("gitwarden.policy.rego", reads_rego=True),
    "cel": PolicyEngine("gitwarden.policy.cel", kinds=frozenset({"ValidatingAdmissionPolicy"})),
    "kyverno": PolicyEngine(
        "gitwarden.policy.kyverno", kinds=frozenset({"ClusterPolicy", "Policy"})
    ),
    "kyverno-cel": PolicyEngine(
        "gitwarden.policy.kyverno_validating_policy", groups=frozenset({"policies.kyverno.io"})
    ),
    "gatekeeper": PolicyEngine(
        "gitwarden.policy.gatekeeper",
        groups=frozenset({"templates.gatekeeper.sh", "constraints.gatekeeper.sh"}),
    ),
}
