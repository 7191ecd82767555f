"""Every write of event planning, each with its rule, audit entry and actor.

Invitations and accreditation keep their writes in events/invitations.py and
events/accreditation.py.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contacts.models import Person
from events import selectors
from events.models import (
    AgendaItem,
    ChecklistTask,
    Event,
    EventAttachment,
    FollowUp,
    Venue,
)
from prapp.audit import audit_record, diff, snapshot
from prapp.html import sanitize
from prapp.models import User
from prapp.services import email_render_and_send
from prapp.text import search_key
from prapp.uploads import upload_check

EVENT_FIELDS = (
    "event_type",
    "title_ka",
    "title_hy",
    "title_en",
    "description_ka",
    "description_hy",
    "description_en",
    "status",
    "starts_at",
    "ends_at",
    "venue",
    "online_url",
    "responsible",
    "unit",
)
OUTCOME_FIELDS = ("outcome", "people_received", "effectiveness", "effectiveness_notes")
TASK_FIELDS = ("title", "assignee", "due_on", "state")
FOLLOW_UP_FIELDS = ("instruction", "assignee", "unit", "due_on", "agenda_item")
VENUE_FIELDS = ("name", "address", "capacity", "accessibility_notes")
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024


def _require(actor, perm: str) -> None:
    if actor is not None and not actor.has_perm(perm):
        raise PermissionDenied(perm)


def event_search_key(event: Event) -> str:
    """The key an event is found by: its titles in every language."""
    return search_key(event.title_ka, event.title_hy, event.title_en)


def _check_event(event: Event) -> None:
    if not (event.title_ka or event.title_hy or event.title_en):
        raise ValidationError(
            {"title_ka": _("Give the event's title in one language.")}
        )
    if event.starts_at and event.ends_at and event.ends_at <= event.starts_at:
        raise ValidationError({"ends_at": _("The event must end after it starts.")})
    # The base column is filled from the translations on save; an empty one
    # would fail full_clean before that happens.
    event.full_clean(exclude=["search_key", "title", "description"])


def _names(people: Iterable[Person]) -> list[str]:
    return sorted(str(p) for p in people)


@transaction.atomic
def venue_create(*, data: dict, actor) -> Venue:
    """Add a reusable venue (a hall, an office, a square)."""
    _require(actor, "events.add_venue")
    venue = Venue(**{k: v for k, v in data.items() if k in VENUE_FIELDS})
    venue.full_clean()
    venue.save()
    audit_record(
        actor=actor,
        action="events.venue.created",
        target=venue,
        changes={k: [None, v] for k, v in snapshot(venue, VENUE_FIELDS).items() if v},
    )
    return venue


def _checklist_from_template(event: Event) -> list[ChecklistTask]:
    # ChecklistTask.title is not translated: the office works in its default
    # language, so the template's title is copied as it reads in that language.
    start = timezone.localtime(event.starts_at).date()
    tasks = []
    with translation.override(settings.LANGUAGE_CODE):
        for position, item in enumerate(event.event_type.checklist_items.all()):
            tasks.append(
                ChecklistTask(
                    event=event,
                    title=item.title,
                    due_on=start - timedelta(days=item.days_before),
                    assignee=event.responsible,
                    position=position,
                )
            )
    return ChecklistTask.objects.bulk_create(tasks)


@transaction.atomic
def event_create(
    *,
    data: dict,
    actor,
    key_participants: Iterable[Person] = (),
    new_venue: dict | None = None,
) -> Event:
    """Plan an event; its checklist starts from the event type's template."""
    _require(actor, "events.add_event")
    event = Event(**{k: v for k, v in data.items() if k in EVENT_FIELDS})
    if new_venue and new_venue.get("name"):
        event.venue = venue_create(data=new_venue, actor=actor)
    event.created_by = actor if getattr(actor, "pk", None) else None
    _check_event(event)
    event.search_key = event_search_key(event)
    event.save()
    people = list(key_participants)
    event.key_participants.set(people)
    tasks = _checklist_from_template(event)
    audit_record(
        actor=actor,
        action="events.event.created",
        target=event,
        changes={
            **{k: [None, v] for k, v in snapshot(event, EVENT_FIELDS).items() if v},
            "key_participants": [None, _names(people)],
            "checklist": [None, len(tasks)],
        },
    )
    return event


