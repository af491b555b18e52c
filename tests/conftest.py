"""Every test gets its own gitwarden state folder: no test reads another's caches.

The compiled secret-pattern database is the one exception worth sharing: building it takes
seconds, and every test that starts `python -m gitwarden` would build it again. It is built
once per session in a folder of its own and copied, with the key that seals it, into each
test's state folder, so each test still owns (and may tamper with) its copy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

_SHARED = ("keys", "patterns")


@pytest.fixture(scope="session")
def warm_pattern_state(tmp_path_factory: pytest.TempPathFactory) -> Path:
    state = tmp_path_factory.mktemp("gitwarden-pattern-state")
    subprocess.run(
        [sys.executable, "-c", "from gitwarden.secrets.engine import default_engine as e; e()"],
        env={**os.environ, "GITWARDEN_STATE_DIR": str(state)},
        check=True,
    )
    return state


@pytest.fixture(autouse=True)
def private_state_dir(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    warm_pattern_state: Path,
) -> Path:
    state = tmp_path_factory.mktemp("gitwarden-state")
    for name in _SHARED:
        if (warm_pattern_state / name).is_dir():
            shutil.copytree(warm_pattern_state / name, state / name)
    monkeypatch.setenv("GITWARDEN_STATE_DIR", str(state))
    return state
