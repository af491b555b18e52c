"""Flux: sources that are not verified or not encrypted in transit, reconcilers that act with
the controller's cluster-admin rights, and a Flux install without its multi-tenancy lockdown.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from gitwarden.checks.check import Check, CheckContext
from gitwarden.checks.gitops_sources import chart_version_floats, is_plain_http
from gitwarden.checks.rule_declaration import FamilyRules
from gitwarden.checks.sops import sops_state
from gitwarden.findings import Finding, Severity
from gitwarden.manifests.objects import K8sObject
from gitwarden.manifests.workloads import pod_spec
from gitwarden.manifests.yaml_nodes import FieldPath

FAMILY = "flux"
SOURCE_GROUP = "source.toolkit.fluxcd.io"
KUSTOMIZE_GROUP = "kustomize.toolkit.fluxcd.io"
HELM_GROUP = "helm.toolkit.fluxcd.io"
SECURITY_URL = "https://fluxcd.io/flux/security/"
LOCKDOWN_URL = "https://fluxcd.io/flux/installation/configuration/multitenancy/"
GIT_VERIFY_URL = "https://fluxcd.io/flux/components/source/gitrepositories/#verification"
OCI_VERIFY_URL = "https://fluxcd.io/flux/components/source/ocirepositories/#verification"
SOPS_URL = "https://fluxcd.io/flux/guides/mozilla-sops/"
KUSTOMIZATION_URL = "https://fluxcd.io/flux/components/kustomize/kustomizations/"
HELMRELEASE_URL = "https://fluxcd.io/flux/components/helm/helmreleases/"

# The lockdown flags Flux documents for multi-tenancy, and the controllers that take them.
LOCKDOWN_FLAGS: Mapping[str, tuple[str, ...]] = {
    "kustomize-controller": (
        "--no-cross-namespace-refs",
        "--default-service-account",
        "--no-remote-bases",
    ),
    "helm-controller": ("--no-cross-namespace-refs", "--default-service-account"),
    "notification-controller": ("--no-cross-namespace-refs",),
    "image-reflector-controller": ("--no-cross-namespace-refs",),
    "image-automation-controller": ("--no-cross-namespace-refs",),
}
_FLAG_MEANING = {
    "--no-cross-namespace-refs": "objects may use sources and secrets of other namespaces",
    "--default-service-account": (
        "reconcilers without serviceAccountName act with the controller's cluster-admin rights"
    ),
    "--no-remote-bases": "kustomizations may pull remote bases that no one reviewed",
}


rules = FamilyRules(FAMILY)


# --- helpers ----------------------------------------------------------------------------------


def _flux(context: CheckContext, group: str, *kinds: str) -> Iterator[K8sObject]:
    return (obj for obj in context.objects if obj.kind in kinds and obj.api_group == group)


def _spec(obj: K8sObject) -> Mapping[str, Any]:
    spec = obj.get(("spec",))
    return spec if isinstance(spec, Mapping) else {}


def _is_production(context: CheckContext, obj: K8sObject) -> bool:
    spec = _spec(obj)
    path = spec.get("path")
    target = spec.get("targetNamespace")
    return context.settings.production.matches(
        namespaces=[obj.namespace, target if isinstance(target, str) else None],
        paths=[obj.file, obj.rendered_from, path if isinstance(path, str) else None],
    )


def _reconcilers(context: CheckContext) -> Iterator[K8sObject]:
    yield from _flux(context, KUSTOMIZE_GROUP, "Kustomization")
    yield from _flux(context, HELM_GROUP, "HelmRelease")


# --- sources ----------------------------------------------------------------------------------


SOURCE_NOT_VERIFIED = rules.rule(
    "flux-source-not-verified",
    Severity.MEDIUM,
    title="Flux source without signature verification",
    rationale=(
        "Without `spec.verify` source-controller accepts any commit or OCI artifact that reaches "
        "the reference: a stolen push credential or a compromised registry deploys straight to "
        "the cluster."
    ),
    remediation=(
        "Add `spec.verify` (OpenPGP for Git commits or tags; cosign or notation for OCI "
        "artifacts) with the signers' public keys in a Secret."
    ),
    references=(GIT_VERIFY_URL, OCI_VERIFY_URL),
)


@rules.finds(SOURCE_NOT_VERIFIED)
def find_unverified_sources(context: CheckContext) -> Iterator[Finding]:
    for obj in _flux(context, SOURCE_GROUP, "GitRepository", "OCIRepository"):
        if isinstance(_spec(obj).get("verify"), Mapping):
            continue
        what = "commits" if obj.kind == "GitRepository" else "artifacts"
        how = "OpenPGP" if obj.kind == "GitRepository" else "cosign or notation"
        yield SOURCE_NOT_VERIFIED.finding(
            f"{obj.resource} accepts unsigned {what}: add spec.verify ({how}).",
            obj.location(("spec",)),
            severity=Severity.HIGH if _is_production(context, obj) else None,
        )


SOURCE_INSECURE = rules.rule(
    "flux-source-insecure-transport",
    Severity.HIGH,
    title="Flux source fetched without TLS",
    rationale=(
        "An `http://` URL or `insecure: true` sends what Flux applies over an unauthenticated "
        "channel: anyone on the path can change it."
    ),
    remediation="Use an https:// or ssh:// URL and remove `insecure: true`.",
    references=(SECURITY_URL,),
)


@rules.finds(SOURCE_INSECURE)
def find_insecure_sources(context: CheckContext) -> Iterator[Finding]:
    kinds = ("GitRepository", "OCIRepository", "HelmRepository", "Bucket")
    for obj in _flux(context, SOURCE_GROUP, *kinds):
        spec = _spec(obj)
        if is_plain_http(spec.get("url")):
            yield SOURCE_INSECURE.finding(
                f"{obj.resource} fetches '{spec.get('url')}' without TLS: use https://.",
                obj.location(("spec", "url")),
            )
        if spec.get("insecure") is True:
            yield SOURCE_INSECURE.finding(
                f"{obj.resource} sets insecure: true: remove it and serve over TLS.",
                obj.location(("spec", "insecure")),
            )


def _floating_source_ref(obj: K8sObject) -> tuple[FieldPath, str] | None:
    ref = _spec(obj).get("ref")
    ref = ref if isinstance(ref, Mapping) else {}
    if obj.kind == "GitRepository":
        if any(ref.get(key) for key in ("tag", "semver", "commit", "name")):
            semver = ref.get("semver")
            pinned = any(ref.get(key) for key in ("tag", "commit"))
            if semver and not pinned and chart_version_floats(semver):
                return ("spec", "ref", "semver"), f"semver range {semver!r}"
            return None
        if ref.get("branch"):
            return ("spec", "ref", "branch"), f"branch {ref.get('branch')!r}"
        return ("spec",), "no ref (the default branch)"
    if any(ref.get(key) for key in ("digest",)):
        return None
    if ref.get("semver"):
        if chart_version_floats(ref.get("semver")):
            return ("spec", "ref", "semver"), f"semver range {ref.get('semver')!r}"
        return None
    tag = ref.get("tag")
    if not tag or tag == "latest":
        return ("spec", "ref") if ref else ("spec",), f"tag {tag or 'latest'!r}"
    return None


def _floating_chart_version(obj: K8sObject) -> tuple[FieldPath, str] | None:
    chart = _spec(obj).get("chart")
    chart_spec = chart.get("spec") if isinstance(chart, Mapping) else None
    if not isinstance(chart_spec, Mapping):
        return None  # chartRef: the version is the referenced source's
    version = chart_spec.get("version")
    if chart_version_floats(version):
        shown = f"version range {version!r}" if version else "no version (the latest)"
        return ("spec", "chart", "spec", "version"), f"chart {shown}"
    return None


FLOATING_REVISION = rules.rule(
    "flux-floating-revision",
    Severity.HIGH,
    title="Production reconciles a moving revision",
    rationale=(
        "A branch (or no ref, which means the default branch), an OCI `latest` tag or a chart "
        "version range makes production follow whatever was published last, without a reviewed "
        "promotion and with no exact rollback point."
    ),
    remediation=(
        "Pin production to a tag, semver-exact version or commit (`spec.ref.tag`, "
        "`spec.ref.commit`, an exact chart version) and promote by changing it."
    ),
    references=(KUSTOMIZATION_URL, HELMRELEASE_URL),
)


@rules.finds(FLOATING_REVISION)
def find_floating_revisions(context: CheckContext) -> Iterator[Finding]:
    candidates: list[tuple[K8sObject, tuple[FieldPath, str] | None]] = [
        (obj, _floating_source_ref(obj))
        for obj in _flux(context, SOURCE_GROUP, "GitRepository", "OCIRepository")
    ]
    candidates += [
        (obj, _floating_chart_version(obj)) for obj in _flux(context, HELM_GROUP, "HelmRelease")
    ]
    for obj, floating in candidates:
        if floating is None or not _is_production(context, obj):
            continue
        path, what = floating
        yield FLOATING_REVISION.finding(
            f"{obj.resource} follows {what} in production: pin a tag, exact version or commit.",
            obj.location(path),
        )


# --- reconcilers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ControllerFlags:
    """The args of Flux's controllers as deployed by this repository (if it deploys them)."""

    args: Mapping[str, tuple[str, ...]]

    def enabled(self, controller: str, flag: str) -> bool:
        args = self.args.get(controller, ())
        for index, arg in enumerate(args):
            name, equals, value = arg.partition("=")
            if name != flag:
                continue
            if flag == "--default-service-account":
                # pflag also reads "--flag value" as two arguments.
                given = value if equals else (args[index + 1] if index + 1 < len(args) else "")
                return bool(given.strip()) and not given.startswith("-")
            return value.strip().lower() in ("", "true")
        return False