@transaction.atomic
def event_update(
    *,
    event: Event,
    data: dict,
    actor,
    key_participants: Iterable[Person] | None = None,
    new_venue: dict | None = None,
) -> Event:
    """Change an event's details; a status change gets its own audit entry."""
    _require(actor, "events.change_event")
    event = Event.objects.select_for_update().get(pk=event.pk)
    before = snapshot(event, EVENT_FIELDS)
    for name in EVENT_FIELDS:
        if name in data:
            setattr(event, name, data[name])
    if new_venue and new_venue.get("name"):
        event.venue = venue_create(data=new_venue, actor=actor)
    _check_event(event)
    event.search_key = event_search_key(event)
    after = snapshot(event, EVENT_FIELDS)
    changed = diff(before, after)
    if key_participants is not None:
        old_people = _names(event.key_participants.all())
        people = list(key_participants)
        if _names(people) != old_people:
            event.key_participants.set(people)
            changed["key_participants"] = [old_people, _names(people)]
    status_change = changed.pop("status", None)
    fields = [name for name in changed if name != "key_participants"]
    if status_change:
        fields.append("status")
    if fields:
        event.save(
            update_fields=[*fields, "search_key", "title", "description", "updated_at"]
        )
    if changed:
        audit_record(
            actor=actor, action="events.event.changed", target=event, changes=changed
        )
    if status_change:
        audit_record(
            actor=actor,
            action="events.event.status_changed",
            target=event,
            changes={"status": status_change},
        )
    return event


@transaction.atomic
def event_set_status(*, event: Event, status: str, actor) -> Event:
    """Confirm, postpone, cancel or mark an event as held."""
    _require(actor, "events.change_event")
    if status not in Event.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    event = Event.objects.select_for_update().get(pk=event.pk)
    old = event.status
    if old == status:
        return event
    event.status = status
    event.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="events.event.status_changed",
        target=event,
        changes={"status": [old, status]},
    )
    return event


@transaction.atomic
def event_record_outcome(
    *, event: Event, data: dict, actor, mark_held: bool = False
) -> Event:
    """Record what came of an event: outcome, people received, effectiveness."""
    _require(actor, "events.change_event")
    event = Event.objects.select_for_update().get(pk=event.pk)
    before = snapshot(event, OUTCOME_FIELDS)
    for name in OUTCOME_FIELDS:
        if name in data:
            setattr(event, name, data[name])
    if event.effectiveness is not None and not 1 <= event.effectiveness <= 5:
        raise ValidationError(
            {"effectiveness": _("Rate the effectiveness from 1 to 5.")}
        )
    changed = diff(before, snapshot(event, OUTCOME_FIELDS))
    if changed:
        event.save(update_fields=[*changed, "updated_at"])
        audit_record(
            actor=actor,
            action="events.event.outcome_recorded",
            target=event,
            changes=changed,
        )
    if mark_held:
        event = event_set_status(event=event, status=Event.Status.HELD, actor=actor)
    return event


@transaction.atomic
def event_set_minutes(*, event: Event, minutes: str, actor) -> Event:
    """Store the minutes of a session or hearing, sanitised."""
    _require(actor, "events.change_event")
    event = Event.objects.select_for_update().get(pk=event.pk)
    clean = sanitize(minutes)
    if clean != event.minutes:
        old_length = len(event.minutes)
        event.minutes = clean
        event.save(update_fields=["minutes", "updated_at"])
        audit_record(
            actor=actor,
            action="events.event.minutes_changed",
            target=event,
            changes={"minutes_length": [old_length, len(clean)]},
        )
    return event


