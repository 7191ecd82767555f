"""iCalendar (RFC 5545) files of events: invitation attachments, downloads, feeds.

The icalendar library folds long lines by octets without splitting a UTF-8
character, so Georgian and Armenian titles (three octets a letter) stay whole.
"""

from collections.abc import Iterable
from datetime import UTC

import icalendar
from django.conf import settings
from django.utils import timezone, translation

from events.models import Event

PRODID = "-//prapp//Events//EN"


def _location(event: Event) -> str:
    if event.venue_id:
        venue = event.venue
        return ", ".join(part for part in (venue.name, venue.address) if part)
    return event.online_url


def _vevent(event: Event, *, stamp) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", f"{event.uid}@prapp")
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", event.starts_at.astimezone(UTC))
    vevent.add("dtend", event.ends_at.astimezone(UTC))
    # Read inside translation.override: modeltranslation gives the language's text.
    vevent.add("summary", str(event.title))
    if event.description:
        vevent.add("description", str(event.description))
    location = _location(event)
    if location:
        vevent.add("location", location)
    if event.online_url:
        vevent.add("url", event.online_url)
    if event.status == Event.Status.CANCELLED:
        vevent.add("status", "CANCELLED")
    elif event.status in (Event.Status.CONFIRMED, Event.Status.HELD):
        vevent.add("status", "CONFIRMED")
    else:
        vevent.add("status", "TENTATIVE")
    vevent.add("last-modified", event.updated_at.astimezone(UTC))
    return vevent


def calendar_bytes(
    events: Iterable[Event],
    *,
    language: str,
    method: str | None = "PUBLISH",
    name: str = "",
) -> bytes:
    """One VCALENDAR holding ``events``, texts in ``language``, as bytes.

    Events should come with their venue selected (``select_related("venue")``).
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now().astimezone(UTC)
    with translation.override(language):
        for event in events:
            calendar.add_component(_vevent(event, stamp=stamp))
    return calendar.to_ical()


def event_calendar_bytes(event: Event, *, language: str) -> bytes:
    """The .ics file of one event (attachment of an invitation, staff download)."""
    return calendar_bytes([event], language=language, method="PUBLISH")
