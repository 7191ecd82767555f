"""The activity report: what the department did in a period, in numbers.

Each figure belongs to the period by one moment of the record it counts, on the
local days start…end:

- releases *drafted* by their creation, *published* by their newsroom date;
  releases *sent*, *recipients reached* and *failed* deliveries by the end of
  their distribution (a failed delivery has no time of its own), so that the
  bounce rate divides figures of the same distributions;
- events, their invitations and attendance by the start of the event (neither
  cancelled nor postponed);
- accreditation requests by their submission, with their decision as it
  stands today;
- monitoring items (those not set aside as irrelevant) and citizens' messages
  by the moment they came in; an answer is on time when given by its due time;
- archive files by their upload, contacts by their creation and verification;
- inquiries as the inquiry desk's statistics count them (by receipt).

Every figure comes from an aggregate query (one or two per app), never from
reading the rows: the yearly report of a large office costs the same queries as
a month's.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.models import Asset
from contacts.models import Organisation, Person
from events.models import Accreditation, Event, EventType, Invitation
from inquiries import statistics as inquiry_statistics
from inquiries.statistics import Row, previous_period
from media_monitoring.models import Item, ItemTopic
from prapp.selectors import local_midnight
from pressreleases.models import Delivery, Distribution, PressRelease

GIGABYTE = 1000**3
SENTIMENTS = [*Item.Sentiment.values, ""]  # "" : not rated
# Events that did not take place are not the department's work of the period.
NOT_HELD = (Event.Status.CANCELLED, Event.Status.POSTPONED)
# A distribution is over when finished or stopped; what it sent until then counts.
DISTRIBUTION_OVER = (Distribution.Status.DONE, Distribution.Status.CANCELLED)


def _moments(start: date, end: date) -> tuple[datetime, datetime]:
    """The local days start…end as an aware half-open range of moments."""
    return local_midnight(start), local_midnight(end + timedelta(days=1))


def last_full_month(today: date) -> tuple[date, date]:
    """The calendar month before the one ``today`` is in."""
    last_day = today.replace(day=1) - timedelta(days=1)
    return inquiry_statistics.month_period(last_day.year, last_day.month)


def _within(field: str, low: datetime, high: datetime) -> Q:
    return Q(**{f"{field}__gte": low, f"{field}__lt": high})


def _share(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole`` to one decimal, None when no whole."""
    return round(100 * part / whole, 1) if whole else None


# --- Figures by app -----------------------------------------------------------


def _releases(low, high) -> dict:
    figures = PressRelease.objects.aggregate(
        drafted=Count("pk", filter=_within("created_at", low, high)),
        published=Count(
            "pk",
            filter=_within("published_at", low, high)
            & ~Q(status__in=PressRelease.NEVER_PUBLIC),
        ),
    )
    sent, failed = Delivery.Status.SENT, Delivery.Status.FAILED
    figures |= Delivery.objects.filter(
        _within("distribution__finished_at", low, high),
        distribution__status__in=DISTRIBUTION_OVER,
    ).aggregate(
        sent=Count("release", distinct=True, filter=Q(status=sent)),
        distributions=Count("distribution", distinct=True, filter=Q(status=sent)),
        reached=Count("pk", filter=Q(status=sent)),
        failed=Count("pk", filter=Q(status=failed)),
    )
    figures["bounce_rate"] = _share(
        figures["failed"], figures["reached"] + figures["failed"]
    )
    return figures


def _events(low, high) -> dict:
    # Held: begun by now, in the period, neither cancelled nor postponed.
    held = (
        _within("events__starts_at", low, high)
        & Q(events__starts_at__lte=timezone.now())
        & ~Q(events__status__in=NOT_HELD)
    )
    types = EventType.objects.annotate(
        held=Count("events", filter=held),
        people=Sum("events__people_received", filter=held),
        rated=Count("events__effectiveness", filter=held),
        score=Sum("events__effectiveness", filter=held),
    ).order_by("position", "name", "pk")
    by_type = [
        {
            # The type itself: its name is read in the language of the reader.
            "type": event_type,
            "code": event_type.code,
            "count": event_type.held,
            "people_received": (event_type.people or 0)
            if event_type.counts_visitors
            else None,
        }
        for event_type in types
    ]
    rated = sum(event_type.rated for event_type in types)
    score = sum(event_type.score or 0 for event_type in types)
    return {
        "total": sum(row["count"] for row in by_type),
        "by_type": by_type,
        "people_received": sum(row["people_received"] or 0 for row in by_type),
        "rated": rated,
        "effectiveness": round(score / rated, 1) if rated else None,
    }


