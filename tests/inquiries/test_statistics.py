"""The desk's statistics: figures computed again by hand, the page and its exports."""

import csv
import io
import random
import statistics as pystats
from datetime import date, datetime, time, timedelta
from itertools import count

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from inquiries import statistics
from inquiries.models import Kind, LawProfile, RefusalGround, Request

Status = Request.Status
OPEN = set(Request.OPEN_STATUSES)
_numbers = count(1)


def _profile() -> LawProfile:
    profile, _ = LawProfile.objects.get_or_create(
        code="ge", defaults={"name": "Georgia", "country": "GE"}
    )
    return profile


def _at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A local moment (Asia/Tbilisi in the tests)."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _request(received_at, *, due_on=None, status=Status.REGISTERED, **extra):
    sequence = next(_numbers)
    due_on = due_on or timezone.localdate(received_at) + timedelta(days=10)
    return Request.objects.create(
        year=received_at.year,
        sequence=sequence,
        number=f"{received_at.year}/{sequence:05d}",
        kind=extra.pop("kind", Kind.PUBLIC_INFORMATION),
        channel=extra.pop("channel", Request.Channel.EMAIL),
        requester_name="ნინო ბერიძე",
        subject="ბიუჯეტის შესრულება",
        text="გთხოვთ მოგვაწოდოთ ინფორმაცია.",
        received_at=received_at,
        law_profile=extra.pop("law_profile", None) or _profile(),
        due_on=due_on,
        original_due_on=extra.pop("original_due_on", due_on),
        status=status,
        **extra,
    )


def _expected(requests: list[Request], start: date, end: date) -> dict:
    """The figures again, the slow and obvious way, from the rows themselves."""
    today = timezone.localdate()
    rows = [r for r in requests if start <= timezone.localdate(r.received_at) <= end]
    answered = [r for r in rows if r.status in statistics.ANSWERED]
    days = [(r.answered_at - r.received_at).total_seconds() / 86400 for r in answered]
    by_ground: dict = {}
    for r in rows:
        if r.status == Status.REFUSED:
            by_ground[r.refusal_ground_id] = by_ground.get(r.refusal_ground_id, 0) + 1
    return {
        "received": len(rows),
        "by_kind": {k: sum(r.kind == k for r in rows) for k in Kind.values},
        "by_channel": {
            c: sum(r.channel == c for r in rows) for c in Request.Channel.values
        },
        "answered": len(answered),
        "partly_answered": sum(r.status == Status.PARTLY_ANSWERED for r in rows),
        "on_time": sum(timezone.localdate(r.answered_at) <= r.due_on for r in answered),
        "late": sum(timezone.localdate(r.answered_at) > r.due_on for r in answered),
        "refused": sum(r.status == Status.REFUSED for r in rows),
        "by_ground": by_ground,
        "forwarded": sum(r.status == Status.FORWARDED for r in rows),
        "open": sum(r.status in OPEN for r in rows),
        "overdue": sum(r.status in OPEN and r.due_on < today for r in rows),
        "median_days": round(pystats.median(days), 1) if days else None,
    }


def _compare(figures: dict, expected: dict) -> None:
    for key, value in expected.items():
        if key == "median_days" and value is not None:
            # The database's arithmetic may round the last digit otherwise.
            assert figures[key] == pytest.approx(value, abs=0.11), key
        else:
            assert figures[key] == value, key


def _grounds() -> list[RefusalGround]:
    profile = _profile()
    return [
        RefusalGround.objects.create(profile=profile, name=name, name_en=name)
        for name in ("state secret", "personal data", "commercial secret")
    ]


