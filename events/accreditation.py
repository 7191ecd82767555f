"""Media accreditation: public requests, staff decisions, contacts, badges.

Services (every write, keyword-only, with ``actor``, an audit entry and the
permission checked again here) and selectors (the reads) of the accreditation
part of the events app, kept apart from planning and invitations.
"""

from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from contacts import selectors as contact_selectors
from contacts import services as contact_services
from contacts.models import Interaction, Organisation, Person
from contacts.phones import to_e164
from events.models import Accreditation, Event
from prapp.audit import audit_record
from prapp.models import AuditEntry
from prapp.services import email_render_and_send

DECIDE_PERMISSION = "events.decide_accreditation"
SUBMIT_FIELDS = (
    "full_name",
    "outlet",
    "role",
    "press_card",
    "email",
    "phone",
    "language",
)
MAIL_KINDS = ("received", "approved", "rejected", "revoked")
RATE_WINDOW = timedelta(hours=1)


class AccreditationRateLimited(Exception):
    """Too many requests came from one address within the hour."""


def _require(actor, perm: str = DECIDE_PERMISSION) -> None:
    # ``None`` is the system itself (demo data, commands), as in contacts.
    if actor is not None and not actor.has_perm(perm):
        raise PermissionDenied(perm)


def rate_limit() -> int:
    """Requests one address may send per hour."""
    return getattr(settings, "EVENTS_ACCREDITATION_RATE_LIMIT", 5)


def period_open() -> bool:
    """Whether the standing accreditation for the current quarter takes requests."""
    return getattr(settings, "EVENTS_ACCREDITATION_PERIOD_OPEN", False)


def source_hash(address: str) -> str:
    """A salted hash of a submitter's address: enough to count, never the address."""
    return salted_hmac(
        "events.accreditation.source", address or "-", algorithm="sha256"
    ).hexdigest()


