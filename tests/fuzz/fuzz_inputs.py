"""Hypothesis strategies for parser inputs: YAML built from the pieces that break parsers.

Random text alone rarely gets past a YAML scanner; these inputs are mostly well-formed enough
to reach the converters and readers behind it, with hostile values where they hurt: explicit
tags with empty or wrong text, integers of thousands of digits, anchors, aliases and merge
keys, deep flow nesting, control characters and non-ASCII keys.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

CORPUS = Path(__file__).parent / "corpus"

HOSTILE_SCALARS = (
    "!!int",
    "!!int abc",
    "!!float",
    "!!float x",
    "!!timestamp x",
    "!!timestamp",
    "!!binary @@",
    "!!bool maybe",
    "!!null x",
    "!!str",
    "!!set",
    "!!omap",
    "!!python/object:os.system x",
    "!custom value",
    "0x" + "f" * 4400,
    "9" * 5000,
    "0o" + "7" * 6000,
    "-0b" + "1" * 15000,
    "1_000_000",
    "190:20:30",
    ".inf",
    "-.nan",
    "2025-13-01",
    "2001-12-14t21:59:43.10-05:00",
    "~",
    "''",
    '"\\u202e\\x00"',
    "*undefined",
    "&a [*a]",
)
KEYS = (
    "apiVersion",
    "kind",
    "metadata",
    "name",
    "namespace",
    "spec",
    "containers",
    "securityContext",
    "runAsUser",
    "hostPort",
    "privileged",
    "resources",
    "patches",
    "path",
    "transformers",
    "components",
    "helmCharts",
    "openapi",
    "creation_rules",
    "path_regex",
    "encrypted_regex",
    "rules",
    "signers",
    "keys",
    "version",
    "severity_overrides",
    "suppressions",
    "disabled_rules",
    "fail_on",
    "include",
    "exclude",
    "<<",
    "? complex",
    "ключ",
)
TOKENS = (
    *KEYS,
    *HOSTILE_SCALARS,
    ": ",
    ":",
    "\n",
    "\n  ",
    "\n    ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "&x ",
    "*x",
    "<<: *x",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "%TAG ! tag:x,2000:\n",
    "? ",
    "|\n  ",
    ">-\n  ",
    "#",
    "'",
    '"',
    "\t",
    "\x00",
    "\x1b[2J",
    "\ufeff",
    "\r\n",
    "v1",
    "Pod",
    "ConfigMap",
    "Kustomization",
    "List",
    "items",
    "https://127.0.0.1:9/x.yaml",
    "git@github.com:o/r.git//p",
)

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(KEYS),
)
_values = st.recursive(
    _scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), children, max_size=5)
    ),
    max_leaves=25,
)


def _dump(value: Any) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)


def _with_hostile_scalar(text: str, scalar: str) -> str:
    """Put a hostile scalar where a value was: the structure stays, the value breaks."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if ": " in line and not line.rstrip().endswith(":"):
            key = line.split(": ", 1)[0]
            lines[index] = f"{key}: {scalar}"
            break
    else:
        lines.append(f"x: {scalar}")
    return "\n".join(lines) + "\n"


token_soup = st.lists(st.sampled_from(TOKENS) | st.text(max_size=4), max_size=40).map("".join)
structured_yaml = st.builds(
    _with_hostile_scalar, _values.map(_dump), st.sampled_from(HOSTILE_SCALARS)
) | _values.map(_dump)
yaml_inputs = st.one_of(token_soup, structured_yaml, st.text(max_size=200))


def mapping_with(keys: tuple[str, ...]) -> st.SearchStrategy[str]:
    """YAML mappings over ``keys`` (a reader's own schema) with fuzzed values."""
    documents = st.dictionaries(st.sampled_from(keys), _values, min_size=1, max_size=len(keys))
    plain = documents.map(_dump)
    broken = st.builds(_with_hostile_scalar, plain, st.sampled_from(HOSTILE_SCALARS))
    return plain | broken | token_soup


def corpus(parser: str) -> list[Path]:
    """The inputs that once crashed ``parser``: regression cases, run on every test run."""
    folder = CORPUS / parser
    return sorted(folder.iterdir()) if folder.is_dir() else []
