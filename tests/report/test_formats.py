from __future__ import annotations

import pytest
from report_fixtures import RULES, make_report

from gitwarden.report import FORMATS, get_format


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_renders_an_empty_report(name: str) -> None:
    report_format = get_format(name)

    output = report_format.render(make_report(()))

    assert report_format.name == name
    assert output.strip()


@pytest.mark.parametrize("name", sorted(FORMATS))
@pytest.mark.parametrize("color", [False, True])
def test_every_format_renders_a_full_report_and_the_rule_catalogue(name: str, color: bool) -> None:
    report_format = get_format(name)

    assert report_format.render(make_report(), color=color).strip()
    assert report_format.render_rules(list(RULES), color=color).strip()


@pytest.mark.parametrize("name", sorted(set(FORMATS) - {"text"}))
def test_only_the_text_format_uses_color(name: str) -> None:
    report_format = get_format(name)

    assert report_format.render(make_report(), color=True) == report_format.render(make_report())