def current_period(today: date | None = None) -> tuple[date, date]:
    """The calendar quarter a standing accreditation asked for today covers."""
    today = today or timezone.localdate()
    first_month = 3 * ((today.month - 1) // 3) + 1
    start = date(today.year, first_month, 1)
    if first_month == 10:
        end = date(today.year, 12, 31)
    else:
        end = date(today.year, first_month + 3, 1) - timedelta(days=1)
    return start, end


# --- Selectors ---------------------------------------------------------------


def events_open_for_accreditation() -> QuerySet:
    """Events that take accreditation requests now: open, not over, not cancelled."""
    return (
        Event.objects.filter(accreditation_open=True, ends_at__gte=timezone.now())
        .exclude(status__in=[Event.Status.CANCELLED, Event.Status.HELD])
        .select_related("venue", "event_type")
        .order_by("starts_at", "pk")
    )


def event_open_for_accreditation(pk: int) -> Event:
    """The event with this key if it takes requests now; 404 otherwise."""
    return get_object_or_404(events_open_for_accreditation(), pk=pk)


def accreditation_rate_limited(*, source: str) -> bool:
    """Whether the address behind ``source`` has used up its requests for the hour."""
    since = timezone.now() - RATE_WINDOW
    recent = Accreditation.objects.filter(source_hash=source, submitted_at__gte=since)
    return recent.count() >= rate_limit()


def accreditation_existing(
    *, email: str, event: Event | None, valid_from=None, valid_until=None
) -> Accreditation | None:
    """The request this address already made for the same event or period."""
    requests = Accreditation.objects.filter(email__iexact=email.strip())
    if event is not None:
        requests = requests.filter(event=event)
    else:
        requests = requests.filter(
            event__isnull=True, valid_from=valid_from, valid_until=valid_until
        )
    return requests.order_by("pk").first()


def accreditations_filtered(params) -> QuerySet:
    """The staff list: filtered by event and status, with what each row shows."""
    requests = Accreditation.objects.select_related("event", "person", "decided_by")
    event = str(params.get("event") or "")
    if event == "period":
        requests = requests.filter(event__isnull=True)
    elif event.isdigit():
        requests = requests.filter(event_id=int(event))
    status = params.get("status") or ""
    if status in Accreditation.Status.values:
        requests = requests.filter(status=status)
    return requests.order_by("-submitted_at", "-pk")


def accreditation_counts(event: Event) -> dict:
    """How many requests an event has, by status (one query)."""
    counts = Accreditation.objects.filter(event=event).aggregate(
        total=Count("pk"),
        **{
            status: Count("pk", filter=Q(status=status))
            for status in Accreditation.Status.values
        },
    )
    return counts


def accreditations_approved(*, event: Event | None) -> QuerySet:
    """Approved journalists of an event, or of the standing accreditations in force."""
    approved = Accreditation.objects.filter(status=Accreditation.Status.APPROVED)
    if event is not None:
        approved = approved.filter(event=event)
    else:
        approved = approved.filter(
            event__isnull=True, valid_until__gte=timezone.localdate()
        )
    return approved.select_related("event").order_by("outlet", "full_name", "pk")


# --- Services ----------------------------------------------------------------


def _mail_after_commit(accreditation_id: int, kind: str) -> None:
    from events.tasks_accreditation import accreditation_mail

    transaction.on_commit(partial(accreditation_mail.delay, accreditation_id, kind))


@transaction.atomic
def accreditation_submit(
    *,
    data: dict,
    source: str,
    event: Event | None = None,
    valid_from: date | None = None,
    valid_until: date | None = None,
    actor=None,
) -> tuple[Accreditation, bool]:
    """Store a journalist's request once; the "received" email follows on commit.

    Returns the request and whether it is new: the same address asking twice
    for the same event (or period) gets the first request back, nothing doubled.
    """
    if event is not None:
        # Serialises two requests for one event, so the check below holds.
        event = Event.objects.select_for_update().get(pk=event.pk)
        valid_from = valid_until = None
    if source and accreditation_rate_limited(source=source):
        raise AccreditationRateLimited
    values = {k: (data.get(k) or "") for k in SUBMIT_FIELDS}
    values = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    if values["phone"]:
        values["phone"] = to_e164(values["phone"])
    if values["language"] not in dict(settings.LANGUAGES):
        values["language"] = settings.LANGUAGE_CODE
    existing = accreditation_existing(
        email=values["email"],
        event=event,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    if existing is not None:
        return existing, False
    accreditation = Accreditation(
        event=event,
        valid_from=valid_from,
        valid_until=valid_until,
        source_hash=source,
        **values,
    )
    accreditation.full_clean()
    accreditation.save()
    audit_record(
        actor=actor,
        action="events.accreditation.submitted",
        target=accreditation,
        changes={
            "event": [None, str(event) if event else None],
            "period": [None, f"{valid_from}–{valid_until}" if valid_from else None],
            "outlet": [None, accreditation.outlet],
            "role": [None, accreditation.role],
        },
    )
    _mail_after_commit(accreditation.pk, "received")
    return accreditation, True


def _script_language(text: str) -> str:
    for char in text:
        if "\u10a0" <= char <= "\u10ff" or "\u1c90" <= char <= "\u1cbf":
            return "ka"
        if "\u0530" <= char <= "\u058f":
            return "hy"
    return "en"


def _outlet_organisation(outlet: str, actor) -> Organisation | None:
    """The outlet's organisation: found by name in any script, or added as media."""
    found = contact_selectors.organisation_by_name(outlet)
    if isinstance(found, Organisation):
        return found
    if found == "ambiguous":
        # Several organisations answer to this name: staff link it by hand
        # rather than the system guessing or adding a duplicate.
        return None
    return contact_services.organisation_create(
        data={
            "kind": Organisation.Kind.MEDIA,
            f"name_{_script_language(outlet)}": outlet,
        },
        actor=actor,
    )


def _split_name(full_name: str) -> tuple[str, str]:
    parts = full_name.split()
    if len(parts) < 2:
        return full_name.strip(), ""
    return " ".join(parts[:-1]), parts[-1]


def _contact_for(accreditation: Accreditation, actor) -> tuple[Person, bool]:
    """The contact an approved journalist is, by email then phone, or a new one."""
    if accreditation.person_id:
        return accreditation.person, False
    person = (
        contact_selectors.people_matching(emails=[accreditation.email])
        .order_by("pk")
        .first()
    )
    if person is None and accreditation.phone:
        person = (
            contact_selectors.people_matching(phones=[accreditation.phone])
            .order_by("pk")
            .first()
        )
    if person is not None:
        return person, False
    organisation = _outlet_organisation(accreditation.outlet, actor)
    first_name, last_name = _split_name(accreditation.full_name)
    person = contact_services.person_create(
        data={
            "first_name": first_name,
            "last_name": last_name,
            "language": accreditation.language,
            "notes": _("Added from media accreditation request no. %(number)s.")
            % {"number": accreditation.pk},
        },
        emails=[{"email": accreditation.email}],
        phones=[{"number": accreditation.phone}] if accreditation.phone else [],
        organisation=organisation,
        role=accreditation.role,
        actor=actor,
    )
    return person, True


def _history_source(accreditation: Accreditation) -> str:
    if accreditation.event_id:
        return f"events.event:{accreditation.event_id}"
    return f"events.accreditation:{accreditation.pk}"


def _history_subject(accreditation: Accreditation) -> str:
    if accreditation.event_id:
        return str(accreditation.event)
    return _("the period %(start)s – %(end)s") % {
        "start": accreditation.valid_from,
        "end": accreditation.valid_until,
    }


def _locked(accreditation: Accreditation) -> Accreditation:
    return (
        Accreditation.objects.select_for_update()
        .select_related("event")
        .get(pk=accreditation.pk)
    )


@transaction.atomic
def accreditation_approve(*, accreditation: Accreditation, actor) -> Accreditation:
    """Approve a pending request: badge number, contact, history, confirmation mail."""
    _require(actor)
    accreditation = _locked(accreditation)
    if accreditation.status != Accreditation.Status.PENDING:
        raise ValidationError(
            _("Only a request waiting for a decision can be approved.")
        )
    person, person_created = _contact_for(accreditation, actor)
    now = timezone.now()
    accreditation.status = Accreditation.Status.APPROVED
    accreditation.decided_by = actor if getattr(actor, "pk", None) else None
    accreditation.decided_at = now
    accreditation.person = person
    accreditation.badge_number = f"AC-{now:%y}-{accreditation.pk:05d}"
    accreditation.full_clean()
    accreditation.save(
        update_fields=["status", "decided_by", "decided_at", "person", "badge_number"]
    )
    audit_record(
        actor=actor,
        action="events.accreditation.approved",
        target=accreditation,
        changes={
            "status": [Accreditation.Status.PENDING, accreditation.status],
            "badge_number": [None, accreditation.badge_number],
            "person": [None, f"{person} ({'new' if person_created else 'linked'})"],
        },
    )
    with translation.override(settings.LANGUAGE_CODE):
        summary = _("Accredited as %(role)s of %(outlet)s for %(subject)s.") % {
            "role": accreditation.get_role_display(),
            "outlet": accreditation.outlet,
            "subject": _history_subject(accreditation),
        }
    contact_services.interaction_record(
        kind=Interaction.Kind.ACCREDITED,
        summary=summary,
        person=person,
        actor=actor,
        happened_at=now,
        source=_history_source(accreditation),
    )
    _mail_after_commit(accreditation.pk, "approved")
    return accreditation


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"decision_note": _("Give the reason.")})
    return reason[:300]


