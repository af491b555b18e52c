"""Cache files: read only when regular and small enough, written whole, never through a link."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gitwarden.cache_files import read_cache_file, write_atomically


def test_file_holds_the_new_data(tmp_path: Path) -> None:
    target = tmp_path / "cache" / "a.clean"
    write_atomically(target, b"one")
    write_atomically(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["a.clean"]


def test_planted_link_at_the_target_is_replaced_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    target = tmp_path / "a.clean"
    target.symlink_to(victim)
    write_atomically(target, b"cache")
    assert victim.read_bytes() == b"precious"
    assert not target.is_symlink() and target.read_bytes() == b"cache"


def test_failed_write_raises_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "a.clean"
    target.mkdir()  # a folder where the file should go: the rename fails
    with pytest.raises(OSError):
        write_atomically(target, b"x")
    assert [p.name for p in tmp_path.iterdir()] == ["a.clean"]


def test_regular_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"cache")
    assert read_cache_file(tmp_path / "a", 100) == b"cache"


@pytest.mark.parametrize("planted", ["link", "fifo", "too-large", "absent"])
def test_anything_but_a_small_regular_file_is_not_read(tmp_path: Path, planted: str) -> None:
    target = tmp_path / "a"
    if planted == "link":
        target.symlink_to("/dev/zero")
    elif planted == "fifo":
        os.mkfifo(target)
    elif planted == "too-large":
        target.write_bytes(b"x" * 101)
    assert read_cache_file(target, 100) is None
