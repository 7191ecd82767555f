"""Reads of the events app: filtered lists, calendar grids, conflicts, overdue work."""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from contacts.models import Person
from events.models import (
    ChecklistTask,
    Event,
    FollowUp,
    Venue,
)
from prapp.models import AuditEntry
from prapp.text import search_key, search_q

# Events that do not take place do not block a hall or a person.
INACTIVE_STATUSES = (Event.Status.CANCELLED, Event.Status.POSTPONED)
EVENT_FILTERS = ("q", "type", "status", "responsible", "venue")


def _ids(params, name) -> list[int]:
    values = params.getlist(name) if hasattr(params, "getlist") else params.get(name)
    if values is None:
        return []
    if not isinstance(values, (list, tuple)):
        values = [values]
    return [int(v) for v in values if str(v).isdigit()]


def events_filtered(params) -> QuerySet:
    """Events matching the calendar's filters (a QueryDict or a dict)."""
    events = Event.objects.all()
    query = (params.get("q") or "").strip()
    if query:
        events = events.filter(search_q("search_key", query))
    if types := _ids(params, "type"):
        events = events.filter(event_type_id__in=types)
    statuses = params.getlist("status") if hasattr(params, "getlist") else []
    if not statuses and params.get("status"):
        statuses = [params.get("status")]
    statuses = [s for s in statuses if s in Event.Status.values]
    if statuses:
        events = events.filter(status__in=statuses)
    if responsible := _ids(params, "responsible"):
        events = events.filter(responsible_id__in=responsible)
    if venues := _ids(params, "venue"):
        events = events.filter(venue_id__in=venues)
    return events


def events_for_list(events: QuerySet) -> QuerySet:
    """What a list row or a calendar cell shows, in one query, by start."""
    return events.select_related("event_type", "venue", "responsible").order_by(
        "starts_at", "pk"
    )


def local_day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """Aware datetimes from the start of ``first`` to the end of ``last``, local."""
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(first, time.min), zone)
    end = timezone.make_aware(
        datetime.combine(last + timedelta(days=1), time.min), zone
    )
    return start, end


def events_between(events: QuerySet, first: date, last: date) -> list[Event]:
    """Events of ``events`` that overlap the local days ``first``…``last``."""
    start, end = local_day_bounds(first, last)
    return list(events_for_list(events.filter(starts_at__lt=end, ends_at__gt=start)))


def _local_days(event: Event) -> list[date]:
    first = timezone.localtime(event.starts_at).date()
    # An event that ends at midnight does not occupy the next day.
    last = timezone.localtime(event.ends_at - timedelta(microseconds=1)).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@dataclass
class CalendarDay:
    day: date
    in_month: bool = True
    is_today: bool = False
    events: list = field(default_factory=list)


def _days_with_events(first: date, last: date, events: list[Event], month=None):
    today = timezone.localdate()
    days = {
        first + timedelta(days=n): CalendarDay(
            day=first + timedelta(days=n),
            in_month=month is None or (first + timedelta(days=n)).month == month,
            is_today=first + timedelta(days=n) == today,
        )
        for n in range((last - first).days + 1)
    }
    for event in events:
        for day in _local_days(event):
            if day in days:
                days[day].events.append(event)
    return [days[d] for d in sorted(days)]


def calendar_month(year: int, month: int, events: QuerySet) -> list[list[CalendarDay]]:
    """Weeks (Monday first) of the month grid, each day with its events."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    days = _days_with_events(
        first, last, events_between(events, first, last), month=month
    )
    return [days[i : i + 7] for i in range(0, len(days), 7)]


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def calendar_week(day: date, events: QuerySet) -> list[CalendarDay]:
    """The seven days (Monday first) of ``day``'s week, each with its events."""
    first = week_start(day)
    last = first + timedelta(days=6)
    return _days_with_events(first, last, events_between(events, first, last))


def event_for_detail(pk: int) -> Event:
    """An event with everything its page shows, in a fixed number of queries."""
    queryset = Event.objects.select_related(
        "event_type", "venue", "responsible", "created_by"
    ).prefetch_related(
        Prefetch("key_participants", queryset=Person.objects.order_by("last_name")),
        Prefetch("tasks", queryset=ChecklistTask.objects.select_related("assignee")),
        "agenda",
        Prefetch(
            "follow_ups",
            queryset=FollowUp.objects.select_related("assignee", "agenda_item"),
        ),
        "attachments",
    )
    return get_object_or_404(queryset, pk=pk)