@transaction.atomic
def accreditation_reject(
    *, accreditation: Accreditation, reason: str, actor
) -> Accreditation:
    """Turn down a pending request, with the reason the journalist is told."""
    _require(actor)
    reason = _reason(reason)
    accreditation = _locked(accreditation)
    if accreditation.status != Accreditation.Status.PENDING:
        raise ValidationError(
            _("Only a request waiting for a decision can be rejected.")
        )
    accreditation.status = Accreditation.Status.REJECTED
    accreditation.decided_by = actor if getattr(actor, "pk", None) else None
    accreditation.decided_at = timezone.now()
    accreditation.decision_note = reason
    accreditation.full_clean()
    accreditation.save(
        update_fields=["status", "decided_by", "decided_at", "decision_note"]
    )
    audit_record(
        actor=actor,
        action="events.accreditation.rejected",
        target=accreditation,
        changes={
            "status": [Accreditation.Status.PENDING, accreditation.status],
            "decision_note": [None, reason],
        },
    )
    _mail_after_commit(accreditation.pk, "rejected")
    return accreditation


@transaction.atomic
def accreditation_revoke(
    *, accreditation: Accreditation, reason: str, actor
) -> Accreditation:
    """Withdraw an approved accreditation; the badge is no longer valid."""
    _require(actor)
    reason = _reason(reason)
    accreditation = _locked(accreditation)
    if accreditation.status != Accreditation.Status.APPROVED:
        raise ValidationError(_("Only an approved accreditation can be revoked."))
    old_note = accreditation.decision_note
    accreditation.status = Accreditation.Status.REVOKED
    accreditation.decided_by = actor if getattr(actor, "pk", None) else None
    accreditation.decided_at = timezone.now()
    accreditation.decision_note = reason
    accreditation.full_clean()
    accreditation.save(
        update_fields=["status", "decided_by", "decided_at", "decision_note"]
    )
    audit_record(
        actor=actor,
        action="events.accreditation.revoked",
        target=accreditation,
        changes={
            "status": [Accreditation.Status.APPROVED, accreditation.status],
            "decision_note": [old_note or None, reason],
        },
    )
    if accreditation.person_id:
        with translation.override(settings.LANGUAGE_CODE):
            summary = _("Accreditation for %(subject)s revoked: %(reason)s") % {
                "subject": _history_subject(accreditation),
                "reason": reason,
            }
        contact_services.interaction_record(
            kind=Interaction.Kind.ACCREDITED,
            summary=summary,
            person=accreditation.person,
            actor=actor,
            source=_history_source(accreditation),
        )
    _mail_after_commit(accreditation.pk, "revoked")
    return accreditation


