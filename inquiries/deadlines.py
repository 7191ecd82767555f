"""Deadline arithmetic of the inquiry desk: calendar and working days, holidays.

The laws count a term from the day after the request was received (Georgian
General Administrative Code; Armenian Law on Freedom of Information, Art. 9):
a request received on Monday with a five-day term is due on Saturday, and a
deadline that falls on a day off moves to the next working day when the law
profile says so. Working days are Monday to Friday less the Holiday rows of the
profile's country, which a manager keeps up to date in the admin.
"""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from inquiries.models import DayKind, DeadlineRule, Holiday, LawProfile

# Holidays are read for a window of this many days at a time; a term never
# needs more than a few windows.
_WINDOW = 62


def _days_off(country: str, start: date, end: date) -> set[date]:
    """The public holidays of ``country`` from ``start`` to ``end`` (inclusive)."""
    return set(
        Holiday.objects.filter(
            country=country, date__gte=start, date__lte=end
        ).values_list("date", flat=True)
    )


class _Calendar:
    """Working-day questions about one country, reading holidays a window at a time."""

    def __init__(self, country: str):
        self.country = country
        self._holidays: set[date] = set()
        self._loaded: tuple[date, date] | None = None

    def _load(self, day: date) -> None:
        if self._loaded and self._loaded[0] <= day <= self._loaded[1]:
            return
        start = day if self._loaded is None else min(day, self._loaded[0])
        end = max(day, self._loaded[1] if self._loaded else day) + timedelta(
            days=_WINDOW
        )
        self._holidays = _days_off(self.country, start, end)
        self._loaded = (start, end)

    def is_working(self, day: date) -> bool:
        if day.weekday() >= 5:
            return False
        self._load(day)
        return day not in self._holidays

    def next_working(self, day: date) -> date:
        """``day`` itself when it is a working day, else the next one."""
        while not self.is_working(day):
            day += timedelta(days=1)
        return day


def is_working_day(day: date, country: str) -> bool:
    """Monday to Friday and not a public holiday of ``country``."""
    if day.weekday() >= 5:
        return False
    return not Holiday.objects.filter(country=country, date=day).exists()


def next_working_day(day: date, country: str) -> date:
    """``day`` when it is a working day of ``country``, else the first one after."""
    return _Calendar(country).next_working(day)


def add_days(
    start: date, days: int, *, day_kind: str, country: str, roll: bool = True
) -> date:
    """The day ``days`` calendar or working days after ``start``.

    Counting starts the day after ``start``. Working days skip weekends and
    holidays, so the result is always a working day (for ``days`` > 0).
    Calendar days end on ``start + days``; with ``roll`` a day off moves to the
    next working day.
    """
    if days < 0:
        raise ValueError("A term cannot be negative.")
    calendar = _Calendar(country)
    if day_kind == DayKind.WORKING:
        day, left = start, days
        while left > 0:
            day += timedelta(days=1)
            if calendar.is_working(day):
                left -= 1
    else:
        day = start + timedelta(days=days)
    if roll:
        day = calendar.next_working(day)
    return day


def working_days_between(start: date, end: date, *, country: str) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if end ≤ start)."""
    calendar = _Calendar(country)
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if calendar.is_working(day):
            count += 1
    return count


def received_on(received_at: datetime) -> date:
    """The local date a request was received on; terms count from it."""
    if timezone.is_aware(received_at):
        return timezone.localdate(received_at)
    return received_at.date()


def rule_for(*, kind: str, profile: LawProfile) -> DeadlineRule:
    """The profile's rule for this kind; a clear error when the profile has none."""
    rule = DeadlineRule.objects.filter(profile=profile, kind=kind).first()
    if rule is None:
        raise ValidationError(
            {
                "kind": _(
                    "The law profile %(profile)s sets no deadline for this kind "
                    "of request. Add one in the administration."
                )
                % {"profile": profile}
            }
        )
    return rule


def _term(start: date, days: int, *, rule: DeadlineRule, profile: LawProfile) -> date:
    return add_days(
        start,
        days,
        day_kind=rule.day_kind,
        country=profile.country,
        roll=profile.roll_to_working_day,
    )


def due_for(*, kind: str, received_at: datetime, profile: LawProfile) -> date:
    """The first deadline of a request of ``kind`` received at ``received_at``."""
    rule = rule_for(kind=kind, profile=profile)
    return _term(received_on(received_at), rule.days, rule=rule, profile=profile)


def extension_allowed(request) -> bool:
    """Whether the request's rule allows a longer term (and it is not extended yet)."""
    rule = DeadlineRule.objects.filter(
        profile_id=request.law_profile_id, kind=request.kind
    ).first()
    return bool(rule and rule.extended_days and request.extended_at is None)


def extended_due_for(*, request) -> date:
    """The deadline after an extension: the rule's longer term, counted from receipt.

    Never earlier than the deadline the request already has.
    """
    profile = request.law_profile
    rule = rule_for(kind=request.kind, profile=profile)
    if not rule.extended_days:
        raise ValidationError(
            _("The law allows no extension for this kind of request.")
        )
    due = _term(
        received_on(request.received_at),
        rule.extended_days,
        rule=rule,
        profile=profile,
    )
    return max(due, request.due_on)


def extension_notice_due_for(*, request) -> date | None:
    """When the requester must have been told of an extension; None: no such rule."""
    profile = request.law_profile
    rule = rule_for(kind=request.kind, profile=profile)
    if not rule.extension_notice_days:
        return None
    return _term(
        received_on(request.received_at),
        rule.extension_notice_days,
        rule=rule,
        profile=profile,
    )


def refusal_notice_due_for(*, request, decided_on: date) -> date | None:
    """When a refusal decided on ``decided_on`` must reach the requester."""
    profile = request.law_profile
    rule = rule_for(kind=request.kind, profile=profile)
    if not rule.refusal_notice_days:
        return None
    return _term(decided_on, rule.refusal_notice_days, rule=rule, profile=profile)


def days_left(due_on: date, *, today: date | None = None) -> int:
    """Calendar days from today to the deadline (negative once it has passed)."""
    today = today or timezone.localdate()
    return (due_on - today).days
