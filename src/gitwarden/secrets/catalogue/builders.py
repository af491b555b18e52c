"""Small constructors that turn a documented token format into a SecretRule with examples."""

from __future__ import annotations

import re

from gitwarden.findings import Severity
from gitwarden.secrets.rule_spec import (
    ALNUM,
    BASE32,
    BASE64,
    BASE64URL,
    HEX,
    LETTERS,
    LOWER_ALNUM,
    UPPER_ALNUM,
    SecretRule,
    fill,
)

# (RE2 character class, the alphabet examples are drawn from)
C_ALNUM = ("[A-Za-z0-9]", ALNUM)
C_UPPER_ALNUM = ("[A-Z0-9]", UPPER_ALNUM)
C_LOWER_ALNUM = ("[a-z0-9]", LOWER_ALNUM)
C_HEX = ("[a-f0-9]", HEX)
C_ANYHEX = ("[a-fA-F0-9]", HEX)
C_BASE64 = ("[A-Za-z0-9+/]", BASE64)
C_BASE64URL = ("[A-Za-z0-9_-]", BASE64URL)
C_BASE32 = ("[A-Z2-7]", BASE32)
C_LETTERS = ("[A-Za-z]", LETTERS)

# Where a value assigned to a name ends: quotes, whitespace, separators.
_VALUE_END = r"""(?:[\s"'`;,)\]}]|$)"""
ASSIGN = r"""["']?[ \t]*(?:=|:|:=|=>)[ \t]*["']?"""
UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


def uuid_sample(seed: str) -> str:
    text = fill(seed, 32, HEX)
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def _boundary(prefix: str) -> str:
    return r"\b" if prefix[:1].isalnum() or prefix[:1] == "_" else ""


def _quantifier(length: int | tuple[int, int | None]) -> str:
    if isinstance(length, int):
        return f"{{{length}}}"
    low, high = length
    return f"{{{low},{'' if high is None else high}}}"


def prefixed(
    rule_id: str,
    title: str,
    provider: str,
    prefix: str,
    charset: tuple[str, str],
    length: int | tuple[int, int | None],
    *,
    suffix: str = "",
    severity: Severity = Severity.CRITICAL,
    references: tuple[str, ...] = (),
    keyword: str | None = None,
) -> SecretRule:
    """A token that starts with a documented prefix followed by a fixed alphabet."""
    char_class, alphabet = charset
    low = length if isinstance(length, int) else length[0]
    end = f"(?:[^{char_class[1:-1]}]|$)"
    pattern = (
        f"{_boundary(prefix)}(?P<secret>{re.escape(prefix)}{char_class}{_quantifier(length)}"
        f"{re.escape(suffix)}){end}"
    )
    body = fill(rule_id, low, alphabet)
    return SecretRule(
        id=rule_id,
        title=title,
        provider=provider,
        pattern=pattern,
        keywords=(keyword or prefix,),
        positives=(f'token: "{prefix}{body}{suffix}"', f"{prefix}{body}{suffix}"),
        negatives=(
            f"token: {prefix}{body[: max(low - 4, 1)]}",
            f"token: {prefix}{'x' * low}{suffix}",
        ),
        severity=severity,
        references=references,
    )


def contextual(
    rule_id: str,
    title: str,
    provider: str,
    words: tuple[str, ...],
    value_pattern: str,
    sample: str,
    *,
    severity: Severity = Severity.HIGH,
    entropy: float | None = 3.0,
    references: tuple[str, ...] = (),
) -> SecretRule:
    """A credential without a prefix of its own, recognised by the provider's name beside it."""
    names = "|".join(re.escape(w) for w in words)
    pattern = (
        rf"(?i:(?:{names})[\w.-]{{0,25}}?(?:key|token|secret|passw(?:or)?d|auth)"
        rf"[\w.-]{{0,15}}?){ASSIGN}(?P<secret>{value_pattern}){_VALUE_END}"
    )
    word = words[0].upper().replace(".", "_").replace("-", "_")
    return SecretRule(
        id=rule_id,
        title=title,
        provider=provider,
        pattern=pattern,
        keywords=tuple(w.lower() for w in words),
        positives=(f'{word}_API_TOKEN="{sample}"', f"{words[0]}_secret: {sample}"),
        negatives=(
            f"{word}_API_TOKEN=${{{word}_API_TOKEN}}",
            f"{word}_API_TOKEN={sample[: len(sample) // 2]}",
        ),
        severity=severity,
        entropy=entropy,
        references=references,
    )


def custom(
    rule_id: str,
    title: str,
    provider: str,
    pattern: str,
    keywords: tuple[str, ...],
    positives: tuple[str, ...],
    negatives: tuple[str, ...],
    *,
    severity: Severity = Severity.CRITICAL,
    entropy: float | None = None,
    allow: tuple[str, ...] = (),
    generic: bool = False,
    references: tuple[str, ...] = (),
    keyword_in_file: bool = False,
    supersedes: tuple[str, ...] = (),
) -> SecretRule:
    return SecretRule(
        id=rule_id,
        title=title,
        provider=provider,
        pattern=pattern,
        keywords=keywords,
        positives=positives,
        negatives=negatives,
        severity=severity,
        entropy=entropy,
        allow=allow,
        generic=generic,
        references=references,
        keyword_in_file=keyword_in_file,
        supersedes=supersedes,
    )
