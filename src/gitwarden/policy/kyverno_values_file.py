"""Kyverno CLI Values files (``variables:`` of a kyverno-test): the values a test gives to
variables, per policy, rule and resource, and the labels of namespaces it names.

Keys are variable names as rules write them (``request.operation``, a context entry's
name); a value given for a context entry replaces what the entry would look up, which is how
tests stand in for API calls offline.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from gitwarden.manifests.objects import K8sObject


def _empty() -> Mapping[Any, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class KyvernoValues:
    """The values of a Values file; empty values change nothing."""

    global_values: Mapping[str, Any] = field(default_factory=_empty)
    # (policy, rule) -> values, and (policy, resource name) -> values.
    rule_values: Mapping[tuple[str, str], Mapping[str, Any]] = field(default_factory=_empty)
    resource_values: Mapping[tuple[str, str], Mapping[str, Any]] = field(default_factory=_empty)
    namespace_labels: Mapping[str, Mapping[str, Any]] = field(default_factory=_empty)

    def for_rule(self, policy: str, rule: str, resource: str) -> dict[str, Any]:
        """The values one rule sees for one resource (the narrower wins)."""
        return {
            **self.global_values,
            **self.rule_values.get((policy, rule), {}),
            **self.resource_values.get((policy, resource), {}),
        }

    def names_for(self, policy: str) -> set[str]:
        """Every variable some rule or resource of ``policy`` is given a value for."""
        names = set(self.global_values)
        for values in (self.rule_values, self.resource_values):
            for (owner, _), given in values.items():
                if owner == policy:
                    names.update(given)
        return names

    def namespaces(self) -> dict[str, Mapping[str, Any]]:
        """The Namespaces the file describes, as bodies a namespaceSelector reads."""
        return {
            name: {
                "apiVersion": "v1",
                "kind": "Namespace",
                "metadata": {"name": name, "labels": dict(labels)},
            }
            for name, labels in self.namespace_labels.items()
        }


def read_values(document: K8sObject) -> KyvernoValues:
    """The values of a parsed Values file (unknown sections are ignored, as by Kyverno)."""
    rule_values: dict[tuple[str, str], Mapping[str, Any]] = {}
    resource_values: dict[tuple[str, str], Mapping[str, Any]] = {}
    for policy in _maps(document.get(("policies",))):
        name = str(policy.get("name", ""))
        for rule in _maps(policy.get("rules")):
            rule_values[(name, str(rule.get("name", "")))] = _map(rule.get("values"))
        for resource in _maps(policy.get("resources")):
            resource_values[(name, str(resource.get("name", "")))] = _map(resource.get("values"))
    labels = {
        str(entry.get("name")): _map(entry.get("labels"))
        for entry in _maps(document.get(("namespaceSelector",)))
    }
    return KyvernoValues(
        global_values=_map(document.get(("globalValues",))),
        rule_values=rule_values,
        resource_values=resource_values,
        namespace_labels=labels,
    )


def _maps(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}
