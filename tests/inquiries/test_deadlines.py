"""Deadline arithmetic of both law profiles across weekends and public holidays.

Georgia 2026: Orthodox Easter is 12 April, with National Unity Day (9th), Good
Friday (10th), Holy Saturday and Easter Monday (13th) around it; in 2027 Easter
is 2 May. Armenia: 31 December, 1–2 January, Christmas on 6 January and Army
Day on 28 January are days off.
"""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from inquiries import deadlines
from inquiries.deadlines import add_days, due_for, is_working_day
from inquiries.holidays import holidays_seed
from inquiries.models import DayKind, DeadlineRule, Holiday, LawProfile, RefusalGround

from .conftest import local

pytestmark = pytest.mark.usefixtures("holidays_for_years")

WORKING = DayKind.WORKING
CALENDAR = DayKind.CALENDAR


# --- The shipped profiles ----------------------------------------------------------


@pytest.mark.django_db
def test_the_migration_ships_both_profiles_in_three_languages():
    georgia = LawProfile.objects.get(code="ge")
    armenia = LawProfile.objects.get(code="am")
    assert (georgia.country, armenia.country) == ("GE", "AM")
    for profile in (georgia, armenia):
        assert profile.roll_to_working_day
        for lang in ("ka", "hy", "en"):
            assert getattr(profile, f"name_{lang}")
            assert getattr(profile, f"notes_{lang}")
        assert set(profile.rules.values_list("kind", flat=True)) == {
            "journalist",
            "public_info",
            "letter",
            "hotline",
            "agency",
        }
    ge_info = georgia.rules.get(kind="public_info")
    assert (ge_info.days, ge_info.day_kind, ge_info.refusal_notice_days) == (
        10,
        CALENDAR,
        3,
    )
    assert ge_info.extended_days is None
    assert "40" in ge_info.legal_basis_en and "41" in ge_info.legal_basis_en
    assert "მუხლ" in ge_info.legal_basis_ka
    assert "հոդված" in ge_info.legal_basis_hy
    am_info = armenia.rules.get(kind="public_info")
    assert (
        am_info.days,
        am_info.extended_days,
        am_info.extension_notice_days,
        am_info.day_kind,
    ) == (5, 30, 5, CALENDAR)
    assert "Article 9" in am_info.legal_basis_en
    assert georgia.rules.get(kind="journalist").days == 3
    assert georgia.rules.get(kind="letter").days == 30
    hotline = armenia.rules.get(kind="hotline")
    assert (hotline.days, hotline.day_kind) == (1, WORKING)
    # What the law does not set is marked as the office's practice.
    assert "practice" in armenia.rules.get(kind="letter").legal_basis_en
    assert "practice" in georgia.notes_en and "practice" in armenia.notes_en


@pytest.mark.django_db
def test_refusal_grounds_cite_the_law_in_three_languages():
    georgian = RefusalGround.objects.filter(profile__code="ge")
    armenian = RefusalGround.objects.filter(profile__code="am")
    assert {"State secret", "Commercial secret", "Personal data"} <= set(
        georgian.values_list("name_en", flat=True)
    )
    assert {"Official secret", "Bank secret"} <= set(
        armenian.values_list("name_en", flat=True)
    )
    assert any("Pre-trial" in n for n in armenian.values_list("name_en", flat=True))
    for ground in [*georgian, *armenian]:
        assert ground.name_ka and ground.name_hy and ground.name_en
        assert ground.legal_basis_ka and ground.legal_basis_hy
    assert all("Article 28" in g.legal_basis_en for g in georgian)
    assert all("Article 8" in g.legal_basis_en for g in armenian)


@pytest.mark.django_db
def test_holidays_are_seeded_with_names_in_three_languages():
    easter = Holiday.objects.get(country="GE", date=date(2026, 4, 12))
    assert easter.name_ka == "აღდგომა"
    assert easter.name_en == "Easter Sunday"
    # The package has no Armenian names for Georgia: English stands in.
    assert easter.name_hy == "Easter Sunday"
    new_year = Holiday.objects.get(country="AM", date=date(2027, 1, 1))
    assert new_year.name_hy == "Նոր տարվա օր"
    assert new_year.name_ka == new_year.name_en == "New Year's Day"
    assert Holiday.objects.filter(country="AM", date=date(2027, 1, 6)).exists()
    assert not Holiday.objects.filter(country="GE", date=date(2027, 1, 6)).exists()


