"""Cloud platforms: AWS, Google Cloud, Azure, and the other clouds and hosts."""

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
    BASE32,
    BASE64,
    BASE64URL,
    HEX,
    UPPER_ALNUM,
    SecretRule,
    fill,
)

_AWS = ("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html",)


_BEDROCK = ("https://docs.aws.amazon.com/bedrock/latest/userguide/api-keys.html",)
_BEDROCK_LONG = fill("bedrock-long", 128, BASE64)
_BEDROCK_SHORT = fill("bedrock-short", 400, BASE64)


def _gcp_key_file(*, with_id: bool) -> str:
    body = "\\n".join(fill(f"gsa-key-{line}", 64, BASE64) for line in range(8))
    key_id = f'"private_key_id": "{fill("gsa-id", 40, HEX)}", ' if with_id else ""
    return (
        f'{{"type": "service_account", "project_id": "acme-prod", {key_id}'
        f'"private_key": "-----BEGIN PRIVATE KEY-----\\n{body}\\n-----END PRIVATE KEY-----\\n", '
        '"client_email": "deploy@acme-prod.iam.gserviceaccount.com"}'
    )


def _aws_rules() -> list[SecretRule]:
    key_id = "AKIA" + fill("aws-key-id", 16, BASE32)
    secret = fill("aws-secret", 40, BASE64)
    return [
        custom(
            "aws-access-key-id",
            "AWS access key ID",
            "AWS",
            r"\b(?P<secret>(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16})\b",
            ("akia", "asia", "abia", "acca", "a3t"),
            (f"aws_access_key_id = {key_id}", f'"AccessKeyId": "ASIA{key_id[4:]}"'),
            ("aws_access_key_id = AKIAIOSFODNN7EXAMPLE", f"id: AKIA{key_id[4:12]}"),
            references=_AWS,
        ),
        custom(
            "aws-secret-access-key",
            "AWS secret access key",
            "AWS",
            r"(?i:aws[\w.-]{0,20}?(?:secret|sk)[\w.-]{0,20}?)"
            + r"""["']?\s*(?:=|:|:=|=>)\s*["']?"""
            r"(?P<secret>[A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)",
            ("aws",),
            (f"aws_secret_access_key = {secret}", f'AWS_SECRET_ACCESS_KEY: "{secret}"'),
            (
                "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                f"aws_secret_access_key = {secret[:30]}",
            ),
            entropy=4.0,
            references=_AWS,
        ),
        custom(
            "aws-session-token",
            "AWS temporary session token",
            "AWS",
            r"(?i:aws[\w.-]{0,10}?session[\w.-]{0,10}?token)" + r"""["']?\s*(?:=|:)\s*["']?"""
            r"(?P<secret>[A-Za-z0-9/+=]{100,})",
            ("session",),
            (f"aws_session_token = IQoJb3JpZ2luX2Vj{fill('aws-st', 120, BASE64)}",),
            ("aws_session_token = ${AWS_SESSION_TOKEN}",),
            severity=Severity.HIGH,
            references=_AWS,
        ),
        custom(
            "aws-mws-auth-token",
            "Amazon Marketplace Web Service auth token",
            "Amazon MWS",
            r"\b(?P<secret>amzn\.mws\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b",
            ("amzn.mws.",),
            (f"mws: amzn.mws.{uuid_sample('mws').lower()}",),
            ("mws: amzn.mws.1234",),
        ),
        custom(
            "aws-bedrock-api-key",
            "Amazon Bedrock API key",
            "AWS",
            # "ABSK" and the base64 of "BedrockAPIKey-<id>:<secret>", padding included.
            r"\b(?P<secret>ABSK[A-Za-z0-9+/]{109,269}={0,2})(?:[^A-Za-z0-9+/=]|$)",
            ("absk",),
            (
                f'AWS_BEARER_TOKEN_BEDROCK="ABSK{_BEDROCK_LONG}"',
                f"ABSK{_BEDROCK_LONG[:-2]}==",
            ),
            (f"token: ABSK{_BEDROCK_LONG[:60]}", f"token: ABSK{'x' * 120}"),
            references=_BEDROCK,
        ),
        custom(
            "aws-bedrock-short-term-api-key",
            "Amazon Bedrock short-term API key",
            "AWS",
            # The prefix, then a base64 presigned URL that starts with "bedrock.amazonaws.com".
            r"\b(?P<secret>bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/]{60,}={0,2})",
            ("bedrock-api-key-",),
            (
                f"AWS_BEARER_TOKEN_BEDROCK=bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t{_BEDROCK_SHORT}",
            ),
            (
                "AWS_BEARER_TOKEN_BEDROCK=bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t",
                f"bedrock-api-key-{_BEDROCK_SHORT}",
            ),
            severity=Severity.HIGH,
            references=_BEDROCK,
        ),
    ]