def _flux_controllers(context: CheckContext) -> Iterator[tuple[K8sObject, int, Mapping[str, Any]]]:
    for obj in context.of_kind("Deployment"):
        if obj.name not in LOCKDOWN_FLAGS:
            continue
        spec = pod_spec(obj)
        if spec is None:
            continue
        for container in spec.containers(("containers",)):
            image = str(container.body.get("image", ""))
            if "fluxcd/" in image or obj.labels.get("app.kubernetes.io/part-of") == "flux":
                yield obj, container.index, container.body


def _controller_flags(context: CheckContext) -> ControllerFlags:
    args: dict[str, tuple[str, ...]] = {}
    for obj, _, body in _flux_controllers(context):
        raw = body.get("args")
        values = tuple(str(a) for a in raw) if isinstance(raw, list) else ()
        args[obj.name] = args.get(obj.name, ()) + values
    return ControllerFlags(args)


NO_SERVICE_ACCOUNT = rules.rule(
    "flux-reconciler-no-service-account",
    Severity.HIGH,
    title="Flux Kustomization or HelmRelease without a service account",
    rationale=(
        "Without `spec.serviceAccountName` (and without `--default-service-account` on the "
        "controller) kustomize-controller and helm-controller apply with their own cluster-admin "
        "rights: whoever can change the source can change anything in the cluster."
    ),
    remediation=(
        "Set `spec.serviceAccountName` to a tenant service account bound to the namespaces it "
        "manages, and start the controllers with `--default-service-account`."
    ),
    references=(LOCKDOWN_URL,),
)


