"""Reads of the inquiry desk: the queue and its filters, one request, the calendar.

Statistics live in inquiries.statistics. Everything here is read-only; the
pages call inquiries.services for every change.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from contacts.selectors import organisation_suggestions
from events.selectors import person_suggestions
from inquiries.models import (
    LANGUAGE_CHOICES,
    DeadlineRule,
    Holiday,
    InternalQuestion,
    LineToTake,
    RefusalGround,
    Request,
    RequestAttachment,
    Unit,
)
from prapp.models import AuditEntry
from prapp.selectors import local_midnight, query_day, query_ids, query_values
from prapp.text import search_key, search_q

PAGE_SIZE = 50
# A request due within this many days (and not yet late) is marked "due soon".
SOON_DAYS = 2
QUEUE_FILTERS = (
    "q",
    "kind",
    "status",
    "channel",
    "unit",
    "assignee",
    "due_from",
    "due_to",
    "received_from",
    "received_to",
    "overdue",
)
# The status filter's own values besides the statuses themselves.
STATUS_OPEN = ""
STATUS_CLOSED = "closed"
STATUS_ALL = "all"
ASSIGNEE_ME = "me"
ASSIGNEE_NOBODY = "none"
# Open requests are worked on by deadline; closed ones are looked up by date.
OPEN_ORDER = ("due_on", "pk")
CLOSED_ORDER = ("-received_at", "-pk")
# Words shorter than this say little about what a question is about.
SIMILAR_MIN_WORD = 4
SIMILAR_LIMIT = 5


# --- Deadlines --------------------------------------------------------------------


def deadline_state(request: Request, today: date | None = None) -> str:
    """ "overdue", "today", "soon" or "" for an open request; "" once it is closed."""
    if not request.is_open:
        return ""
    today = today or timezone.localdate()
    left = (request.due_on - today).days
    if left < 0:
        return "overdue"
    if left == 0:
        return "today"
    if left <= SOON_DAYS:
        return "soon"
    return ""


def days_left(request: Request, today: date | None = None) -> int:
    """Calendar days from today to the deadline (negative once it has passed)."""
    return (request.due_on - (today or timezone.localdate())).days


def overdue_q(today: date | None = None) -> Q:
    """Open requests whose deadline has passed."""
    return Q(
        status__in=Request.OPEN_STATUSES,
        due_on__lt=today or timezone.localdate(),
    )


# --- The queue --------------------------------------------------------------------


def queue(*, user, params) -> QuerySet:
    """The queue's requests for ``params`` (a QueryDict or a dict).

    By default the open requests, the nearest deadline first; ``status=closed``
    or ``status=all`` (or one closed status) reaches the others, newest first.
    Ready for a list page: unit, assignee and requester come with the rows.
    """
    requests = Request.objects.all()
    if query := " ".join(query_values(params, "q")):
        condition = search_q("search_text", query)
        # A registration number is looked up as typed ("2026/0042").
        requests = requests.filter(condition | Q(number__icontains=query.strip()))
    statuses = query_values(params, "status")
    open_only = False
    if STATUS_ALL in statuses:
        pass
    elif STATUS_CLOSED in statuses:
        requests = requests.filter(status__in=Request.CLOSED_STATUSES)
    elif chosen := [s for s in statuses if s in Request.Status.values]:
        requests = requests.filter(status__in=chosen)
        open_only = all(s in Request.OPEN_STATUSES for s in chosen)
    else:
        requests = requests.filter(status__in=Request.OPEN_STATUSES)
        open_only = True
    if kinds := [k for k in query_values(params, "kind") if k in Request.Kind.values]:
        requests = requests.filter(kind__in=kinds)
    channels = query_values(params, "channel")
    if channels := [c for c in channels if c in Request.Channel.values]:
        requests = requests.filter(channel__in=channels)
    if units := query_ids(params, "unit"):
        requests = requests.filter(unit_id__in=units)
    assignees = query_values(params, "assignee")
    if assignees:
        condition = Q()
        for value in assignees:
            if value == ASSIGNEE_ME:
                condition |= Q(assignee_id=user.pk)
            elif value == ASSIGNEE_NOBODY:
                condition |= Q(assignee__isnull=True)
            elif value.isdigit():
                condition |= Q(assignee_id=int(value))
        if condition:
            requests = requests.filter(condition)
    if first := query_day(params, "due_from"):
        requests = requests.filter(due_on__gte=first)
    if last := query_day(params, "due_to"):
        requests = requests.filter(due_on__lte=last)
    if first := query_day(params, "received_from"):
        requests = requests.filter(received_at__gte=local_midnight(first))
    if last := query_day(params, "received_to"):
        requests = requests.filter(
            received_at__lt=local_midnight(last + timedelta(days=1))
        )
    if query_values(params, "overdue") in (["1"], ["on"], ["true"], ["True"]):
        requests = requests.filter(overdue_q())
        open_only = True
    return for_list(requests, order=OPEN_ORDER if open_only else CLOSED_ORDER)


def for_list(requests: QuerySet, order=OPEN_ORDER) -> QuerySet:
    """What a queue row shows, without a query per row."""
    return requests.select_related("unit", "assignee").order_by(*order)


def queue_counts(*, user) -> dict:
    """Open requests, mine, and overdue ones: the numbers on the queue's tabs."""
    today = timezone.localdate()
    return Request.objects.filter(status__in=Request.OPEN_STATUSES).aggregate(
        open=Count("pk"),
        mine=Count("pk", filter=Q(assignee_id=user.pk)),
        overdue=Count("pk", filter=Q(due_on__lt=today)),
    )


