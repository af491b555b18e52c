"""Keys of a Secret that hold public or descriptive data, not credentials."""

from __future__ import annotations

PUBLIC_KEYS = frozenset(
    {
        "ca.crt",
        "tls.crt",
        "known_hosts",
        "identity.pub",
        "url",
        "type",
        "name",
        "project",
        "username",
        "user",
        "host",
        "hostname",
        "port",
        "database",
        "namespace",
        "enableLfs",
        "enableOCI",
        "insecure",
        "proxy",
        "noProxy",
        "server",
        "email",
        "forceHttpBasicAuth",
        "githubAppID",
        "githubAppInstallationID",
        "githubAppEnterpriseBaseUrl",
        "caFile",
    }
)