def _random_year(rng: random.Random, first: date, days: int) -> list[Request]:
    """A mixed bag of requests received over ``days`` days from ``first``."""
    grounds = _grounds()
    made = []
    for _ in range(days * 2 // 3):
        received = _at(
            first + timedelta(days=rng.randrange(days)),
            rng.randrange(24),
            rng.randrange(60),
        )
        due = timezone.localdate(received) + timedelta(days=rng.choice([1, 3, 10, 30]))
        status = rng.choice(
            [Status.ANSWERED] * 5
            + [Status.PARTLY_ANSWERED, Status.REFUSED, Status.FORWARDED]
            + list(OPEN)
        )
        extra = {
            "kind": rng.choice(Kind.values),
            "channel": rng.choice(Request.Channel.values),
        }
        if status not in OPEN:
            # Within a few days either side of the deadline, at any hour.
            answered = _at(
                due + timedelta(days=rng.randint(-8, 4)),
                rng.randrange(24),
                rng.randrange(60),
            )
            extra["answered_at"] = max(answered, received)
        if status == Status.REFUSED:
            extra["refusal_ground"] = rng.choice([*grounds, None])
        made.append(_request(received, due_on=due, status=status, **extra))
    return made


# --- Periods ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "before", "after"),
    [
        # A month compares with the month before, whatever their lengths.
        (date(2026, 3, 1), date(2026, 3, 31), (date(2026, 2, 1), date(2026, 2, 28)),
         (date(2026, 4, 1), date(2026, 4, 30))),
        (date(2024, 3, 1), date(2024, 3, 31), (date(2024, 2, 1), date(2024, 2, 29)),
         (date(2024, 4, 1), date(2024, 4, 30))),
        (date(2026, 1, 1), date(2026, 3, 31), (date(2025, 10, 1), date(2025, 12, 31)),
         (date(2026, 4, 1), date(2026, 6, 30))),
        (date(2026, 1, 1), date(2026, 12, 31), (date(2025, 1, 1), date(2025, 12, 31)),
         (date(2027, 1, 1), date(2027, 12, 31))),
        # Any other span: as many days just before it.
        (date(2026, 3, 5), date(2026, 3, 14), (date(2026, 2, 23), date(2026, 3, 4)),
         (date(2026, 3, 15), date(2026, 3, 24))),
        (date(2026, 3, 5), date(2026, 3, 5), (date(2026, 3, 4), date(2026, 3, 4)),
         (date(2026, 3, 6), date(2026, 3, 6))),
    ],
)  # fmt: skip
def test_previous_and_next_periods(start, end, before, after):
    assert statistics.previous_period(start, end) == before
    assert statistics.next_period(start, end) == after


def test_periods_are_named_as_the_chooser_names_them():
    assert statistics.month_period(2024, 2) == (date(2024, 2, 1), date(2024, 2, 29))
    assert statistics.quarter_period(2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))
    assert statistics.year_period(2026) == (date(2026, 1, 1), date(2026, 12, 31))
    assert statistics.period_choice(*statistics.quarter_period(2026, 3)) == {
        "period": "quarter",
        "year": 2026,
        "quarter": 3,
    }
    assert statistics.period_choice(date(2026, 2, 1), date(2026, 3, 31)) == {
        "period": "custom",
        "start": "2026-02-01",
        "end": "2026-03-31",
    }
    with translation.override("en"):
        assert statistics.period_label(date(2026, 1, 1), date(2026, 12, 31)) == "2026"
        assert statistics.period_label(date(2026, 7, 1), date(2026, 9, 30)) == (
            "Q3 2026"
        )
        assert statistics.period_label(date(2026, 3, 1), date(2026, 3, 31)) == (
            "March 2026"
        )


