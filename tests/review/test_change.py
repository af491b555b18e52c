"""A change's shape: every path it touches, both sides of a rename, once."""

from __future__ import annotations

from gitwarden.review.change import Change, ChangedFile


def test_shape_lists_old_and_new_paths_once() -> None:
    files = (ChangedFile("b.yaml", "R", "a.yaml"), ChangedFile("a.yaml", "A"))
    change = Change("refs/heads/main", "b", "h", "t", files, ())
    assert change.shape.paths == ("b.yaml", "a.yaml")
    assert change.shape.file_count == 2
