"""Daily digests and immediate alerts of matched items, in each person's language.

A digest lists what was matched to a person's topics since their previous
digest; an alert lists new items of high-priority topics at once. Both record
a DigestEntry per item sent, and nothing with an entry is ever sent to that
person again. A person's sends are serialised by locking their user row, so a
redelivered task or two overlapping beat runs cannot send twice.
"""

import logging
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from media_monitoring.models import (
    DigestEntry,
    DigestRun,
    Item,
    ItemTopic,
    Subscription,
    Topic,
)
from media_monitoring.selectors import safe_link

logger = logging.getLogger(__name__)

__all__ = ["alerts_send", "digest_send", "digests_send_due"]

# A person's first digest reaches back to their first subscription, at most this far.
FIRST_DIGEST_LOOKBACK = timedelta(hours=24)
# A match is dated when it was made, but the pull that made it may commit a
# moment after a digest read the table. Each digest therefore looks a little
# before the previous one's end; the DigestEntry rows keep that overlap from
# sending anything twice.
OVERLAP = timedelta(minutes=15)
# One email stays readable; the rest are counted and left to the inbox.
DIGEST_MAX_ITEMS = 200
LEFT_OUT = (Item.Status.IRRELEVANT, Item.Status.ARCHIVED)


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _digest_time() -> time:
    value = getattr(settings, "MONITORING_DIGEST_TIME", "08:00")
    try:
        return time.fromisoformat(str(value).strip())
    except ValueError:
        logger.error("MONITORING_DIGEST_TIME %r is not HH:MM; using 08:00", value)
        return time(8, 0)


def _lock_user(user) -> None:
    """Serialise this person's digests and alerts until the transaction ends."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


def _subscriptions_path() -> str:
    try:
        return reverse("media_monitoring:subscriptions")
    except NoReverseMatch:
        return reverse("media_monitoring:index")


def _origin(item: Item) -> str:
    if item.outlet_id:
        return str(item.outlet)
    if item.source_id:
        return str(item.source)
    detail = item.get_kind_display()
    return f"{detail} · {item.programme}" if item.programme else str(detail)


def _sections(matches: list[ItemTopic], site_root: str) -> list[dict]:
    """The matches grouped by topic (by name), each group's items newest first.

    Call it inside the recipient's language: labels and addresses are built here.
    """
    groups: dict[int, dict] = {}
    for match in matches:
        item = match.item
        group = groups.setdefault(match.topic_id, {"topic": match.topic, "entries": []})
        group["entries"].append(
            {
                "item": item,
                "terms": match.terms,
                "origin": _origin(item),
                "when": item.published_at or item.fetched_at,
                "original_url": safe_link(item.url),
                "item_url": site_root + item.get_absolute_url(),
            }
        )
    sections = sorted(groups.values(), key=lambda g: g["topic"].name.casefold())
    for section in sections:
        section["entries"].sort(key=lambda e: (e["when"], e["item"].pk), reverse=True)
    return sections


def _send(*, user, template: str, matches: list[ItemTopic], context: dict) -> int:
    """Render ``template`` (subject, text, HTML) in the person's language; send it."""
    language = user.language or settings.LANGUAGE_CODE
    site_root = settings.PRAPP_SITE_URL.rstrip("/")
    with translation.override(language):
        context = {
            **context,
            "user": user,
            "language": language,
            "sections": _sections(matches, site_root),
            "inbox_url": site_root + reverse("media_monitoring:index"),
            "subscriptions_url": site_root + _subscriptions_path(),
        }
        subject = render_to_string(f"{template}_subject.txt", context)
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"Content-Language": language},
    )
    message.attach_alternative(html, "text/html")
    return message.send()


def _entries_create(*, user, item_ids, kind: str, now) -> None:
    DigestEntry.objects.bulk_create(
        [
            DigestEntry(user=user, item_id=pk, kind=kind, sent_at=now)
            for pk in sorted(item_ids)
        ],
        ignore_conflicts=True,
    )