@rules.finds(NO_SERVICE_ACCOUNT)
def find_reconcilers_without_service_account(context: CheckContext) -> Iterator[Finding]:
    flags = _controller_flags(context)
    for obj in _reconcilers(context):
        spec = _spec(obj)
        if spec.get("serviceAccountName") or isinstance(spec.get("kubeConfig"), Mapping):
            continue
        controller = "kustomize-controller" if obj.kind == "Kustomization" else "helm-controller"
        if flags.enabled(controller, "--default-service-account"):
            continue
        yield NO_SERVICE_ACCOUNT.finding(
            f"{obj.resource} has no serviceAccountName, so {controller} applies it with "
            "cluster-admin rights: set spec.serviceAccountName to a tenant account.",
            obj.location(("spec",)),
        )


def _source_refs(obj: K8sObject) -> Iterator[tuple[FieldPath, Mapping[str, Any]]]:
    paths: tuple[FieldPath, ...] = (
        (("spec", "sourceRef"),)
        if obj.kind == "Kustomization"
        else (("spec", "chart", "spec", "sourceRef"), ("spec", "chartRef"))
    )
    for path in paths:
        ref = obj.get(path)
        if isinstance(ref, Mapping):
            yield path, ref


CROSS_NAMESPACE_SOURCE = rules.rule(
    "flux-cross-namespace-source",
    Severity.MEDIUM,
    title="Flux object uses a source from another namespace",
    rationale=(
        "A reference into another namespace crosses the tenant boundary: a tenant can deploy "
        "from, and read credentials of, sources it does not own."
    ),
    remediation=(
        "Keep sources in the namespace of their Kustomization or HelmRelease, and start the "
        "controllers with `--no-cross-namespace-refs=true`."
    ),
    references=(LOCKDOWN_URL,),
)


@rules.finds(CROSS_NAMESPACE_SOURCE)
def find_cross_namespace_sources(context: CheckContext) -> Iterator[Finding]:
    for obj in _reconcilers(context):
        for path, ref in _source_refs(obj):
            namespace = ref.get("namespace")
            if isinstance(namespace, str) and namespace and namespace != (obj.namespace or ""):
                yield CROSS_NAMESPACE_SOURCE.finding(
                    f"{obj.resource} uses {ref.get('kind')} '{namespace}/{ref.get('name')}' "
                    "from another namespace: keep the source beside it.",
                    obj.location((*path, "namespace")),
                )