# --- Figures ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_year_of_random_requests_gives_the_figures_counted_by_hand():
    rng = random.Random(9)
    today = timezone.localdate()
    first = today - timedelta(days=400)
    requests = _random_year(rng, first, 400)
    for start, end in [
        (today - timedelta(days=364), today),
        statistics.month_period(today.year, today.month),
        statistics.quarter_period(today.year, (today.month + 2) // 3),
        (first, first + timedelta(days=35)),
    ]:
        figures = statistics.statistics(start=start, end=end)
        expected = _expected(requests, start, end)
        assert expected["received"] or end >= today
        _compare(figures, expected)
        assert figures["received"] == (
            figures["answered"]
            + figures["refused"]
            + figures["forwarded"]
            + figures["open"]
        )
        assert figures["on_time"] + figures["late"] == figures["answered"]


@pytest.mark.django_db
def test_local_days_decide_the_period_and_the_deadline():
    """Tbilisi is four hours ahead of UTC: 00:30 on the 13th is the 12th in UTC."""
    march_1 = date(2026, 3, 1)
    due = date(2026, 3, 12)
    # Received 23:59 on the last day of February: February's, not March's.
    february = _request(_at(date(2026, 2, 28), 23, 59), due_on=due)
    # Received 00:01 on the first of March: March's.
    early = _request(_at(march_1, 0, 1), due_on=due)
    on_time = _request(
        _at(march_1, 9), due_on=due, status=Status.ANSWERED,
        answered_at=_at(due, 23, 59),
    )  # fmt: skip
    late = _request(
        _at(march_1, 9), due_on=due, status=Status.PARTLY_ANSWERED,
        answered_at=_at(due + timedelta(days=1), 0, 30),
    )  # fmt: skip
    # Extended: answered after the first deadline but by the new one.
    extended = _request(
        _at(march_1, 9), due_on=date(2026, 3, 31), original_due_on=due,
        status=Status.ANSWERED, answered_at=_at(date(2026, 3, 20), 12),
    )  # fmt: skip
    figures = statistics.statistics(start=march_1, end=date(2026, 3, 31))
    requests = [february, early, on_time, late, extended]
    _compare(figures, _expected(requests, march_1, date(2026, 3, 31)))
    assert figures["received"] == 4
    assert (figures["on_time"], figures["late"]) == (2, 1)
    assert figures["partly_answered"] == 1
    # 11 days 15 hours, 11 days 15½ hours and 19 days 3 hours.
    assert figures["median_days"] == 11.6
    assert figures["open"] == figures["overdue"] == 1
    previous = statistics.statistics(start=date(2026, 2, 1), end=date(2026, 2, 28))
    assert previous["received"] == 1


@pytest.mark.django_db
def test_the_median_of_an_even_count_is_halfway_and_none_without_answers():
    day = date(2026, 5, 4)
    for days in (1, 2, 5, 10):
        _request(
            _at(day), due_on=day + timedelta(days=10), status=Status.ANSWERED,
            answered_at=_at(day + timedelta(days=days), 15),
        )  # fmt: skip
    _request(_at(day), status=Status.REFUSED, answered_at=_at(day, 11))
    # 1, 2, 5 and 10 days and five hours each: halfway between 2.2 and 5.2.
    assert statistics.statistics(start=day, end=day)["median_days"] == 3.7
    empty = statistics.statistics(start=date(2026, 4, 1), end=date(2026, 4, 30))
    assert empty["median_days"] is None and empty["received"] == 0


@pytest.mark.django_db
def test_refusals_are_counted_by_ground(django_assert_max_num_queries):
    state, personal, _commercial = _grounds()
    day = date(2026, 6, 10)
    for ground in (state, state, personal, None):
        _request(_at(day), status=Status.REFUSED, refusal_ground=ground,
                 answered_at=_at(day, 16))  # fmt: skip
    with django_assert_max_num_queries(4):
        figures = statistics.statistics(start=day, end=day)
    assert figures["by_ground"] == {state.pk: 2, personal.pk: 1, None: 1}
    with translation.override("en"):
        table = statistics.statistics_compare(start=day, end=day)["rows"]
    grounds = [row for row in table if row.key.startswith("ground:")]
    assert [(row.label, row.current, row.previous) for row in grounds] == [
        ("personal data", 1, 0),
        ("state secret", 2, 0),
        ("ground not recorded", 1, 0),
    ]


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_requests(
    django_assert_num_queries,
):
    rng = random.Random(4)
    start = date(2026, 1, 1)
    _random_year(rng, start, 30)
    _request(_at(start), status=Status.REFUSED, answered_at=_at(start, 18),
             refusal_ground=RefusalGround.objects.first())  # fmt: skip
    # counts, grounds, their names, median
    with django_assert_num_queries(4):
        small = statistics.statistics(start=start, end=date(2026, 1, 31))
    _random_year(rng, start, 120)
    with django_assert_num_queries(4):
        large = statistics.statistics(start=start, end=date(2026, 1, 31))
    assert large["received"] > small["received"] and small["refused"]


@pytest.mark.django_db
def test_the_comparison_holds_the_previous_period_and_the_change():
    _request(_at(date(2026, 2, 3)))
    _request(_at(date(2026, 2, 4)))
    _request(_at(date(2026, 3, 4)), status=Status.FORWARDED,
             answered_at=_at(date(2026, 3, 5)))  # fmt: skip
    figures = statistics.statistics_compare(
        start=date(2026, 3, 1), end=date(2026, 3, 31)
    )
    assert figures["previous"]["start"] == date(2026, 2, 1)
    rows = {row.key: row for row in figures["rows"]}
    assert (rows["received"].current, rows["received"].previous) == (1, 2)
    assert rows["received"].change == -1
    assert (rows["forwarded"].current, rows["forwarded"].change) == (1, 1)
    assert rows["median_days"].change is None


# --- Dashboard counts ------------------------------------------------------------


@pytest.mark.django_db
def test_dashboard_counts(make_user):
    me = make_user("me")
    other = make_user("other")
    today = timezone.localdate()
    now = timezone.now() - timedelta(minutes=5)
    _request(now, due_on=today)  # unassigned, due today
    yesterday = today - timedelta(days=1)
    _request(now, due_on=yesterday, assignee=me, status=Status.ASSIGNED)
    _request(now, due_on=today + timedelta(days=3), assignee=other,
             status=Status.DRAFTED)  # fmt: skip
    _request(now, due_on=today - timedelta(days=3), status=Status.ANSWERED,
             assignee=me, answered_at=now)  # fmt: skip
    counts = statistics.dashboard_counts(user=me)
    assert counts == {
        "unassigned": 1,
        "due_today": 1,
        "overdue": 1,
        "mine": 1,
        "today": today,
    }


# --- The page and its exports ----------------------------------------------------


URL = "inquiries_stats:statistics"


def _march(rng_seed: int = 3) -> list[Request]:
    rng = random.Random(rng_seed)
    return _random_year(rng, date(2026, 2, 1), 59)


@pytest.mark.django_db
def test_every_role_may_open_the_page(client, role_user):
    client.force_login(role_user)
    page = client.get(reverse(URL))
    assert page.status_code == 200 and "figures" in page.context
    export = client.get(reverse("inquiries_stats:export", args=["csv"]))
    assert export.status_code == 200
    assert export["Content-Type"].startswith("text/csv")


@pytest.mark.django_db
def test_without_a_role_or_a_login_the_page_is_closed(client, make_user):
    _march()
    page = reverse(URL)
    response = client.get(page)
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(make_user("nobody"))
    assert client.get(page).status_code == 403
    assert client.get(reverse("inquiries_stats:export", args=["csv"])).status_code == (
        403
    )


@pytest.mark.django_db
def test_the_page_shows_the_figures_of_the_chosen_month(client, viewer):
    requests = _march()
    client.force_login(viewer)
    response = client.get(reverse(URL), {"period": "month", "year": 2026, "month": 3})
    expected = _expected(requests, date(2026, 3, 1), date(2026, 3, 31))
    previous = _expected(requests, date(2026, 2, 1), date(2026, 2, 28))
    rows = {row.key: row for row in response.context["figures"]["rows"]}
    assert rows["received"].current == expected["received"]
    assert rows["received"].previous == previous["received"]
    assert rows["on_time"].current == expected["on_time"]
    page = response.text
    assert 'data-row="received"' in page
    assert 'data-export="csv"' in page and "period=month" in page
    # The following month has not started: no link to it.
    assert "data-previous-period" in page


@pytest.mark.django_db
def test_the_period_chooser_offers_quarters_years_and_any_dates(client, viewer):
    requests = _march()
    client.force_login(viewer)
    page = reverse(URL)
    response = client.get(page, {"period": "quarter", "year": 2026, "quarter": 1})
    figures = response.context["figures"]
    assert (
        figures["current"]["received"]
        == _expected(requests, date(2026, 1, 1), date(2026, 3, 31))["received"]
    )
    assert figures["previous"]["start"] == date(2025, 10, 1)
    response = client.get(page, {"period": "year", "year": 2026})
    assert response.context["figures"]["current"]["end"] == date(2026, 12, 31)
    response = client.get(
        page, {"period": "custom", "start": "2026-02-10", "end": "2026-02-19"}
    )
    figures = response.context["figures"]
    assert figures["previous"]["start"] == date(2026, 1, 31)
    assert (
        figures["current"]["received"]
        == _expected(requests, date(2026, 2, 10), date(2026, 2, 19))["received"]
    )


@pytest.mark.django_db
def test_a_backwards_period_is_refused_clearly(client, viewer):
    client.force_login(viewer)
    response = client.get(
        reverse(URL), {"period": "custom", "start": "2026-03-10", "end": "2026-03-01"}
    )
    assert response.status_code == 200
    assert "figures" not in response.context
    with translation.override("ka"):
        message = translation.gettext("The period must not end before it starts.")
    assert message in response.text
    response = client.get(reverse(URL), {"period": "custom", "start": "2026-03-10"})
    assert "figures" not in response.context
    export = reverse("inquiries_stats:export", args=["csv"])
    response = client.get(export, {"period": "custom", "start": "2026-03-10"})
    assert response.status_code == 302 and "period=custom" in response["Location"]


@pytest.mark.django_db
def test_the_page_query_count_is_pinned(client, viewer, django_assert_num_queries):
    _march()
    client.force_login(viewer)
    # session, user, permissions (2), first request's year, then for each
    # period: counts, refusal grounds, their names, median
    with django_assert_num_queries(13):
        response = client.get(
            reverse(URL), {"period": "month", "year": 2026, "month": 3}
        )
    assert response.context["figures"]


def _csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ka", "hy", "en"])
def test_the_csv_export_has_the_numbers_and_headers_in_the_users_language(
    client, make_user, language
):
    requests = _march()
    client.force_login(make_user("reader", role="Viewer", language=language))
    response = client.get(
        reverse("inquiries_stats:export", args=["csv"]),
        {"period": "month", "year": 2026, "month": 3},
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "inquiries-2026-03-01-2026-03-31.csv" in response["Content-Disposition"]
    rows = _csv(response)
    with translation.override(language):
        figure = translation.gettext("Figure")
        change = translation.gettext("Change")
        received = translation.gettext("Requests received")
        on_time = translation.gettext("answered on time")
        march = statistics.period_label(date(2026, 3, 1), date(2026, 3, 31))
    assert rows[0][0] == figure and rows[0][3] == change
    assert rows[0][1] == march
    expected = _expected(requests, date(2026, 3, 1), date(2026, 3, 31))
    previous = _expected(requests, date(2026, 2, 1), date(2026, 2, 28))
    table = {row[0].strip(): row[1:] for row in rows[1:]}
    assert table[received] == [
        str(expected["received"]),
        str(previous["received"]),
        str(expected["received"] - previous["received"]),
    ]
    assert table[on_time][:2] == [str(expected["on_time"]), str(previous["on_time"])]
    assert len(rows) == 1 + len(
        statistics.rows(
            statistics.statistics(start=date(2026, 3, 1), end=date(2026, 3, 31)),
            statistics.statistics(start=date(2026, 2, 1), end=date(2026, 2, 28)),
        )
    )


@pytest.mark.django_db
def test_the_xlsx_export_holds_numbers_and_translated_headers(client, make_user):
    requests = _march()
    client.force_login(make_user("reader", role="Viewer", language="hy"))
    response = client.get(
        reverse("inquiries_stats:export", args=["xlsx"]),
        {"period": "quarter", "year": 2026, "quarter": 1},
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    with translation.override("hy"):
        figure = translation.gettext("Figure")
        kinds = {str(label): value for value, label in Kind.choices}
        median = translation.gettext("Median time to answer (days)")
        received = translation.gettext("Requests received")
    assert values[0][0] == figure
    table = {row[0]: row[1:] for row in values[1:]}
    quarter = _expected(requests, date(2026, 1, 1), date(2026, 3, 31))
    before = _expected(requests, date(2025, 10, 1), date(2025, 12, 31))
    assert table[received][:2] == (quarter["received"], before["received"])
    assert isinstance(table[received][0], int)
    for label, value in kinds.items():
        assert table[label][0] == quarter["by_kind"][value]
    assert table[median][0] == quarter["median_days"]
    assert table[median][1] is None


@pytest.mark.django_db
def test_a_ground_named_like_a_formula_stays_text(client, viewer):
    ground = RefusalGround.objects.create(
        profile=_profile(), name="=HYPERLINK(1)", name_ka="=HYPERLINK(1)"
    )
    day = date(2026, 3, 3)
    _request(_at(day), status=Status.REFUSED, refusal_ground=ground,
             answered_at=_at(day))  # fmt: skip
    client.force_login(viewer)
    query = {"period": "month", "year": 2026, "month": 3}
    rows = _csv(client.get(reverse("inquiries_stats:export", args=["csv"]), query))
    assert ["  '=HYPERLINK(1)", "1", "0", "1"] in rows
    response = client.get(reverse("inquiries_stats:export", args=["xlsx"]), query)
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [row[0] for row in sheet.iter_rows() if row[0].value == "=HYPERLINK(1)"]
    assert cells and cells[0].data_type == "s"


@pytest.mark.django_db
def test_an_unknown_export_format_is_not_found(client, viewer):
    client.force_login(viewer)
    export = reverse("inquiries_stats:export", args=["pdf"])
    assert client.get(export).status_code == 404
