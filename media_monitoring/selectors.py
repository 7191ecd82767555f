"""Reads of media monitoring: the inbox and its filters, one item, dashboard counts."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from contacts.models import Organisation
from media_monitoring.models import Item, ItemNote, ItemTopic, Source, Topic
from prapp.selectors import local_midnight, query_day, query_ids, query_values
from prapp.text import search_q

PAGE_SIZE = 50
INBOX_FILTERS = (
    "q",
    "topic",
    "source",
    "outlet",
    "date_from",
    "date_to",
    "status",
    "sentiment",
    "assignee",
    "misinformation",
    "kind",
    "overdue",
)
# What the inbox leaves out unless asked: items already set aside.
HIDDEN_STATUSES = (Item.Status.IRRELEVANT, Item.Status.ARCHIVED)
# A response is no longer awaited once an item is in one of these.
CLOSED_STATUSES = (Item.Status.IRRELEVANT, Item.Status.RESPONDED, Item.Status.ARCHIVED)
STATUS_ALL = "all"
ASSIGNEE_ME = "me"
ASSIGNEE_NOBODY = "none"
# The inbox orders by this (the monitoring_item_inbox index); keyset pages seek on it.
INBOX_ORDER = ("-fetched_at", "-id")


def overdue_q(now=None) -> Q:
    """Items whose answer was due before ``now`` and has not been given."""
    return Q(response_due_at__lt=now or timezone.now(), responded_at__isnull=True) & ~Q(
        status__in=CLOSED_STATUSES
    )


def inbox(*, user, params) -> QuerySet:
    """The inbox's items for ``params`` (a QueryDict or a dict), newest first.

    By default everything but irrelevant and archived items; ``status=all``
    shows those too. Ready for a list page: outlet, source, assignee and the
    matched topics come with the rows in a fixed number of queries.
    """
    items = Item.objects.all()
    if query := " ".join(query_values(params, "q")):
        items = items.filter(search_q("search_text", query))
    if topics := query_ids(params, "topic"):
        items = items.filter(
            Exists(ItemTopic.objects.filter(item=OuterRef("pk"), topic_id__in=topics))
        )
    if sources := query_ids(params, "source"):
        items = items.filter(source_id__in=sources)
    if outlets := query_ids(params, "outlet"):
        items = items.filter(outlet_id__in=outlets)
    first, last = query_day(params, "date_from"), query_day(params, "date_to")
    if first or last:
        items = items.annotate(happened_at=Coalesce("published_at", "fetched_at"))
        if first:
            items = items.filter(happened_at__gte=local_midnight(first))
        if last:
            items = items.filter(
                happened_at__lt=local_midnight(last + timedelta(days=1))
            )
    statuses = query_values(params, "status")
    if STATUS_ALL not in statuses:
        statuses = [s for s in statuses if s in Item.Status.values]
        if statuses:
            items = items.filter(status__in=statuses)
        else:
            items = items.exclude(status__in=HIDDEN_STATUSES)
    sentiments = query_values(params, "sentiment")
    if sentiments := [s for s in sentiments if s in Item.Sentiment.values]:
        items = items.filter(sentiment__in=sentiments)
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
            items = items.filter(condition)
    if query_values(params, "misinformation") in (["1"], ["on"], ["true"], ["True"]):
        items = items.filter(misinformation=True)
    if kinds := [k for k in query_values(params, "kind") if k in Item.Kind.values]:
        items = items.filter(kind__in=kinds)
    if query_values(params, "overdue") in (["1"], ["on"], ["true"], ["True"]):
        items = items.filter(overdue_q())
    return for_list(items)


def for_list(items: QuerySet) -> QuerySet:
    """What an inbox row shows, without a query per row, in inbox order."""
    return (
        items.select_related("source", "outlet", "assignee")
        .prefetch_related(
            Prefetch(
                "matches",
                queryset=ItemTopic.objects.select_related("topic").order_by(
                    "topic__name", "pk"
                ),
            )
        )
        .order_by(*INBOX_ORDER)
    )


def item_for_detail(*, pk: int) -> Item:
    """One item with its notes, matched topics and the same story elsewhere.

    ``item.same_story`` lists the items that share its fingerprint from other
    sources or outlets, newest first.
    """
    item = get_object_or_404(
        Item.objects.select_related(
            "source",
            "outlet",
            "assignee",
            "release",
            "event",
            "responded_by",
            "created_by",
        ).prefetch_related(
            Prefetch("notes", queryset=ItemNote.objects.select_related("author")),
            Prefetch(
                "matches",
                queryset=ItemTopic.objects.select_related("topic").order_by(
                    "topic__name", "pk"
                ),
            ),
        ),
        pk=pk,
    )
    item.same_story = same_story(item)
    return item


def same_story(item: Item, limit: int = 20) -> list[Item]:
    """Other outlets' items of the same story (same fingerprint), newest first."""
    if not item.fingerprint:
        return []
    siblings = Item.objects.filter(fingerprint=item.fingerprint).exclude(pk=item.pk)
    if item.source_id:
        siblings = siblings.exclude(source_id=item.source_id)
    return list(
        siblings.select_related("source", "outlet").order_by(*INBOX_ORDER)[:limit]
    )


def inbox_counts() -> dict:
    """How many items are new, need a response, or are overdue: one query."""
    return Item.objects.aggregate(
        new=Count("pk", filter=Q(status=Item.Status.NEW)),
        needs_response=Count("pk", filter=Q(status=Item.Status.NEEDS_RESPONSE)),
        overdue=Count("pk", filter=overdue_q()),
    )


def overdue_responses() -> QuerySet:
    """Messages and misinformation whose answer is overdue, most overdue first."""
    return (
        Item.objects.filter(overdue_q())
        .select_related("outlet", "source", "assignee")
        .order_by("response_due_at", "pk")
    )


def monitoring_staff() -> QuerySet:
    """Active colleagues who may read the inbox: assignees and share recipients."""
    user_model = get_user_model()
    permission = Permission.objects.filter(
        content_type__app_label="media_monitoring", codename="view_item"
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


def filter_topics() -> QuerySet:
    """Topics for the inbox filter and for filing an item by hand."""
    return Topic.objects.order_by("name", "pk")


def filter_sources() -> QuerySet:
    """Sources for the inbox filter."""
    return Source.objects.order_by("name", "pk")


def filter_outlets() -> QuerySet:
    """Outlets that have a source or an item, for the inbox's outlet filter."""
    return Organisation.objects.filter(
        Exists(Source.objects.filter(outlet=OuterRef("pk")))
        | Exists(Item.objects.filter(outlet=OuterRef("pk")))
    ).order_by("name", "pk")


def media_outlets() -> QuerySet:
    """Media organisations a mention can be logged against."""
    return Organisation.objects.filter(kind=Organisation.Kind.MEDIA).order_by(
        "name", "pk"
    )


def safe_link(url: str) -> str:
    """``url`` if it is safe to link to from a page or an email (http, https)."""
    try:
        scheme = urlsplit(url or "").scheme.lower()
    except ValueError:
        return ""
    return url if scheme in ("http", "https") else ""
