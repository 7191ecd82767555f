"""Media monitoring writes: sources, topics, subscriptions, and the inbox's triage.

Every write checks its permission, runs in a transaction and leaves an audit
entry. Pulling lives in media_monitoring.pulling, matching in
media_monitoring.matching, digests in media_monitoring.digests.
"""

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from media_monitoring.models import (
    Item,
    ItemNote,
    ItemTopic,
    Source,
    Subscription,
    Topic,
)
from media_monitoring.selectors import safe_link
from prapp.audit import audit_record, diff, snapshot
from prapp.models import AuditEntry
from prapp.services import email_render_and_send
from prapp.text import search_key

SOURCE_FIELDS = ("name", "kind", "url", "outlet", "language", "interval_minutes")
TOPIC_FIELDS = (
    "name",
    "include_terms",
    "exclude_terms",
    "language",
    "priority",
    "active",
)


def require(actor, perm: str) -> None:
    """Refuse the write unless ``actor`` holds ``perm`` (views check too)."""
    if actor is None or not actor.has_perm(perm):
        raise PermissionDenied(perm)


def _values(obj, fields) -> dict:
    values = {}
    for name in fields:
        value = getattr(obj, name)
        values[name] = getattr(value, "pk", value) if value is not None else None
    return values


def _apply(obj, data: dict, fields) -> list[str]:
    changed = []
    for name in fields:
        if name in data and getattr(obj, name) != data[name]:
            setattr(obj, name, data[name])
            changed.append(name)
    return changed


# Sources --------------------------------------------------------------------


@transaction.atomic
def source_create(*, data: dict, actor) -> Source:
    """Add a feed or page to watch; it is due for its first pull at once."""
    require(actor, "media_monitoring.add_source")
    source = Source(created_by=actor, next_attempt_at=timezone.now())
    _apply(source, data, (*SOURCE_FIELDS, "enabled"))
    source.full_clean()
    source.save()
    audit_record(
        actor=actor,
        action="media_monitoring.source.created",
        target=source,
        changes=diff({}, _values(source, SOURCE_FIELDS)),
    )
    return source


@transaction.atomic
def source_update(*, source: Source, data: dict, actor) -> Source:
    """Change a source; a new address forgets the old conditional-GET validators."""
    require(actor, "media_monitoring.change_source")
    source = Source.objects.select_for_update().get(pk=source.pk)
    before = _values(source, (*SOURCE_FIELDS, "enabled"))
    changed = _apply(source, data, (*SOURCE_FIELDS, "enabled"))
    if not changed:
        return source
    if "url" in changed:
        source.etag = ""
        source.last_modified = ""
        changed += ["etag", "last_modified"]
    if "enabled" in changed and source.enabled:
        # Re-enabling gives the source a fresh start.
        source.consecutive_failures = 0
        source.next_attempt_at = timezone.now()
        changed += ["consecutive_failures", "next_attempt_at"]
    source.full_clean()
    source.save(update_fields=changed)
    audit_record(
        actor=actor,
        action="media_monitoring.source.changed",
        target=source,
        changes=diff(before, _values(source, (*SOURCE_FIELDS, "enabled"))),
    )
    return source


@transaction.atomic
def source_delete(*, source: Source, actor) -> None:
    """Remove a source and the items pulled from it."""
    require(actor, "media_monitoring.delete_source")
    audit_record(
        actor=actor,
        action="media_monitoring.source.deleted",
        target=source,
        changes={"items": source.items.count()},
    )
    source.delete()


@transaction.atomic
def source_pull_request(*, source: Source, actor) -> Source:
    """Make a source due now (the "pull now" button); the worker does the pull."""
    require(actor, "media_monitoring.change_source")
    if not source.enabled:
        raise ValidationError(_("This source is disabled; enable it first."))
    Source.objects.filter(pk=source.pk).update(next_attempt_at=timezone.now())
    audit_record(
        actor=actor, action="media_monitoring.source.pull_requested", target=source
    )
    from media_monitoring.tasks import source_pull

    transaction.on_commit(lambda: source_pull.delay(source.pk))
    return source


# Topics ---------------------------------------------------------------------


def _topic_check(topic: Topic) -> None:
    if not topic.includes:
        raise ValidationError(
            {"include_terms": _("Give at least one term to look for.")}
        )
    for term in topic.includes + topic.excludes:
        if not term.rstrip("*").strip():
            raise ValidationError(
                {"include_terms": _("A term cannot be only an asterisk.")}
            )