# --- Checklist -----------------------------------------------------------------


@transaction.atomic
def task_add(*, event: Event, data: dict, actor) -> ChecklistTask:
    """Add a task to an event's checklist."""
    _require(actor, "events.add_checklisttask")
    last = event.tasks.order_by("-position").values_list("position", flat=True)
    task = ChecklistTask(
        event=event,
        position=(last.first() or 0) + 1,
        **{k: v for k, v in data.items() if k in TASK_FIELDS},
    )
    if task.state != ChecklistTask.State.OPEN:
        task.completed_at = timezone.now()
    task.full_clean()
    task.save()
    audit_record(
        actor=actor,
        action="events.task.created",
        target=task,
        changes={k: [None, v] for k, v in snapshot(task, TASK_FIELDS).items() if v},
    )
    return task


@transaction.atomic
def task_update(*, task: ChecklistTask, data: dict, actor) -> ChecklistTask:
    """Change a checklist task: title, assignee, due date or state."""
    _require(actor, "events.change_checklisttask")
    task = ChecklistTask.objects.select_for_update().get(pk=task.pk)
    before = snapshot(task, TASK_FIELDS)
    for name in TASK_FIELDS:
        if name in data:
            setattr(task, name, data[name])
    if "state" in data:
        done = task.state != ChecklistTask.State.OPEN
        task.completed_at = (task.completed_at or timezone.now()) if done else None
    task.full_clean()
    changed = diff(before, snapshot(task, TASK_FIELDS))
    if changed:
        task.save(update_fields=[*changed, "completed_at"])
        audit_record(
            actor=actor, action="events.task.changed", target=task, changes=changed
        )
    return task


def task_set_state(*, task: ChecklistTask, state: str, actor) -> ChecklistTask:
    """Mark a checklist task done, not needed, or to do again."""
    if state not in ChecklistTask.State.values:
        raise ValidationError({"state": _("Unknown state.")})
    return task_update(task=task, data={"state": state}, actor=actor)


# --- Agenda, follow-ups, attachments -----------------------------------------


@transaction.atomic
def agenda_item_add(*, event: Event, data: dict, actor) -> AgendaItem:
    """Add an item at the end of a session's agenda."""
    _require(actor, "events.add_agendaitem")
    if not event.event_type.has_agenda:
        raise ValidationError(_("Events of this type have no agenda."))
    last = event.agenda.order_by("-position").values_list("position", flat=True)
    item = AgendaItem(
        event=event,
        position=(last.first() or 0) + 1,
        title=data.get("title", ""),
        decision=data.get("decision", ""),
    )
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        action="events.agenda_item.created",
        target=item,
        changes={"title": [None, item.title]},
    )
    return item


@transaction.atomic
def agenda_item_update(*, item: AgendaItem, data: dict, actor) -> AgendaItem:
    """Change an agenda item's wording or record its decision."""
    _require(actor, "events.change_agendaitem")
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    before = snapshot(item, ("title", "decision"))
    for name in ("title", "decision"):
        if name in data:
            setattr(item, name, data[name])
    item.full_clean()
    changed = diff(before, snapshot(item, ("title", "decision")))
    if changed:
        item.save(update_fields=list(changed))
        audit_record(
            actor=actor,
            action="events.agenda_item.changed",
            target=item,
            changes=changed,
        )
    return item


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, up: bool, actor) -> AgendaItem:
    """Swap an agenda item with its neighbour; the items are renumbered 1, 2, 3…"""
    _require(actor, "events.change_agendaitem")
    items = list(
        AgendaItem.objects.select_for_update()
        .filter(event_id=item.event_id)
        .order_by("position", "pk")
    )
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if up else index + 1
    if not 0 <= target < len(items):
        return item
    items[index], items[target] = items[target], items[index]
    for number, other in enumerate(items, start=1):
        other.position = number
    AgendaItem.objects.bulk_update(items, ["position"])
    moved = items[target]
    audit_record(
        actor=actor,
        action="events.agenda_item.moved",
        target=moved,
        changes={"position": [index + 1, target + 1]},
    )
    return moved