def _digest_since(*, user, previous: DigestRun | None, now) -> datetime:
    if previous is not None:
        return previous.covered_until - OVERLAP
    first = (
        Subscription.objects.filter(user=user)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    earliest = now - FIRST_DIGEST_LOOKBACK
    return max(first, earliest) if first else earliest


def _digest_matches(*, user, since, until) -> list[ItemTopic]:
    followed = Subscription.objects.filter(user=user, topic__active=True).values(
        "topic_id"
    )
    sent = DigestEntry.objects.filter(user=user).values("item_id")
    return list(
        ItemTopic.objects.filter(
            topic_id__in=followed, matched_at__gt=since, matched_at__lte=until
        )
        .exclude(item__status__in=LEFT_OUT)
        .exclude(item_id__in=sent)
        .select_related("item", "item__source", "item__outlet", "topic")
        .order_by("-matched_at", "-item_id", "topic_id")
    )


def digest_send(*, user, now=None) -> int:
    """Send one person's digest of what matched since their last; items sent.

    Nothing new: no email, but the run is recorded all the same. Runs twice a
    day (a forced run) extend the day's run; an item is never sent twice.
    The email goes out inside the transaction that records it: a failed send
    records nothing, and the next run tries again.
    """
    now = now or timezone.now()
    if not user.is_active or not user.email:
        return 0
    today = timezone.localtime(now, _zone()).date()
    with transaction.atomic():
        _lock_user(user)
        run = (
            DigestRun.objects.select_for_update()
            .filter(user=user, run_on=today)
            .first()
        )
        previous = run or (
            DigestRun.objects.filter(user=user).order_by("-covered_until").first()
        )
        if run is None:
            try:
                with transaction.atomic():
                    run = DigestRun.objects.create(
                        user=user, run_on=today, covered_until=now, items=0
                    )
            except IntegrityError:
                return 0  # another worker is composing today's digest
        since = _digest_since(user=user, previous=previous, now=now)
        matches = _digest_matches(user=user, since=since, until=now)

        # The newest items first, at most DIGEST_MAX_ITEMS of them.
        item_ids: list[int] = []
        for match in matches:
            if match.item_id not in item_ids:
                item_ids.append(match.item_id)
        listed = set(item_ids[:DIGEST_MAX_ITEMS])
        if listed:
            _send(
                user=user,
                template="media_monitoring/email/digest",
                matches=[m for m in matches if m.item_id in listed],
                context={
                    "count": len(listed),
                    "omitted": len(item_ids) - len(listed),
                    "day": today,
                    "since": previous.covered_until if previous else since,
                },
            )
            _entries_create(
                user=user, item_ids=listed, kind=DigestEntry.Kind.DIGEST, now=now
            )
        run.covered_until = max(run.covered_until, now)
        run.items += len(listed)
        run.save(update_fields=["covered_until", "items"])
    return len(listed)


def _digest_users():
    return (
        get_user_model()
        .objects.filter(is_active=True, monitoring_subscriptions__topic__active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def digests_send_due(*, now=None, force: bool = False) -> int:
    """Send the digests that are due; returns how many emails went out.

    Due: the local time (TIME_ZONE) is past MONITORING_DIGEST_TIME and the
    person has no digest run for today's date. A digest missed during an outage
    goes out at the next beat. ``force`` ignores both the time of day and
    today's run, never the rule that no item is sent twice.
    """
    now = now or timezone.now()
    local = timezone.localtime(now, _zone())
    users = _digest_users()
    if not force:
        if local.time() < _digest_time():
            return 0
        users = users.exclude(monitoring_digest_runs__run_on=local.date())
    sent = 0
    for user in users:
        try:
            if digest_send(user=user, now=now):
                sent += 1
        except Exception:
            # One person's failure (mail server, a bad address) stops nobody
            # else's; their run was rolled back, so the next beat retries it.
            logger.exception("Monitoring digest for user %s failed", user.pk)
    return sent


def alerts_send(*, item_ids: list[int]) -> int:
    """Email the followers of high-priority topics these items matched, at once.

    One email per person listing the new items; each item is recorded as sent
    (kind alert), so a redelivered task and the next digest skip it. Returns
    how many emails went out.
    """
    matches = list(
        ItemTopic.objects.filter(
            item_id__in=list(item_ids),
            topic__active=True,
            topic__priority=Topic.Priority.HIGH,
        )
        .exclude(item__status__in=LEFT_OUT)
        .select_related("item", "item__source", "item__outlet", "topic")
    )
    if not matches:
        return 0
    by_topic: dict[int, list[ItemTopic]] = {}
    for match in matches:
        by_topic.setdefault(match.topic_id, []).append(match)
    followers: dict[int, tuple] = {}
    for subscription in (
        Subscription.objects.filter(topic_id__in=list(by_topic), user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id", "topic_id")
    ):
        user, topics = followers.setdefault(
            subscription.user_id, (subscription.user, [])
        )
        topics.append(subscription.topic_id)

    sent = 0
    now = timezone.now()
    for user, topic_ids in followers.values():
        try:
            with transaction.atomic():
                _lock_user(user)
                already = set(
                    DigestEntry.objects.filter(
                        user=user, item_id__in=[m.item_id for m in matches]
                    ).values_list("item_id", flat=True)
                )
                mine = [
                    match
                    for topic_id in topic_ids
                    for match in by_topic[topic_id]
                    if match.item_id not in already
                ]
                if not mine:
                    continue
                new_ids = {match.item_id for match in mine}
                sent += _send(
                    user=user,
                    template="media_monitoring/email/alert",
                    matches=mine,
                    context={
                        "count": len(new_ids),
                        "topics": sorted(
                            {m.topic.name for m in mine}, key=str.casefold
                        ),
                    },
                )
                _entries_create(
                    user=user, item_ids=new_ids, kind=DigestEntry.Kind.ALERT, now=now
                )
        except Exception:
            # Nothing was recorded for this person: the items reach them in
            # the next digest instead.
            logger.exception("Monitoring alert for user %s failed", user.pk)
    return sent