def _invitations(low, high) -> dict:
    Response = Invitation.Response
    return (
        Invitation.objects.filter(_within("event__starts_at", low, high))
        .exclude(event__status__in=NOT_HELD)
        .aggregate(
            invited=Count("pk"),
            accepted=Count("pk", filter=Q(response=Response.ACCEPTED)),
            declined=Count("pk", filter=Q(response=Response.DECLINED)),
            attended=Count("pk", filter=Q(attended_at__isnull=False)),
        )
    )


def _accreditations(low, high) -> dict:
    Status = Accreditation.Status
    return Accreditation.objects.filter(_within("submitted_at", low, high)).aggregate(
        received=Count("pk"),
        approved=Count("pk", filter=Q(status=Status.APPROVED)),
        rejected=Count("pk", filter=Q(status=Status.REJECTED)),
    )


def _monitoring(low, high) -> tuple[dict, dict]:
    """Mentions by sentiment and topic, and the citizens' messages answered."""
    items = Item.objects.filter(_within("fetched_at", low, high)).exclude(
        status=Item.Status.IRRELEVANT
    )
    social = Q(kind=Item.Kind.SOCIAL)
    answered = social & Q(responded_at__isnull=False)
    counts = items.aggregate(
        mentions=Count("pk"),
        **{
            f"sentiment:{value}": Count("pk", filter=Q(sentiment=value))
            for value in SENTIMENTS
        },
        messages=Count("pk", filter=social),
        on_time=Count(
            "pk",
            filter=answered
            & (
                Q(response_due_at__isnull=True)
                | Q(responded_at__lte=F("response_due_at"))
            ),
        ),
        late=Count("pk", filter=answered & Q(responded_at__gt=F("response_due_at"))),
        unanswered=Count("pk", filter=social & Q(responded_at__isnull=True)),
    )
    topics = (
        ItemTopic.objects.filter(_within("item__fetched_at", low, high))
        .exclude(item__status=Item.Status.IRRELEVANT)
        .values("topic_id", "topic__name")
        .annotate(
            count=Count("pk"),
            **{
                f"sentiment:{value}": Count("pk", filter=Q(item__sentiment=value))
                for value in SENTIMENTS
            },
        )
        .order_by("-count", "topic__name", "topic_id")
    )
    monitoring = {
        "mentions": counts["mentions"],
        "by_sentiment": {value: counts[f"sentiment:{value}"] for value in SENTIMENTS},
        "by_topic": {
            row["topic_id"]: {
                "name": row["topic__name"],
                "count": row["count"],
                "by_sentiment": {
                    value: row[f"sentiment:{value}"] for value in SENTIMENTS
                },
            }
            for row in topics
        },
    }
    messages = {
        key: counts[key] for key in ("messages", "on_time", "late", "unanswered")
    }
    return monitoring, messages


def _archive(low, high) -> dict:
    assets = Asset.objects.filter(_within("uploaded_at", low, high)).exclude(
        state=Asset.State.FAILED
    )
    kinds = Asset.Kind.values
    counts = assets.aggregate(
        files=Count("pk"),
        bytes=Sum("size"),
        **{f"files:{kind}": Count("pk", filter=Q(kind=kind)) for kind in kinds},
        **{f"bytes:{kind}": Sum("size", filter=Q(kind=kind)) for kind in kinds},
    )
    return {
        "files": counts["files"],
        "bytes": counts["bytes"] or 0,
        "by_kind": {
            kind: {
                "files": counts[f"files:{kind}"],
                "bytes": counts[f"bytes:{kind}"] or 0,
            }
            for kind in kinds
        },
    }


def _contacts(low, high) -> dict:
    added, verified = (
        _within("created_at", low, high),
        _within("last_verified_at", low, high),
    )
    people = Person.objects.aggregate(
        added=Count("pk", filter=added), verified=Count("pk", filter=verified)
    )
    organisations = Organisation.objects.aggregate(
        added=Count("pk", filter=added), verified=Count("pk", filter=verified)
    )
    return {
        "people_added": people["added"],
        "organisations_added": organisations["added"],
        "people_verified": people["verified"],
        "organisations_verified": organisations["verified"],
        "verified": people["verified"] + organisations["verified"],
    }


