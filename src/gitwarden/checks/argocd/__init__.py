"""Argo CD: projects that allow everything, Applications that deploy whatever a branch holds,
settings that open the API server, and credentials committed in plain text.

Argo CD applies what its Applications point at with a ClusterRole that can change anything,
so an AppProject is the only fence around a tenant, and argocd-cm / argocd-rbac-cm decide
who may drive it.
"""

from __future__ import annotations

from gitwarden.checks.argocd import applications, credentials, projects, settings
from gitwarden.checks.argocd.argo_objects import FAMILY
from gitwarden.checks.argocd.credentials import CREDENTIAL_SECRET_TYPES, SECRET_TYPE_LABEL
from gitwarden.checks.check import Check

# Catalogue order: projects, applications, settings, credentials.
CHECKS: tuple[Check, ...] = (
    *projects.CHECKS,
    *applications.CHECKS,
    *settings.CHECKS,
    *credentials.CHECKS,
)

__all__ = ["CHECKS", "CREDENTIAL_SECRET_TYPES", "FAMILY", "SECRET_TYPE_LABEL"]