def _google_rules() -> list[SecretRule]:
    return [
        prefixed(
            "gcp-api-key",
            "Google API key",
            "Google Cloud",
            "AIza",
            C_BASE64URL,
            35,
            references=("https://cloud.google.com/docs/authentication/api-keys",),
        ),
        prefixed(
            "gcp-oauth-client-secret",
            "Google OAuth client secret",
            "Google Cloud",
            "GOCSPX-",
            C_BASE64URL,
            28,
        ),
        prefixed(
            "google-oauth-access-token",
            "Google OAuth access token",
            "Google",
            "ya29.",
            C_BASE64URL,
            (60, None),
            severity=Severity.HIGH,
        ),
        custom(
            "gcp-service-account-key",
            "Google Cloud service account key file",
            "Google Cloud",
            r""""private_key_id"\s*:\s*"(?P<secret>[0-9a-f]{40})\"""",
            ("private_key_id",),
            (f'{{"type": "service_account", "private_key_id": "{fill("gsa", 40, HEX)}"}}',),
            ('{"private_key_id": ""}',),
            references=("https://cloud.google.com/iam/docs/keys-create-delete",),
        ),
        custom(
            "gcp-service-account-private-key",
            "Google Cloud service account key file with its private key",
            "Google Cloud",
            # A key file is JSON with "type" first; its PEM key is written with \\n escapes.
            r'(?s)"type"\s*:\s*"service_account".{0,1000}?"private_key"\s*:\s*"'
            r"(?P<secret>-----BEGIN (?:RSA )?PRIVATE KEY-----(?:\\n|[\r\n])"
            r"[A-Za-z0-9+/=\\\r\n]{64,}?-----END (?:RSA )?PRIVATE KEY-----)",
            ("service_account",),
            (_gcp_key_file(with_id=True), _gcp_key_file(with_id=False)),
            (
                '{"type": "service_account", "private_key": ""}',
                '{"type": "authorized_user", "private_key": "-----BEGIN PRIVATE KEY-----"}',
            ),
            references=("https://cloud.google.com/iam/docs/keys-create-delete",),
            supersedes=("private-key-pkcs8", "private-key-rsa"),
        ),
        custom(
            "firebase-cloud-messaging-server-key",
            "Firebase Cloud Messaging legacy server key",
            "Firebase",
            r"\b(?P<secret>AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{134})(?:[^A-Za-z0-9_-]|$)",
            ("apa91b",),
            (f"key=AAAA{fill('fcm1', 7, BASE64URL)}:APA91b{fill('fcm2', 134, BASE64URL)}",),
            (f"key=AAAA{fill('fcm1', 7, BASE64URL)}:APA91b{fill('fcm2', 40, BASE64URL)} ",),
        ),
    ]


