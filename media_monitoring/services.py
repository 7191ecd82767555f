"""Media monitoring writes: sources, topics, subscriptions, and the inbox's triage.

Every write checks its permission, runs in a transaction and leaves an audit
entry. Pulling lives in media_monitoring.pulling, matching in
media_monitoring.matching, digests in media_monitoring.digests.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from media_monitoring.models import Source, Subscription, Topic
from prapp.audit import audit_record, diff

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