@transaction.atomic
def topic_create(*, data: dict, actor) -> Topic:
    """Add a topic; matching stored items is a separate, explicit step (re-apply)."""
    require(actor, "media_monitoring.add_topic")
    topic = Topic(created_by=actor)
    _apply(topic, data, TOPIC_FIELDS)
    _topic_check(topic)
    topic.full_clean()
    topic.save()
    audit_record(
        actor=actor,
        action="media_monitoring.topic.created",
        target=topic,
        changes=diff({}, _values(topic, TOPIC_FIELDS)),
    )
    return topic


@transaction.atomic
def topic_update(*, topic: Topic, data: dict, actor) -> Topic:
    """Change a topic's terms or settings; new items are matched with the new terms."""
    require(actor, "media_monitoring.change_topic")
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    before = _values(topic, TOPIC_FIELDS)
    changed = _apply(topic, data, TOPIC_FIELDS)
    if not changed:
        return topic
    _topic_check(topic)
    topic.full_clean()
    topic.save(update_fields=[*changed, "updated_at"])
    audit_record(
        actor=actor,
        action="media_monitoring.topic.changed",
        target=topic,
        changes=diff(before, _values(topic, TOPIC_FIELDS)),
    )
    return topic


@transaction.atomic
def topic_delete(*, topic: Topic, actor) -> None:
    """Remove a topic, its matches and its subscriptions (the items stay)."""
    require(actor, "media_monitoring.delete_topic")
    audit_record(
        actor=actor,
        action="media_monitoring.topic.deleted",
        target=topic,
        changes={"matches": topic.matches.count()},
    )
    topic.delete()


# Subscriptions --------------------------------------------------------------


@transaction.atomic
def subscription_set(*, user, topics, actor) -> list[Topic]:
    """Make ``user`` follow exactly ``topics`` in the digest and alerts.

    Anyone who may open the app manages their own subscriptions; changing
    another person's needs the change_subscription permission.
    """
    require(actor, "media_monitoring.access_app")
    if actor.pk != user.pk:
        require(actor, "media_monitoring.change_subscription")
    wanted = {topic.pk for topic in topics}
    current = set(
        Subscription.objects.filter(user=user).values_list("topic_id", flat=True)
    )
    added, removed = wanted - current, current - wanted
    if not added and not removed:
        return list(topics)
    Subscription.objects.filter(user=user, topic_id__in=removed).delete()
    Subscription.objects.bulk_create(
        [Subscription(user=user, topic_id=pk) for pk in sorted(added)],
        ignore_conflicts=True,
    )
    audit_record(
        actor=actor,
        action="media_monitoring.subscriptions.changed",
        target=user,
        changes={"topics": [sorted(current), sorted(wanted)]},
    )
    return list(topics)


# Items: triage, assignment, notes, manual log, response, sharing ------------

TRIAGE_FIELDS = (
    "status",
    "sentiment",
    "misinformation",
    "assignee",
    "release",
    "event",
)
BULK_FIELDS = ("status", "assignee", "sentiment")
LOG_FIELDS = (
    "kind",
    "title",
    "summary",
    "author",
    "channel",
    "url",
    "programme",
    "outlet",
    "language",
    "published_at",
    "response_due_at",
)
logger = logging.getLogger(__name__)


def _item_locked(item: Item) -> Item:
    return Item.objects.select_for_update().get(pk=item.pk)


def _topic_ids(item: Item) -> list[int]:
    return sorted(item.matches.values_list("topic_id", flat=True))


def _topics_file(*, item: Item, topics) -> dict:
    """Make the item's topics exactly ``topics``; {"topics": [old, new]} or {}."""
    before = _topic_ids(item)
    wanted = sorted({topic.pk for topic in topics})
    if wanted == before:
        return {}
    ItemTopic.objects.filter(item=item).exclude(topic_id__in=wanted).delete()
    # Filed by hand: no terms were found, a person chose the topic.
    added = set(wanted) - set(before)
    ItemTopic.objects.bulk_create(
        [ItemTopic(item=item, topic_id=pk) for pk in sorted(added)],
        ignore_conflicts=True,
    )
    return {"topics": [before, wanted]}


@transaction.atomic
def item_update(*, item: Item, data: dict, actor) -> Item:
    """Triage one item: status, sentiment, flag, assignee, links, topics by hand.

    A new assignee other than ``actor`` is told by email after the commit.
    """
    require(actor, "media_monitoring.change_item")
    item = _item_locked(item)
    before = _values(item, TRIAGE_FIELDS)
    changed = _apply(item, data, TRIAGE_FIELDS)
    changes = {}
    if changed:
        # Only what changed is checked: a pulled item's other fields are as
        # the feed gave them, and must not block its triage.
        item.full_clean(
            exclude=[f.name for f in Item._meta.fields if f.name not in changed],
            validate_unique=False,
            validate_constraints=False,
        )
        item.save(update_fields=[*changed, "updated_at"])
        changes = diff(before, _values(item, TRIAGE_FIELDS))
    if "topics" in data:
        changes.update(_topics_file(item=item, topics=data["topics"]))
    if not changes:
        return item
    audit_record(
        actor=actor,
        action="media_monitoring.item.changed",
        target=item,
        changes=changes,
    )
    if "assignee" in changed and item.assignee_id:
        _assignment_mail_on_commit(
            item_ids=[item.pk], assignee=item.assignee, actor=actor
        )
    return item