@dataclass(frozen=True)
class Conflict:
    """Another event that needs the same hall or person at the same time."""

    other: Event
    venue: Venue | None = None
    person: Person | None = None


def event_conflicts(event: Event) -> list[Conflict]:
    """Double bookings of ``event``'s venue and key participants (a warning only)."""
    if event.pk is None or event.status in INACTIVE_STATUSES:
        return []
    overlapping = (
        Event.objects.exclude(pk=event.pk)
        .exclude(status__in=INACTIVE_STATUSES)
        .filter(starts_at__lt=event.ends_at, ends_at__gt=event.starts_at)
        .select_related("venue")
        .order_by("starts_at", "pk")
    )
    conflicts = []
    if event.venue_id:
        conflicts += [
            Conflict(other=other, venue=other.venue)
            for other in overlapping.filter(venue_id=event.venue_id)
        ]
    people = list(event.key_participants.all())
    if people:
        through = Event.key_participants.through.objects.filter(
            event__in=overlapping, person__in=people
        ).select_related("event", "person")
        conflicts += [
            Conflict(other=row.event, person=row.person)
            for row in through.order_by("event__starts_at", "event_id", "person_id")
        ]
    return conflicts


def attendance_count(event: Event) -> int:
    """How many invited people were checked in at the door."""
    return event.invitations.filter(attended_at__isnull=False).count()


def overdue_tasks(user, *, today: date | None = None) -> QuerySet:
    """Open checklist tasks of ``user`` whose due date has passed."""
    today = today or timezone.localdate()
    return (
        ChecklistTask.objects.filter(
            assignee=user, state=ChecklistTask.State.OPEN, due_on__lt=today
        )
        .select_related("event")
        .order_by("due_on", "pk")
    )


def overdue_follow_ups(user, *, today: date | None = None) -> QuerySet:
    """Open follow-up instructions for ``user`` whose due date has passed."""
    today = today or timezone.localdate()
    return (
        FollowUp.objects.filter(
            assignee=user, state=FollowUp.State.OPEN, due_on__lt=today
        )
        .select_related("event")
        .order_by("due_on", "pk")
    )


def events_this_week(*, today: date | None = None) -> list[Event]:
    """Events from today to the end of the week, cancelled ones left out."""
    today = today or timezone.localdate()
    last = week_start(today) + timedelta(days=6)
    return events_between(
        Event.objects.exclude(status=Event.Status.CANCELLED), today, last
    )


def digest_tasks(user, day: date) -> tuple[list, list]:
    """(overdue tasks, tasks due ``day``) of ``user``, for the daily email."""
    open_tasks = ChecklistTask.objects.filter(
        assignee=user, state=ChecklistTask.State.OPEN, due_on__lte=day
    ).select_related("event")
    tasks = list(open_tasks.order_by("due_on", "pk"))
    return (
        [t for t in tasks if t.due_on < day],
        [t for t in tasks if t.due_on == day],
    )


def digest_recipient_ids(day: date) -> list[int]:
    """Active users with an open task due ``day`` or earlier."""
    return sorted(
        set(
            ChecklistTask.objects.filter(
                state=ChecklistTask.State.OPEN,
                due_on__lte=day,
                assignee__is_active=True,
            ).values_list("assignee_id", flat=True)
        )
    )


DIGEST_ACTION = "events.task_digest.sent"


def digest_already_sent(user, day: date) -> bool:
    """Whether ``user`` has had ``day``'s task digest (read from the audit trail)."""
    return AuditEntry.objects.filter(
        action=DIGEST_ACTION,
        target_id=str(user.pk),
        target_type__app_label=user._meta.app_label,
        target_type__model=user._meta.model_name,
        changes__date=day.isoformat(),
    ).exists()


def person_suggestions(text: str, *, limit: int = 15) -> list[dict]:
    """People whose names match what is typed, in any script, for the add box."""
    if len(search_key(text)) < 2:
        return []
    found = Person.objects.filter(search_q("search_key", text)).order_by(
        "last_name", "first_name", "pk"
    )[:limit]
    return [{"id": p.pk, "name": f"{p} (#{p.pk})"} for p in found]


def staff_users() -> QuerySet:
    """Members of staff who can be made responsible for an event or a task."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .order_by("first_name", "last_name", "username")
    )


def event_history(event: Event) -> QuerySet:
    """The audit entries of ``event``, newest first."""
    return AuditEntry.objects.filter(
        target_type__app_label="events",
        target_type__model="event",
        target_id=str(event.pk),
    ).select_related("actor")
