"""Monitoring, logging, alerting and error tracking.

Each rule follows the format the provider documents (prefix, alphabet, length), its firing
and silent examples beside it; where a token has no prefix of its own, the provider's name
must stand beside it.
"""

from __future__ import annotations

from gitwarden.findings import Severity
from gitwarden.secrets.catalogue.builders import (
    C_BASE64URL,
    C_HEX,
    C_UPPER_ALNUM,
    UUID,
    contextual,
    custom,
    prefixed,
    uuid_sample,
)
from gitwarden.secrets.rule_spec import (
    ALNUM,
    BASE64,
    BASE64URL,
    HEX,
    UPPER_ALNUM,
    SecretRule,
    fill,
)


def rules() -> list[SecretRule]:
    return [
        prefixed(
            "grafana-api-key",
            "Grafana API key",
            "Grafana",
            "eyJrIjoi",
            ("[A-Za-z0-9+/]", BASE64),
            (70, 400),
        ),
        prefixed(
            "grafana-cloud-api-token",
            "Grafana Cloud access policy token",
            "Grafana Cloud",
            "glc_",
            ("[A-Za-z0-9+/]", BASE64),
            (32, 400),
        ),
        custom(
            "grafana-service-account-token",
            "Grafana service account token",
            "Grafana",
            r"\b(?P<secret>glsa_[A-Za-z0-9]{32}_[a-f0-9]{8})\b",
            ("glsa_",),
            (f"token: glsa_{fill('glsa', 32, ALNUM)}_{fill('glsa2', 8, HEX)}",),
            (f"token: glsa_{fill('glsa', 12, ALNUM)}_{fill('glsa2', 8, HEX)}",),
        ),
        prefixed(
            "new-relic-user-api-key",
            "New Relic user API key",
            "New Relic",
            "NRAK-",
            C_UPPER_ALNUM,
            27,
        ),
        prefixed(
            "new-relic-insert-key", "New Relic insert key", "New Relic", "NRII-", C_BASE64URL, 32
        ),
        prefixed(
            "new-relic-browser-key",
            "New Relic browser API key",
            "New Relic",
            "NRJS-",
            C_HEX,
            19,
            severity=Severity.MEDIUM,
        ),
        custom(
            "new-relic-license-key",
            "New Relic ingest license key",
            "New Relic",
            r"\b(?P<secret>[a-f0-9]{36}NRAL)\b",
            ("nral",),
            (f"license_key: {fill('nral', 36, HEX)}NRAL",),
            (f"license_key: {fill('nral', 20, HEX)}NRAL",),
        ),
        contextual(
            "datadog-api-key",
            "Datadog API key",
            "Datadog",
            ("datadog", "dd_api", "dd-api"),
            "[a-f0-9]{32}",
            fill("dd", 32, HEX),
            severity=Severity.CRITICAL,
        ),
        contextual(
            "datadog-application-key",
            "Datadog application key",
            "Datadog",
            ("dd_app", "dd-app", "datadog_app"),
            "[a-f0-9]{40}",
            fill("ddapp", 40, HEX),
            severity=Severity.CRITICAL,
        ),
        prefixed(
            "sentry-organization-token",
            "Sentry organization auth token",
            "Sentry",
            "sntrys_eyJpYXQiO",
            ("[A-Za-z0-9+/=_-]", BASE64URL),
            (60, None),
        ),
        prefixed("sentry-user-token", "Sentry user auth token", "Sentry", "sntryu_", C_HEX, 64),
        custom(
            "dynatrace-api-token",
            "Dynatrace API token",
            "Dynatrace",
            r"\b(?P<secret>dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64})\b",
            ("dt0c01.",),
            (f"token: dt0c01.{fill('dt', 24, UPPER_ALNUM)}.{fill('dt2', 64, UPPER_ALNUM)}",),
            (f"token: dt0c01.{fill('dt', 24, UPPER_ALNUM)}.{fill('dt2', 10, UPPER_ALNUM)}",),
        ),
        contextual(
            "splunk-hec-token",
            "Splunk HTTP Event Collector token",
            "Splunk",
            ("splunk",),
            UUID,
            uuid_sample("splunk"),
        ),
        contextual(
            "pagerduty-api-key",
            "PagerDuty API key",
            "PagerDuty",
            ("pagerduty",),
            r"u\+[A-Za-z0-9_+-]{18}",
            "u+" + fill("pd", 18, ALNUM),
        ),
        contextual(
            "opsgenie-api-key",
            "Opsgenie API key",
            "Opsgenie",
            ("opsgenie",),
            UUID,
            uuid_sample("opsgenie"),
        ),
        contextual(
            "honeycomb-api-key",
            "Honeycomb API key",
            "Honeycomb",
            ("honeycomb",),
            "[A-Za-z0-9]{22,32}",
            fill("honeycomb", 22, ALNUM),
        ),
        contextual(
            "rollbar-access-token",
            "Rollbar access token",
            "Rollbar",
            ("rollbar",),
            "[a-f0-9]{32}",
            fill("rollbar", 32, HEX),
        ),
        contextual(
            "bugsnag-api-key",
            "Bugsnag API key",
            "Bugsnag",
            ("bugsnag",),
            "[a-f0-9]{32}",
            fill("bugsnag", 32, HEX),
        ),
        contextual(
            "sumo-logic-access-key",
            "Sumo Logic access key",
            "Sumo Logic",
            ("sumo",),
            "[A-Za-z0-9]{64}",
            fill("sumo", 64, ALNUM),
        ),
        contextual(
            "logzio-token",
            "Logz.io shipping token",
            "Logz.io",
            ("logzio", "logz"),
            "[A-Za-z]{32}",
            fill("logz", 32, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"),
        ),
        contextual(
            "elastic-cloud-api-key",
            "Elastic Cloud API key",
            "Elastic",
            ("elastic",),
            "[A-Za-z0-9_=-]{60,100}",
            fill("elastic", 64, ALNUM),
            severity=Severity.CRITICAL,
        ),
    ]