FORCE_APPLY = rules.rule(
    "flux-force-apply",
    Severity.MEDIUM,
    title="Flux recreates objects on immutable-field changes",
    rationale=(
        "`force: true` deletes and recreates objects whose immutable fields changed: a commit "
        "can wipe a StatefulSet, a Job or a PersistentVolumeClaim's binding without review of "
        "the outage."
    ),
    remediation=(
        "Remove `force: true`; handle immutable-field changes by a reviewed, deliberate migration."
    ),
    references=(KUSTOMIZATION_URL, HELMRELEASE_URL),
)


@rules.finds(FORCE_APPLY)
def find_force_apply(context: CheckContext) -> Iterator[Finding]:
    for obj in _reconcilers(context):
        is_kustomization = obj.kind == "Kustomization"
        path: FieldPath = ("spec", "force") if is_kustomization else ("spec", "upgrade", "force")
        if obj.get(path) is True:
            yield FORCE_APPLY.finding(
                f"{obj.resource} sets force: true, which deletes and recreates objects: remove it.",
                obj.location(path),
            )


def _repository_folder(path: Any) -> str | None:
    if not isinstance(path, str):
        return None
    folder = path.strip().removeprefix("./").strip("/")
    return None if folder.startswith("..") else folder


SOPS_WITHOUT_DECRYPTION = rules.rule(
    "flux-sops-without-decryption",
    Severity.HIGH,
    title="SOPS-encrypted files in a Flux Kustomization without decryption",
    rationale=(
        "kustomize-controller applies SOPS files as they are unless `spec.decryption` is set: the "
        "encrypted Secret fails to apply or, worse, lands in the cluster with ENC[...] values "
        "while the workload runs on stale credentials."
    ),
    remediation=(
        "Add `spec.decryption: {provider: sops, secretRef: {name: sops-keys}}` to the "
        "Kustomization."
    ),
    references=(SOPS_URL,),
)


@rules.finds(SOPS_WITHOUT_DECRYPTION)
def find_sops_without_decryption(context: CheckContext) -> Iterator[Finding]:
    encrypted: set[str] | None = None
    for obj in _flux(context, KUSTOMIZE_GROUP, "Kustomization"):
        spec = _spec(obj)
        if isinstance(spec.get("decryption"), Mapping):
            continue
        folder = _repository_folder(spec.get("path", "./"))
        if folder is None:
            continue
        if encrypted is None:
            encrypted = sops_state(context).encrypted_files()
        inside = sorted(f for f in encrypted if folder == "" or f.startswith(folder + "/"))
        if inside:
            shown = ", ".join(inside[:3]) + (" ..." if len(inside) > 3 else "")
            yield SOPS_WITHOUT_DECRYPTION.finding(
                f"{obj.resource} applies {folder or '.'}, which holds SOPS-encrypted files "
                f"({shown}), without spec.decryption: add the sops provider.",
                obj.location(("spec",)),
                details={"files": ", ".join(inside)},
            )


LOCKDOWN_FLAG_MISSING = rules.rule(
    "flux-controller-lockdown-flag-missing",
    Severity.MEDIUM,
    title="Flux controller started without a multi-tenancy lockdown flag",
    rationale=(
        "Flux's controllers trust every namespace by default: cross-namespace references, remote "
        "kustomize bases and the controller's own cluster-admin account are allowed unless the "
        "lockdown flags turn them off."
    ),
    remediation=(
        "Patch the controllers' args in the flux-system kustomization: "
        "`--no-cross-namespace-refs=true`, `--default-service-account=default`, "
        "`--no-remote-bases=true` (kustomize-controller)."
    ),
    references=(LOCKDOWN_URL,),
)


@rules.finds(LOCKDOWN_FLAG_MISSING)
def find_missing_lockdown_flags(context: CheckContext) -> Iterator[Finding]:
    flags = _controller_flags(context)
    seen: set[tuple[str, str, str]] = set()
    for obj, index, body in _flux_controllers(context):
        for flag in LOCKDOWN_FLAGS[obj.name]:
            key = (obj.file, obj.resource, flag)
            if flags.enabled(obj.name, flag) or key in seen:
                continue
            seen.add(key)
            field = "args" if isinstance(body.get("args"), list) else None
            path: FieldPath = ("spec", "template", "spec", "containers", index)
            yield LOCKDOWN_FLAG_MISSING.finding(
                f"{obj.resource} runs without {flag}, so {_FLAG_MEANING[flag]}: add it to the "
                "container args.",
                obj.location((*path, field) if field else path),
                details={"flag": flag},
            )


CHECKS: tuple[Check, ...] = rules.checks()
