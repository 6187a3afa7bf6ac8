"""``integrapsy.dates.date_format``: the text Django's ``date_format`` writes, for every language."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import formats, timezone, translation

from integrapsy import dates

MOMENTS = [
    datetime(2026, 1, 5, 9, 7, 3, tzinfo=UTC) + timedelta(days=37 * i, hours=5 * i, minutes=11 * i) for i in range(12)
]
MOMENTS += [datetime(999, 12, 31, 23, 59, tzinfo=UTC), datetime(2030, 10, 27, 0, 0, tzinfo=UTC)]


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
@pytest.mark.parametrize(
    "name", ["SHORT_DATETIME_FORMAT", "SHORT_DATE_FORMAT", "TIME_FORMAT", "DATETIME_FORMAT", "DATE_FORMAT"]
)
def test_the_same_text_as_django_writes(language, name):
    with translation.override(language):
        for moment in MOMENTS:
            local = timezone.localtime(moment)
            assert dates.date_format(local, name) == formats.date_format(local, name)
            if name not in ("TIME_FORMAT", "SHORT_DATETIME_FORMAT", "DATETIME_FORMAT"):
                assert dates.date_format(local.date(), name) == formats.date_format(local.date(), name)


def test_a_format_with_names_or_escapes_is_left_to_django():
    assert dates._compiled("j F Y") is None
    assert dates._compiled(r"d \d\e m") is None
    assert dates._compiled("d/m/Y H:i") is not None


def test_a_date_with_a_time_format_fails_as_in_django():
    with pytest.raises(TypeError):
        formats.date_format(date(2026, 1, 5), "TIME_FORMAT")
    with pytest.raises(TypeError):
        dates.date_format(date(2026, 1, 5), "TIME_FORMAT")