@pytest.mark.django_db
def test_seed_holidays_command_adds_years_and_keeps_edits(capsys):
    assert not Holiday.objects.filter(date__year=2031).exists()
    call_command("seed_holidays", "--years", "2031")
    added = Holiday.objects.filter(date__year=2031)
    assert added.filter(country="GE").count() >= 15
    assert added.filter(country="AM").count() >= 10
    assert "2031" in capsys.readouterr().out
    edited = added.get(country="GE", date=date(2031, 1, 1))
    edited.name_en = "New Year (edited)"
    edited.save()
    count = added.count()
    call_command("seed_holidays", "--years", "2031", "--country", "GE")
    assert Holiday.objects.filter(date__year=2031).count() == count
    edited.refresh_from_db()
    assert edited.name_en == "New Year (edited)"


@pytest.mark.django_db
def test_seeding_again_restores_what_is_missing_and_keeps_edits():
    """The seeds run after a flush too (browser tests), with the real models."""
    from inquiries.law_profiles import law_profiles_seed

    assert law_profiles_seed() == 0
    LawProfile.objects.filter(code="am").delete()
    georgia = LawProfile.objects.get(code="ge")
    georgia.rules.filter(kind="hotline").delete()
    DeadlineRule.objects.filter(profile=georgia, kind="journalist").update(days=2)
    with translation.override("ka"):
        added = law_profiles_seed()
    assert added == 1 + 5 + 8 + 1  # Armenia, its rules and grounds; one rule
    armenia = LawProfile.objects.get(code="am")
    assert armenia.name_hy == "Հայաստան. «Տեղեկատվության ազատության մասին» օրենք"
    assert armenia.name_en == "Armenia: Law on Freedom of Information"
    assert armenia.name_ka.startswith("სომხეთი")
    assert georgia.rules.get(kind="journalist").days == 2  # the edit stays
    assert georgia.rules.get(kind="hotline").day_kind == WORKING
    Holiday.objects.filter(date__year=2032).delete()
    with translation.override("hy"):
        holidays_seed(years=[2032], countries=["GE"])
    new_year = Holiday.objects.get(country="GE", date=date(2032, 1, 1))
    assert (new_year.name_ka, new_year.name_en) == ("ახალი წელი", "New Year's Day")
    assert new_year.name_hy == "New Year's Day"


# --- Working days ------------------------------------------------------------------


@pytest.mark.django_db
def test_is_working_day_knows_weekends_and_each_countrys_holidays():
    assert is_working_day(date(2026, 4, 14), "GE")  # Tuesday after Easter
    assert not is_working_day(date(2026, 4, 11), "GE")  # Saturday
    assert not is_working_day(date(2026, 4, 13), "GE")  # Easter Monday
    assert is_working_day(date(2026, 4, 13), "AM")  # an ordinary Monday there
    assert not is_working_day(date(2027, 1, 6), "AM")  # Armenian Christmas
    assert is_working_day(date(2027, 1, 6), "GE")
    assert not is_working_day(date(2027, 1, 7), "GE")  # Georgian Christmas


@pytest.mark.django_db
def test_working_days_skip_weekends_and_holidays():
    # Georgia: from Wednesday 8 April 2026, the next days off run to Monday 13th.
    assert add_days(date(2026, 4, 8), 1, day_kind=WORKING, country="GE") == date(
        2026, 4, 14
    )
    assert add_days(date(2026, 4, 8), 3, day_kind=WORKING, country="GE") == date(
        2026, 4, 16
    )
    # Armenia: 30 Dec counts, then 31 Dec–3 Jan are off, 6 Jan too.
    assert add_days(date(2026, 12, 29), 5, day_kind=WORKING, country="AM") == date(
        2027, 1, 8
    )
    assert (
        deadlines.working_days_between(
            date(2026, 12, 29), date(2027, 1, 8), country="AM"
        )
        == 5
    )


