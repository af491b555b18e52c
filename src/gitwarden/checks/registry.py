"""Every built-in check family: the one list a new family is added to.

The rule catalogue of all scanners (what `gitwarden rules` prints) is assembled above the
families, in `gitwarden.rule_catalogue`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import cache

from gitwarden.checks import (
    api_schema,
    argocd,
    controller_rbac,
    dockerfiles,
    flux,
    hardening,
    image_verification,
    images,
    network_policy,
    pod_security,
    rbac,
    secrets_management,
    sidecars,
)
from gitwarden.checks.check import Check, FileScope
from gitwarden.findings import Finding
from gitwarden.rules import Rule

CHECK_FAMILIES = (
    pod_security,
    hardening,
    sidecars,
    images,
    rbac,
    network_policy,
    argocd,
    flux,
    controller_rbac,
    secrets_management,
    image_verification,
    dockerfiles,
    api_schema,
)


_ALONE = FileScope()
_NAMESPACES = FileScope(frozenset({"Namespace"}))
_SERVICE_ACCOUNTS = FileScope(frozenset({"ServiceAccount"}))
_LIMIT_RANGES = FileScope(frozenset({"LimitRange"}))
# The scan's CRDs: which kinds are namespaced, which versions and schemas they serve.
_CRDS = FileScope(frozenset({"CustomResourceDefinition"}))
_SCHEMA_RULES = (
    "schema-removed-api-version",
    "schema-unknown-api-version",
    "schema-security-field-misspelled",
    "schema-unknown-field",
    "schema-invalid-value",
    "schema-required-field-missing",
)
# Checks of files that are not objects (SOPS rules, Dockerfiles): they read no object at all.
_FILE_RULES = (
    "sops-file-not-encrypted",
    "sops-config-invalid",
    "dockerfile-hadolint",
    "dockerfile-linter-missing",
)
_POD_SECURITY_RULES = (
    "pss-host-process",
    "pss-host-namespaces",
    "pss-privileged",
    "pss-capabilities-baseline",
    "pss-host-path-volumes",
    "pss-host-ports",
    "pss-apparmor",
    "pss-selinux",
    "pss-proc-mount",
    "pss-seccomp-baseline",
    "pss-sysctls",
    "pss-probe-host",
    "pss-volume-types",
    "pss-privilege-escalation",
    "pss-run-as-non-root",
    "pss-run-as-user",
    "pss-seccomp-restricted",
    "pss-capabilities-restricted",
    "pss-proc-mount-restricted",
)
_ALONE_RULES = (
    "images-latest-tag",
    "images-not-pinned-by-digest",
    "images-untrusted-registry",
    "hardening-writable-root-filesystem",
    "hardening-secret-in-environment",
    "hardening-host-aliases",
    "hardening-exposed-service",
    "hardening-ingress-without-tls",
    "sidecars-privileged",
    "sidecars-added-capabilities",
    "sidecars-runs-as-root",
    "sidecars-host-path",
    "secrets-plaintext-secret",
    "secrets-safe-form",
    "argocd-project-any-source-repo",
    "argocd-project-any-destination",
    "argocd-project-all-cluster-resources",
    "argocd-project-sensitive-kinds-allowed",
    "argocd-project-unsigned-commits",
    "argocd-project-orphans-unmonitored",
    "argocd-app-default-project",
    "argocd-app-floating-revision",
    "argocd-app-insecure-repo-url",
    "argocd-appset-templated-project",
    "argocd-app-inline-helm-secret",
    "argocd-admin-user-enabled",
    "argocd-anonymous-access",
    "argocd-exec-enabled",
    "argocd-kustomize-unsafe-build-options",
    "argocd-insecure-oidc",
    "argocd-rbac-default-admin",
    "argocd-rbac-wildcard-policy",
    "argocd-server-insecure",
    "argocd-repo-server-long-exec-timeout",
    "argocd-plaintext-credentials",
    "argocd-repository-insecure",
    "flux-source-not-verified",
    "flux-source-insecure-transport",
    "flux-floating-revision",
)
# What each check's findings at a file depend on besides that file's objects (see
# `FileScope`). A check left out sees every object: the RBAC graph, NetworkPolicy coverage,
# Argo CD sync windows, Flux references, image signature policies, kinds left unvalidated
# (one finding per kind, wherever its objects are). Leaving a check out costs time in
# `scan --diff`; a wrong entry would lose or invent findings there, so
# `tests/checks/test_registry.py` splits real corpora by file and requires the same findings.
FILE_SCOPES: Mapping[str, FileScope] = {
    **dict.fromkeys((*_ALONE_RULES, *_FILE_RULES), _ALONE),
    **dict.fromkeys(_SCHEMA_RULES, _CRDS),
    **dict.fromkeys(_POD_SECURITY_RULES, _NAMESPACES),
    "hardening-resource-requests-missing": _LIMIT_RANGES,
    "hardening-resource-limits-missing": _LIMIT_RANGES,
    "hardening-service-account-token-automounted": _SERVICE_ACCOUNTS,
    "sidecars-service-account-token": _SERVICE_ACCOUNTS,
    # Grouped per file (install bundles): still a function of the file's objects.
    "hardening-namespace-missing": _CRDS,
    "hardening-default-namespace": _CRDS,
}


@cache
def all_checks() -> tuple[Check, ...]:
    return tuple(
        replace(check, scope=FILE_SCOPES.get(check.rule.id))
        for family in CHECK_FAMILIES
        for check in family.CHECKS
    )


def is_tool_rule_id(rule_id: str) -> bool:
    """An id a family reports from a tool's own codes (dockerfile-DL3007), not a catalogue id."""
    return any(
        pattern.match(rule_id)
        for family in CHECK_FAMILIES
        if (pattern := getattr(family, "RULE_ID_PATTERN", None)) is not None
    )


def rules_of_findings(findings: Iterable[Finding]) -> dict[str, Rule]:
    """Rules for the ids families report from a tool's own codes (dockerfile-DL3007)."""
    rules: dict[str, Rule] = {}
    for finding in findings:
        if finding.rule_id in rules:
            continue
        for family in CHECK_FAMILIES:
            pattern = getattr(family, "RULE_ID_PATTERN", None)
            if pattern is not None and pattern.match(finding.rule_id):
                rules[finding.rule_id] = family.rule_for_finding(finding)
    return rules