@transaction.atomic
def items_bulk_update(*, items, data: dict, actor) -> int:
    """Set status, assignee and/or sentiment of many items; returns how many changed.

    Each changed item gets its own audit entry; the writes are one UPDATE per
    field set and one INSERT of audit entries, whatever the number of items.
    """
    require(actor, "media_monitoring.change_item")
    fields = [name for name in BULK_FIELDS if name in data]
    if not fields:
        return 0
    if "status" in data and data["status"] not in Item.Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    if "sentiment" in data and data["sentiment"] not in ("", *Item.Sentiment.values):
        raise ValidationError({"sentiment": _("Choose a valid sentiment.")})
    # Compared and written by column (assignee_id), so that no item loads its
    # assignee: the cost does not grow with the number of items.
    values = {
        Item._meta.get_field(name).attname: getattr(data[name], "pk", data[name])
        for name in fields
    }
    pks = [getattr(item, "pk", item) for item in items]
    locked = list(Item.objects.select_for_update().filter(pk__in=pks).order_by("pk"))
    entries, changed_items, newly_assigned = [], [], []
    now = timezone.now()
    for item in locked:
        before = {name: getattr(item, name) for name in values}
        if before == values:
            continue
        for name, value in values.items():
            setattr(item, name, value)
        item.updated_at = now
        changed_items.append(item)
        assignee_id = values.get("assignee_id")
        if assignee_id and before.get("assignee_id") != assignee_id:
            newly_assigned.append(item.pk)
        entries.append(
            _audit_entry(
                actor=actor,
                action="media_monitoring.item.changed",
                target=item,
                changes={
                    name.removesuffix("_id"): [before[name], value]
                    for name, value in values.items()
                    if before[name] != value
                },
            )
        )
    if not changed_items:
        return 0
    Item.objects.bulk_update(changed_items, [*fields, "updated_at"], batch_size=500)
    AuditEntry.objects.bulk_create(entries)
    if newly_assigned:
        _assignment_mail_on_commit(
            item_ids=newly_assigned, assignee=data["assignee"], actor=actor
        )
    return len(changed_items)


def _audit_entry(*, actor, action: str, target, changes: dict) -> AuditEntry:
    """An unsaved audit entry as prapp.audit.audit_record writes it, for bulk writes."""
    return AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=str(actor) if actor is not None else "",
        action=action,
        changes=changes,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=str(target.pk),
        target_repr=str(target)[:300],
    )


@transaction.atomic
def item_assign(*, item: Item, assignee, actor) -> Item:
    """Give an item to a colleague (or to nobody); they are told by email."""
    require(actor, "media_monitoring.change_item")
    item = _item_locked(item)
    old = item.assignee_id
    new = getattr(assignee, "pk", None)
    if old == new:
        return item
    item.assignee = assignee
    item.save(update_fields=["assignee", "updated_at"])
    audit_record(
        actor=actor,
        action="media_monitoring.item.assigned",
        target=item,
        changes={"assignee": [old, new]},
    )
    if assignee is not None:
        _assignment_mail_on_commit(item_ids=[item.pk], assignee=assignee, actor=actor)
    return item


@transaction.atomic
def note_add(*, item: Item, text: str, actor) -> ItemNote:
    """A colleague's note on an item."""
    require(actor, "media_monitoring.add_itemnote")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note first.")})
    note = ItemNote(item=item, author=actor, text=text)
    note.full_clean()
    note.save()
    audit_record(
        actor=actor,
        action="media_monitoring.item.note_added",
        target=item,
        changes={"note": [None, note.pk]},
    )
    return note


