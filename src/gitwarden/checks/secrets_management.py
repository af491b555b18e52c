"""Secrets management: files that .sops.yaml says must be encrypted and are not, Secrets
committed in plain text, and an inventory of the safe forms a repository uses.

The safe forms (SealedSecret, ExternalSecret, SecretStore, SOPS-encrypted Secret) are
reported as ``info`` findings of the rule ``secrets-safe-form``: the one Finding model
carries them with file, line and resource into every format (JSON included) without a
second report channel, they never fail a gate at the default ``--fail-on``, and
``disabled_rules`` hides them like any other rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from gitwarden.checks.argocd import CREDENTIAL_SECRET_TYPES as ARGOCD_CREDENTIAL_TYPES
from gitwarden.checks.argocd import SECRET_TYPE_LABEL as ARGOCD_SECRET_TYPE_LABEL
from gitwarden.checks.check import Check, CheckContext
from gitwarden.checks.sops import (
    REGEX_ENGINE,
    SOPS_CONFIG_NAMES,
    SOPS_DOCUMENT_SUFFIXES,
    is_sops_encrypted,
    sops_state,
    unencrypted_reason,
)
from gitwarden.findings import Finding, Location, Severity
from gitwarden.manifests.objects import K8sObject
from gitwarden.rules import Rule

FAMILY = "secrets-management"
SOPS_URL = (
    "https://github.com/getsops/sops#using-sops-yaml-conf-to-select-kms-pgp-and-age-for-new-files"
)
SECRETS_GOOD_PRACTICES_URL = "https://kubernetes.io/docs/concepts/security/secrets-good-practices/"
SEALED_SECRETS_URL = "https://github.com/bitnami-labs/sealed-secrets"
EXTERNAL_SECRETS_URL = "https://external-secrets.io/latest/"

# dotenv and INI files encrypted by sops carry their mac as a line of their own.
_SOPS_TEXT_MAC = re.compile(r"^(sops_)?mac\s*=\s*ENC\[", re.MULTILINE)
SAFE_KINDS: Mapping[tuple[str, str], str] = {
    ("bitnami.com", "SealedSecret"): "sealed with the cluster's Sealed Secrets key",
    ("external-secrets.io", "ExternalSecret"): "fetched from an external secret store",
    ("external-secrets.io", "ClusterExternalSecret"): "fetched from an external secret store",
    ("external-secrets.io", "SecretStore"): "describes an external secret store",
    ("external-secrets.io", "ClusterSecretStore"): "describes an external secret store",
}

SOPS_FILE_NOT_ENCRYPTED = Rule(
    id="sops-file-not-encrypted",
    family=FAMILY,
    severity=Severity.CRITICAL,
    title="File that .sops.yaml says must be encrypted is in clear text",
    rationale=(
        "A creation rule in .sops.yaml declares which files hold secrets. A file matching its "
        "path_regex without sops metadata, or with values that are not ENC[...], was "
        "committed unencrypted (or decrypted and committed back): its secrets are in the "
        "repository and its history."
    ),
    remediation=(
        "Rotate the exposed values, encrypt the file with `sops --encrypt --in-place`, and add "
        "a pre-commit hook that refuses unencrypted files."
    ),
    references=(SOPS_URL, SECRETS_GOOD_PRACTICES_URL),
)
SOPS_CONFIG_INVALID = Rule(
    id="sops-config-invalid",
    family=FAMILY,
    severity=Severity.MEDIUM,
    title=".sops.yaml creation rule cannot be read",
    rationale=(
        "sops refuses a configuration it cannot parse or a path_regex that is not RE2 syntax; "
        "gitwarden cannot tell which files must be encrypted until it is fixed."
    ),
    remediation="Fix the YAML or the regular expression (Go RE2 syntax: no lookaround).",
    references=(SOPS_URL,),
)
PLAINTEXT_SECRET = Rule(
    id="secrets-plaintext-secret",
    family=FAMILY,
    severity=Severity.HIGH,
    title="Kubernetes Secret committed in plain text",
    rationale=(
        "A Secret's data is only base64-encoded: committed to Git it is readable by everyone "
        "with access to the repository, its forks, clones and CI logs, forever."
    ),
    remediation=(
        "Rotate the values, remove the Secret from the repository and commit a SealedSecret, "
        "a SOPS-encrypted Secret or an ExternalSecret instead."
    ),
    references=(SECRETS_GOOD_PRACTICES_URL, SEALED_SECRETS_URL, EXTERNAL_SECRETS_URL),
)
SAFE_FORM = Rule(
    id="secrets-safe-form",
    family=FAMILY,
    severity=Severity.INFO,
    title="Secret kept in a safe form",
    rationale=(
        "An inventory, not a problem: SealedSecrets, ExternalSecrets, secret stores and "
        "SOPS-encrypted Secrets keep secret values out of the repository. Listing them shows "
        "reviewers where secrets come from."
    ),
    remediation="Nothing to fix.",
    references=(SEALED_SECRETS_URL, EXTERNAL_SECRETS_URL, SOPS_URL),
)


def find_unencrypted_sops_files(context: CheckContext) -> Iterator[Finding]:
    state = sops_state(context)
    if not state.configs:
        return
    for path in context.inputs.paths:
        governed = state.governing_rule(path)
        name = path.rpartition("/")[2]
        if governed is None or name in SOPS_CONFIG_NAMES:
            continue
        config, rule = governed
        where = f"{config.file} creation_rules[{rule.index}] (path_regex {rule.path_regex!r})"
        details = {"sops_config": config.file, "path_regex": rule.path_regex or ""}
        if name.lower().endswith(SOPS_DOCUMENT_SUFFIXES):
            for document in state.documents.get(path, ()):
                reason = unencrypted_reason(document.value, rule)
                if reason is not None:
                    yield SOPS_FILE_NOT_ENCRYPTED.finding(
                        f"{path} must be encrypted by {where}, but {reason}: "
                        "encrypt it with sops and rotate what it exposed.",
                        Location(file=path, line=document.line),
                        details=details,
                    )
                    break
            continue
        text = state.other_texts.get(path)
        if text is not None and text.strip() and not _SOPS_TEXT_MAC.search(text):
            yield SOPS_FILE_NOT_ENCRYPTED.finding(
                f"{path} must be encrypted by {where}, but it has no sops mac: "
                "encrypt it with sops and rotate what it exposed.",
                Location(file=path),
                details=details,
            )


def find_invalid_sops_configs(context: CheckContext) -> Iterator[Finding]:
    state = sops_state(context)
    yield from state.unreadable
    for config in state.configs:
        for problem, line in zip(config.problems, config.problem_lines, strict=True):
            yield SOPS_CONFIG_INVALID.finding(
                f"{config.file}: {problem} (checked with {REGEX_ENGINE}); files it should "
                "cover were not checked.",
                Location(file=config.file, line=line),
            )


def _secret_values(obj: K8sObject) -> Iterator[tuple[str, str]]:
    for section in ("data", "stringData"):
        values = obj.get((section,))
        if isinstance(values, Mapping):
            for key, value in values.items():
                if isinstance(value, str) and value.strip():
                    yield section, str(key)


def _is_secret(obj: K8sObject) -> bool:
    return obj.kind == "Secret" and obj.api_version == "v1"


def find_plaintext_secrets(context: CheckContext) -> Iterator[Finding]:
    for obj in context.objects:
        if not _is_secret(obj) or is_sops_encrypted(obj.body):
            continue
        if obj.labels.get(ARGOCD_SECRET_TYPE_LABEL) in ARGOCD_CREDENTIAL_TYPES:
            continue  # argocd-plaintext-credentials says it more precisely
        values = list(_secret_values(obj))
        if not values:
            continue
        section, key = values[0]
        keys = ", ".join(k for _, k in values)
        yield PLAINTEXT_SECRET.finding(
            f"{obj.resource} holds {len(values)} value(s) in plain {section} ({keys}): rotate "
            "them and commit a SealedSecret, SOPS-encrypted Secret or ExternalSecret instead.",
            obj.location((section, key)),
            details={"keys": keys},
        )


def find_safe_forms(context: CheckContext) -> Iterator[Finding]:
    for obj in context.objects:
        how = SAFE_KINDS.get((obj.api_group, obj.kind))
        if how is None and _is_secret(obj) and is_sops_encrypted(obj.body):
            how = "encrypted with SOPS"
        if how is None:
            continue
        if obj.kind == "SealedSecret" and not isinstance(
            obj.get(("spec", "encryptedData")), Mapping
        ):
            continue
        form = "SOPS-encrypted Secret" if obj.kind == "Secret" else obj.kind
        yield SAFE_FORM.finding(
            f"{obj.resource} is {how} ({form}).",
            obj.location(),
            details={"form": form},
        )


CHECKS: tuple[Check, ...] = (
    Check(SOPS_FILE_NOT_ENCRYPTED, find_unencrypted_sops_files),
    Check(SOPS_CONFIG_INVALID, find_invalid_sops_configs),
    Check(PLAINTEXT_SECRET, find_plaintext_secrets),
    Check(SAFE_FORM, find_safe_forms),
)
