"""The rules for CODEOWNERS lines the forges cannot use, as data.

A line GitHub or GitLab skips or reads differently than it looks changes who must approve
a change, so each one is a finding at its line (the way the forges' own file views flag it),
and ``high`` by default: ownership that could not be read is not ownership that was checked.
"""

from __future__ import annotations

from gitwarden.findings import Severity
from gitwarden.rules import Rule

FAMILY = "codeowners"
GITHUB_DOCS = (
    "https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/"
    "customizing-your-repository/about-code-owners",
)
GITLAB_DOCS = (
    "https://docs.gitlab.com/user/project/codeowners/reference/",
    "https://docs.gitlab.com/user/project/codeowners/advanced/",
)

INVALID_OWNER = Rule(
    id="codeowners-invalid-owner",
    family=FAMILY,
    severity=Severity.HIGH,
    title="CODEOWNERS owner is not a user, team, e-mail address or role",
    rationale=(
        "GitHub skips a line with an owner it cannot read, so the path falls back to an "
        "earlier rule or to no owner at all; GitLab drops the owner and keeps the others. "
        "Either way the file asks for a review it will never request."
    ),
    remediation=(
        "Write owners as `@user`, `@org/team` (GitHub), `@group/subgroup` or `@@maintainer` "
        "(GitLab), or `name@example.com`."
    ),
    references=GITHUB_DOCS + GITLAB_DOCS,
)
INVALID_PATTERN = Rule(
    id="codeowners-invalid-pattern",
    family=FAMILY,
    severity=Severity.HIGH,
    title="CODEOWNERS pattern uses syntax the forge does not support",
    rationale=(
        "GitHub supports neither `!` negation, `[ ]` character ranges nor `\\#` escapes in "
        "CODEOWNERS, and a pattern that can never match owns nothing. Such a line is skipped, "
        "so the paths it names are owned by whatever rule came before."
    ),
    remediation="Rewrite the pattern with `*`, `**`, `?` and `/` only, or list the paths.",
    references=GITHUB_DOCS + GITLAB_DOCS,
)
INVALID_SECTION = Rule(
    id="codeowners-invalid-section",
    family=FAMILY,
    severity=Severity.HIGH,
    title="GitLab CODEOWNERS section heading cannot be parsed",
    rationale=(
        "GitLab reads a heading it cannot parse as an ordinary entry of the previous section, "
        "so the rules below it are enforced under the wrong section and its owners never."
    ),
    remediation="Write headings as `[Name]`, `^[Name]`, `[Name][2]` or `[Name] @owner`.",
    references=GITLAB_DOCS,
)
INVALID_APPROVALS = Rule(
    id="codeowners-invalid-approvals",
    family=FAMILY,
    severity=Severity.MEDIUM,
    title="GitLab CODEOWNERS section asks for an approval count below one or not a number",
    rationale=(
        "GitLab treats `[0]`, `[-1]` or `[two]` as one approval: the section requires "
        "something else than it says."
    ),
    remediation="Write the number of approvals as a whole number of at least 1, e.g. `[2]`.",
    references=GITLAB_DOCS,
)
NO_OWNERS = Rule(
    id="codeowners-no-owners",
    family=FAMILY,
    severity=Severity.HIGH,
    title="GitLab CODEOWNERS entry has no owners",
    rationale=(
        "An entry without owners (and without default owners on its section) can never be "
        "satisfied: GitLab auto-approves it, or blocks the merge when code-owner approval is "
        "required. gitwarden counts it as unsatisfiable."
    ),
    remediation="Name at least one owner on the line, or default owners on the section.",
    references=GITLAB_DOCS,
)
TOO_LARGE = Rule(
    id="codeowners-too-large",
    family=FAMILY,
    severity=Severity.HIGH,
    title="CODEOWNERS file is larger than the forge loads",
    rationale=(
        "GitHub does not load a CODEOWNERS file of 3 MB or more: no code owner is requested "
        "for any path. gitwarden applies the same limit to both forges and reads no rule."
    ),
    remediation="Shrink the file below 3 MB, e.g. with `**` patterns instead of one line per file.",
    references=GITHUB_DOCS,
)

CODEOWNERS_RULES = (
    INVALID_OWNER,
    INVALID_PATTERN,
    INVALID_SECTION,
    INVALID_APPROVALS,
    NO_OWNERS,
    TOO_LARGE,
)
