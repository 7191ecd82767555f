"""Calendar month and week views in local (Tbilisi) time, and pinned query counts."""

import os
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events import selectors
from events.models import Event, EventType

from .factories import EventFactory, TaskFactory, VenueFactory

TBILISI = ZoneInfo("Asia/Tbilisi")

# Session, user, permissions (2), then the page's own reads: the filter bar's
# types, staff and venues, and one query for the events.
CALENDAR_QUERIES = 8
# The list also reads the page of events in one query (keyset, no count).
LIST_QUERIES = 8
# The event page: the event and its five prefetched parts, attendance, the
# staff and agenda of the add forms, and the invitations and accreditation
# panels (one query each).
DETAIL_QUERIES = 16


def _local(*args):
    return datetime(*args, tzinfo=TBILISI)


@pytest.fixture
def boundary_events(db):
    """Events around the night of 31 March to 1 April, in Tbilisi time."""
    return {
        # 22:00 to 02:00: two local days, two months.
        "overnight": EventFactory(
            title_en="Overnight", starts_at=_local(2025, 3, 31, 22),
            ends_at=_local(2025, 4, 1, 2),
        ),
        # 01:00 on 1 April is still 31 March in UTC.
        "early": EventFactory(
            title_en="Early", starts_at=_local(2025, 4, 1, 1),
            ends_at=_local(2025, 4, 1, 3),
        ),
        # Ends exactly at midnight: it does not spill into 1 April.
        "evening": EventFactory(
            title_en="Evening", starts_at=_local(2025, 3, 31, 19),
            ends_at=_local(2025, 4, 1, 0),
        ),
    }  # fmt: skip


def _titles(day):
    return sorted(e.title_en for e in day.events)


@pytest.mark.django_db
def test_month_grid_places_events_on_local_days(boundary_events):
    weeks = selectors.calendar_month(2025, 3, Event.objects.all())
    days = {d.day.isoformat(): d for week in weeks for d in week}
    assert weeks[0][0].day.isoformat() == "2025-02-24"  # Monday first
    assert _titles(days["2025-03-31"]) == ["Evening", "Overnight"]
    assert _titles(days["2025-04-01"]) == ["Early", "Overnight"]
    assert days["2025-04-01"].in_month is False
    april = selectors.calendar_month(2025, 4, Event.objects.all())
    april_days = {d.day.isoformat(): d for week in april for d in week}
    assert _titles(april_days["2025-03-31"]) == ["Evening", "Overnight"]
    assert _titles(april_days["2025-04-01"]) == ["Early", "Overnight"]


@pytest.mark.django_db
def test_week_spans_the_month_boundary(boundary_events):
    days = selectors.calendar_week(_local(2025, 4, 3).date(), Event.objects.all())
    assert [d.day.isoformat() for d in days][:2] == ["2025-03-31", "2025-04-01"]
    assert _titles(days[0]) == ["Evening", "Overnight"]
    assert _titles(days[1]) == ["Early", "Overnight"]
    assert all(not d.events for d in days[2:])


@pytest.mark.django_db
def test_month_and_week_pages_show_the_events(client, viewer, boundary_events):
    client.force_login(viewer)
    page = client.get(reverse("events:calendar_month"), {"year": 2025, "month": 4})
    assert page.status_code == 200
    text = page.text
    assert 'data-month="2025-04"' in text
    assert "month=3" in text and "month=5" in text  # previous and next
    assert boundary_events["early"].get_absolute_url() in text
    week = client.get(reverse("events:calendar_week"), {"date": "2025-04-01"}).text
    assert 'data-week="2025-03-31"' in week
    assert "date=2025-03-24" in week and "date=2025-04-07" in week
    assert boundary_events["overnight"].get_absolute_url() in week


@pytest.mark.django_db
def test_filters_and_search_across_scripts(client, viewer):
    hall = VenueFactory()
    hearing = EventFactory(
        event_type=EventType.objects.get(code="public-hearing"),
        title_ka="საჯარო განხილვა ბიუჯეტზე",
        title_hy="",
        title_en="",
        venue=hall,
        starts_at=_local(2025, 4, 2, 10),
        ends_at=_local(2025, 4, 2, 12),
    )
    other = EventFactory(
        starts_at=_local(2025, 4, 2, 10), ends_at=_local(2025, 4, 2, 11)
    )
    client.force_login(viewer)
    url = reverse("events:index")
    for params in (
        {"q": "biujet", "past": "1"},
        {"q": "ბიუჯეტ", "past": "1"},
        {"venue": hall.pk, "past": "1"},
        {"type": hearing.event_type_id, "past": "1"},
    ):
        events = client.get(url, params).context["events"]
        assert events == [hearing], params
    assert other in client.get(url, {"past": "1"}).context["events"]


def _count(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    if os.environ.get("SHOW_QUERIES"):
        print(url, *(q["sql"][:150] for q in queries.captured_queries), sep="\n")
    return len(queries)


def _many_events(count):
    start = _local(2025, 4, 1, 9)
    venues = [VenueFactory() for _ in range(3)]
    for n in range(count):
        EventFactory(
            starts_at=start + timedelta(hours=n * 7),
            ends_at=start + timedelta(hours=n * 7 + 1),
            venue=venues[n % 3],
        )


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 30])
def test_calendar_query_counts_are_pinned(client, manager, count):
    _many_events(count)
    client.force_login(manager)
    month = {"year": 2025, "month": 4}
    assert _count(client, reverse("events:calendar_month"), month) == CALENDAR_QUERIES
    week = {"date": "2025-04-02"}
    assert _count(client, reverse("events:calendar_week"), week) == CALENDAR_QUERIES
    listing = {"past": "1"}
    assert _count(client, reverse("events:index"), listing) == LIST_QUERIES


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 8])
def test_event_page_query_count_is_pinned(client, manager, count):
    event = EventFactory(event_type=EventType.objects.get(code="council-session"))
    for _ in range(count):
        TaskFactory(event=event, assignee=manager)
        event.agenda.create(title="პუნქტი")
        event.follow_ups.create(instruction="x", assignee=manager)
    client.force_login(manager)
    assert _count(client, event.get_absolute_url()) == DETAIL_QUERIES