def _azure_rules() -> list[SecretRule]:
    storage = fill("azs", 86, BASE64) + "=="
    return [
        custom(
            "azure-storage-account-key",
            "Azure Storage account key",
            "Azure Storage",
            r"(?i:AccountKey)=(?P<secret>[A-Za-z0-9+/]{86}==)",
            ("accountkey=",),
            (f"DefaultEndpointsProtocol=https;AccountName=x;AccountKey={storage};",),
            ("AccountKey=<your-key>;",),
            references=(
                "https://learn.microsoft.com/azure/storage/common/storage-account-keys-manage",
            ),
        ),
        custom(
            "azure-sas-token",
            "Azure shared access signature",
            "Azure Storage",
            r"sv=\d{4}-\d{2}-\d{2}&[^\s\"']{0,300}?sig=(?P<secret>[A-Za-z0-9%+/]{40,}(?:%3D|=)?)",
            ("sv=",),
            (
                f"https://a.blob.core.windows.net/c?sv=2022-11-02&ss=b&sig={fill('sas', 43, ALNUM)}%3D",
            ),
            ("https://a.blob.core.windows.net/c?sv=2022-11-02&sig=abc",),
            severity=Severity.HIGH,
        ),
        custom(
            "azure-shared-access-key",
            "Azure Service Bus / Event Hubs shared access key",
            "Azure",
            r"(?i:SharedAccessKey)=(?P<secret>[A-Za-z0-9+/]{43}=)",
            ("sharedaccesskey=",),
            (
                f"Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=a;SharedAccessKey={fill('sak', 43, BASE64)}=",
            ),
            ("SharedAccessKey=<key>",),
        ),
        custom(
            "azure-ad-client-secret",
            "Microsoft Entra ID (Azure AD) client secret",
            "Microsoft Entra ID",
            r"(?:^|[^A-Za-z0-9~._-])(?P<secret>[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?:[^A-Za-z0-9_~.-]|$)",
            ("q~",),
            (f"client_secret: {fill('aad', 3, ALNUM)}8Q~{fill('aad2', 34, ALNUM)}",),
            (f"client_secret: {fill('aad', 3, ALNUM)}8Q~{fill('aad2', 10, ALNUM)}",),
        ),
        custom(
            "azure-devops-pat",
            "Azure DevOps personal access token",
            "Azure DevOps",
            r"\b(?P<secret>[A-Za-z0-9]{76}AZDO[A-Za-z0-9]{4})\b",
            ("azdo",),
            (f"pat: {fill('ado', 76, ALNUM)}AZDO{fill('ado2', 4, ALNUM)}",),
            (f"pat: {fill('ado', 40, ALNUM)}AZDO{fill('ado2', 4, ALNUM)}",),
        ),
        custom(
            "azure-app-configuration-connection-string",
            "Azure App Configuration connection string",
            "Azure App Configuration",
            r"Endpoint=https://[a-z0-9-]+\.azconfig\.io;Id=[^;\s]+;Secret=(?P<secret>[A-Za-z0-9+/=]{40,})",
            ("azconfig.io",),
            (f"Endpoint=https://x.azconfig.io;Id=ab-c1:x;Secret={fill('azc', 44, BASE64)}",),
            ("Endpoint=https://x.azconfig.io;Id=a;Secret=short",),
        ),
    ]