@transaction.atomic
def follow_up_add(*, event: Event, data: dict, actor) -> FollowUp:
    """Give a unit or a person an instruction that came out of an event."""
    _require(actor, "events.add_followup")
    follow_up = FollowUp(
        event=event, **{k: v for k, v in data.items() if k in FOLLOW_UP_FIELDS}
    )
    if not (follow_up.assignee_id or follow_up.unit):
        raise ValidationError(
            {"assignee": _("Name the person or the unit responsible.")}
        )
    if follow_up.agenda_item and follow_up.agenda_item.event_id != event.pk:
        raise ValidationError({"agenda_item": _("Pick an item of this agenda.")})
    follow_up.full_clean()
    follow_up.save()
    audit_record(
        actor=actor,
        action="events.follow_up.created",
        target=follow_up,
        changes={
            k: [None, v] for k, v in snapshot(follow_up, FOLLOW_UP_FIELDS).items() if v
        },
    )
    return follow_up


@transaction.atomic
def follow_up_set_state(*, follow_up: FollowUp, state: str, actor) -> FollowUp:
    """Mark a follow-up instruction done, or open again."""
    _require(actor, "events.change_followup")
    if state not in FollowUp.State.values:
        raise ValidationError({"state": _("Unknown state.")})
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    old = follow_up.state
    if old != state:
        follow_up.state = state
        follow_up.save(update_fields=["state"])
        audit_record(
            actor=actor,
            action="events.follow_up.state_changed",
            target=follow_up,
            changes={"state": [old, state]},
        )
    return follow_up


@transaction.atomic
def attachment_add(*, event: Event, title: str, upload, actor) -> EventAttachment:
    """Attach a file (minutes, press kit) to an event, after checking it."""
    _require(actor, "events.add_eventattachment")
    upload_check(upload, max_bytes=ATTACHMENT_MAX_BYTES)
    attachment = EventAttachment(
        event=event,
        title=title or upload.name[:200],
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.full_clean()
    attachment.save()
    audit_record(
        actor=actor,
        action="events.attachment.created",
        target=attachment,
        changes={"title": [None, attachment.title], "size": [None, upload.size]},
    )
    return attachment


# --- Daily task digest -------------------------------------------------------


def task_digests_dispatch(*, day: date | None = None) -> int:
    """Queue one digest per assignee with overdue or today's tasks, after commit."""
    from events.tasks_planning import send_task_digest

    day = day or timezone.localdate()
    user_ids = selectors.digest_recipient_ids(day)
    for user_id in user_ids:
        transaction.on_commit(partial(send_task_digest.delay, user_id, day.isoformat()))
    return len(user_ids)


@transaction.atomic
def task_digest_send(*, user: User, day: date) -> bool:
    """Email ``user`` their overdue and today's tasks, at most once per day.

    The send is recorded in the audit trail in the same transaction; the user's
    row is locked first, so two workers given the same job cannot both send.
    """
    User.objects.select_for_update().filter(pk=user.pk).first()
    if selectors.digest_already_sent(user, day):
        return False
    overdue, today = selectors.digest_tasks(user, day)
    if not (overdue or today) or not user.email:
        return False
    language = user.language or settings.LANGUAGE_CODE
    email_render_and_send(
        to=[user.email],
        language=language,
        template="events/email/task_digest",
        context={
            "user": user,
            "day": day,
            "overdue": overdue,
            "today": today,
            "count": len(overdue) + len(today),
            "site_root": getattr(settings, "PRAPP_SITE_URL", ""),
        },
    )
    audit_record(
        actor=None,
        action=selectors.DIGEST_ACTION,
        target=user,
        changes={
            "date": day.isoformat(),
            "overdue": len(overdue),
            "today": len(today),
        },
    )
    return True
