import datetime
from decimal import Decimal

import pytest
from django.utils import formats, translation
from django.utils.text import slugify

from prapp.text import slugify_any

MOMENT = datetime.datetime(2026, 3, 5, 17, 45)


@pytest.mark.parametrize("language", ["ka", "hy"])
def test_dates_and_times_use_24_hours_and_day_month_year(language):
    with translation.override(language):
        assert formats.date_format(MOMENT, "SHORT_DATE_FORMAT") == "05.03.2026"
        assert formats.time_format(MOMENT.time(), "TIME_FORMAT") == "17:45"
        assert (
            formats.date_format(MOMENT, "SHORT_DATETIME_FORMAT") == "05.03.2026 17:45"
        )
        assert "p.m." not in formats.date_format(MOMENT, "DATETIME_FORMAT")


@pytest.mark.parametrize("language", ["ka", "hy"])
def test_numbers_use_comma_decimals_and_nbsp_thousands(language):
    with translation.override(language):
        assert (
            formats.number_format(Decimal("1234567.5"), 1, force_grouping=True)
            == "1\xa0234\xa0567,5"
        )


@pytest.mark.parametrize("language", ["ka", "hy"])
def test_dates_typed_the_local_way_are_understood(language):
    with translation.override(language):
        assert "%d.%m.%Y" in formats.get_format("DATE_INPUT_FORMATS")


def test_slugify_alone_loses_georgian_and_armenian_text():
    # The trap: plain slugify returns nothing, which is why slugify_any exists.
    assert slugify("პრესრელიზი") == ""
    assert slugify("Հաղորդագրություն") == ""
    assert slugify_any("პრესრელიზი") == "presrelizi"
    assert slugify_any("Հաղորդագրություն") == "haghordagrutyun"