@pytest.mark.django_db
def test_calendar_days_end_on_the_day_and_roll_forward_only_when_asked():
    start = date(2026, 4, 3)  # Friday; +10 is Easter Monday
    assert add_days(start, 10, day_kind=CALENDAR, country="GE", roll=False) == date(
        2026, 4, 13
    )
    assert add_days(start, 10, day_kind=CALENDAR, country="GE") == date(2026, 4, 14)
    # The same day is an ordinary Monday in Armenia.
    assert add_days(start, 10, day_kind=CALENDAR, country="AM") == date(2026, 4, 13)
    # A working day at the end stays as it is; zero days is the day itself.
    assert add_days(date(2026, 4, 6), 2, day_kind=CALENDAR, country="GE") == date(
        2026, 4, 8
    )
    assert add_days(date(2026, 4, 11), 0, day_kind=CALENDAR, country="GE") == date(
        2026, 4, 14
    )
    with pytest.raises(ValueError):
        add_days(start, -1, day_kind=CALENDAR, country="GE")


# --- Georgia ----------------------------------------------------------------------


@pytest.mark.django_db
def test_georgian_request_on_the_friday_before_easter():
    georgia = LawProfile.objects.get(code="ge")
    good_friday = local(date(2026, 4, 10))
    # A journalist's 3 days end on Easter Monday: the answer is due Tuesday.
    assert due_for(kind="journalist", received_at=good_friday, profile=georgia) == (
        date(2026, 4, 14)
    )
    # Public information: 10 calendar days, Monday 20 April is a working day.
    assert due_for(kind="public_info", received_at=good_friday, profile=georgia) == (
        date(2026, 4, 20)
    )
    # The Friday a week before: day 10 is Easter Monday → Tuesday.
    assert due_for(
        kind="public_info", received_at=local(date(2026, 4, 3)), profile=georgia
    ) == date(2026, 4, 14)
    # A hotline call on the Thursday before Easter 2027 (2 May): next working
    # day after Good Friday, Holy Saturday, Easter and Easter Monday.
    assert due_for(
        kind="hotline", received_at=local(date(2027, 4, 29)), profile=georgia
    ) == date(2027, 5, 4)
    # A citizen's letter: 30 calendar days, Saturday 16 May → Monday 18 May
    # (and 17 May, Family Day, is a Sunday anyway).
    assert due_for(
        kind="letter", received_at=local(date(2026, 4, 16)), profile=georgia
    ) == date(2026, 5, 18)


@pytest.mark.django_db
def test_georgian_refusal_notice_is_due_three_days_after_the_decision():
    georgia = LawProfile.objects.get(code="ge")

    class Stub:
        law_profile = georgia
        kind = "public_info"

    # Decided on Wednesday 8 April 2026: day 3 is Saturday, then Easter.
    assert deadlines.refusal_notice_due_for(
        request=Stub, decided_on=date(2026, 4, 8)
    ) == date(2026, 4, 14)
    Stub.kind = "journalist"
    assert (
        deadlines.refusal_notice_due_for(request=Stub, decided_on=date(2026, 4, 8))
        is None
    )


@pytest.mark.django_db
def test_the_local_date_of_receipt_counts(settings):
    georgia = LawProfile.objects.get(code="ge")
    # 23:00 on Thursday 2 April in Tbilisi (UTC+4): due the next working day.
    late_thursday = datetime(2026, 4, 2, 19, 0, tzinfo=UTC)
    assert due_for(kind="hotline", received_at=late_thursday, profile=georgia) == (
        date(2026, 4, 3)
    )
    # 01:30 on Friday 3 April in Tbilisi, still Thursday in UTC: Friday counts,
    # so the next working day is Monday.
    early_friday = datetime(2026, 4, 2, 21, 30, tzinfo=UTC)
    assert due_for(kind="hotline", received_at=early_friday, profile=georgia) == (
        date(2026, 4, 6)
    )


