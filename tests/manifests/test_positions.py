"""The nearest-ancestor position lookup shared by objects, secrets and config errors."""

from __future__ import annotations

import pytest

from gitwarden.manifests.positions import nearest_position
from gitwarden.manifests.yaml_nodes import FieldPath, parse_documents

_TEXT = """\
metadata:
  name: web
spec:
  containers:
    - name: app
      image: nginx
"""


def _positions() -> dict[FieldPath, tuple[int, int]]:
    return next(parse_documents(_TEXT)).positions


@pytest.mark.parametrize(
    ("path", "line"),
    [
        (("spec", "containers", 0, "image"), 6),
        (("spec", "containers", 0, "securityContext", "privileged"), 5),
        (("metadata", "labels", "app"), 1),
        (("status",), 1),
    ],
)
def test_a_path_is_found_at_itself_or_its_nearest_written_ancestor(
    path: FieldPath, line: int
) -> None:
    found = nearest_position(_positions(), path)
    assert found is not None
    assert found[0] == line


def test_the_written_path_keeps_its_column() -> None:
    assert nearest_position(_positions(), ("spec", "containers", 0, "image")) == (6, 7)


def test_no_ancestor_at_or_below_the_shortest_length_gives_none() -> None:
    positions = _positions()
    assert nearest_position(positions, ("spec", "volumes", 0), shortest=2) is None
    assert nearest_position(positions, ("spec", "volumes", 0), shortest=1) == (3, 1)


def test_an_empty_mapping_of_positions_gives_none() -> None:
    assert nearest_position({}, ("spec", "replicas")) is None
