"""Rules about the input itself: what could not be read, rendered or trusted, and why.

Nothing is skipped silently: every file or folder gitwarden could not judge becomes one of
these findings, so that "no findings" always means "looked and found nothing". What could
not be checked is never clean: those rules are ``high`` by default, so they fail the default
gate (``--fail-on high``) until a user accepts the gap in .gitwarden.yaml, with a reason.
"""

from __future__ import annotations

from gitwarden.findings import Severity
from gitwarden.rules import Rule

FAMILY = "input"
# Said once in every "not checked" rule: how a user accepts the gap deliberately.
_ACCEPT_GAP = (
    " To accept the gap instead, suppress the rule for that path in .gitwarden.yaml with a "
    "reason (`suppressions: [{rule: ..., path: ..., reason: ...}]`) or lower it under "
    "`severity_overrides`."
)

PARSE_ERROR = Rule(
    id="parse-error",
    family=FAMILY,
    severity=Severity.HIGH,
    title="File is not valid YAML or JSON",
    rationale=(
        "A manifest that does not parse cannot be checked, and the GitOps controller will "
        "fail to sync it or, worse, apply a different reading of it."
    ),
    remediation="Fix the syntax at the reported line (run `kubectl apply --dry-run=client -f`).",
)

INVALID_VALUE = Rule(
    id="invalid-value",
    family=FAMILY,
    severity=Severity.HIGH,
    title="A value cannot be read as its type, so what depends on it was not checked",
    rationale=(
        "An explicitly tagged scalar that does not fit its tag (`!!int abc`, an empty "
        "`!!float`, `!!timestamp x`) or an integer too long to write out (thousands of hex "
        "digits as `hostPort` or `runAsUser`) is refused by Kubernetes and cannot be judged "
        "by gitwarden; it is kept as text and the rest of the file is checked."
    ),
    remediation="Write the value as the type the field expects, or quote it as a string.",
)

YAML_LIMIT = Rule(
    id="yaml-limit",
    family=FAMILY,
    severity=Severity.HIGH,
    title="YAML document exceeds a safety bound",
    rationale=(
        "Alias bombs ('billion laughs'), recursive aliases and extreme nesting are used to "
        "exhaust memory or crash parsers; gitwarden refuses to expand them."
    ),
    remediation="Write the document out without recursive or exponential aliases.",
)

DOCUMENT_TOO_LARGE = Rule(
    id="document-too-large",
    family=FAMILY,
    severity=Severity.HIGH,
    title="File or YAML document over the size cap was not checked",
    rationale=(
        "Oversized inputs are skipped to keep scans bounded, and what is skipped is unchecked: "
        "a privileged pod followed by a few megabytes of comment would otherwise pass."
    ),
    remediation=(
        "Split the document, or raise `max_document_bytes` / `max_file_bytes` in "
        ".gitwarden.yaml if it is legitimate." + _ACCEPT_GAP
    ),
)

BINARY_FILE = Rule(
    id="binary-file",
    family=FAMILY,
    severity=Severity.HIGH,
    title="File with a manifest extension holds binary data and was not checked",
    rationale=(
        "A .yaml or .json file holding binary data cannot be checked as a manifest, yet a "
        "controller or a later tool may still read it; it is skipped, so it is unchecked."
    ),
    remediation=(
        "Remove the file, store it as text, or give it an extension that says what it is."
        + _ACCEPT_GAP
    ),
)

SYMLINK_OUTSIDE = Rule(
    id="symlink-outside-repo",
    family=FAMILY,
    severity=Severity.HIGH,
    title="Symbolic link points outside the repository",
    rationale=(
        "A link out of the repository can make a scanner or renderer read host files "
        "(for example /etc or a CI secret) into its output; gitwarden never follows it."
    ),
    remediation="Replace the link with the file itself, or point it inside the repository.",
)

RENDERER_MISSING = Rule(
    id="renderer-missing",
    family=FAMILY,
    severity=Severity.HIGH,
    title="Folder needs a renderer that is not installed, so what it deploys was not checked",
    rationale=(
        "A Kustomize overlay or Helm chart is only checked in full once rendered; without "
        "the renderer gitwarden checks its plain YAML files as they are, so a patch or a "
        "template that makes a pod privileged would pass. Not checked is never clean. "
        "With --no-render the choice is the user's and the finding is info."
    ),
    remediation=(
        "Install kubectl or kustomize (Kustomize) or helm-python-sdk / helm (Helm), or, to "
        "accept the gap, re-rate it for that path with a reason (severity_overrides)."
    ),
)