def desk_staff() -> QuerySet:
    """Active colleagues who may work on requests: assignees, people asked."""
    user_model = get_user_model()
    permission = Permission.objects.filter(
        content_type__app_label="inquiries", codename="change_request"
    )
    through_groups = user_model.groups.through.objects.filter(
        user_id=OuterRef("pk"), group__permissions__in=permission
    )
    through_user = user_model.user_permissions.through.objects.filter(
        user_id=OuterRef("pk"), permission__in=permission
    )
    return user_model.objects.filter(
        Q(is_superuser=True) | Exists(through_groups) | Exists(through_user),
        is_active=True,
    ).order_by("first_name", "last_name", "username")


def contact_suggestions(text: str, *, kind: str, limit: int = 15) -> list[dict]:
    """People or organisations whose names match what is typed, in any script.

    Each name ends in "(#id)", which the lookup box resolves on save.
    """
    if kind == "organisation":
        return [
            {"id": found["id"], "name": f"{found['name']} (#{found['id']})"}
            for found in organisation_suggestions(text, limit=limit)
        ]
    return person_suggestions(text, limit=limit)


def active_units() -> QuerySet:
    """Units a request or a question can go to."""
    return Unit.objects.filter(active=True).order_by("name", "pk")


# --- One request ------------------------------------------------------------------


def request_for_detail(*, pk: int) -> Request:
    """One request with everything its page shows, in a fixed number of queries.

    ``request.rule`` is the deadline rule of its kind under its law profile (or
    None when the profile has none any more).
    """
    request = get_object_or_404(
        Request.objects.select_related(
            "requester",
            "requester_organisation",
            "law_profile",
            "unit",
            "assignee",
            "drafted_by",
            "approved_by",
            "refusal_ground",
            "forwarded_to",
            "monitoring_item",
            "event",
            "release",
            "created_by",
        ).prefetch_related(
            Prefetch(
                "questions",
                queryset=InternalQuestion.objects.select_related(
                    "unit", "assignee", "answered_by", "created_by"
                ),
            ),
            Prefetch(
                "attachments",
                queryset=RequestAttachment.objects.select_related("uploaded_by"),
            ),
            Prefetch("lines", queryset=LineToTake.objects.order_by("-pk")),
        ),
        pk=pk,
    )
    request.rule = (
        DeadlineRule.objects.filter(
            profile_id=request.law_profile_id, kind=request.kind
        )
        .order_by("pk")
        .first()
    )
    return request


def refusal_grounds(request: Request) -> QuerySet:
    """The grounds of refusal its law profile knows."""
    return RefusalGround.objects.filter(profile_id=request.law_profile_id).order_by(
        "name", "pk"
    )


