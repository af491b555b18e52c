"""docs/secrets-coverage.md counts what the catalogue holds, family by family."""

from __future__ import annotations

import re
from pathlib import Path

from gitwarden.secrets.catalogue import secret_rules
from gitwarden.secrets.catalogue.providers import PROVIDER_FAMILIES

DOC = (Path(__file__).parents[2] / "docs" / "secrets-coverage.md").read_text(encoding="utf-8")


def test_each_family_row_counts_its_rules() -> None:
    rows = re.findall(r"^\| [\w ]+ \(`(\w+)\.py`\) \| (\d+) \|", DOC, re.MULTILINE)
    documented = {module: count for module, count in rows if module != "structural"}
    actual = {f.__name__.rsplit(".", 1)[1]: str(len(f.rules())) for f in PROVIDER_FAMILIES}
    assert documented == actual


def test_total_rule_count_is_current() -> None:
    assert f"({len(secret_rules())} pattern rules)" in DOC
