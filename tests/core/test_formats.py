"""English as Nordesk writes it: day before month, a 24-hour clock and weeks from Monday, so an
English-speaking agent in Oslo reads 5 Dec 2026 where Django's English would say 12/05/2026."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format, get_format

AFTERNOON = datetime(2026, 12, 5, 14, 35, tzinfo=ZoneInfo("Europe/Oslo"))


@pytest.mark.parametrize(
    ("language", "short", "long"),
    [
        ("en", "5 Dec 2026 14:35", "5 December 2026 14:35"),
        ("nb", "05.12.2026 14:35", "5. desember 2026 14:35"),
        ("sv", "2026-12-05 14:35", "5 december 2026 14:35"),
    ],
)
def test_every_language_writes_the_day_before_the_month_on_a_24_hour_clock(language, short, long):
    with translation.override(language):
        assert date_format(AFTERNOON, "SHORT_DATETIME_FORMAT") == short
        assert Template("{{ at|date }} {{ at|time }}").render(Context({"at": AFTERNOON})) == long
        assert get_format("FIRST_DAY_OF_WEEK") == 1


def test_a_date_typed_in_english_is_read_day_first():
    with translation.override("en"):
        field = forms.DateField()
        assert field.clean("05/12/2026") == date(2026, 12, 5)
        assert field.clean("2026-12-05") == date(2026, 12, 5)
        assert field.clean("5 Dec 2026") == date(2026, 12, 5)
        with pytest.raises(forms.ValidationError):
            field.clean("12/31/2026")  # month first is not how it is read
