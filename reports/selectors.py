"""Reads behind the dashboard; top of the import ladder, it may read every app."""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from archive.models import Asset
from contacts import selectors as contacts
from events import selectors as events
from inquiries import statistics as inquiries
from media_monitoring import selectors as monitoring
from media_monitoring.models import Item, Source
from prapp import selectors as system
from prapp.navigation import entries_for
from prapp.selectors import local_midnight
from pressreleases.models import Delivery, Distribution, PressRelease, ReleaseVersion
from reports import charts

MENTION_DAYS = 30
APPROVALS_SHOWN = 10
DISTRIBUTIONS_SHOWN = 10
UPLOADS_SHOWN = 8
FAILING_SOURCES_SHOWN = 10


def dashboard_panels(user) -> dict:
    """What the dashboard shows ``user``: only panels their permissions allow."""
    panels = {"apps": entries_for(user)}
    if user.has_perm("prapp.view_auditentry"):
        panels["worker"] = system.worker_status()
        panels["recent_changes"] = list(system.audit_entries()[:8])
    if user.has_perm("contacts.view_partneragreement"):
        panels["expiring_agreements"] = list(contacts.expiring_agreements()[:10])
    if user.has_perm("events.view_event"):
        panels["events_this_week"] = events.events_this_week()
        panels["overdue_tasks"] = list(events.overdue_tasks(user)[:20])
        panels["overdue_follow_ups"] = list(events.overdue_follow_ups(user)[:20])
    if user.has_perm("pressreleases.approve_pressrelease"):
        panels["approvals"] = list(awaiting_approval(user)[:APPROVALS_SHOWN])
    if user.has_perm("pressreleases.view_pressrelease"):
        panels["distributions"] = list(
            distributions_in_progress()[:DISTRIBUTIONS_SHOWN]
        )
    if user.has_perm("media_monitoring.view_item"):
        panels["monitoring_counts"] = monitoring.inbox_counts()
        panels["overdue_responses"] = list(monitoring.overdue_responses()[:10])
        panels["mentions"] = mentions_per_day()
    if user.has_perm("media_monitoring.view_source"):
        panels["failing_sources"] = list(failing_sources()[:FAILING_SOURCES_SHOWN])
    if user.has_perms(("archive.access_app", "archive.view_asset")):
        panels["recent_uploads"] = recent_uploads()
    if user.has_perm("inquiries.view_request"):
        panels["inquiry_counts"] = inquiries.dashboard_counts(user=user)
    if user.has_perm("prapp.view_capturedemail"):
        panels["outbox_count"] = system.captured_emails().count()
    return panels


def awaiting_approval(user) -> QuerySet:
    """Releases in review that ``user`` may approve, longest waiting first.

    The same four-eyes rule as pressreleases.services.approval_refusal, as one
    query: unless PRESSRELEASES_AUTHOR_MAY_APPROVE, neither the author nor the
    last editor of a release approves it.
    """
    releases = PressRelease.objects.filter(status=PressRelease.Status.IN_REVIEW)
    if not settings.PRESSRELEASES_AUTHOR_MAY_APPROVE:
        last_editor = (
            ReleaseVersion.objects.filter(release=OuterRef("pk"))
            .order_by("-number")
            .values("author_id")[:1]
        )
        releases = (
            releases.alias(last_editor=Subquery(last_editor))
            .exclude(author_id=user.pk)
            .filter(Q(last_editor__isnull=True) | ~Q(last_editor=user.pk))
        )
    return releases.select_related("author").order_by("submitted_at", "pk")


def distributions_in_progress() -> QuerySet:
    """Sends waiting for their time or under way, with messages sent so far."""
    return (
        Distribution.objects.filter(
            status__in=[Distribution.Status.QUEUED, Distribution.Status.SENDING]
        )
        .select_related("release")
        .annotate(
            sent=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.SENT))
        )
        .order_by("scheduled_for", "pk")
    )


def failing_sources() -> QuerySet:
    """Enabled monitoring sources whose last pulls failed, the worst first.

    A source someone switched off is not pulled, so its old failures are left out.
    """
    return Source.objects.filter(consecutive_failures__gt=0, enabled=True).order_by(
        "-consecutive_failures", "name", "pk"
    )


def recent_uploads() -> list[dict]:
    """The newest archive files, each with its thumbnail's address if it has one."""
    assets = Asset.objects.only(
        "pk", "kind", "title", "original_name", "renditions", "uploaded_at", "state"
    ).order_by("-uploaded_at", "-id")[:UPLOADS_SHOWN]
    return [
        {
            "asset": asset,
            "has_thumb": bool((asset.renditions or {}).get("s")),
        }
        for asset in assets
    ]


def mentions_per_day(*, today: date | None = None, days: int = MENTION_DAYS) -> dict:
    """Monitoring items received on each of the last ``days`` days, by sentiment.

    One grouped query. Items marked irrelevant are not mentions and are left
    out; an item is dated by when it came in (``fetched_at``, always set and
    indexed), in the office's time zone.
    """
    today = today or timezone.localdate()
    first = today - timedelta(days=days - 1)
    start = local_midnight(first)
    rows = (
        Item.objects.filter(fetched_at__gte=start)
        .exclude(status=Item.Status.IRRELEVANT)
        .annotate(day=TruncDate("fetched_at"))
        .values("day", "sentiment")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {(row["day"], row["sentiment"]): row["n"] for row in rows}
    day_list = [first + timedelta(days=n) for n in range(days)]
    kinds = [
        ("positive", Item.Sentiment.POSITIVE.label),
        ("neutral", Item.Sentiment.NEUTRAL.label),
        ("negative", Item.Sentiment.NEGATIVE.label),
        ("", pgettext("sentiment", "not rated")),
    ]
    series = [
        (str(label), [counts.get((day, key), 0) for day in day_list])
        for key, label in kinds
    ]
    table = [
        {
            "day": day,
            "counts": [values[index] for _label, values in series],
            "total": sum(values[index] for _label, values in series),
        }
        for index, day in enumerate(day_list)
    ]
    colors = [charts.SENTIMENT_COLORS[key] for key, _label in kinds[:3]]
    return {
        "first": first,
        "last": today,
        "labels": [label for label, _values in series],
        "rows": table,
        "totals": [sum(values) for _label, values in series],
        "total": sum(row["total"] for row in table),
        "chart": charts.bar_chart(
            title=_("Mentions per day over the last %(days)s days, by sentiment")
            % {"days": days},
            categories=[date_format(day, "j M") for day in day_list],
            series=series,
            stacked=True,
            colors=[*colors, charts.UNRATED_COLOR],
        ),
    }
