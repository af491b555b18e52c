"""Payment, commerce and shipping APIs.

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
    HEX,
    LOWER_ALNUM,
    SecretRule,
    fill,
)

_STRIPE = ("https://docs.stripe.com/keys",)


def rules() -> list[SecretRule]:
    return [
        prefixed(
            "stripe-live-secret-key",
            "Stripe live secret key",
            "Stripe",
            "sk_live_",
            C_ALNUM,
            (24, 99),
            references=_STRIPE,
        ),
        prefixed(
            "stripe-live-restricted-key",
            "Stripe live restricted key",
            "Stripe",
            "rk_live_",
            C_ALNUM,
            (24, 99),
            references=_STRIPE,
        ),
        prefixed(
            "stripe-test-secret-key",
            "Stripe test-mode secret key",
            "Stripe",
            "sk_test_",
            C_ALNUM,
            (24, 99),
            severity=Severity.MEDIUM,
            references=_STRIPE,
        ),
        prefixed(
            "stripe-webhook-secret",
            "Stripe webhook signing secret",
            "Stripe",
            "whsec_",
            C_ALNUM,
            (32, None),
            severity=Severity.HIGH,
            references=_STRIPE,
        ),
        custom(
            "braintree-access-token",
            "PayPal Braintree production access token",
            "PayPal Braintree",
            r"(?P<secret>access_token\$production\$[a-z0-9]{16}\$[a-f0-9]{32})",
            ("access_token$production$",),
            (
                f"token: access_token$production${fill('bt', 16, LOWER_ALNUM)}${fill('bt2', 32, HEX)}",
            ),
            ("token: access_token$production$abc$def",),
        ),
        prefixed("square-access-token", "Square access token", "Square", "EAAA", C_BASE64URL, 60),
        prefixed(
            "square-oauth-secret",
            "Square OAuth application secret",
            "Square",
            "sq0csp-",
            C_BASE64URL,
            43,
        ),
        prefixed(
            "square-application-token",
            "Square legacy access token",
            "Square",
            "sq0atp-",
            C_BASE64URL,
            22,
        ),
        custom(
            "flutterwave-secret-key",
            "Flutterwave secret key",
            "Flutterwave",
            r"\b(?P<secret>FLWSECK(?:_TEST)?-[a-h0-9]{32}-X)\b",
            ("flwseck",),
            (f"key: FLWSECK-{fill('flw', 32, 'abcdefgh0123456789')}-X",),
            (f"key: FLWSECK-{fill('flw', 12, 'abcdefgh0123456789')}-X",),
        ),
        custom(
            "plaid-access-token",
            "Plaid access token",
            "Plaid",
            r"\b(?P<secret>access-(?:sandbox|development|production)-" + UUID + r")\b",
            ("access-production", "access-development", "access-sandbox"),
            (f"token: access-production-{uuid_sample('plaid').lower()}",),
            ("token: access-production-1234",),
        ),
        contextual(
            "gocardless-access-token",
            "GoCardless access token",
            "GoCardless",
            ("gocardless",),
            r"live_[A-Za-z0-9_=-]{40}",
            "live_" + fill("gc", 40, ALNUM),
            severity=Severity.CRITICAL,
        ),
        prefixed(
            "easypost-production-key", "EasyPost production API key", "EasyPost", "EZAK", C_HEX, 54
        ),
        prefixed(
            "easypost-test-key",
            "EasyPost test API key",
            "EasyPost",
            "EZTK",
            C_HEX,
            54,
            severity=Severity.MEDIUM,
        ),
        prefixed("shippo-live-token", "Shippo live API token", "Shippo", "shippo_live_", C_HEX, 40),
        prefixed(
            "duffel-live-token",
            "Duffel live access token",
            "Duffel",
            "duffel_live_",
            ("[A-Za-z0-9_=-]", ALNUM),
            43,
        ),
        contextual(
            "adyen-api-key",
            "Adyen API key",
            "Adyen",
            ("adyen",),
            r"AQE[A-Za-z0-9+/=_.-]{60,}",
            "AQE" + fill("adyen", 80, ALNUM),
            severity=Severity.CRITICAL,
        ),
        contextual(
            "razorpay-key-secret",
            "Razorpay key secret",
            "Razorpay",
            ("razorpay",),
            "[A-Za-z0-9]{24}",
            fill("razorpay", 24, ALNUM),
            severity=Severity.CRITICAL,
        ),
        contextual(
            "coinbase-api-secret",
            "Coinbase API secret",
            "Coinbase",
            ("coinbase",),
            "[A-Za-z0-9]{32}",
            fill("coinbase", 32, ALNUM),
            severity=Severity.CRITICAL,
        ),
        contextual(
            "kraken-api-secret",
            "Kraken API private key",
            "Kraken",
            ("kraken",),
            "[A-Za-z0-9/=_+-]{80,90}",
            fill("kraken", 88, BASE64),
            severity=Severity.CRITICAL,
        ),
        contextual(
            "kucoin-api-key",
            "KuCoin API key",
            "KuCoin",
            ("kucoin",),
            "[a-f0-9]{24}",
            fill("kucoin", 24, HEX),
        ),
        contextual(
            "finnhub-api-key",
            "Finnhub API key",
            "Finnhub",
            ("finnhub",),
            "[a-z0-9]{20}",
            fill("finnhub", 20, LOWER_ALNUM),
        ),
        contextual(
            "squarespace-api-key",
            "Squarespace API key",
            "Squarespace",
            ("squarespace",),
            UUID,
            uuid_sample("squarespace"),
        ),
    ]