@transaction.atomic
def item_log(*, data: dict, actor) -> Item:
    """Log a mention by hand: TV, radio, print, or a citizen's social-media message.

    A citizen's message is due for an answer within MONITORING_RESPONSE_HOURS
    unless a due time is given; the item is matched against the topics at once.
    """
    from media_monitoring import matching

    require(actor, "media_monitoring.add_item")
    kind = data.get("kind")
    if kind not in Item.MANUAL_KINDS:
        raise ValidationError({"kind": _("Choose TV, radio, print or social network.")})
    now = timezone.now()
    item = Item(created_by=actor, fetched_at=now)
    _apply(item, {k: v for k, v in data.items() if v is not None}, LOG_FIELDS)
    item.title = (item.title or "").strip()
    item.summary = (item.summary or "").strip()
    if not item.title:
        # A citizen's message has no headline: its first words stand for one.
        item.title = Truncator(" ".join(item.summary.split())).chars(120)
    if not item.title:
        raise ValidationError({"title": _("Give a title or the text of the mention.")})
    if kind == Item.Kind.SOCIAL:
        if item.response_due_at is None:
            item.response_due_at = now + timedelta(
                hours=settings.MONITORING_RESPONSE_HOURS
            )
        item.status = Item.Status.NEEDS_RESPONSE
    else:
        # Somebody thought it worth logging: it is relevant.
        item.status = Item.Status.RELEVANT
    item.search_text = search_key(item.title, item.summary)
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        action="media_monitoring.item.logged",
        target=item,
        changes=diff({}, snapshot(item, (*LOG_FIELDS, "status"))),
    )
    matches = matching.items_match(items=[item])
    if any(match.topic.priority == Topic.Priority.HIGH for match in matches):
        from media_monitoring.tasks import alerts_send

        transaction.on_commit(partial(alerts_send.delay, [item.pk]))
    return item


@transaction.atomic
def response_record(*, item: Item, text: str, actor) -> Item:
    """Record the office's answer to a message or a piece of misinformation."""
    require(actor, "media_monitoring.respond_item")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the response first.")})
    item = _item_locked(item)
    fields = ("response_text", "status", "responded_by")
    before = _values(item, fields)
    item.response_text = text
    item.responded_at = timezone.now()
    item.responded_by = actor
    item.status = Item.Status.RESPONDED
    item.save(
        update_fields=[
            "response_text",
            "responded_at",
            "responded_by",
            "status",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action="media_monitoring.item.responded",
        target=item,
        changes=diff(before, _values(item, fields)),
    )
    return item


@transaction.atomic
def item_share(*, item: Item, recipients, message: str, actor) -> int:
    """Send an item to colleagues by internal email, each in their own language.

    Returns how many colleagues will get it (those with an email address).
    """
    require(actor, "media_monitoring.view_item")
    people = [user for user in recipients if user.email and user.is_active]
    if not people:
        raise ValidationError(
            {"recipients": _("Choose at least one colleague with an email address.")}
        )
    message = (message or "").strip()
    audit_record(
        actor=actor,
        action="media_monitoring.item.shared",
        target=item,
        changes={"recipients": sorted(user.pk for user in people)},
    )
    transaction.on_commit(
        partial(
            _item_mail_send,
            template="media_monitoring/email/item_shared",
            item_ids=[item.pk],
            recipient_ids=[user.pk for user in people],
            sender_id=actor.pk,
            message=message,
        )
    )
    return len(people)


def _assignment_mail_on_commit(*, item_ids: list[int], assignee, actor) -> None:
    """Tell the assignee after the commit, unless they gave the item to themselves."""
    if assignee is None or assignee.pk == getattr(actor, "pk", None):
        return
    transaction.on_commit(
        partial(
            _item_mail_send,
            template="media_monitoring/email/item_assigned",
            item_ids=list(item_ids),
            recipient_ids=[assignee.pk],
            sender_id=getattr(actor, "pk", None),
        )
    )


def _item_mail_send(
    *,
    template: str,
    item_ids: list[int],
    recipient_ids: list[int],
    sender_id: int | None,
    message: str = "",
) -> int:
    """Render and send an item email to each recipient in their own language.

    Runs after the commit; a mail server's failure is logged, never undoes the
    change it reports.
    """
    users = get_user_model().objects
    items = list(
        Item.objects.filter(pk__in=item_ids)
        .select_related("source", "outlet")
        .order_by("-fetched_at", "-pk")
    )
    if not items:
        return 0
    sender = users.filter(pk=sender_id).first() if sender_id else None
    site_root = getattr(settings, "PRAPP_SITE_URL", "").rstrip("/")
    sent = 0
    for user in users.filter(pk__in=recipient_ids, is_active=True).order_by("pk"):
        if not user.email:
            continue
        try:
            sent += email_render_and_send(
                to=[user.email],
                language=user.language or settings.LANGUAGE_CODE,
                template=template,
                context={
                    "user": user,
                    "sender": sender,
                    "items": items,
                    "item": items[0],
                    "original_url": safe_link(items[0].url),
                    "count": len(items),
                    "message": message,
                    "site_root": site_root,
                },
            )
        except Exception:
            # The change is committed; the mail is best effort, and logged.
            logger.exception("Item email %s to user %s failed", template, user.pk)
    return sent
