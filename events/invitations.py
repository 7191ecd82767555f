"""Invitations and RSVP: who is invited, the mail, the answers, the door, the feeds.

Services (writes, keyword-only, with ``actor``) and selectors (reads) of the
invitations area of the events app.
"""

import logging
import smtplib
import time
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contacts.models import Interaction, Person, PersonEmail
from contacts.selectors import people_chosen, recipients
from contacts.services import interaction_record
from events import ics
from events.models import (
    CalendarFeed,
    ChecklistTask,
    Event,
    Invitation,
    InvitationReminder,
)
from prapp.audit import audit_record
from prapp.text import search_key, search_q

logger = logging.getLogger(__name__)

RSVP_SALT = "events.invitation.rsvp"
ANSWERS = (
    Invitation.Response.ACCEPTED,
    Invitation.Response.DECLINED,
    Invitation.Response.MAYBE,
)
STAFF_CHANNELS = (
    Invitation.Channel.PHONE,
    Invitation.Channel.LETTER,
    Invitation.Channel.EMAIL,
    Invitation.Channel.IN_PERSON,
)


def _require(actor, perm: str) -> None:
    if actor is None or not actor.has_perm(perm):
        raise PermissionDenied(perm)


def _source(event: Event) -> str:
    return f"events.event:{event.pk}"


def _office_language():
    """History entries are written in the office's language, whoever triggers them."""
    return translation.override(settings.LANGUAGE_CODE)


def site_url() -> str:
    return getattr(settings, "PRAPP_SITE_URL", "http://localhost:8000").rstrip("/")


# --- Choosing whom to invite --------------------------------------------------


@dataclass
class InvitePreview:
    """Who a choice of lists, groups and people comes to, and who is left out."""

    to_invite: list[Person] = field(default_factory=list)
    already_invited: list[Person] = field(default_factory=list)
    opted_out: list[Person] = field(default_factory=list)
    do_not_contact: list[Person] = field(default_factory=list)
    no_address: list[Person] = field(default_factory=list)

    @property
    def left_out(self) -> int:
        return len(self.opted_out) + len(self.do_not_contact) + len(self.no_address)


def invitation_candidates(
    *, event: Event, lists=(), groups=(), people=()
) -> InvitePreview:
    """Sort the chosen people into: to invite, already invited, and left out.

    Smart lists are evaluated now. Opted-out, do-not-contact people and people
    without a working address are never invited.
    """
    chosen = (
        people_chosen(lists=lists, groups=groups, people=people)
        .annotate(
            is_invited=Exists(
                Invitation.objects.filter(event=event, person=OuterRef("pk"))
            ),
            has_address=Exists(
                PersonEmail.objects.filter(
                    person=OuterRef("pk"), bounced_at__isnull=True
                )
            ),
        )
        .order_by("last_name", "first_name", "pk")
    )
    preview = InvitePreview()
    for person in chosen:
        if person.is_invited:
            preview.already_invited.append(person)
        elif person.do_not_contact:
            preview.do_not_contact.append(person)
        elif person.opted_out_at:
            preview.opted_out.append(person)
        elif not person.has_address:
            preview.no_address.append(person)
        else:
            preview.to_invite.append(person)
    return preview


def person_suggestions(text: str, *, limit: int = 15) -> list[Person]:
    """People whose names match what is typed (any script), for the invite page."""
    if len(search_key(text)) < 2:
        return []
    return list(
        Person.objects.filter(search_q("search_key", text)).order_by(
            "last_name", "first_name", "pk"
        )[:limit]
    )


@dataclass
class InviteResult:
    created: list[int]
    already_invited: int
    left_out: int


