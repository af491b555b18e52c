"""Chat, webhooks, e-mail and SMS.

Each rule follows the format the provider documents (prefix, alphabet, length), its firing
and silent examples beside it; where a token has no prefix of its own, the provider's name
must stand beside it.
"""

from __future__ import annotations

from gitwarden.findings import Severity
from gitwarden.secrets.catalogue.builders import (
    C_UPPER_ALNUM,
    UUID,
    contextual,
    custom,
    prefixed,
    uuid_sample,
)
from gitwarden.secrets.rule_spec import (
    ALNUM,
    BASE64URL,
    DIGITS,
    HEX,
    LOWER_ALNUM,
    UPPER_ALNUM,
    SecretRule,
    fill,
)

_SLACK = ("https://api.slack.com/authentication/token-types",)


_SLACK_HOOK = (
    f"T{fill('sw', 10, UPPER_ALNUM)}/B{fill('sw2', 10, UPPER_ALNUM)}/{fill('sw3', 24, ALNUM)}"
)
_SLACK_WORKFLOW = (
    f"T{fill('swf', 10, UPPER_ALNUM)}/A{fill('swf2', 10, UPPER_ALNUM)}/"
    f"{fill('swf3', 18, DIGITS)}/{fill('swf4', 24, ALNUM)}"
)


