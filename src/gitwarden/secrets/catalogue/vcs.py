"""Version control and code hosting: GitHub, GitLab, Bitbucket, Atlassian, Sourcegraph.

Each rule follows the format the provider documents (prefix, alphabet, length), its firing
and silent examples beside it; where a token has no prefix of its own, the provider's name
must stand beside it.
"""

from __future__ import annotations

from gitwarden.findings import Severity
from gitwarden.secrets.catalogue.builders import (
    C_ALNUM,
    C_BASE64URL,
    C_HEX,
    custom,
    prefixed,
)
from gitwarden.secrets.rule_spec import (
    ALNUM,
    BASE64URL,
    HEX,
    SecretRule,
    fill,
)

_GH = (
    "https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/"
    "about-authentication-to-github#githubs-token-formats",
)
_GL = ("https://docs.gitlab.com/ee/security/token_overview.html#token-prefixes",)


def rules() -> list[SecretRule]:
    return [
        prefixed(
            "github-personal-access-token",
            "GitHub personal access token (classic)",
            "GitHub",
            "ghp_",
            C_ALNUM,
            36,
            references=_GH,
        ),
        prefixed(
            "github-fine-grained-token",
            "GitHub fine-grained personal access token",
            "GitHub",
            "github_pat_",
            ("[A-Za-z0-9_]", ALNUM),
            82,
            references=_GH,
        ),
        prefixed(
            "github-oauth-token",
            "GitHub OAuth access token",
            "GitHub",
            "gho_",
            C_ALNUM,
            36,
            references=_GH,
        ),
        prefixed(
            "github-user-to-server-token",
            "GitHub App user-to-server token",
            "GitHub",
            "ghu_",
            C_ALNUM,
            36,
            references=_GH,
        ),
        prefixed(
            "github-server-to-server-token",
            "GitHub App installation token",
            "GitHub",
            "ghs_",
            C_ALNUM,
            36,
            references=_GH,
        ),
        prefixed(
            "github-refresh-token",
            "GitHub App refresh token",
            "GitHub",
            "ghr_",
            C_ALNUM,
            (36, 76),
            references=_GH,
        ),
        prefixed(
            "gitlab-personal-access-token",
            "GitLab personal access token",
            "GitLab",
            "glpat-",
            ("[A-Za-z0-9_.-]", BASE64URL),
            (20, None),
            references=_GL,
        ),
        prefixed(
            "gitlab-pipeline-trigger-token",
            "GitLab pipeline trigger token",
            "GitLab",
            "glptt-",
            C_HEX,
            40,
            references=_GL,
        ),
        prefixed(
            "gitlab-runner-registration-token",
            "GitLab runner registration token",
            "GitLab",
            "GR1348941",
            C_BASE64URL,
            20,
            references=_GL,
        ),
        prefixed(
            "gitlab-runner-authentication-token",
            "GitLab runner authentication token",
            "GitLab",
            "glrt-",
            C_BASE64URL,
            (20, None),
            references=_GL,
        ),
        prefixed(
            "gitlab-deploy-token",
            "GitLab deploy token",
            "GitLab",
            "gldt-",
            C_BASE64URL,
            (20, None),
            references=_GL,
        ),
        prefixed(
            "gitlab-feed-token",
            "GitLab feed token",
            "GitLab",
            "glft-",
            C_BASE64URL,
            (20, None),
            severity=Severity.HIGH,
            references=_GL,
        ),
        prefixed(
            "gitlab-oauth-application-secret",
            "GitLab OAuth application secret",
            "GitLab",
            "gloas-",
            C_BASE64URL,
            64,
            references=_GL,
        ),
        prefixed(
            "gitlab-scim-token",
            "GitLab SCIM token",
            "GitLab",
            "glsoat-",
            C_BASE64URL,
            (20, None),
            references=_GL,
        ),
        prefixed(
            "gitlab-incoming-mail-token",
            "GitLab incoming email token",
            "GitLab",
            "glimt-",
            C_BASE64URL,
            25,
            severity=Severity.HIGH,
            references=_GL,
        ),
        prefixed(
            "gitlab-agent-token",
            "GitLab agent for Kubernetes token",
            "GitLab",
            "glagent-",
            C_BASE64URL,
            (50, None),
            references=_GL,
        ),
        prefixed(
            "gitlab-feature-flags-client-token",
            "GitLab feature flags client token",
            "GitLab",
            "glffct-",
            C_BASE64URL,
            20,
            severity=Severity.HIGH,
            references=_GL,
        ),
        prefixed(
            "gitlab-cicd-job-token",
            "GitLab CI/CD job token",
            "GitLab",
            "glcbt-",
            ("[A-Za-z0-9_-]", ALNUM),
            (20, None),
            references=_GL,
        ),
        prefixed(
            "bitbucket-app-password",
            "Bitbucket app password",
            "Atlassian Bitbucket",
            "ATBB",
            ("[A-Za-z0-9_=.-]", ALNUM),
            32,
        ),
        prefixed(
            "atlassian-api-token",
            "Atlassian API token",
            "Atlassian",
            "ATATT3",
            ("[A-Za-z0-9_=-]", ALNUM),
            (180, 200),
        ),
        custom(
            "sourcegraph-access-token",
            "Sourcegraph access token",
            "Sourcegraph",
            # sgp_<40 hex> (legacy), sgp_<16 hex instance id>_<40 hex>, sgp_local_<40 hex>.
            r"\b(?P<secret>sgp_(?:[a-fA-F0-9]{16}_|local_)?[a-fA-F0-9]{40})\b",
            ("sgp_",),
            (
                f'SRC_ACCESS_TOKEN="sgp_{fill("sg-id", 16, HEX)}_{fill("sg", 40, HEX)}"',
                f"token: sgp_local_{fill('sg-local', 40, HEX)}",
                f"sgp_{fill('sg-legacy', 40, HEX)}",
            ),
            (
                f"token: sgp_{fill('sg', 30, HEX)}",
                f"token: sgp_local_{fill('sg', 40, HEX)}z",
                f"token: sgp_{fill('sg', 40, HEX)}{fill('more', 8, HEX)}",
            ),
            references=("https://sourcegraph.com/docs/cli/how-tos/creating_an_access_token",),
        ),
    ]