@transaction.atomic
def invitations_create(
    *,
    event: Event,
    actor,
    lists=(),
    groups=(),
    people=(),
    role: str = Invitation.Role.GUEST,
) -> InviteResult:
    """Invite the chosen people once each; the mail goes out after commit.

    The constraint events_invitation_once_per_person makes a second invitation of
    the same person (a double click, two staff at once) a no-op.
    """
    _require(actor, "events.invite_event")
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("This event is cancelled; nobody can be invited."))
    preview = invitation_candidates(
        event=event, lists=lists, groups=groups, people=people
    )
    rows = [
        Invitation(event=event, person=person, role=role, invited_by=actor)
        for person in preview.to_invite
    ]
    for row in rows:
        row.full_clean(validate_constraints=False)
    before = set(
        Invitation.objects.filter(event=event).values_list("person_id", flat=True)
    )
    Invitation.objects.bulk_create(rows, ignore_conflicts=True)
    created = list(
        Invitation.objects.filter(
            event=event, person_id__in=[p.pk for p in preview.to_invite]
        )
        .exclude(person_id__in=before)
        .select_related("person")
    )
    with _office_language():
        summary = _("Invited to the event “%(event)s”.") % {"event": event.title}
    for invitation in created:
        interaction_record(
            kind=Interaction.Kind.INVITED,
            summary=summary,
            actor=actor,
            person=invitation.person,
            source=_source(event),
        )
    already = len(preview.already_invited) + len(preview.to_invite) - len(created)
    audit_record(
        actor=actor,
        action="events.invitations.created",
        target=event,
        changes={
            "invited": [None, len(created)],
            "already_invited": [None, already],
            "left_out": [None, preview.left_out],
        },
    )
    from events.tasks_invitations import invitation_send_task

    for invitation in created:
        transaction.on_commit(partial(invitation_send_task.delay, invitation.pk))
    return InviteResult(
        created=[i.pk for i in created],
        already_invited=already,
        left_out=preview.left_out,
    )


# --- The RSVP token -----------------------------------------------------------


class TokenInvalid(Exception):
    """A forged or altered RSVP token (HTTP 400)."""


class TokenExpired(Exception):
    """A token past its date, or replaced by a newer one (HTTP 410)."""

    def __init__(self, invitation=None):
        super().__init__()
        self.invitation = invitation


def rsvp_expires_at(event: Event):
    days = getattr(settings, "EVENTS_RSVP_MAX_AGE_DAYS", 7)
    return event.ends_at + timedelta(days=days)


def rsvp_token(invitation: Invitation) -> str:
    """The personal RSVP token: invitation pk and secret, signed, with an end date."""
    expires = int(rsvp_expires_at(invitation.event).timestamp())
    return signing.dumps(
        {"i": invitation.pk, "s": invitation.secret, "x": expires},
        salt=RSVP_SALT,
        compress=True,
    )


def rsvp_url(invitation: Invitation) -> str:
    return site_url() + reverse("events:rsvp", args=[rsvp_token(invitation)])