RENDER_FAILED = Rule(
    id="render-failed",
    family=FAMILY,
    severity=Severity.HIGH,
    title="Kustomize overlay or Helm chart was not rendered, so what it deploys was not checked",
    rationale=(
        "An overlay or chart that fails to render, hits a render time or memory limit, or is "
        "refused (helmCharts, links out of the repository) is checked only as plain files, or "
        "not at all: a patch in it that makes a pod privileged would otherwise pass."
    ),
    remediation=(
        "Run the renderer locally and fix the error it reports, or vendor what it needs into "
        "the repository; for a limit, raise the render limits if the chart is legitimate."
        + _ACCEPT_GAP
    ),
)

REMOTE_REFUSED = Rule(
    id="remote-source-refused",
    family=FAMILY,
    severity=Severity.HIGH,
    title="Overlay needs remote content and was not rendered, so it was not checked",
    rationale=(
        "Remote Kustomize bases, components, transformers, generators and chart "
        "repositories are content that is not in this repository and not reviewed with it; "
        "gitwarden fetches nothing unless told to, so the overlay is not checked as deployed."
    ),
    remediation=(
        "Vendor the remote content into the repository, or run with --allow-network to "
        "render it." + _ACCEPT_GAP
    ),
)

SUPPRESSION_EXPIRED = Rule(
    id="suppression-expired",
    family=FAMILY,
    severity=Severity.MEDIUM,
    title="A suppression has expired",
    rationale="Expiry dates force accepted risks to be looked at again; this one is due.",
    remediation="Fix the suppressed findings, or renew the suppression with a new reason and date.",
)

SUPPRESSION_INVALID = Rule(
    id="suppression-invalid",
    family=FAMILY,
    severity=Severity.MEDIUM,
    title="A suppression annotation is malformed",
    rationale=(
        "A suppression without a rule id or a reason hides risk without a record of why; "
        "gitwarden ignores it and says so."
    ),
    remediation='Write it as `gitwarden.io/ignore: "<rule>[,<rule>] -- <reason>"`.',
)

RENDER_CACHE_REJECTED = Rule(
    id="render-cache-rejected",
    family=FAMILY,
    severity=Severity.MEDIUM,
    title="A render cache entry failed its integrity check",
    rationale=(
        "The render cache may be restored from shared CI storage; an entry that does not "
        "carry a valid HMAC under this machine's key could inject objects into the scan, so "
        "it is ignored and the unit rendered again."
    ),
    remediation=(
        "Nothing to do for this scan. If it repeats, find out who writes to the cache folder "
        "or delete it; keep the key file out of shared caches."
    ),
)


FILES_NOT_CHECKED = Rule(
    id="files-not-checked",
    family=FAMILY,
    severity=Severity.INFO,
    title="Files gitwarden recognises but does not check",
    rationale=(
        "Jsonnet and CUE files produce Kubernetes objects only when their tool evaluates "
        "them, and tool configuration files with a `kind:` (a `.fluxschema.yml`, a kind "
        "cluster config) are not Kubernetes objects at all. gitwarden never claimed to check "
        "them, so they are listed once per kind, as info, instead of being reported as "
        "hardening findings on an unnamed object; what they deploy was not checked."
    ),
    remediation=(
        "Render Jsonnet or CUE to YAML in CI (`jsonnet -y`, `cue export --out yaml`) and "
        "scan the output; tool configuration files need nothing."
    ),
)

INPUT_RULES: tuple[Rule, ...] = (
    PARSE_ERROR,
    INVALID_VALUE,
    YAML_LIMIT,
    DOCUMENT_TOO_LARGE,
    BINARY_FILE,
    SYMLINK_OUTSIDE,
    RENDERER_MISSING,
    RENDER_FAILED,
    REMOTE_REFUSED,
    RENDER_CACHE_REJECTED,
    SUPPRESSION_EXPIRED,
    SUPPRESSION_INVALID,
    FILES_NOT_CHECKED,
)
