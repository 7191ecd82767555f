"""Calendar files and feeds: valid RFC 5545, whole Georgian and Armenian letters."""

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from events import ics
from events.models import CalendarFeed, ChecklistTask
from prapp.models import AuditEntry
from tests.events.test_invitations import make_event


def _check_lines(content: bytes) -> None:
    """Every physical line ≤ 75 octets and valid UTF-8 on its own."""
    assert content.endswith(b"\r\n")
    for line in content.split(b"\r\n")[:-1]:
        assert len(line) <= 75, line
        line.decode("utf-8")  # a split multi-byte letter raises here


def _check_calendar(content: bytes, *, count: int) -> icalendar.Calendar:
    calendar = icalendar.Calendar.from_ical(content)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    events = calendar.walk("VEVENT")
    assert len(events) == count
    for vevent in events:
        for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND"):
            assert prop in vevent
    return calendar


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("ka", "პრესკონფერენცია ბიუჯეტის შესახებ"),
        ("hy", "Մամուլի ասուլիս բյուջեի մասին"),
        ("en", "Press conference on the budget"),
    ],
)
def test_long_texts_fold_without_breaking_letters(db, language, title):
    long = {f"description_{language}": (title + " — ") * 20}
    event = make_event(**long)
    content = ics.event_calendar_bytes(event, language=language)
    _check_lines(content)
    calendar = _check_calendar(content, count=1)
    vevent = calendar.walk("VEVENT")[0]
    assert str(vevent["SUMMARY"]) == title
    assert str(vevent["DESCRIPTION"]) == (title + " — ") * 20
    assert vevent.decoded("DTSTART") == event.starts_at.replace(microsecond=0)
    assert vevent.decoded("DTEND") == event.ends_at.replace(microsecond=0)
    assert "რუსთაველის" in str(vevent["LOCATION"])


def test_event_ics_download(db, viewer, client):
    event = make_event()
    client.force_login(viewer)
    response = client.get(reverse("events:event_ics", args=[event.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    _check_lines(response.content)
    _check_calendar(response.content, count=1)


def test_feed_mine_and_all(db, make_user, client):
    user = make_user("editor", role="Editor")
    own = make_event(responsible=user)
    tasked = make_event()
    ChecklistTask.objects.create(event=tasked, title="დარბაზი", assignee=user)
    make_event()  # somebody else's
    make_event(
        starts_at=timezone.now() - timedelta(days=400)
    )  # long past: never in a feed
    feed = CalendarFeed.objects.create(user=user)
    url = reverse("events:feed", args=[feed.token])
    response = client.get(url)  # no login
    assert response.status_code == 200
    calendar = _check_calendar(response.content, count=2)
    uids = {str(v["UID"]).split("@")[0] for v in calendar.walk("VEVENT")}
    assert uids == {str(own.uid), str(tasked.uid)}
    _check_lines(response.content)
    feed.scope = CalendarFeed.Scope.ALL
    feed.save()
    _check_calendar(client.get(url).content, count=3)


def test_feed_wrong_token_is_404(db, make_user, client):
    user = make_user("editor", role="Editor")
    CalendarFeed.objects.create(user=user)
    make_event(responsible=user)
    response = client.get(reverse("events:feed", args=["wrong-token"]))
    assert response.status_code == 404
    assert b"VCALENDAR" not in response.content


def test_feed_of_inactive_user_is_404(db, make_user, client):
    user = make_user("editor", role="Editor", is_active=False)
    feed = CalendarFeed.objects.create(user=user)
    assert client.get(reverse("events:feed", args=[feed.token])).status_code == 404


def test_feed_settings_scope_and_regenerate(db, viewer, client):
    client.force_login(viewer)
    url = reverse("events:feed_settings")
    page = client.get(url)
    assert page.status_code == 200
    feed = CalendarFeed.objects.get(user=viewer)
    assert feed.token in page.content.decode()
    client.post(url, {"scope": "all"})
    feed.refresh_from_db()
    assert feed.scope == "all"
    old = feed.token
    client.post(url, {"regenerate": "1"})
    feed.refresh_from_db()
    assert feed.token != old
    assert client.get(reverse("events:feed", args=[old])).status_code == 404
    assert client.get(reverse("events:feed", args=[feed.token])).status_code == 200
    entries = AuditEntry.objects.filter(action="events.calendar_feed.changed")
    assert entries.count() == 2
    assert all(feed.token not in str(e.changes) for e in entries)


def test_feed_settings_need_login(db, client):
    response = client.get(reverse("events:feed_settings"))
    assert response.status_code == 302