def activity_report(*, start: date, end: date) -> dict:
    """Every figure of the activity report for the local days start…end.

    Returns ``start`` and ``end`` and a dict per subject: ``releases``
    (drafted, published, sent, distributions, reached, failed, bounce_rate in
    percent or None), ``events`` (total, by_type: a list of {type, code,
    count, people_received (None for types that do not count visitors)},
    people_received, rated, effectiveness: the mean 1–5 score or None),
    ``invitations`` (invited, accepted, declined, attended), ``accreditations``
    (received, approved, rejected), ``monitoring`` (mentions, by_sentiment
    {value or "": n}, by_topic {topic id: {name, count, by_sentiment}}),
    ``messages`` (citizens' messages: messages, on_time, late, unanswered),
    ``archive`` (files, bytes, by_kind {kind: {files, bytes}}), ``contacts``
    (people_added, organisations_added, people_verified,
    organisations_verified, verified) and ``inquiries`` (the inquiry desk's
    statistics of the period).
    """
    low, high = _moments(start, end)
    monitoring, messages = _monitoring(low, high)
    return {
        "start": start,
        "end": end,
        "releases": _releases(low, high),
        "events": _events(low, high),
        "invitations": _invitations(low, high),
        "accreditations": _accreditations(low, high),
        "monitoring": monitoring,
        "messages": messages,
        "archive": _archive(low, high),
        "contacts": _contacts(low, high),
        "inquiries": inquiry_statistics.statistics(start=start, end=end),
    }


# --- The two periods side by side ----------------------------------------------


@dataclass(frozen=True)
class Figure(Row):
    """A line of the report: a figure in this and the previous period.

    ``places`` is how many decimals it is shown with (gigabytes two, shares
    one, counts none); a line without values heads the lines below it.
    """

    places: int = 0

    @property
    def change(self) -> int | float | None:
        if self.current is None or self.previous is None:
            return None
        change = self.current - self.previous
        return round(change, self.places) if isinstance(change, float) else change

    @property
    def number_format(self) -> str:
        """The argument of the ``floatformat`` filter that shows this line."""
        return f"{self.places}g"

    @property
    def is_heading(self) -> bool:
        return self.key.startswith("section:")


@dataclass(frozen=True)
class Section:
    """A subject of the report (releases, events…) and its lines."""

    key: str
    title: str
    rows: list[Figure]


def gigabytes(size: int) -> float:
    """Bytes as gigabytes (10⁹ bytes, as disks are sold) to two decimals."""
    return round(size / GIGABYTE, 2)


