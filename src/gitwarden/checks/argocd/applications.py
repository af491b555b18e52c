"""Argo CD Applications and ApplicationSets: what they deploy, from where, and when."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from gitwarden.checks.argocd.argo_objects import (
    APPSET_SECURITY_URL,
    DECLARATIVE_URL,
    DEFAULT_PROJECT,
    FAMILY,
    PROJECTS_URL,
    SECRET_MANAGEMENT_URL,
    SECURITY_URL,
    SYNC_WINDOWS_URL,
    app_specs,
    argo_objects,
    mappings,
    projects,
)
from gitwarden.checks.check import Check, CheckContext
from gitwarden.checks.gitops_sources import (
    chart_version_floats,
    git_revision_floats,
    is_plain_http,
    secret_values,
)
from gitwarden.checks.rule_declaration import FamilyRules
from gitwarden.findings import Finding, Severity
from gitwarden.manifests.objects import K8sObject, format_field_path
from gitwarden.manifests.yaml_nodes import (
    FieldPath,
    YamlLimitError,
    YamlSyntaxError,
    parse_documents,
)

rules = FamilyRules(FAMILY)


APP_DEFAULT_PROJECT = rules.rule(
    "argocd-app-default-project",
    Severity.MEDIUM,
    title="Application uses the default project",
    rationale=(
        "Argo CD's `default` project allows every source, destination and kind: an Application in "
        "it is not fenced in at all, and anyone allowed to create Applications there gets "
        "Argo CD's cluster-wide rights."
    ),
    remediation=(
        "Create an AppProject per team or environment with explicit sources, destinations and "
        "kinds, and set `spec.project` to it."
    ),
    references=(PROJECTS_URL, SECURITY_URL),
)


@rules.finds(APP_DEFAULT_PROJECT)
def find_default_project(context: CheckContext) -> Iterator[Finding]:
    for app in app_specs(context):
        if app.project == DEFAULT_PROJECT:
            yield APP_DEFAULT_PROJECT.finding(
                f"{app.obj.resource} runs in the 'default' project, which allows every source "
                "and destination: give it a project of its own.",
                app.obj.location((*app.path, "project")),
            )


APP_FLOATING_REVISION = rules.rule(
    "argocd-app-floating-revision",
    Severity.HIGH,
    title="Production Application tracks a moving revision",
    rationale=(
        "`targetRevision` HEAD, a branch or a chart version range means production runs whatever "
        "was pushed last: no review of the exact release, no reproducible rollback."
    ),
    remediation=(
        "Pin production to a release tag or commit SHA (or an exact chart version) and promote "
        "by changing it in a reviewed commit."
    ),
    references=(DECLARATIVE_URL,),
)


@rules.finds(APP_FLOATING_REVISION)
def find_floating_revisions(context: CheckContext) -> Iterator[Finding]:
    for app in app_specs(context):
        if not app.is_production(context):
            continue
        for path, source in app.sources():
            revision = source.get("targetRevision")
            is_chart = bool(source.get("chart"))
            floats = chart_version_floats(revision) if is_chart else git_revision_floats(revision)
            if not floats:
                continue
            shown = "none (HEAD)" if revision in (None, "") else repr(str(revision))
            what = "chart version" if is_chart else "revision"
            yield APP_FLOATING_REVISION.finding(
                f"{app.obj.resource} deploys to production from {what} {shown}, which moves: "
                "pin a release tag or commit SHA.",
                app.obj.location((*path, "targetRevision")),
                details={"targetRevision": "" if revision is None else str(revision)},
            )


APP_INSECURE_REPO = rules.rule(
    "argocd-app-insecure-repo-url",
    Severity.HIGH,
    title="Application source fetched over plain HTTP",
    rationale=(
        "A repoURL over `http://` or `git://` is neither encrypted nor authenticated: anyone on "
        "the path can change the manifests Argo CD applies."
    ),
    remediation="Use an `https://` or `ssh://` URL with known hosts configured.",
    references=(SECURITY_URL,),
)


@rules.finds(APP_INSECURE_REPO)
def find_insecure_repo_urls(context: CheckContext) -> Iterator[Finding]:
    for app in app_specs(context):
        for path, source in app.sources():
            url = source.get("repoURL")
            if is_plain_http(url):
                yield APP_INSECURE_REPO.finding(
                    f"{app.obj.resource} fetches '{url}' without TLS: use https:// or ssh://.",
                    app.obj.location((*path, "repoURL")),
                )


APP_AUTO_SYNC_NO_WINDOW = rules.rule(
    "argocd-app-auto-sync-without-window",
    Severity.MEDIUM,
    title="Production auto-sync with prune and selfHeal, and no sync window",
    rationale=(
        "Automated sync with prune and selfHeal applies and deletes on every push, at any hour, "
        "and reverts emergency fixes; without a sync window nothing stops a bad commit from "
        "reaching production immediately."
    ),
    remediation=(
        "Add a sync window to the Application's AppProject (`spec.syncWindows`) or turn off "
        "`prune` or `selfHeal` for production."
    ),
    references=(SYNC_WINDOWS_URL,),
)


def _projects_with_windows(context: CheckContext) -> set[str]:
    names = set()
    for obj, spec in projects(context):
        windows = spec.get("syncWindows")
        if isinstance(windows, list) and windows:
            names.add(obj.name)
    return names


@rules.finds(APP_AUTO_SYNC_NO_WINDOW)
def find_auto_sync_without_window(context: CheckContext) -> Iterator[Finding]:
    windowed = _projects_with_windows(context)
    for app in app_specs(context):
        automated = app.spec.get("syncPolicy")
        automated = automated.get("automated") if isinstance(automated, Mapping) else None
        if not isinstance(automated, Mapping) or automated.get("enabled") is False:
            continue
        if not (automated.get("prune") is True and automated.get("selfHeal") is True):
            continue
        if app.project in windowed or not app.is_production(context):
            continue
        yield APP_AUTO_SYNC_NO_WINDOW.finding(
            f"{app.obj.resource} auto-syncs to production with prune and selfHeal, and its "
            f"project '{app.project}' has no sync window in the repository: add "
            "spec.syncWindows to the project.",
            app.obj.location((*app.path, "syncPolicy", "automated")),
        )


APPSET_TEMPLATED_PROJECT = rules.rule(
    "argocd-appset-templated-project",
    Severity.HIGH,
    title="ApplicationSet takes the project from generator parameters",
    rationale=(
        "When `template.spec.project` is a template, whoever controls the generator's input (a "
        "file in a Git repository, a pull request, a cluster label) chooses the project and so "
        "escapes the limits of their own."
    ),
    remediation="Write the project name literally in the ApplicationSet template.",
    references=(APPSET_SECURITY_URL,),
)


@rules.finds(APPSET_TEMPLATED_PROJECT)
def find_templated_projects(context: CheckContext) -> Iterator[Finding]:
    for obj in argo_objects(context, "ApplicationSet"):
        project = obj.get(("spec", "template", "spec", "project"))
        if isinstance(project, str) and ("{{" in project or "${" in project):
            yield APPSET_TEMPLATED_PROJECT.finding(
                f"{obj.resource} sets the project from generator parameters ({project!r}): "
                "write the project name literally.",
                obj.location(("spec", "template", "spec", "project")),
            )
        patch = obj.get(("spec", "templatePatch"))
        if isinstance(patch, str) and re.search(r"^\s*project:\s*.*\{\{", patch, re.MULTILINE):
            yield APPSET_TEMPLATED_PROJECT.finding(
                f"{obj.resource} templatePatch sets the project from generator parameters: "
                "write the project name literally.",
                obj.location(("spec", "templatePatch")),
            )


APP_INLINE_HELM_SECRET = rules.rule(
    "argocd-app-inline-helm-secret",
    Severity.HIGH,
    title="Secret value in an Application's inline Helm values",
    rationale=(
        "Inline `helm.values`, `valuesObject` and `parameters` are stored in the Application "
        "object, which every user who may view the application can read, and in Git history."
    ),
    remediation=(
        "Move the secret into a Secret managed by Sealed Secrets, SOPS or External Secrets and "
        "reference it from the chart."
    ),
    references=(SECRET_MANAGEMENT_URL,),
)


def _inline_values_secrets(
    obj: K8sObject, helm_path: FieldPath, helm: Mapping[str, Any]
) -> Iterator[Finding]:
    values_object = helm.get("valuesObject")
    if isinstance(values_object, Mapping):
        for secret_path in secret_values(values_object):
            yield APP_INLINE_HELM_SECRET.finding(
                f"{obj.resource} sets '{format_field_path(secret_path)}' in inline Helm "
                "values: reference a Secret instead.",
                obj.location((*helm_path, "valuesObject", *secret_path)),
            )
    values = helm.get("values")
    if isinstance(values, str):
        try:
            documents = list(parse_documents(values))
        except (YamlSyntaxError, YamlLimitError):
            documents = []
        for document in documents:
            for secret_path in secret_values(document.value):
                yield APP_INLINE_HELM_SECRET.finding(
                    f"{obj.resource} sets '{format_field_path(secret_path)}' in inline Helm "
                    "values: reference a Secret instead.",
                    obj.location((*helm_path, "values")),
                    details={"key": format_field_path(secret_path)},
                )
    for index, parameter in mappings(helm.get("parameters")):
        name = str(parameter.get("name", ""))
        leaf = name.rpartition(".")[2]
        if secret_values({leaf: parameter.get("value")}):
            yield APP_INLINE_HELM_SECRET.finding(
                f"{obj.resource} sets Helm parameter '{name}' to a literal secret: reference "
                "a Secret instead.",
                obj.location((*helm_path, "parameters", index, "value")),
            )


@rules.finds(APP_INLINE_HELM_SECRET)
def find_inline_helm_secrets(context: CheckContext) -> Iterator[Finding]:
    for app in app_specs(context):
        for path, source in app.sources():
            helm = source.get("helm")
            if isinstance(helm, Mapping):
                yield from _inline_values_secrets(app.obj, (*path, "helm"), helm)


CHECKS: tuple[Check, ...] = rules.checks()
