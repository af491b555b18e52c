"""Rules about the input itself: what could not be read, rendered or trusted, and why.

Nothing is skipped silently: every file or folder gitwarden could not judge becomes one of
these findings, so that "no findings" always means "looked and found nothing".
"""

from __future__ import annotations

from gitwarden.findings import Severity
from gitwarden.rules import Rule

FAMILY = "input"

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
    severity=Severity.MEDIUM,
    title="File or YAML document larger than the size cap",
    rationale="Oversized inputs are skipped to keep scans bounded; what is skipped is unchecked.",
    remediation=(
        "Split the document, or raise `max_document_bytes` / `max_file_bytes` in "
        ".gitwarden.yaml if it is legitimate."
    ),
)

BINARY_FILE = Rule(
    id="binary-file",
    family=FAMILY,
    severity=Severity.LOW,
    title="Binary file with a manifest extension",
    rationale="A .yaml or .json file holding binary data cannot be a manifest and is skipped.",
    remediation="Remove the file or give it an extension that says what it is.",
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
    severity=Severity.INFO,
    title="Folder needs a renderer that is not installed",
    rationale=(
        "A Kustomize overlay or Helm chart is only checked in full once rendered; without "
        "the renderer gitwarden checks its plain YAML files as they are."
    ),
    remediation="Install kubectl or kustomize (Kustomize) or helm-python-sdk / helm (Helm).",
)

RENDER_FAILED = Rule(
    id="render-failed",
    family=FAMILY,
    severity=Severity.MEDIUM,
    title="Kustomize overlay or Helm chart failed to render",
    rationale=(
        "If gitwarden cannot render it, the controller most likely cannot either; and what "
        "is not rendered is checked only as plain files."
    ),
    remediation="Run the renderer locally and fix the error it reports.",
)

REMOTE_REFUSED = Rule(
    id="remote-source-refused",
    family=FAMILY,
    severity=Severity.MEDIUM,
    title="Rendering needs the network and was refused",
    rationale=(
        "Remote Kustomize bases and chart repositories are content that is not in this "
        "repository and not reviewed with it; gitwarden fetches nothing unless told to."
    ),
    remediation=(
        "Vendor the remote base into the repository, pin it to a commit, or run with "
        "--allow-network to render it."
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

INPUT_RULES: tuple[Rule, ...] = (
    PARSE_ERROR,
    YAML_LIMIT,
    DOCUMENT_TOO_LARGE,
    BINARY_FILE,
    SYMLINK_OUTSIDE,
    RENDERER_MISSING,
    RENDER_FAILED,
    REMOTE_REFUSED,
    SUPPRESSION_EXPIRED,
    SUPPRESSION_INVALID,
)
