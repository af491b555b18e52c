"""Hypothesis profiles: a small fixed budget in CI, a long run on demand.

HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest -q tests/fuzz   # minutes, see README
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,  # the same inputs on every run: CI never goes red by chance
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "long",
    max_examples=3_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