@pytest.mark.django_db
def test_profile_without_roll_keeps_a_deadline_on_a_day_off():
    georgia = LawProfile.objects.get(code="ge")
    georgia.roll_to_working_day = False
    georgia.save()
    assert due_for(
        kind="public_info", received_at=local(date(2026, 4, 3)), profile=georgia
    ) == date(2026, 4, 13)


@pytest.mark.django_db
def test_holidays_and_rules_are_editable():
    georgia = LawProfile.objects.get(code="ge")
    received = local(date(2026, 6, 1))  # Monday; +10 = Thursday 11 June
    assert due_for(kind="public_info", received_at=received, profile=georgia) == (
        date(2026, 6, 11)
    )
    # The government declares a day off: the deadline moves.
    Holiday.objects.create(country="GE", date=date(2026, 6, 11), name_en="Day off")
    assert due_for(kind="public_info", received_at=received, profile=georgia) == (
        date(2026, 6, 12)
    )
    # An office switches journalists' questions to 2 working days.
    DeadlineRule.objects.filter(profile=georgia, kind="journalist").update(
        days=2, day_kind=WORKING
    )
    friday = local(date(2026, 6, 5))
    assert due_for(kind="journalist", received_at=friday, profile=georgia) == (
        date(2026, 6, 9)
    )


@pytest.mark.django_db
def test_a_kind_without_a_rule_is_a_clear_error():
    georgia = LawProfile.objects.get(code="ge")
    georgia.rules.filter(kind="agency").delete()
    with pytest.raises(ValidationError) as caught:
        due_for(kind="agency", received_at=local(date(2026, 6, 1)), profile=georgia)
    assert "kind" in caught.value.message_dict


# --- Armenia ----------------------------------------------------------------------


@pytest.mark.django_db
def test_armenian_five_days_cross_new_year_and_christmas():
    armenia = LawProfile.objects.get(code="am")
    # Tuesday 29 Dec + 5 = Sunday 3 Jan → Monday 4 Jan.
    assert due_for(
        kind="public_info", received_at=local(date(2026, 12, 29)), profile=armenia
    ) == date(2027, 1, 4)
    # New Year's Day + 5 = Christmas (6 Jan) → Thursday 7 Jan.
    assert due_for(
        kind="public_info", received_at=local(date(2027, 1, 1)), profile=armenia
    ) == date(2027, 1, 7)
    # A hotline call on New Year's Eve: the next working day is Monday 4 Jan.
    assert due_for(
        kind="hotline", received_at=local(date(2026, 12, 31)), profile=armenia
    ) == date(2027, 1, 4)


@pytest.mark.django_db
def test_armenian_extension_to_thirty_days_and_its_notice(make_request, profile_am):
    # Monday 29 Dec 2025 + 5 = Saturday 3 Jan, after New Year (1–2 Jan) → Monday 5.
    request = make_request(received_at=local(date(2025, 12, 29)))
    assert request.law_profile == profile_am
    assert request.due_on == request.original_due_on == date(2026, 1, 5)
    assert deadlines.extension_allowed(request)
    # 29 Dec + 30 = Wednesday 28 Jan, Army Day → Thursday 29 Jan.
    assert deadlines.extended_due_for(request=request) == date(2026, 1, 29)
    # The notice: within 5 days of receipt, rolled like the deadline → 5 Jan.
    assert deadlines.extension_notice_due_for(request=request) == date(2026, 1, 5)


@pytest.mark.django_db
def test_georgian_law_has_no_extension(make_request, profile_ge):
    request = make_request(received_at=local(date(2026, 4, 3)))
    assert not deadlines.extension_allowed(request)
    with pytest.raises(ValidationError):
        deadlines.extended_due_for(request=request)
    assert deadlines.extension_notice_due_for(request=request) is None


@pytest.mark.django_db
def test_days_left_counts_calendar_days():
    assert deadlines.days_left(date(2026, 4, 14), today=date(2026, 4, 10)) == 4
    assert deadlines.days_left(date(2026, 4, 14), today=date(2026, 4, 14)) == 0
    assert deadlines.days_left(date(2026, 4, 14), today=date(2026, 4, 16)) == -2
