"""AI and machine-learning APIs.

Each rule follows the format the provider documents (prefix, alphabet, length), its firing
and silent examples beside it; where a token has no prefix of its own, the provider's name
must stand beside it.
"""

from __future__ import annotations

from gitwarden.findings import Severity
from gitwarden.secrets.catalogue.builders import (
    C_ALNUM,
    C_BASE64URL,
    C_LETTERS,
    contextual,
    custom,
    prefixed,
)
from gitwarden.secrets.rule_spec import (
    ALNUM,
    HEX,
    SecretRule,
    fill,
)


def rules() -> list[SecretRule]:
    return [
        prefixed(
            "huggingface-access-token",
            "Hugging Face access token",
            "Hugging Face",
            "hf_",
            C_LETTERS,
            34,
        ),
        prefixed(
            "huggingface-organization-token",
            "Hugging Face organization API token",
            "Hugging Face",
            "api_org_",
            C_LETTERS,
            34,
        ),
        custom(
            "openai-api-key",
            "OpenAI API key",
            "OpenAI",
            r"\b(?P<secret>sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,74}T3BlbkFJ[A-Za-z0-9_-]{20,74})(?:[^A-Za-z0-9_-]|$)",
            ("t3blbkfj",),
            (f"OPENAI_API_KEY=sk-proj-{fill('oa', 40, ALNUM)}T3BlbkFJ{fill('oa2', 40, ALNUM)}",),
            (f"OPENAI_API_KEY=sk-{fill('oa', 10, ALNUM)}T3BlbkFJ",),
        ),
        prefixed(
            "anthropic-api-key",
            "Anthropic API key",
            "Anthropic",
            "sk-ant-api03-",
            C_BASE64URL,
            93,
            suffix="AA",
        ),
        prefixed(
            "anthropic-admin-key",
            "Anthropic admin API key",
            "Anthropic",
            "sk-ant-admin01-",
            C_BASE64URL,
            93,
            suffix="AA",
        ),
        prefixed("groq-api-key", "Groq API key", "Groq", "gsk_", C_ALNUM, 52),
        prefixed("perplexity-api-key", "Perplexity API key", "Perplexity", "pplx-", C_ALNUM, 48),
        prefixed("replicate-api-token", "Replicate API token", "Replicate", "r8_", C_ALNUM, 37),
        prefixed("xai-api-key", "xAI API key", "xAI", "xai-", C_ALNUM, 80),
        custom(
            "langsmith-api-key",
            "LangSmith API key",
            "LangChain",
            r"\b(?P<secret>lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10})\b",
            ("lsv2_",),
            (f"key: lsv2_pt_{fill('ls', 32, HEX)}_{fill('ls2', 10, HEX)}",),
            (f"key: lsv2_pt_{fill('ls', 32, HEX)}",),
        ),
        custom(
            "pinecone-api-key",
            "Pinecone API key",
            "Pinecone",
            r"\b(?P<secret>pcsk_[A-Za-z0-9]{5,6}_[A-Za-z0-9]{60,})\b",
            ("pcsk_",),
            (f"key: pcsk_{fill('pc', 5, ALNUM)}_{fill('pc2', 63, ALNUM)}",),
            (f"key: pcsk_{fill('pc', 5, ALNUM)}_{fill('pc2', 10, ALNUM)}",),
        ),
        contextual(
            "cohere-api-key",
            "Cohere API key",
            "Cohere",
            ("cohere", "co_api"),
            "[A-Za-z0-9]{40}",
            fill("cohere", 40, ALNUM),
            severity=Severity.CRITICAL,
        ),
        contextual(
            "mistral-api-key",
            "Mistral AI API key",
            "Mistral AI",
            ("mistral",),
            "[A-Za-z0-9]{32}",
            fill("mistral", 32, ALNUM),
            severity=Severity.CRITICAL,
        ),
        contextual(
            "deepseek-api-key",
            "DeepSeek API key",
            "DeepSeek",
            ("deepseek",),
            "sk-[a-f0-9]{32}",
            "sk-" + fill("deepseek", 32, HEX),
            severity=Severity.CRITICAL,
        ),
        contextual(
            "wandb-api-key",
            "Weights & Biases API key",
            "Weights & Biases",
            ("wandb",),
            "[a-f0-9]{40}",
            fill("wandb", 40, HEX),
            severity=Severity.CRITICAL,
        ),
        contextual(
            "kaggle-api-key",
            "Kaggle API key",
            "Kaggle",
            ("kaggle",),
            "[a-f0-9]{32}",
            fill("kaggle", 32, HEX),
        ),
        prefixed(
            "anthropic-oauth-token",
            "Anthropic OAuth access token (Claude subscription)",
            "Anthropic",
            "sk-ant-oat01-",
            C_BASE64URL,
            (40, None),
        ),
        prefixed(
            "anthropic-oauth-refresh-token",
            "Anthropic OAuth refresh token (Claude subscription)",
            "Anthropic",
            "sk-ant-ort01-",
            C_BASE64URL,
            (40, None),
        ),
        contextual(
            "private-ai-api-key",
            "Private AI API key",
            "Private AI",
            ("private-ai", "private_ai", "privateai"),
            "[A-Za-z0-9]{32}",
            fill("private-ai", 32, ALNUM),
        ),
    ]