def request_history(request: Request) -> QuerySet:
    """The audit entries of a request and of the lines to take saved from it,
    newest first (questions and files are recorded on the request itself)."""
    request_type = ContentType.objects.get_for_model(Request)
    line_type = ContentType.objects.get_for_model(LineToTake)
    line_ids = [str(line.pk) for line in request.lines.all()]
    return (
        AuditEntry.objects.filter(
            Q(target_type=request_type, target_id=str(request.pk))
            | Q(target_type=line_type, target_id__in=line_ids)
        )
        .select_related("actor")
        .order_by("-at", "-pk")
    )


def similar_lines(request: Request, limit: int = SIMILAR_LIMIT) -> list[LineToTake]:
    """Lines to take that share words with the request's subject, best match first."""
    words = [
        w for w in search_key(request.subject).split() if len(w) >= SIMILAR_MIN_WORD
    ]
    if not words:
        return []
    condition = Q()
    for word in words:
        condition |= Q(search_text__contains=word)
    candidates = list(
        LineToTake.objects.filter(condition, active=True)
        .exclude(source_request_id=request.pk)
        .order_by("-created_at", "-pk")[:50]
    )

    def score(line: LineToTake) -> int:
        text = f" {line.search_text} "
        return sum(1 for word in words if word in text)

    candidates.sort(key=score, reverse=True)
    return candidates[:limit]


def attachment_for_download(*, pk: int) -> RequestAttachment:
    """One attachment (404 if it is gone)."""
    return get_object_or_404(RequestAttachment.objects.select_related("request"), pk=pk)


# --- The deadline calendar --------------------------------------------------------


@dataclass
class CalendarDay:
    day: date
    in_month: bool = True
    is_today: bool = False
    day_off: bool = False
    holiday: str = ""
    requests: list = field(default_factory=list)


def calendar_month(
    year: int, month: int, *, include_closed: bool = False, country: str = ""
) -> list[list[CalendarDay]]:
    """Weeks (Monday first) of the month grid, each day with the requests due on it.

    Weekends and the public holidays of ``country`` are marked as days off.
    """
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    today = timezone.localdate()
    requests = Request.objects.filter(due_on__gte=first, due_on__lte=last)
    if not include_closed:
        requests = requests.filter(status__in=Request.OPEN_STATUSES)
    holidays = {}
    if country:
        holidays = {
            h.date: h.name
            for h in Holiday.objects.filter(
                country=country, date__gte=first, date__lte=last
            )
        }
    days = {}
    for week in weeks:
        for day in week:
            days[day] = CalendarDay(
                day=day,
                in_month=day.month == month,
                is_today=day == today,
                day_off=day.weekday() >= 5 or day in holidays,
                holiday=holidays.get(day, ""),
            )
    for request in requests.select_related("assignee").order_by("due_on", "number"):
        request.deadline_state = deadline_state(request, today)
        days[request.due_on].requests.append(request)
    return [[days[day] for day in week] for week in weeks]


# --- Lines to take ----------------------------------------------------------------


def lines(*, params) -> QuerySet:
    """Lines to take for ``params``: words in any script; archived ones on request."""
    found = LineToTake.objects.select_related("source_request", "created_by")
    if query := " ".join(query_values(params, "q")):
        found = found.filter(search_q("search_text", query))
    if query_values(params, "archived") not in (["1"], ["on"], ["true"], ["True"]):
        found = found.filter(active=True)
    languages = query_values(params, "language")
    if languages := [code for code in languages if code in dict(LANGUAGE_CHOICES)]:
        found = found.filter(language__in=languages)
    return found.order_by("-created_at", "-pk")


def line_for_detail(*, pk: int) -> LineToTake:
    """One line to take with the request it came from."""
    return get_object_or_404(
        LineToTake.objects.select_related("source_request", "created_by"), pk=pk
    )


def open_request_choices(limit: int = 200) -> QuerySet:
    """Open requests a line can be copied into, nearest deadline first."""
    return Request.objects.filter(status__in=Request.OPEN_STATUSES).order_by(
        *OPEN_ORDER
    )[:limit]
