"""Where the forge rules come from: the documentation each rule's references point to."""

from __future__ import annotations

SCORECARD_BRANCH_PROTECTION = (
    "https://github.com/ossf/scorecard/blob/main/docs/checks.md#branch-protection"
)
LEGITIFY = "https://github.com/Legit-Labs/legitify"
GITHUB_RULESETS = (
    "https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/"
    "managing-rulesets/about-rulesets"
)
GITHUB_BRANCH_PROTECTION = "https://docs.github.com/en/rest/branches/branch-protection"
GITLAB_PROTECTED_BRANCHES = "https://docs.gitlab.com/api/protected_branches/"
GITLAB_APPROVALS = "https://docs.gitlab.com/api/merge_request_approvals/"
GITLAB_PUSH_RULES = "https://docs.gitlab.com/api/project_push_rules/"
