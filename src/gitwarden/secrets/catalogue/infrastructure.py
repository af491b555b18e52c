"""Infrastructure tools: Vault, Terraform, Pulumi, secret managers, tunnels, platforms.

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
    LOWER_ALNUM,
    UPPER_ALNUM,
    SecretRule,
    fill,
)


def rules() -> list[SecretRule]:
    return [
        prefixed(
            "hashicorp-vault-service-token",
            "HashiCorp Vault service token",
            "HashiCorp Vault",
            "hvs.",
            C_BASE64URL,
            (90, None),
        ),
        prefixed(
            "hashicorp-vault-batch-token",
            "HashiCorp Vault batch token",
            "HashiCorp Vault",
            "hvb.",
            C_BASE64URL,
            (90, None),
        ),
        contextual(
            "hashicorp-vault-legacy-token",
            "HashiCorp Vault legacy token",
            "HashiCorp Vault",
            ("vault",),
            r"s\.[A-Za-z0-9]{24}",
            "s." + fill("vlt", 24, ALNUM),
            severity=Severity.CRITICAL,
        ),
        custom(
            "terraform-cloud-api-token",
            "Terraform Cloud / HCP Terraform API token",
            "HCP Terraform",
            r"\b(?P<secret>[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70})(?:[^A-Za-z0-9_=-]|$)",
            ("atlasv1",),
            (f'token = "{fill("tfc", 14, ALNUM)}.atlasv1.{fill("tfc2", 67, ALNUM)}"',),
            (f'token = "{fill("tfc", 14, ALNUM)}.atlasv1.{fill("tfc2", 20, ALNUM)}"',),
        ),
        prefixed("pulumi-access-token", "Pulumi access token", "Pulumi", "pul-", C_HEX, 40),
        prefixed(
            "doppler-personal-token", "Doppler personal token", "Doppler", "dp.pt.", C_ALNUM, 43
        ),
        prefixed(
            "doppler-service-token", "Doppler service token", "Doppler", "dp.st.", C_ALNUM, (40, 44)
        ),
        prefixed(
            "infracost-api-key",
            "Infracost API key",
            "Infracost",
            "ico-",
            C_ALNUM,
            32,
            severity=Severity.HIGH,
        ),
        prefixed(
            "onepassword-service-account-token",
            "1Password service account token",
            "1Password",
            "ops_eyJ",
            ("[A-Za-z0-9+/=]", BASE64),
            (250, None),
        ),
        custom(
            "onepassword-secret-key",
            "1Password account secret key",
            "1Password",
            r"\b(?P<secret>A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})\b",
            ("a3-",),
            (
                "secret key: A3-"
                + "-".join(fill(f"op{i}", n, UPPER_ALNUM) for i, n in enumerate((6, 11, 5, 5, 5))),
            ),
            ("secret key: A3-ABC123-XYZ",),
        ),
        custom(
            "age-secret-key",
            "age encryption secret key",
            "age",
            r"\b(?P<secret>AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})\b",
            ("age-secret-key-1",),
            ("AGE-SECRET-KEY-1" + fill("age", 58, "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"),),
            ("AGE-SECRET-KEY-1" + fill("age", 20, "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"),),
            references=("https://age-encryption.org/v1",),
        ),
        prefixed(
            "tailscale-key",
            "Tailscale auth / API key",
            "Tailscale",
            "tskey-",
            ("[A-Za-z0-9-]", ALNUM),
            (30, 90),
        ),
        contextual(
            "ngrok-authtoken",
            "ngrok authtoken",
            "ngrok",
            ("ngrok",),
            "2[A-Za-z0-9]{26}_[A-Za-z0-9]{21}",
            "2" + fill("ngrok", 26, ALNUM) + "_" + fill("ngrok2", 21, ALNUM),
        ),
        contextual(
            "consul-acl-token",
            "Consul ACL token",
            "HashiCorp Consul",
            ("consul",),
            UUID,
            uuid_sample("consul"),
            severity=Severity.CRITICAL,
        ),
        contextual(
            "nomad-acl-token",
            "Nomad ACL token",
            "HashiCorp Nomad",
            ("nomad",),
            UUID,
            uuid_sample("nomad"),
            severity=Severity.CRITICAL,
        ),
        prefixed(
            "flyio-access-token",
            "Fly.io access token",
            "Fly.io",
            "FlyV1 fm2_",
            ("[A-Za-z0-9+/=_,-]", BASE64),
            (100, None),
            keyword="flyv1",
        ),
        prefixed("render-api-key", "Render API key", "Render", "rnd_", C_ALNUM, 32),
        prefixed(
            "netlify-access-token", "Netlify personal access token", "Netlify", "nfp_", C_ALNUM, 36
        ),
        contextual(
            "vercel-access-token",
            "Vercel access token",
            "Vercel",
            ("vercel",),
            "[A-Za-z0-9]{24}",
            fill("vercel", 24, ALNUM),
            severity=Severity.CRITICAL,
        ),
        prefixed("supabase-access-token", "Supabase access token", "Supabase", "sbp_", C_HEX, 40),
        prefixed(
            "supabase-secret-key",
            "Supabase secret API key",
            "Supabase",
            "sb_secret_",
            C_BASE64URL,
            (31, 40),
        ),
        prefixed(
            "planetscale-service-token",
            "PlanetScale service token",
            "PlanetScale",
            "pscale_tkn_",
            ("[A-Za-z0-9_.-]", BASE64URL),
            (32, 64),
        ),
        prefixed(
            "planetscale-password",
            "PlanetScale database password",
            "PlanetScale",
            "pscale_pw_",
            ("[A-Za-z0-9_.-]", BASE64URL),
            (32, 64),
        ),
        prefixed(
            "planetscale-oauth-token",
            "PlanetScale OAuth token",
            "PlanetScale",
            "pscale_oauth_",
            ("[A-Za-z0-9_.-]", BASE64URL),
            (32, 64),
        ),
        prefixed(
            "databricks-api-token",
            "Databricks personal access token",
            "Databricks",
            "dapi",
            C_HEX,
            32,
        ),
        prefixed("prefect-api-key", "Prefect API key", "Prefect", "pnu_", C_ALNUM, 36),
        prefixed("scalingo-api-token", "Scalingo API token", "Scalingo", "tk-us-", C_BASE64URL, 48),
        prefixed(
            "defined-networking-api-key",
            "Defined Networking API key",
            "Defined Networking",
            "dnkey-",
            ("[a-z0-9=_-]", LOWER_ALNUM),
            (70, 90),
        ),
        contextual(
            "confluent-secret-key",
            "Confluent Cloud API secret",
            "Confluent",
            ("confluent",),
            "[A-Za-z0-9+/]{64}",
            fill("confluent", 64, ALNUM),
            severity=Severity.CRITICAL,
        ),
        prefixed(
            "clickhouse-cloud-api-secret",
            "ClickHouse Cloud API secret key",
            "ClickHouse",
            "4b1d",
            C_ALNUM,
            38,
        ),
    ]
