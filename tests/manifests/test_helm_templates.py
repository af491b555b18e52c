"""Fields of rendered Helm objects located in their Go templates."""

from __future__ import annotations

import pytest

from gitwarden.manifests.helm_templates import TemplateFieldMap, TemplateOutline, kind_line

TEMPLATE = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-a
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-b
data:
  {{- if .Values.debug }}
  mode: debug
  {{- end }}
  items:
    - name: first
    - name: second
"""


@pytest.mark.parametrize(("ordinal", "line"), [(0, 2), (1, 7), (5, 2)])
def test_kind_line_is_the_declaration_of_the_nth_object_of_a_kind(ordinal: int, line: int) -> None:
    assert kind_line(TEMPLATE, "ConfigMap", ordinal) == line


def test_a_kind_the_template_does_not_declare_is_at_line_one() -> None:
    assert kind_line(TEMPLATE, "Secret", 0) == 1


@pytest.mark.parametrize(
    ("path", "position"),
    [
        (("data", "mode"), (12, 3)),
        (("data", "items", 1, "name"), (16, 7)),
        ((), (7, 1)),
    ],
    ids=["key", "list-item", "the-object"],
)
def test_a_written_field_is_found_in_its_document(
    path: tuple[str | int, ...], position: tuple[int, int]
) -> None:
    assert TemplateFieldMap(TemplateOutline(TEMPLATE), 7)[path] == position


def test_a_field_of_another_document_is_not_found() -> None:
    with pytest.raises(KeyError):
        TemplateFieldMap(TemplateOutline(TEMPLATE), 2)[("data", "mode")]
