"""CI/CD and code quality services."""

from __future__ import annotations

from gitwarden.findings import Severity
from gitwarden.secrets.catalogue.builders import (
    C_HEX,
    UUID,
    contextual,
    custom,
    prefixed,
    uuid_sample,
)
from gitwarden.secrets.rule_spec import (
    ALNUM,
    BASE64URL,
    HEX,
    UPPER_ALNUM,
    UPPER_HEX,
    SecretRule,
    fill,
)

_OCTOPUS = fill("octopus-deploy-api-key", 26, UPPER_ALNUM)


def rules() -> list[SecretRule]:
    return [
        prefixed(
            "sonarqube-project-token",
            "SonarQube project analysis token",
            "SonarQube",
            "sqp_",
            C_HEX,
            40,
        ),
        prefixed(
            "sonarqube-global-token",
            "SonarQube global analysis token",
            "SonarQube",
            "sqa_",
            C_HEX,
            40,
        ),
        prefixed("sonarqube-user-token", "SonarQube user token", "SonarQube", "squ_", C_HEX, 40),
        custom(
            "circleci-personal-token",
            "CircleCI personal API token",
            "CircleCI",
            r"\b(?P<secret>CCIPAT_[A-Za-z0-9]{22}_[a-f0-9]{40})\b",
            ("ccipat_",),
            (f"token: CCIPAT_{fill('cci', 22, ALNUM)}_{fill('cci2', 40, HEX)}",),
            (f"token: CCIPAT_{fill('cci', 22, ALNUM)}_{fill('cci2', 10, HEX)}",),
        ),
        prefixed(
            "buildkite-api-token", "Buildkite API access token", "Buildkite", "bkua_", C_HEX, 40
        ),
        prefixed(
            "buildkite-agent-token",
            "Buildkite agent token",
            "Buildkite",
            "bkagent_",
            C_HEX,
            (40, 64),
        ),
        custom(
            "harness-personal-access-token",
            "Harness personal access token",
            "Harness",
            r"\b(?P<secret>pat\.[A-Za-z0-9_-]{22}\.[a-f0-9]{24}\.[A-Za-z0-9]{20})\b",
            ("pat.",),
            (f"token: pat.{fill('h1', 22, ALNUM)}.{fill('h2', 24, HEX)}.{fill('h3', 20, ALNUM)}",),
            (f"token: pat.{fill('h1', 22, ALNUM)}.{fill('h2', 4, HEX)}",),
        ),
        custom(
            "octopus-deploy-api-key",
            "Octopus Deploy API key",
            "Octopus Deploy",
            # A value of its own: never inside a URL path or a longer name (`Setup-API-<hex>`).
            r"(?:^|[^A-Za-z0-9/._%-])(?P<secret>API-[A-Z0-9]{26,32})(?:[^A-Za-z0-9_-]|$)",
            ("api-",),
            (
                f'OCTOPUS_API_KEY="API-{_OCTOPUS}"',
                f"X-Octopus-ApiKey: API-{_OCTOPUS}",
                f"API-{_OCTOPUS}",
            ),
            (
                f"see https://acme.notion.site/Runbook-API-{fill('notion', 32, UPPER_HEX)}",
                f"see https://acme.notion.site/API-{fill('notion', 32, HEX)}?pvs=4",
                f"token: API-{_OCTOPUS[:20]}",
            ),
            references=("https://octopus.com/docs/octopus-rest-api/how-to-create-an-api-key",),
        ),
        contextual(
            "travis-ci-token",
            "Travis CI access token",
            "Travis CI",
            ("travis",),
            "[A-Za-z0-9_-]{22}",
            fill("travis", 22, BASE64URL),
        ),
        contextual(
            "jenkins-api-token",
            "Jenkins API token",
            "Jenkins",
            ("jenkins",),
            "11[a-f0-9]{32}",
            "11" + fill("jenkins", 32, HEX),
            severity=Severity.CRITICAL,
        ),
        contextual(
            "codecov-upload-token",
            "Codecov upload token",
            "Codecov",
            ("codecov",),
            UUID,
            uuid_sample("codecov"),
        ),
        contextual(
            "snyk-api-token",
            "Snyk API token",
            "Snyk",
            ("snyk",),
            UUID,
            uuid_sample("snyk"),
            severity=Severity.CRITICAL,
        ),
        custom(
            "teamcity-access-token",
            "TeamCity access token",
            "JetBrains TeamCity",
            r"\b(?P<secret>eyJ0eXAiOiAiVENWMiJ9\.[A-Za-z0-9_-]{36}\.[A-Za-z0-9_-]{48})\b",
            ("eyj0exaioiaivenwmij9",),
            (f"token: eyJ0eXAiOiAiVENWMiJ9.{fill('tc', 36, ALNUM)}.{fill('tc2', 48, ALNUM)}",),
            (f"token: eyJ0eXAiOiAiVENWMiJ9.{fill('tc', 12, ALNUM)}",),
        ),
        contextual(
            "cypress-record-key",
            "Cypress Cloud record key",
            "Cypress",
            ("cypress",),
            UUID,
            uuid_sample("cypress"),
        ),
        contextual(
            "coveralls-repo-token",
            "Coveralls repository token",
            "Coveralls",
            ("coveralls",),
            "[A-Za-z0-9]{32,37}",
            fill("coveralls", 33, ALNUM),
        ),
        contextual(
            "drone-ci-access-token",
            "Drone CI access token",
            "Drone CI",
            ("drone",),
            "[A-Za-z0-9]{32}",
            fill("drone", 32, ALNUM),
        ),
    ]
