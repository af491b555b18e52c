"""Image signature verification: does an admission policy in the repository check the
signatures of the images its workloads run?

Recognised policies: Kyverno ``verifyImages`` rules (ClusterPolicy/Policy), Kyverno
ImageValidatingPolicy, and sigstore policy-controller ClusterImagePolicy. Policies in audit or
warn mode do not block anything and are not counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from gitwarden.checks.check import Check, CheckContext
from gitwarden.checks.images import ImageReference
from gitwarden.checks.rule_declaration import FamilyRules
from gitwarden.findings import Finding, Severity
from gitwarden.manifests.objects import K8sObject
from gitwarden.manifests.workloads import Container

FAMILY = "image-verification"
KYVERNO_URL = "https://kyverno.io/docs/writing-policies/verify-images/"
POLICY_CONTROLLER_URL = "https://docs.sigstore.dev/policy-controller/overview/"
SLSA_URL = "https://slsa.dev/spec/v1.0/threats"
_AUDIT_MODES = frozenset({"audit", "warn"})
KYVERNO_KINDS = frozenset(
    {
        ("kyverno.io", "ClusterPolicy"),
        ("kyverno.io", "Policy"),
        ("policies.kyverno.io", "ImageValidatingPolicy"),
    }
)

rules = FamilyRules(FAMILY)


@dataclass(frozen=True)
class SignaturePolicy:
    """One enforcing policy and the image globs it verifies."""

    resource: str
    globs: tuple[str, ...]
    # Kyverno's wildcards cross "/"; policy-controller's "*" stays in one path segment.
    star_crosses_slash: bool

    def covers(self, forms: tuple[str, ...]) -> bool:
        return any(
            _glob(pattern, self.star_crosses_slash).fullmatch(form) is not None
            for pattern in self.globs
            for form in forms
        )


@cache
def _glob(pattern: str, star_crosses_slash: bool) -> re.Pattern[str]:
    out = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**", index):
            out.append(".*")
            index += 2
            continue
        if char == "*":
            out.append(".*" if star_crosses_slash else "[^/]*")
        elif char == "?":
            out.append(".")
        else:
            out.append(re.escape(char))
        index += 1
    return re.compile("".join(out), re.DOTALL)


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(str(item) for item in value if isinstance(item, str))
    return ()


def _mode(value: Any) -> str:
    return str(value).strip().lower() if value is not None else ""


def _kyverno_policy(obj: K8sObject) -> SignaturePolicy | None:
    spec = obj.get(("spec",))
    if not isinstance(spec, Mapping):
        return None
    globs: list[str] = []
    if obj.kind == "ImageValidatingPolicy":
        actions = {_mode(action) for action in _strings(spec.get("validationActions"))}
        if actions and "deny" not in actions:
            return None
        for entry in spec.get("matchImageReferences") or []:
            if isinstance(entry, Mapping):
                globs.extend(_strings(entry.get("glob")))
        return SignaturePolicy(obj.resource, tuple(globs), True) if globs else None
    policy_mode = _mode(spec.get("validationFailureAction"))
    for rule in spec.get("rules") or []:
        if not isinstance(rule, Mapping):
            continue
        for verify in rule.get("verifyImages") or []:
            if not isinstance(verify, Mapping):
                continue
            mode = _mode(verify.get("failureAction")) or policy_mode
            if mode in _AUDIT_MODES:
                continue
            globs.extend(_strings(verify.get("imageReferences")))
            globs.extend(_strings(verify.get("image")))
    return SignaturePolicy(obj.resource, tuple(globs), True) if globs else None


def _cluster_image_policy(obj: K8sObject) -> SignaturePolicy | None:
    spec = obj.get(("spec",))
    if not isinstance(spec, Mapping) or _mode(spec.get("mode")) in _AUDIT_MODES:
        return None
    globs = [
        str(entry.get("glob"))
        for entry in spec.get("images") or []
        if isinstance(entry, Mapping) and isinstance(entry.get("glob"), str)
    ]
    return SignaturePolicy(obj.resource, tuple(globs), False) if globs else None


def signature_policies(context: CheckContext) -> list[SignaturePolicy]:
    policies: list[SignaturePolicy] = []
    for obj in context.objects:
        policy: SignaturePolicy | None = None
        if (obj.api_group, obj.kind) in KYVERNO_KINDS:
            policy = _kyverno_policy(obj)
        elif obj.api_group == "policy.sigstore.dev" and obj.kind == "ClusterImagePolicy":
            policy = _cluster_image_policy(obj)
        if policy is not None:
            policies.append(policy)
    return policies


def image_forms(image: str) -> tuple[str, ...]:
    """The spellings a policy may be written against: as written, and fully qualified."""
    reference = ImageReference.parse(image)
    suffix = (f":{reference.tag}" if reference.tag else "") + (
        f"@{reference.digest}" if reference.digest else ""
    )
    hosts = [reference.registry]
    if reference.registry == "docker.io":
        hosts.append("index.docker.io")
    forms = [image.strip()]
    for host in hosts:
        forms.append(f"{host}/{reference.repository}{suffix}")
        forms.append(f"{host}/{reference.repository}")
    return tuple(dict.fromkeys(forms))


def _containers(context: CheckContext) -> Iterator[tuple[Container, str]]:
    for pod in context.pod_specs:
        for container in pod.containers():
            image = container.body.get("image")
            if isinstance(image, str) and image.strip():
                yield container, image


NO_SIGNATURE_POLICY = rules.rule(
    "images-no-signature-policy",
    Severity.MEDIUM,
    title="No image signature verification policy in the repository",
    rationale=(
        "Without an admission policy that verifies image signatures, any image a tag points "
        "to runs, including one pushed with a stolen registry credential: the cluster cannot "
        "tell your build from an attacker's."
    ),
    remediation=(
        "Sign images in CI (cosign, notation) and enforce it with a Kyverno `verifyImages` rule "
        "or a sigstore policy-controller ClusterImagePolicy; if the policy lives in another "
        "repository, disable this rule here."
    ),
    references=(KYVERNO_URL, POLICY_CONTROLLER_URL, SLSA_URL),
)


@rules.finds(NO_SIGNATURE_POLICY)
def find_missing_signature_policy(context: CheckContext) -> Iterator[Finding]:
    if signature_policies(context):
        return
    containers = sorted(
        _containers(context),
        key=lambda item: (item[0].pod.obj.file, item[0].pod.obj.line),
    )
    if not containers:
        return
    first, _ = containers[0]
    images = {image for _, image in containers}
    yield NO_SIGNATURE_POLICY.finding(
        f"The repository runs {len(images)} image(s) and no enforcing Kyverno verifyImages "
        "rule or ClusterImagePolicy verifies their signatures: sign them in CI and enforce it "
        f"at admission. (Reported once, at the first workload, {first.pod.obj.resource}.)",
        first.pod.obj.location(),
        details={"images": str(len(images))},
    )


IMAGE_NOT_COVERED = rules.rule(
    "images-not-covered-by-signature-policy",
    Severity.HIGH,
    title="Image not covered by the signature verification policy",
    rationale=(
        "The repository enforces image signatures, but this image matches none of the "
        "policy's image patterns, so it is admitted unchecked: exactly the gap an attacker "
        "would use."
    ),
    remediation=(
        "Add the image's registry and repository to the policy's `imageReferences` (Kyverno) "
        "or `images` globs (ClusterImagePolicy), after signing it in CI."
    ),
    references=(KYVERNO_URL, POLICY_CONTROLLER_URL),
)


@rules.finds(IMAGE_NOT_COVERED)
def find_uncovered_images(context: CheckContext) -> Iterator[Finding]:
    policies = signature_policies(context)
    if not policies:
        return
    names = ", ".join(policy.resource for policy in policies)
    for container, image in _containers(context):
        forms = image_forms(image)
        if any(policy.covers(forms) for policy in policies):
            continue
        obj = container.pod.obj
        yield IMAGE_NOT_COVERED.finding(
            f"Container '{container.name}' of {obj.resource} runs '{image}', which no "
            f"signature policy covers ({names}): add it to a policy's image patterns.",
            obj.location((*container.path, "image")),
            details={"container": container.name, "image": image},
        )


CHECKS: tuple[Check, ...] = rules.checks()
