"""Requirement names (as `.gitwarden.yaml` writes them) -> the policy that judges each."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from gitwarden.config import GATE_REQUIREMENTS, EnvironmentSettings
from gitwarden.gate.ancestry_requirement import AncestryRequirement
from gitwarden.gate.images_requirement import ImagesRequirement
from gitwarden.gate.ledger_requirement import LedgerRequirement
from gitwarden.gate.manifests_requirement import ManifestsRequirement
from gitwarden.gate.policy_requirement import PolicyRequirement
from gitwarden.gate.requirements import AllOf, Requirement
from gitwarden.gate.review_requirement import ReviewRequirement
from gitwarden.gate.secrets_requirement import SecretsRequirement
from gitwarden.gate.signatures_requirement import SignaturesRequirement

REQUIREMENTS: Mapping[str, Requirement] = MappingProxyType(
    {
        "signatures": SignaturesRequirement(),
        "ledger": LedgerRequirement(),
        "review": ReviewRequirement(),
        "manifests": ManifestsRequirement(),
        "policy": PolicyRequirement(),
        "secrets": SecretsRequirement(),
        "images": ImagesRequirement(),
    }
)
assert set(REQUIREMENTS) == set(GATE_REQUIREMENTS)


def environment_policy(environment: EnvironmentSettings) -> AllOf:
    """Ancestry always, then what the environment requires, in its order."""
    return AllOf(
        (AncestryRequirement(), *(REQUIREMENTS[name] for name in environment.require)),
        name=environment.name,
    )
