"""The dashboard's summary of the trail: read once per change, verified each time (issue 21.2)."""

from __future__ import annotations

import time
from pathlib import Path

from dashboard_trail import gate_trail, predicate

from gitwarden.audit.stores import open_store
from gitwarden.commands.audit import record_gate_decision
from gitwarden.dashboard.trail_index import TrailIndex


def test_summary_is_reused_until_the_refresh_interval(tmp_path: Path) -> None:
    trail = gate_trail(tmp_path)
    index = TrailIndex(lambda: open_store(trail.store_url, create=False), refresh_seconds=3600)
    first = index.summary()
    record_gate_decision(
        trail.store_url, predicate(trail.repo, trail.released, "canary", "allow", 9), trail.key
    )
    assert index.summary() is first


def test_summary_is_read_again_when_the_head_moves(tmp_path: Path) -> None:
    trail = gate_trail(tmp_path)
    index = TrailIndex(lambda: open_store(trail.store_url, create=False), refresh_seconds=0)
    assert index.summary().head_seq == 4
    record_gate_decision(
        trail.store_url, predicate(trail.repo, trail.released, "canary", "allow", 9), trail.key
    )
    assert index.summary().head_seq == 5


def test_two_dashboards_do_not_share_state(tmp_path: Path) -> None:
    one = gate_trail(tmp_path / "one")
    two = TrailIndex(lambda: open_store(f"sqlite:///{tmp_path / 'empty.db'}", create=True))
    first = TrailIndex(lambda: open_store(one.store_url, create=False))
    assert first.summary().head_seq == 4 and two.summary().head_seq == 0
    assert two.summary().latest == ()


def test_background_refresh_answers_from_the_previous_summary(tmp_path: Path) -> None:
    trail = gate_trail(tmp_path)
    index = TrailIndex(
        lambda: open_store(trail.store_url, create=False), refresh_seconds=0, background=True
    )
    first = index.summary()
    record_gate_decision(
        trail.store_url, predicate(trail.repo, trail.released, "canary", "allow", 9), trail.key
    )
    assert index.summary() is first  # answered at once; the re-reading has only started
    deadline = time.monotonic() + 30
    while index.summary().head_seq != 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert index.summary().head_seq == 5