def invitation_from_token(token: str) -> Invitation:
    """The invitation a token stands for, or TokenInvalid / TokenExpired."""
    try:
        payload = signing.loads(token, salt=RSVP_SALT)
        pk, secret, expires = int(payload["i"]), str(payload["s"]), int(payload["x"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise TokenInvalid from exc
    invitation = (
        Invitation.objects.select_related("event", "event__venue", "person")
        .filter(pk=pk)
        .first()
    )
    if invitation is None:
        raise TokenExpired
    if invitation.secret != secret:
        raise TokenExpired(invitation)
    # time.time() rather than timezone.now(): the same clock django.core.signing uses.
    if time.time() > expires:
        raise TokenExpired(invitation)
    return invitation


# --- Sending ------------------------------------------------------------------


def _invitation_message(
    invitation: Invitation, *, to: str, template: str, context: dict
) -> EmailMultiAlternatives:
    """An email in the invitee's language with the event's .ics attached.

    Rendered like prapp.services.email_render_and_send, but with an attachment.
    """
    event = invitation.event
    language = invitation.language or invitation.person.language
    with translation.override(language):
        context = {
            "invitation": invitation,
            "event": event,
            "person": invitation.person,
            "rsvp_url": rsvp_url(invitation),
            "organisation_name": getattr(settings, "PRAPP_ORGANISATION_NAME", ""),
            **context,
        }
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        subject = " ".join(subject.split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach_alternative(html, "text/html")
    message.attach(
        "event.ics",
        ics.event_calendar_bytes(event, language=language),
        "text/calendar",
    )
    return message


def _address(person: Person) -> str:
    chosen = recipients(Person.objects.filter(pk=person.pk))
    return chosen[0].email if chosen else ""


class TransientMailError(Exception):
    """The mail server could not take the message now; try again later."""


def _is_transient(exc: Exception) -> bool:
    """Connection trouble and 4xx answers pass; 5xx answers are final."""
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(
        exc, smtplib.SMTPServerDisconnected | ConnectionError | TimeoutError
    )


def invitation_send(*, invitation_id: int, actor=None) -> str:
    """Send one waiting invitation; mark it sent, failed or not sent.

    Safe to run twice: only a waiting invitation is sent, and it is claimed with
    a conditional update before the mail leaves.
    """
    invitation = (
        Invitation.objects.select_related("event", "event__venue", "person")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.delivery != Invitation.Delivery.PENDING:
        return "skipped"
    event = invitation.event
    address = _address(invitation.person)
    language = invitation.person.language or settings.LANGUAGE_CODE
    if not address or event.status == Event.Status.CANCELLED:
        _delivery_set(invitation, Invitation.Delivery.NOT_SENT, actor=actor)
        return Invitation.Delivery.NOT_SENT
    claimed = Invitation.objects.filter(
        pk=invitation.pk, delivery=Invitation.Delivery.PENDING, sent_at__isnull=True
    ).update(sent_at=timezone.now(), email=address, language=language)
    if not claimed:
        return "skipped"
    invitation.refresh_from_db(fields=["sent_at", "email", "language", "secret"])
    try:
        _invitation_message(
            invitation,
            to=address,
            template="events/email/invitation",
            context={},
        ).send()
    except Exception as exc:
        if _is_transient(exc):
            # Give the claim back, so that the task's retry sends it later.
            Invitation.objects.filter(pk=invitation.pk).update(sent_at=None)
            raise TransientMailError(str(exc)) from exc
        logger.warning("Invitation %s not sent: %s", invitation.pk, exc)
        _delivery_set(
            invitation, Invitation.Delivery.FAILED, error=str(exc), actor=actor
        )
        return Invitation.Delivery.FAILED
    _delivery_set(invitation, Invitation.Delivery.SENT, actor=actor)
    return Invitation.Delivery.SENT


@transaction.atomic
def _delivery_set(invitation: Invitation, delivery: str, *, error="", actor=None):
    old = invitation.delivery
    invitation.delivery = delivery
    invitation.delivery_error = error[:300]
    fields = ["delivery", "delivery_error"]
    if delivery != Invitation.Delivery.SENT:
        invitation.sent_at = None
        fields.append("sent_at")
    invitation.save(update_fields=fields)
    audit_record(
        actor=actor,
        action=f"events.invitation.{delivery}",
        target=invitation,
        changes={"delivery": [old, delivery]},
    )


# --- Answers ------------------------------------------------------------------


def rsvp_open(invitation: Invitation) -> bool:
    """Whether the invitee may still answer through the link."""
    event = invitation.event
    return event.status != Event.Status.CANCELLED and timezone.now() < event.starts_at


@transaction.atomic
def invitation_respond(
    *,
    invitation: Invitation,
    response: str,
    channel: str,
    actor=None,
    note: str = "",
) -> Invitation:
    """Record an answer: through the RSVP link (no actor) or by staff (a channel).

    The invitee may change the answer until the event starts; staff may record one
    received by phone, letter, email or in person at any time.
    """
    if channel == Invitation.Channel.LINK:
        if not rsvp_open(invitation):
            raise ValidationError(_("Answers to this invitation are closed."))
    else:
        _require(actor, "events.invite_event")
        if channel not in STAFF_CHANNELS:
            raise ValidationError(_("Choose how the answer was received."))
    if response not in ANSWERS:
        raise ValidationError(_("Choose an answer."))
    if invitation.event.status == Event.Status.CANCELLED:
        raise ValidationError(_("This event is cancelled."))
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    old = invitation.response
    invitation.response = response
    invitation.response_channel = channel
    invitation.response_note = note[:300]
    invitation.responded_at = timezone.now()
    invitation.full_clean(validate_constraints=False)
    invitation.save(
        update_fields=["response", "response_channel", "response_note", "responded_at"]
    )
    audit_record(
        actor=actor,
        action="events.invitation.answered",
        target=invitation,
        changes={"response": [old, response], "channel": [None, channel]},
    )
    with _office_language():
        summary = _(
            "Answered the invitation to “%(event)s”: %(answer)s (%(channel)s)."
        ) % {
            "event": invitation.event.title,
            "answer": invitation.get_response_display(),
            "channel": invitation.get_response_channel_display(),
        }
        if note:
            summary += " " + note
    interaction_record(
        kind=Interaction.Kind.INVITED,
        summary=summary,
        actor=actor,
        person=invitation.person,
        source=_source(invitation.event),
    )
    return invitation


@transaction.atomic
def invitation_check_in(*, invitation: Invitation, actor) -> Invitation:
    """Mark an invitee as present at the door; a second tap changes nothing."""
    _require(actor, "events.checkin_event")
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("event", "person")
        .get(pk=invitation.pk)
    )
    if invitation.attended_at:
        return invitation
    if invitation.event.status == Event.Status.CANCELLED:
        raise ValidationError(_("This event is cancelled."))
    invitation.attended_at = timezone.now()
    invitation.save(update_fields=["attended_at"])
    audit_record(
        actor=actor,
        action="events.invitation.checked_in",
        target=invitation,
        changes={"attended_at": [None, invitation.attended_at.isoformat()]},
    )
    with _office_language():
        summary = _("Attended the event “%(event)s”.") % {
            "event": invitation.event.title
        }
    interaction_record(
        kind=Interaction.Kind.ATTENDED,
        summary=summary,
        actor=actor,
        person=invitation.person,
        happened_at=invitation.attended_at,
        source=_source(invitation.event),
    )
    return invitation


# --- Reminders ----------------------------------------------------------------


def reminder_offsets() -> list[int]:
    """The configured reminder times, in hours before the event, largest first."""
    raw = getattr(settings, "EVENTS_REMINDER_HOURS", ["72", "24"])
    return sorted({int(h) for h in raw if str(h).strip().isdigit()}, reverse=True)


def reminders_due(*, now=None) -> list[tuple[int, int]]:
    """(invitation id, hours before) of every reminder due now, one per invitation.

    Due: the event starts within the offset, the invitation went out before that
    moment, the invitee has not declined, and no reminder of that offset exists.
    When several offsets are due at once (a late invitation, a stopped beat), only
    the nearest is sent.
    """
    now = now or timezone.now()
    due: dict[int, int] = {}
    for hours in reminder_offsets():
        moment = timedelta(hours=hours)
        rows = (
            Invitation.objects.filter(
                delivery=Invitation.Delivery.SENT,
                event__starts_at__gt=now,
                event__starts_at__lte=now + moment,
                event__status__in=[Event.Status.PLANNED, Event.Status.CONFIRMED],
            )
            .exclude(response=Invitation.Response.DECLINED)
            .exclude(reminders__hours_before__lte=hours)
            .values_list("pk", "sent_at", "event__starts_at")
        )
        for pk, sent_at, starts_at in rows:
            if sent_at and sent_at < starts_at - moment:
                due[pk] = hours  # smaller offsets come later and win
    return sorted(due.items())


def invitation_remind(*, invitation_id: int, hours_before: int) -> bool:
    """Send one reminder; the InvitationReminder row is written first, as the guard.

    A second run finds the row and sends nothing. Offsets larger than this one
    are marked done too, so nobody gets an older reminder after a newer one.
    """
    invitation = (
        Invitation.objects.select_related("event", "event__venue", "person")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.response == Invitation.Response.DECLINED:
        return False
    if invitation.delivery != Invitation.Delivery.SENT or not invitation.email:
        return False
    try:
        with transaction.atomic():
            InvitationReminder.objects.create(
                invitation=invitation, hours_before=hours_before
            )
            for larger in reminder_offsets():
                if larger > hours_before:
                    InvitationReminder.objects.get_or_create(
                        invitation=invitation, hours_before=larger
                    )
            audit_record(
                actor=None,
                action="events.invitation.reminded",
                target=invitation,
                changes={"hours_before": [None, hours_before]},
            )
    except IntegrityError:
        return False
    address = _address(invitation.person)
    if not address:
        return False
    try:
        _invitation_message(
            invitation,
            to=address,
            template="events/email/reminder",
            context={"hours_before": hours_before},
        ).send()
    except Exception as exc:  # noqa: BLE001 — one failed reminder stops no other
        logger.warning("Reminder for invitation %s not sent: %s", invitation.pk, exc)
        return False
    return True


# --- Reads: guest list, check-in ----------------------------------------------


def guest_counts(event: Event) -> dict[str, int]:
    """The guest list's counts, in one query."""
    R, D = Invitation.Response, Invitation.Delivery
    return Invitation.objects.filter(event=event).aggregate(
        invited=Count("pk"),
        sent=Count("pk", filter=Q(delivery=D.SENT)),
        failed=Count("pk", filter=Q(delivery__in=[D.FAILED, D.NOT_SENT])),
        accepted=Count("pk", filter=Q(response=R.ACCEPTED)),
        declined=Count("pk", filter=Q(response=R.DECLINED)),
        maybe=Count("pk", filter=Q(response=R.MAYBE)),
        no_answer=Count("pk", filter=Q(response=R.NONE)),
        attended=Count("pk", filter=Q(attended_at__isnull=False)),
    )


def guest_list(event: Event, *, response: str | None = None) -> QuerySet:
    """The invitations of an event, in name order, with the person."""
    invitations = Invitation.objects.filter(event=event).select_related("person")
    if response is not None:
        invitations = invitations.filter(response=response)
    return invitations.order_by("person__last_name", "person__first_name", "pk")


def checkin_search(event: Event, query: str, *, limit: int = 30) -> QuerySet:
    """Invitees whose names match ``query`` in any script (Latin finds ქართული)."""
    invitations = guest_list(event)
    if search_key(query):
        invitations = invitations.filter(search_q("person__search_key", query))
    return invitations[:limit]


# --- Calendar feeds -----------------------------------------------------------


def calendar_feed_get(*, user) -> CalendarFeed:
    """A user's feed, created on first use (created with a fresh secret token)."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_update(
    *, user, actor, scope: str | None = None, regenerate: bool = False
) -> CalendarFeed:
    """Change a feed's scope or give it a new token (the old address stops working)."""
    if actor is None or actor.pk != user.pk:
        raise PermissionDenied("events.calendar_feed")
    feed, _created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    changes, fields = {}, []
    if scope is not None and scope != feed.scope:
        if scope not in CalendarFeed.Scope.values:
            raise ValidationError(_("Choose which events the feed holds."))
        changes["scope"] = [feed.scope, scope]
        feed.scope = scope
        fields.append("scope")
    if regenerate:
        feed.token = CalendarFeed._meta.get_field("token").default()
        changes["token"] = ["…", "…"]  # never the secret itself in the trail
        fields.append("token")
    if fields:
        feed.full_clean()
        feed.save(update_fields=fields)
        audit_record(
            actor=actor,
            action="events.calendar_feed.changed",
            target=feed,
            changes=changes,
        )
    return feed


def feed_events(feed: CalendarFeed) -> QuerySet:
    """The events of a feed: the user's own (responsible or a task) or all of them."""
    since = timezone.now() - timedelta(
        days=getattr(settings, "EVENTS_FEED_PAST_DAYS", 90)
    )
    events = Event.objects.filter(ends_at__gte=since).select_related("venue")
    if feed.scope == CalendarFeed.Scope.MINE:
        events = events.filter(
            Q(responsible=feed.user)
            | Exists(
                ChecklistTask.objects.filter(event=OuterRef("pk"), assignee=feed.user)
            )
        )
    return events.order_by("starts_at", "pk")