def _sections(current: dict, previous: dict) -> list[Section]:
    """Both periods' figures as the report's sections, labelled in the active
    language."""

    def line(subject, key, label, level=0, places=0):
        return Figure(
            f"{subject}.{key}",
            str(label),
            current[subject][key],
            previous[subject][key],
            level,
            places,
        )

    sections = [
        Section(
            "releases",
            _("Press releases"),
            [
                line("releases", "drafted", _("Releases drafted")),
                line("releases", "published", _("Published on the newsroom")),
                line("releases", "sent", _("Releases sent")),
                line("releases", "distributions", _("Distributions"), 1),
                line("releases", "reached", _("Recipients reached")),
                line("releases", "failed", _("Messages not delivered")),
                line("releases", "bounce_rate", _("Bounce rate (%)"), places=1),
            ],
        )
    ]

    types_now = {row["code"]: row for row in current["events"]["by_type"]}
    types_before = {row["code"]: row for row in previous["events"]["by_type"]}
    event_rows = [line("events", "total", _("Events held"))]
    for code, row in types_now.items():
        before = types_before.get(code, {"count": 0})
        event_rows.append(
            Figure(
                f"events.type:{code}",
                str(row["type"]),
                row["count"],
                before["count"],
                1,
            )
        )
    event_rows.append(
        line("events", "people_received", _("People received by the office"))
    )
    for code, row in types_now.items():
        if row["people_received"] is not None:
            before = types_before.get(code, {"people_received": 0})
            event_rows.append(
                Figure(
                    f"events.people_received:{code}",
                    str(row["type"]),
                    row["people_received"],
                    before["people_received"] or 0,
                    1,
                )
            )
    event_rows += [
        line(
            "events",
            "effectiveness",
            _("Average effectiveness (1–5)"),
            places=1,
        ),
    ]
    sections.append(Section("events", _("Events"), event_rows))

    sections += [
        Section(
            "invitations",
            _("Invitations and attendance"),
            [
                line("invitations", "invited", _("People invited")),
                line("invitations", "accepted", _("accepted"), 1),
                line("invitations", "declined", _("declined"), 1),
                line("invitations", "attended", _("Checked in at the event")),
            ],
        ),
        Section(
            "accreditations",
            _("Media accreditation"),
            [
                line("accreditations", "received", _("Accreditation requests")),
                line("accreditations", "approved", _("approved"), 1),
                line("accreditations", "rejected", _("rejected"), 1),
            ],
        ),
    ]

    monitoring_rows = [line("monitoring", "mentions", _("Mentions"))]
    for value, label in [*Item.Sentiment.choices, ("", _("sentiment not set"))]:
        monitoring_rows.append(
            Figure(
                f"monitoring.sentiment:{value or 'none'}",
                str(label),
                current["monitoring"]["by_sentiment"][value],
                previous["monitoring"]["by_sentiment"][value],
                1,
            )
        )
    topics_now = current["monitoring"]["by_topic"]
    topics_before = previous["monitoring"]["by_topic"]
    topic_rows = [
        Figure(
            f"monitoring.topic:{pk}",
            topic["name"],
            topics_now.get(pk, {"count": 0})["count"],
            topics_before.get(pk, {"count": 0})["count"],
        )
        for pk, topic in (topics_before | topics_now).items()
    ]
    topic_rows.sort(key=lambda row: (-row.current, -row.previous, row.label))
    sections += [
        Section("monitoring", _("Media monitoring"), monitoring_rows),
        Section("topics", _("Mentions by topic"), topic_rows),
        Section(
            "messages",
            _("Citizens' messages in social networks"),
            [
                line("messages", "messages", _("Messages received")),
                line("messages", "on_time", _("answered on time"), 1),
                line("messages", "late", _("answered late"), 1),
                line("messages", "unanswered", _("not answered"), 1),
            ],
        ),
    ]

    archive_now, archive_before = current["archive"], previous["archive"]
    archive_rows = [line("archive", "files", _("Files added"))]
    kinds = Asset.Kind.choices
    for kind, label in kinds:
        archive_rows.append(
            Figure(
                f"archive.files:{kind}",
                str(label),
                archive_now["by_kind"][kind]["files"],
                archive_before["by_kind"][kind]["files"],
                1,
            )
        )
    archive_rows.append(
        Figure(
            "archive.gigabytes",
            _("Size added (GB)"),
            gigabytes(archive_now["bytes"]),
            gigabytes(archive_before["bytes"]),
            0,
            2,
        )
    )
    for kind, label in kinds:
        archive_rows.append(
            Figure(
                f"archive.gigabytes:{kind}",
                str(label),
                gigabytes(archive_now["by_kind"][kind]["bytes"]),
                gigabytes(archive_before["by_kind"][kind]["bytes"]),
                1,
                2,
            )
        )
    sections += [
        Section("archive", _("Photo and video archive"), archive_rows),
        Section(
            "contacts",
            _("Contacts"),
            [
                line("contacts", "people_added", _("People added")),
                line("contacts", "organisations_added", _("Organisations added")),
                line("contacts", "verified", _("Contacts verified")),
                line("contacts", "people_verified", _("people"), 1),
                line("contacts", "organisations_verified", _("organisations"), 1),
            ],
        ),
        Section(
            "inquiries",
            _("Inquiry desk"),
            [
                line("inquiries", "received", _("Requests received")),
                line("inquiries", "on_time", _("answered on time"), 1),
                line("inquiries", "late", _("answered late"), 1),
                line("inquiries", "refused", _("refused"), 1),
                line("inquiries", "forwarded", _("forwarded"), 1),
                line("inquiries", "open", _("still open"), 1),
                line(
                    "inquiries",
                    "median_days",
                    _("Median time to answer (days)"),
                    places=1,
                ),
            ],
        ),
    ]
    return sections


def _flat(sections: list[Section]) -> list[Figure]:
    """The sections as one table (the exports'): each under a heading line."""
    rows = []
    for section in sections:
        rows.append(Figure(f"section:{section.key}", section.title, None, None))
        rows += section.rows
    return rows


def activity_compare(*, start: date, end: date) -> dict:
    """The report of start…end next to the period of the same length before it.

    Returns ``current`` and ``previous`` (activity_report of each), their
    ``sections`` (Section: key, title, rows of Figure with the change) and the
    same lines as one table, ``rows``, the shape the inquiry desk's CSV and
    XLSX exports take.
    """
    before = previous_period(start, end)
    current = activity_report(start=start, end=end)
    previous = activity_report(start=before[0], end=before[1])
    sections = _sections(current, previous)
    return {
        "current": current,
        "previous": previous,
        "sections": sections,
        "rows": _flat(sections),
    }