def _other_cloud_rules() -> list[SecretRule]:
    return [
        prefixed(
            "alibaba-access-key-id",
            "Alibaba Cloud AccessKey ID",
            "Alibaba Cloud",
            "LTAI",
            C_ALNUM,
            (12, 20),
            severity=Severity.HIGH,
        ),
        contextual(
            "alibaba-access-key-secret",
            "Alibaba Cloud AccessKey secret",
            "Alibaba Cloud",
            ("alibaba", "aliyun"),
            "[A-Za-z0-9]{30}",
            fill("ali", 30, ALNUM),
        ),
        prefixed(
            "tencent-cloud-secret-id",
            "Tencent Cloud SecretId",
            "Tencent Cloud",
            "AKID",
            C_ALNUM,
            32,
            severity=Severity.HIGH,
        ),
        contextual(
            "ibm-cloud-api-key",
            "IBM Cloud API key",
            "IBM Cloud",
            ("ibm", "bluemix"),
            "[A-Za-z0-9_-]{44}",
            fill("ibm", 44, BASE64URL),
            severity=Severity.CRITICAL,
        ),
        prefixed(
            "digitalocean-personal-access-token",
            "DigitalOcean personal access token",
            "DigitalOcean",
            "dop_v1_",
            C_HEX,
            64,
        ),
        prefixed(
            "digitalocean-oauth-token",
            "DigitalOcean OAuth token",
            "DigitalOcean",
            "doo_v1_",
            C_HEX,
            64,
        ),
        prefixed(
            "digitalocean-refresh-token",
            "DigitalOcean refresh token",
            "DigitalOcean",
            "dor_v1_",
            C_HEX,
            64,
        ),
        contextual(
            "linode-api-token",
            "Linode (Akamai) API token",
            "Linode",
            ("linode",),
            "[a-f0-9]{64}",
            fill("lin", 64, HEX),
            severity=Severity.CRITICAL,
        ),
        prefixed("heroku-api-key", "Heroku API key", "Heroku", "HRKU-", C_BASE64URL, (58, 64)),
        contextual(
            "heroku-legacy-api-key",
            "Heroku legacy API key",
            "Heroku",
            ("heroku",),
            UUID,
            uuid_sample("heroku"),
        ),
        contextual(
            "cloudflare-api-token",
            "Cloudflare API token",
            "Cloudflare",
            ("cloudflare", "cf_api"),
            "[A-Za-z0-9_-]{40}",
            fill("cf", 40, BASE64URL),
            severity=Severity.CRITICAL,
        ),
        contextual(
            "cloudflare-global-api-key",
            "Cloudflare global API key",
            "Cloudflare",
            ("cloudflare_global", "cf_global"),
            "[a-f0-9]{37}",
            fill("cfg", 37, HEX),
            severity=Severity.CRITICAL,
        ),
        custom(
            "cloudflare-origin-ca-key",
            "Cloudflare Origin CA key",
            "Cloudflare",
            r"\b(?P<secret>v1\.0-[a-f0-9]{24}-[a-f0-9]{146})\b",
            ("v1.0-",),
            (f"key: v1.0-{fill('cfo', 24, HEX)}-{fill('cfo2', 146, HEX)}",),
            (f"key: v1.0-{fill('cfo', 24, HEX)}-{fill('cfo2', 20, HEX)}",),
        ),
        contextual(
            "fastly-api-token",
            "Fastly API token",
            "Fastly",
            ("fastly",),
            "[A-Za-z0-9_-]{32}",
            fill("fastly", 32, BASE64URL),
        ),
        contextual(
            "scaleway-secret-key",
            "Scaleway secret key",
            "Scaleway",
            ("scaleway", "scw"),
            UUID,
            uuid_sample("scw"),
            severity=Severity.CRITICAL,
        ),
        contextual(
            "vultr-api-key",
            "Vultr API key",
            "Vultr",
            ("vultr",),
            "[A-Z0-9]{36}",
            fill("vultr", 36, UPPER_ALNUM),
            severity=Severity.CRITICAL,
        ),
        contextual(
            "hetzner-api-token",
            "Hetzner Cloud API token",
            "Hetzner",
            ("hetzner", "hcloud"),
            "[A-Za-z0-9]{64}",
            fill("hetzner", 64, ALNUM),
            severity=Severity.CRITICAL,
        ),
        contextual(
            "openstack-password",
            "OpenStack password",
            "OpenStack",
            ("openstack",),
            r"[^\s\"'$<{]{16,64}",
            fill("ostack", 20, ALNUM),
        ),
        custom(
            "openshift-oauth-access-token",
            "OpenShift OAuth access token",
            "OpenShift",
            r"\b(?P<secret>sha256~[A-Za-z0-9_-]{43})(?:[^A-Za-z0-9_-]|$)",
            ("sha256~",),
            (f"token: sha256~{fill('ocp', 43, BASE64URL)}",),
            (f"token: sha256~{fill('ocp', 20, BASE64URL)}",),
            references=(
                "https://docs.openshift.com/container-platform/latest/authentication/configuring-oauth-clients.html",
            ),
        ),
        prefixed(
            "yandex-cloud-api-key",
            "Yandex Cloud API key",
            "Yandex Cloud",
            "AQVN",
            C_BASE64URL,
            (35, 38),
        ),
        contextual(
            "yandex-cloud-access-key",
            "Yandex Cloud static access key",
            "Yandex Cloud",
            ("yandex",),
            "YC[A-Za-z0-9_-]{38}",
            "YC" + fill("ycak", 38, BASE64URL),
        ),
    ]


def rules() -> list[SecretRule]:
    return [*_aws_rules(), *_google_rules(), *_azure_rules(), *_other_cloud_rules()]
