from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from gitwarden.audit.entries import EntryKind, format_time, parse_time
from gitwarden.errors import UsageError


def test_time_is_written_in_utc_with_fixed_width() -> None:
    plus_two = timezone(timedelta(hours=2))
    assert format_time(datetime(2026, 12, 1, 10, 0, tzinfo=plus_two)) == (
        "2026-12-01T08:00:00.000000Z"
    )


def test_time_without_zone_is_refused() -> None:
    with pytest.raises(UsageError):
        format_time(datetime(2026, 12, 1, 8, 0))


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2026-12-01T08:00:00Z", datetime(2026, 12, 1, 8, 0, tzinfo=UTC)),
        ("2026-12-01T10:00:00+02:00", datetime(2026, 12, 1, 8, 0, tzinfo=UTC)),
    ],
)
def test_rfc_3339_times_are_read_as_utc(text: str, moment: datetime) -> None:
    assert parse_time(text) == moment


@pytest.mark.parametrize("text", ["2026-12-01T08:00:00", "yesterday"])
def test_unusable_times_are_refused(text: str) -> None:
    with pytest.raises(UsageError):
        parse_time(text)


def test_unknown_kind_names_the_choices() -> None:
    with pytest.raises(UsageError, match="gate-decision"):
        EntryKind.parse("deploy")
