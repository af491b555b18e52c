"""Values that are not secrets: templates, variables, placeholders and documented examples."""

from __future__ import annotations

import math
import re
from collections import Counter

# Templating and variable syntax of the tools a GitOps repository uses: shell/Flux
# substitution, Helm/Go templates, Argo CD Vault Plugin, Jinja, kustomize replacements.
_TEMPLATE = re.compile(
    r"\$\{|\$\(|\{\{|\}\}|<[^>]*>|%\(|\{%|^\$[A-Za-z_][A-Za-z0-9_]*$|^%[A-Za-z_]+%$|"
    r"\{[A-Za-z_][\w.\[\]'\"()]*\}|\.\*"
)
_PLACEHOLDER_WORDS = re.compile(
    r"(?i)example|placeholder|changeme|change[_-]me|replace[_-]?me|your[_-]|dummy|redacted|"
    r"fake|sample|xxxx|\*\*\*\*|\.\.\.|not[_-]?a[_-]?real|insert[_-]|put[_-]your|todo|"
    r"12345678|abcdefgh|password123|secret123|notsecret|^(?:password|secret|token|none|null|"
    r"true|false|undefined|empty|pass|passwd|pwd|test|foo|bar|baz|user|admin|root|guest|"
    r"postgres|mysql|redis|changeit|xxx|\*+)$"
)
_REPEATED = re.compile(r"(.)\1{7,}")


def shannon_entropy(text: str) -> float:
    """Bits per character of ``text``."""
    if not text:
        return 0.0
    counts = Counter(text)
    length = len(text)
    return -sum(n / length * math.log2(n / length) for n in counts.values())


def is_placeholder(value: str) -> bool:
    """True for ``${VAR}``, ``{{ .Values.x }}``, ``<path:...>``, ``changeme``, ``xxxx``..."""
    stripped = value.strip().strip("\"'")
    if not stripped:
        return True
    return bool(
        _TEMPLATE.search(stripped)
        or _PLACEHOLDER_WORDS.search(stripped)
        or _REPEATED.search(stripped)
    )