def _mail_action(kind: str) -> str:
    return f"events.accreditation.mailed_{kind}"


def accreditation_mail_send(*, accreditation: Accreditation, kind: str) -> bool:
    """Send one of the journalist's emails once, in their language; False if skipped.

    A decision email whose decision has since changed (approved, then revoked
    before the worker ran) is not sent: the later one is. The audit entry
    written after sending is what makes a second run send nothing.
    """
    if kind not in MAIL_KINDS:
        raise ValueError(f"Unknown accreditation email {kind!r}")
    if kind != "received" and accreditation.status != kind:
        return False
    already = AuditEntry.objects.filter(
        action=_mail_action(kind),
        target_type=ContentType.objects.get_for_model(Accreditation),
        target_id=str(accreditation.pk),
    )
    if already.exists():
        return False
    template = "received" if kind == "received" else "decision"
    email_render_and_send(
        to=[accreditation.email],
        language=accreditation.language or settings.LANGUAGE_CODE,
        template=f"events/email/accreditation_{template}",
        context={
            "accreditation": accreditation,
            "event": accreditation.event,
            "decision": kind,
            "organisation_name": getattr(settings, "PRAPP_ORGANISATION_NAME", ""),
        },
    )
    with transaction.atomic():
        audit_record(actor=None, action=_mail_action(kind), target=accreditation)
    return True