def rules() -> list[SecretRule]:
    return [
        custom(
            "slack-bot-token",
            "Slack bot token",
            "Slack",
            r"\b(?P<secret>xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{24})\b",
            ("xoxb-",),
            (
                f"token: xoxb-{fill('sb', 11, DIGITS)}-{fill('sb2', 13, DIGITS)}-{fill('sb3', 24, ALNUM)}",
            ),
            (f"token: xoxb-{fill('sb', 11, DIGITS)}-{fill('sb3', 24, ALNUM)}",),
            references=_SLACK,
        ),
        custom(
            "slack-user-token",
            "Slack user token",
            "Slack",
            r"\b(?P<secret>xox[pe]-[0-9]{10,13}-[0-9]{10,13}-[0-9]{10,13}-[a-f0-9]{32})\b",
            ("xoxp-", "xoxe-"),
            (
                f"token: xoxp-{fill('su', 11, DIGITS)}-{fill('su2', 12, DIGITS)}-{fill('su3', 13, DIGITS)}-{fill('su4', 32, HEX)}",
            ),
            (f"token: xoxp-{fill('su', 11, DIGITS)}-{fill('su4', 32, HEX)}",),
            references=_SLACK,
        ),
        custom(
            "slack-app-token",
            "Slack app-level token",
            "Slack",
            r"\b(?P<secret>xapp-\d-[A-Z0-9]+-\d+-[a-f0-9]{64})\b",
            ("xapp-",),
            (
                f"token: xapp-1-A{fill('sa', 10, UPPER_ALNUM)}-{fill('sa2', 13, DIGITS)}-{fill('sa3', 64, HEX)}",
            ),
            (f"token: xapp-1-A{fill('sa', 10, UPPER_ALNUM)}",),
            references=_SLACK,
        ),
        prefixed(
            "slack-config-access-token",
            "Slack configuration access token",
            "Slack",
            "xoxe.xoxp-1-",
            C_UPPER_ALNUM,
            (163, 166),
            references=_SLACK,
        ),
        prefixed(
            "slack-config-refresh-token",
            "Slack configuration refresh token",
            "Slack",
            "xoxe-1-",
            C_UPPER_ALNUM,
            146,
            references=_SLACK,
        ),
        custom(
            "slack-legacy-token",
            "Slack legacy workspace or workflow token",
            "Slack",
            r"\b(?P<secret>xox[ars]-(?:\d-)?[0-9a-zA-Z]{8,48})\b",
            ("xoxa-", "xoxr-", "xoxs-"),
            (f"token: xoxa-2-{fill('sl', 40, ALNUM)}",),
            ("token: xoxa-2-abc",),
            references=_SLACK,
        ),
        custom(
            "slack-webhook-url",
            "Slack incoming webhook URL",
            "Slack",
            # Over https, http, or written without a scheme.
            r"(?P<secret>(?:https?://|\b)hooks\.slack\.com/services/T[A-Z0-9]{8,12}/B[A-Z0-9]{8,12}/[A-Za-z0-9]{23,34})",
            ("hooks.slack.com",),
            (
                f"url: https://hooks.slack.com/services/{_SLACK_HOOK}",
                f"url: http://hooks.slack.com/services/{_SLACK_HOOK}",
                f'webhook = "hooks.slack.com/services/{_SLACK_HOOK}"',
            ),
            (
                "url: https://hooks.slack.com/services/T000/B000/XXXX",
                "url: https://hooks.slack.com/services/YOUR/WEBHOOK/URL",
            ),
            severity=Severity.HIGH,
            references=("https://api.slack.com/messaging/webhooks",),
        ),
        custom(
            "slack-workflow-webhook-url",
            "Slack workflow webhook URL",
            "Slack",
            r"(?P<secret>(?:https?://|\b)hooks\.slack\.com/(?:workflows|triggers)/T[A-Z0-9]{8,12}/A[A-Z0-9]{8,12}/\d{15,20}/[A-Za-z0-9]{20,40})",
            ("hooks.slack.com",),
            (
                f"url: https://hooks.slack.com/triggers/{_SLACK_WORKFLOW}",
                f"url: https://hooks.slack.com/workflows/{_SLACK_WORKFLOW}",
                f"url: http://hooks.slack.com/workflows/{_SLACK_WORKFLOW}",
            ),
            (
                "url: https://hooks.slack.com/triggers/T0/A0/1/abc",
                "url: https://hooks.slack.com/workflows/T02XYZ...",
            ),
            severity=Severity.HIGH,
            references=("https://slack.com/help/articles/360041352714",),
        ),
        custom(
            "discord-webhook-url",
            "Discord webhook URL",
            "Discord",
            r"(?P<secret>https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d{17,20}/[A-Za-z0-9_-]{60,68})",
            ("discord",),
            (
                f"url: https://discord.com/api/webhooks/{fill('dw', 18, DIGITS)}/{fill('dw2', 68, BASE64URL)}",
            ),
            ("url: https://discord.com/api/webhooks/123/abc",),
            severity=Severity.HIGH,
        ),
        contextual(
            "discord-bot-token",
            "Discord bot token",
            "Discord",
            ("discord",),
            r"[MNO][A-Za-z\d_-]{23,25}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,38}",
            f"M{fill('db', 23, ALNUM)}.{fill('db2', 6, ALNUM)}.{fill('db3', 27, ALNUM)}",
            severity=Severity.CRITICAL,
        ),
        custom(
            "microsoft-teams-webhook-url",
            "Microsoft Teams incoming webhook URL",
            "Microsoft Teams",
            r"(?P<secret>https://[a-z0-9-]+\.webhook\.office\.com/webhookb2/[a-f0-9-]{36}@[a-f0-9-]{36}/IncomingWebhook/[a-f0-9]{32}/[a-f0-9-]{36})",
            ("webhook.office.com",),
            (
                f"url: https://acme.webhook.office.com/webhookb2/{uuid_sample('t1').lower()}@{uuid_sample('t2').lower()}/IncomingWebhook/{fill('t3', 32, HEX)}/{uuid_sample('t4').lower()}",
            ),
            ("url: https://acme.webhook.office.com/webhookb2/abc",),
            severity=Severity.HIGH,
        ),
        custom(
            "telegram-bot-token",
            "Telegram bot token",
            "Telegram",
            r"\b(?P<secret>\d{8,10}:AA[A-Za-z0-9_-]{33})(?:[^A-Za-z0-9_-]|$)",
            (":aa",),
            (f"bot_token: {fill('tg', 10, DIGITS)}:AA{fill('tg2', 33, BASE64URL)}",),
            (f"bot_token: {fill('tg', 10, DIGITS)}:AA{fill('tg2', 10, BASE64URL)}",),
        ),
        custom(
            "twilio-api-key",
            "Twilio API key",
            "Twilio",
            r"\b(?P<secret>SK[0-9a-fA-F]{32})\b",
            ("twilio",),
            (f"# twilio\nTWILIO_KEY=SK{fill('tw', 32, HEX)}",),
            (f"SK{fill('tw', 32, HEX)} without the provider",),
            keyword_in_file=True,
        ),
        contextual(
            "twilio-auth-token",
            "Twilio auth token",
            "Twilio",
            ("twilio",),
            "[a-f0-9]{32}",
            fill("twauth", 32, HEX),
            severity=Severity.CRITICAL,
        ),
        custom(
            "sendgrid-api-key",
            "SendGrid API key",
            "SendGrid",
            r"\b(?P<secret>SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?:[^A-Za-z0-9_-]|$)",
            ("sg.",),
            (f"key: SG.{fill('sg', 22, BASE64URL)}.{fill('sg2', 43, BASE64URL)}",),
            (f"key: SG.{fill('sg', 22, BASE64URL)}.{fill('sg2', 13, BASE64URL)} ",),
        ),
        custom(
            "mailgun-api-key",
            "Mailgun private API key",
            "Mailgun",
            r"\b(?P<secret>key-[a-f0-9]{32})\b",
            ("mailgun",),
            (f"mailgun_key: key-{fill('mg', 32, HEX)}",),
            (f"key-{fill('mg', 32, HEX)} without the provider",),
            keyword_in_file=True,
        ),
        custom(
            "mailchimp-api-key",
            "Mailchimp API key",
            "Mailchimp",
            r"\b(?P<secret>[a-f0-9]{32}-us\d{1,2})\b",
            ("-us",),
            (f"apikey: {fill('mc', 32, HEX)}-us21",),
            (f"apikey: {fill('mc', 20, HEX)}-us21",),
        ),
        prefixed(
            "brevo-api-key",
            "Brevo (Sendinblue) API key",
            "Brevo",
            "xkeysib-",
            ("[a-f0-9A-Za-z-]", HEX),
            (81, 90),
        ),
        contextual(
            "postmark-server-token",
            "Postmark server token",
            "Postmark",
            ("postmark",),
            UUID,
            uuid_sample("postmark"),
            severity=Severity.CRITICAL,
        ),
        contextual(
            "mailjet-secret-key",
            "Mailjet secret key",
            "Mailjet",
            ("mailjet",),
            "[a-f0-9]{32}",
            fill("mailjet", 32, HEX),
            severity=Severity.CRITICAL,
        ),
        custom(
            "resend-api-key",
            "Resend API key",
            "Resend",
            r"\b(?P<secret>re_[A-Za-z0-9]{8}_[A-Za-z0-9]{24})\b",
            ("re_",),
            (f"RESEND_API_KEY=re_{fill('rs', 8, ALNUM)}_{fill('rs2', 24, ALNUM)}",),
            (f"RESEND_API_KEY=re_{fill('rs', 8, ALNUM)}_{fill('rs2', 4, ALNUM)}",),
        ),
        contextual(
            "vonage-api-secret",
            "Vonage (Nexmo) API secret",
            "Vonage",
            ("vonage", "nexmo"),
            "[A-Za-z0-9]{16}",
            fill("vonage", 16, ALNUM),
        ),
        contextual(
            "plivo-auth-token",
            "Plivo auth token",
            "Plivo",
            ("plivo",),
            "[A-Za-z0-9]{40}",
            fill("plivo", 40, ALNUM),
            severity=Severity.CRITICAL,
        ),
        custom(
            "telnyx-api-key",
            "Telnyx API key",
            "Telnyx",
            r"\b(?P<secret>KEY[0-9A-F]{32}_[A-Za-z0-9]{22})\b",
            ("key",),
            (f"TELNYX=KEY{fill('tx', 32, '0123456789ABCDEF')}_{fill('tx2', 22, ALNUM)}",),
            (f"TELNYX=KEY{fill('tx', 32, '0123456789ABCDEF')}",),
        ),
        contextual(
            "messagebird-api-key",
            "MessageBird (Bird) API key",
            "MessageBird",
            ("messagebird",),
            "[A-Za-z0-9]{25}",
            fill("mb", 25, ALNUM),
        ),
        custom(
            "google-chat-webhook-url",
            "Google Chat incoming webhook URL",
            "Google Chat",
            r"(?P<secret>https://chat\.googleapis\.com/v1/spaces/[A-Za-z0-9_-]+/messages\?key=[A-Za-z0-9_-]+&token=[A-Za-z0-9_%=-]{20,})",
            ("chat.googleapis.com",),
            (
                f"url: https://chat.googleapis.com/v1/spaces/AAAA{fill('gc', 7, ALNUM)}/messages?key=AIza{fill('gc2', 35, ALNUM)}&token={fill('gc3', 43, ALNUM)}",
            ),
            ("url: https://chat.googleapis.com/v1/spaces/X/messages?key=k&token=t",),
            severity=Severity.HIGH,
        ),
        custom(
            "zapier-webhook-url",
            "Zapier catch hook URL",
            "Zapier",
            r"(?P<secret>https://hooks\.zapier\.com/hooks/catch/\d+/[a-z0-9]{6,}/?)",
            ("hooks.zapier.com",),
            (
                f"url: https://hooks.zapier.com/hooks/catch/{fill('zp', 7, DIGITS)}/{fill('zp2', 7, LOWER_ALNUM)}/",
            ),
            ("url: https://hooks.zapier.com/hooks/catch/",),
            severity=Severity.MEDIUM,
        ),
        contextual(
            "mattermost-access-token",
            "Mattermost personal access or bot token",
            "Mattermost",
            ("mattermost",),
            "[a-z0-9]{26}",
            fill("mattermost", 26, LOWER_ALNUM),
        ),
        contextual(
            "gitter-access-token",
            "Gitter access token",
            "Gitter",
            ("gitter",),
            "[a-z0-9_-]{40}",
            fill("gitter", 40, LOWER_ALNUM),
        ),
        contextual(
            "sendbird-api-token",
            "Sendbird API token",
            "Sendbird",
            ("sendbird",),
            "[a-f0-9]{40}",
            fill("sendbird", 40, HEX),
        ),
    ]
