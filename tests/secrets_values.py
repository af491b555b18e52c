"""Credential-shaped test values, generated so the source holds no literal token."""

from __future__ import annotations

from gitwarden.secrets.rule_spec import ALNUM, BASE32, fill

GITHUB_TOKEN = "ghp_" + fill("tests-github", 36, ALNUM)
OTHER_GITHUB_TOKEN = "ghp_" + fill("tests-github-2", 36, ALNUM)
AWS_KEY_ID = "AKIA" + fill("tests-aws", 16, BASE32)
