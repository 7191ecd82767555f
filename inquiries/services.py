"""Every write of the inquiry desk, each with its rule, audit entry and actor.

A request is registered with its yearly number and legal deadline, assigned,
answered after a manager approved the answer, refused with a legal ground or
forwarded to the competent body. Emails leave after the transaction commits,
through the tasks in inquiries.tasks, each once (an audit entry records it).
``actor`` None is the system itself: the public form, demo data, commands.
"""

import hashlib
import hmac
import logging
import secrets
from datetime import date, datetime, time, timedelta
from email.utils import parseaddr
from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contacts import selectors as contact_selectors
from contacts import services as contact_services
from contacts.models import Interaction, Person
from contacts.phones import to_e164
from inquiries import deadlines, numbering
from inquiries.letters import letter_html, letter_pdf  # noqa: F401 (part of the API)
from inquiries.models import (
    InternalQuestion,
    LawProfile,
    LineToTake,
    RefusalGround,
    Reminder,
    Request,
    RequestAttachment,
)
from prapp.audit import audit_record, diff, snapshot
from prapp.models import AuditEntry
from prapp.text import search_key
from prapp.uploads import CONTENT_TYPES, upload_check

logger = logging.getLogger(__name__)

Status = Request.Status

ADD = "inquiries.add_request"
CHANGE = "inquiries.change_request"
APPROVE = "inquiries.approve_request"
ADD_LINE = "inquiries.add_linetotake"
CHANGE_LINE = "inquiries.change_linetotake"

REGISTER_FIELDS = (
    "kind",
    "channel",
    "requester",
    "requester_organisation",
    "requester_name",
    "requester_email",
    "requester_phone",
    "requester_address",
    "language",
    "subject",
    "text",
    "received_at",
    "unit",
    "assignee",
    "monitoring_item",
    "event",
    "release",
)
PUBLIC_FIELDS = (
    "requester_name",
    "requester_email",
    "requester_phone",
    "requester_address",
    "language",
    "subject",
    "text",
)
AUDITED_FIELDS = (
    "number",
    "kind",
    "channel",
    "requester",
    "requester_organisation",
    "requester_name",
    "requester_email",
    "language",
    "subject",
    "received_at",
    "law_profile",
    "due_on",
    "status",
    "unit",
    "assignee",
    "monitoring_item",
    "event",
    "release",
)
LINE_FIELDS = ("subject", "text", "language", "active")
REQUESTER_MAILS = ("answer", "refusal", "forwarded", "extension")
# The public form takes at most this many files.
PUBLIC_MAX_FILES = 10
# Reminders go out from this local time on, once a day.
REMIND_FROM = time(8, 0)
# Compared with when a number is unknown, so both answers take as long.
_NO_SECRET = hashlib.sha256(b"no such request").hexdigest()


class _DuplicateSubmission(Exception):
    """The same public form was registered by a concurrent request."""


# --- Helpers ------------------------------------------------------------------


def _require(actor, perm: str) -> None:
    if actor is not None and not actor.has_perm(perm):
        raise PermissionDenied(perm)


def _locked(request: Request) -> Request:
    return Request.objects.select_for_update().get(pk=request.pk)


def _require_open(request: Request) -> None:
    if not request.is_open:
        raise ValidationError(_("This request is closed; it can no longer change."))


def _require_status(request: Request, allowed, message: str) -> None:
    if request.status not in allowed:
        raise ValidationError(message)


def _language(value) -> str:
    codes = dict(settings.LANGUAGES)
    value = (value or "").strip()
    if value in codes:
        return value
    current = (translation.get_language() or "")[:2]
    return current if current in codes else settings.LANGUAGE_CODE


def _after_commit(task, *args) -> None:
    transaction.on_commit(partial(task.delay, *args))


def secret_hash(secret: str) -> str:
    """What is stored of a status secret: its SHA-256, hex."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def request_search_key(request: Request) -> str:
    """Number, subject, text and requester, romanised, for search in any script."""
    organisation = request.requester_organisation
    return search_key(
        request.number,
        request.subject,
        request.requester_name,
        request.requester_email,
        str(organisation) if organisation else "",
        request.text,
    )


def line_search_key(line: LineToTake) -> str:
    return search_key(line.subject, line.text)


def law_profile() -> LawProfile:
    """The deployment's law profile (INQUIRIES_LAW_PROFILE)."""
    code = getattr(settings, "INQUIRIES_LAW_PROFILE", "ge")
    profile = LawProfile.objects.filter(code=code).first()
    if profile is None:
        raise ValidationError(
            _("The law profile “%(code)s” does not exist; check the settings.")
            % {"code": code}
        )
    return profile


def _max_bytes() -> int:
    return settings.INQUIRIES_MAX_ATTACHMENT_MB * 1024 * 1024


def _uploads_check(uploads, *, field: str = "attachments") -> list[tuple]:
    """Every upload checked before anything is stored: (upload, extension) pairs.

    One bad file refuses them all, with a message naming each bad one.
    """
    checked, errors = [], []
    for upload in uploads or ():
        if upload is None:
            continue
        try:
            checked.append((upload, upload_check(upload, max_bytes=_max_bytes())))
        except ValidationError as exc:
            for message in exc.messages:
                errors.append(
                    _("%(name)s: %(error)s") % {"name": upload.name, "error": message}
                )
    if errors:
        raise ValidationError({field: errors})
    return checked


def _attachment_store(*, request, upload, extension, direction, actor):
    attachment = RequestAttachment(
        request=request,
        direction=direction,
        original_name=upload.name[-200:],
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
        size=upload.size,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    attachment.file.save(upload.name, upload, save=False)
    try:
        attachment.full_clean()
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


def _site_root() -> str:
    return settings.PRAPP_SITE_URL.rstrip("/")


def request_url(request: Request) -> str:
    """The staff page of a request, as a full address for emails."""
    try:
        path = request.get_absolute_url()
    except NoReverseMatch:
        path = reverse("inquiries:index")
    return _site_root() + path


def status_url(*, number: str, secret: str) -> str:
    """The public status page of a request, with its number and secret."""
    query = urlencode({"n": number, "s": secret})
    return f"{_site_root()}{reverse('inquiries_public:status')}?{query}"


def _interaction(request: Request, actor, summary: str) -> None:
    """Note the request in the requester's history in contacts."""
    if request.requester_id is None and request.requester_organisation_id is None:
        return
    contact_services.interaction_record(
        kind=Interaction.Kind.INQUIRY,
        summary=summary,
        actor=actor,
        person=request.requester,
        organisation=None if request.requester_id else request.requester_organisation,
        source=request.number,
    )


# --- Registration ---------------------------------------------------------------


def _requester_contact(values: dict, actor) -> Person | None:
    """The typed requester as a contact: an existing person with that address or
    number, else a new one."""
    email = (values.get("requester_email") or "").strip()
    phone = (values.get("requester_phone") or "").strip()
    numbers = []
    if phone:
        try:
            numbers = [to_e164(phone)]
        except ValidationError:
            numbers = []
    found = (
        contact_selectors.people_matching(
            emails=[email] if email else [], phones=numbers
        )
        .order_by("pk")
        .first()
    )
    if found is not None:
        return found
    name = (values.get("requester_name") or "").split()
    if not name:
        return None
    try:
        return contact_services.person_create(
            data={
                "first_name": name[0],
                "last_name": " ".join(name[1:]),
                "language": values.get("language") or settings.LANGUAGE_CODE,
            },
            actor=actor,
            emails=[{"email": email}] if email else [],
            phones=[{"number": phone}] if phone else [],
            organisation=values.get("requester_organisation"),
        )
    except ValidationError as exc:
        errors = getattr(exc, "error_dict", {})
        raise ValidationError(
            {
                "requester_phone"
                if "phones" in errors or not errors
                else "requester_email": exc.messages
            }
        ) from exc


def _requester_defaults(values: dict) -> None:
    """Fill the name, address and language of a requester picked from contacts."""
    person = values.get("requester")
    if person is None:
        return
    if not (values.get("requester_name") or "").strip():
        values["requester_name"] = str(person)[:200]
    if not (values.get("requester_email") or "").strip():
        first = person.emails.filter(bounced_at__isnull=True).order_by(
            "-is_primary", "pk"
        )
        address = first.values_list("email", flat=True).first()
        values["requester_email"] = address or ""
    if not values.get("language"):
        values["language"] = person.language


def _received_at(value) -> datetime:
    if value is None or value == "":
        return timezone.now()
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time(9, 0))
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > timezone.now():
        raise ValidationError(
            {"received_at": _("A request cannot be received in the future.")}
        )
    return value


def _number_and_save(request: Request, *, submission_key: str | None) -> None:
    """Give the request the next number of its year and insert it (see numbering)."""
    numbering.number_lock(request.law_profile)
    if (
        submission_key
        and Request.objects.filter(submission_key=submission_key).exists()
    ):
        raise _DuplicateSubmission
    for attempt in range(3):
        request.sequence = numbering.next_sequence(request.year)
        request.number = numbering.number_render(
            year=request.year, sequence=request.sequence
        )
        request.search_text = request_search_key(request)
        try:
            with transaction.atomic():
                request.save()
            return
        except IntegrityError:
            if submission_key and (
                Request.objects.filter(submission_key=submission_key).exists()
            ):
                raise _DuplicateSubmission from None
            if attempt == 2:
                raise
            logger.warning(
                "Registration number %s taken; trying the next", request.number
            )


def _register(
    *,
    values: dict,
    actor,
    uploads: list[tuple],
    action: str,
    submission_key: str | None = None,
    secret: str | None = None,
) -> Request:
    received_at = _received_at(values.pop("received_at", None))
    profile = law_profile()
    request = Request(**values)
    request.received_at = received_at
    request.language = _language(request.language)
    request.law_profile = profile
    request.year = deadlines.received_on(received_at).year
    request.due_on = request.original_due_on = deadlines.due_for(
        kind=request.kind, received_at=received_at, profile=profile
    )
    if request.assignee_id or request.unit_id:
        request.status = Status.ASSIGNED
    request.submission_key = submission_key
    request.secret_hash = secret_hash(secret) if secret else ""
    request.created_by = actor if getattr(actor, "pk", None) else None
    request.number = "-"
    request.sequence = 0
    request.full_clean(exclude=["number", "sequence", "search_text", "submission_key"])
    _number_and_save(request, submission_key=submission_key)

    stored = []
    try:
        for upload, extension in uploads:
            stored.append(
                _attachment_store(
                    request=request,
                    upload=upload,
                    extension=extension,
                    direction=RequestAttachment.Direction.RECEIVED,
                    actor=actor,
                )
            )
    except Exception:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    changes = {k: [None, v] for k, v in snapshot(request, AUDITED_FIELDS).items() if v}
    if stored:
        changes["attachments"] = [None, [a.original_name for a in stored]]
    audit_record(actor=actor, action=action, target=request, changes=changes)
    _interaction(
        request,
        actor,
        _("Request %(number)s: %(subject)s")
        % {"number": request.number, "subject": request.subject},
    )
    return request


@transaction.atomic
def request_register(
    *, data: dict, actor, attachments=(), create_contact: bool = False
) -> Request:
    """Register a request received by the desk: number, deadline, files, contact.

    ``create_contact`` links a typed requester to contacts: to the person who
    already has that address or number, else to a new person.
    """
    _require(actor, ADD)
    values = {k: data.get(k) for k in REGISTER_FIELDS if k in data}
    for name in ("requester_name", "requester_email", "requester_phone", "subject"):
        values[name] = (values.get(name) or "").strip()
    values["requester_address"] = (values.get("requester_address") or "").strip()
    values["text"] = (values.get("text") or "").strip()
    _received_at(values.get("received_at"))  # refused before anything is created
    uploads = _uploads_check(attachments)
    _requester_defaults(values)
    if create_contact and values.get("requester") is None:
        _require(actor, "contacts.add_person")
        values["requester"] = _requester_contact(values, actor)
    request = _register(
        values=values,
        actor=actor,
        uploads=uploads,
        action="inquiries.request.registered",
    )
    if request.assignee_id and request.assignee_id != getattr(actor, "pk", None):
        _assignment_mail_after_commit(request, request.assignee)
    return request


def request_public_submit(
    *, data: dict, files=(), submission_key: str
) -> tuple[Request, str | None]:
    """Register a public-information request sent through the public form.

    Returns the request and the secret of its status page, which is kept only
    as a hash: the confirmation email carries it. The same form sent twice
    (``submission_key``) registers once; the second call returns the first
    request and None, and sends nothing.
    """
    key = (submission_key or "").strip()[:64]
    if not key:
        raise ValidationError(_("The form has expired; please send it again."))
    existing = _submitted(key)
    if existing is not None:
        return existing, None
    files = [upload for upload in files or () if upload is not None]
    if len(files) > PUBLIC_MAX_FILES:
        raise ValidationError(
            {
                "attachments": _("Attach at most %(count)d files.")
                % {"count": PUBLIC_MAX_FILES}
            }
        )
    uploads = _uploads_check(files)
    values = {k: (data.get(k) or "").strip() for k in PUBLIC_FIELDS}
    values.update(
        kind=Request.Kind.PUBLIC_INFORMATION,
        channel=Request.Channel.WEB_FORM,
        received_at=timezone.now(),
    )
    secret = secrets.token_urlsafe(16)
    try:
        with transaction.atomic():
            request = _register(
                values=values,
                actor=None,
                uploads=uploads,
                action="inquiries.request.submitted",
                submission_key=key,
                secret=secret,
            )
            transaction.on_commit(
                partial(_confirmation_after_commit, request.pk, secret)
            )
    except _DuplicateSubmission:
        return _submitted(key), None
    return request, secret


def _submitted(key: str) -> Request | None:
    """The request a public form with this submission key registered, if any."""
    return Request.objects.filter(submission_key=key).first()


def status_lookup(*, number: str, secret: str) -> Request | None:
    """The request this number and secret open, or None; never says which was wrong.

    The secret's hash is compared in constant time, and an unknown number is
    compared against a stand-in, so a guess learns nothing from the timing.
    """
    number = (number or "").strip()[:40]
    secret = (secret or "").strip()[:200]
    request = None
    if number:
        request = (
            Request.objects.select_related("refusal_ground", "law_profile")
            .filter(number=number)
            .exclude(secret_hash="")
            .first()
        )
    stored = request.secret_hash if request is not None else _NO_SECRET
    matches = hmac.compare_digest(stored, secret_hash(secret))
    if request is None or not secret or not matches:
        return None
    return request


# --- Assignment and internal questions ----------------------------------------


def _assignment_mail_after_commit(request: Request, user, entry_id: int = 0) -> None:
    from inquiries import tasks

    if user is None or not user.email:
        return
    _after_commit(tasks.assignment_mail, request.pk, user.pk, entry_id)


@transaction.atomic
def request_assign(*, request: Request, actor, assignee=None, unit=None) -> Request:
    """Give an open request to a person and/or a unit; the person gets an email."""
    _require(actor, CHANGE)
    request = _locked(request)
    _require_open(request)
    if assignee is None and unit is None:
        raise ValidationError(_("Choose a person or a unit."))
    if assignee is not None and not assignee.is_active:
        raise ValidationError({"assignee": _("This account is no longer active.")})
    before = snapshot(request, ("assignee", "unit", "status"))
    request.assignee = assignee
    request.unit = unit
    if request.status == Status.REGISTERED:
        request.status = Status.ASSIGNED
    changes = diff(before, snapshot(request, ("assignee", "unit", "status")))
    if not changes:
        return request
    request.save(update_fields=["assignee", "unit", "status", "updated_at"])
    entry = audit_record(
        actor=actor,
        action="inquiries.request.assigned",
        target=request,
        changes=changes,
    )
    if (
        assignee is not None
        and "assignee" in changes
        and assignee.pk != getattr(actor, "pk", None)
    ):
        _assignment_mail_after_commit(request, assignee, entry.pk)
    return request


@transaction.atomic
def question_ask(
    *,
    request: Request,
    actor,
    question: str,
    due_on: date,
    unit=None,
    assignee=None,
) -> InternalQuestion:
    """Ask a unit or a colleague for what the answer needs, by a date of its own."""
    from inquiries import tasks

    _require(actor, CHANGE)
    request = _locked(request)
    _require_open(request)
    question = (question or "").strip()
    if not question:
        raise ValidationError({"question": _("Write the question.")})
    if unit is None and assignee is None:
        raise ValidationError(_("Choose a unit or a person to ask."))
    if due_on is None or due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The answer cannot be due in the past.")})
    item = InternalQuestion(
        request=request,
        unit=unit,
        assignee=assignee,
        question=question,
        due_on=due_on,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        action="inquiries.question.asked",
        target=request,
        changes={
            "question": [None, question[:300]],
            "due_on": [None, due_on.isoformat()],
            "unit": [None, str(unit) if unit else None],
            "assignee": [None, str(assignee) if assignee else None],
        },
    )
    _after_commit(tasks.question_mail, item.pk)
    return item


def may_answer_question(question: InternalQuestion, actor) -> bool:
    """The desk, the person asked and the head of the unit asked may answer."""
    if actor is None:
        return True
    if actor.has_perm(CHANGE):
        return True
    if question.assignee_id and question.assignee_id == actor.pk:
        return True
    return bool(question.unit_id and question.unit.head_id == actor.pk)


@transaction.atomic
def question_answer(
    *, question: InternalQuestion, actor, answer: str
) -> InternalQuestion:
    """Record a unit's answer to an internal question (once)."""
    question = (
        InternalQuestion.objects.select_for_update(of=("self",))
        .select_related("unit", "request")
        .get(pk=question.pk)
    )
    if not may_answer_question(question, actor):
        raise PermissionDenied(CHANGE)
    if question.answered_at is not None:
        raise ValidationError(_("This question has already been answered."))
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer.")})
    question.answer = answer
    question.answered_at = timezone.now()
    question.answered_by = actor if getattr(actor, "pk", None) else None
    question.save(update_fields=["answer", "answered_at", "answered_by"])
    audit_record(
        actor=actor,
        action="inquiries.question.answered",
        target=question.request,
        changes={
            "question": [None, question.question[:100]],
            "answer": [None, answer[:300]],
        },
    )
    return question


# --- The answer -----------------------------------------------------------------


def _transition(
    request: Request, actor, new: str, action: str, note: dict | None = None, **fields
) -> Request:
    """Move to status ``new`` with ``fields`` set, audited (``note``: more to say)."""
    before = snapshot(request, ("status", *fields))
    request.status = new
    for name, value in fields.items():
        setattr(request, name, value)
    request.save(update_fields=["status", *fields, "updated_at"])
    changes = diff(before, snapshot(request, ("status", *fields)))
    if "answer_text" in changes:
        old, new_text = changes["answer_text"]
        changes["answer_text"] = [(old or "")[:500], (new_text or "")[:500]]
    changes.update(note or {})
    audit_record(actor=actor, action=action, target=request, changes=changes)
    return request


@transaction.atomic
def answer_draft(*, request: Request, actor, text: str) -> Request:
    """Write or rewrite the answer; a changed approved answer needs approval again."""
    _require(actor, CHANGE)
    request = _locked(request)
    _require_open(request)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the answer.")})
    return _transition(
        request,
        actor,
        Status.DRAFTED,
        "inquiries.answer.drafted",
        answer_text=text,
        drafted_by=actor if getattr(actor, "pk", None) else None,
        approved_by=None,
        approved_at=None,
    )


def approval_refusal(request: Request, actor) -> str:
    """Why ``actor`` may not approve the answer now, or "" if they may."""
    if actor is None or not actor.has_perm(APPROVE):
        return _("Only a manager approves answers.")
    if request.status != Status.DRAFTED or not request.answer_text.strip():
        return _("Only a drafted answer can be approved.")
    if not settings.INQUIRIES_AUTHOR_MAY_APPROVE and request.drafted_by_id == actor.pk:
        return _(
            "You drafted this answer: another manager must approve it (four eyes)."
        )
    return ""


@transaction.atomic
def answer_approve(*, request: Request, actor) -> Request:
    """A manager approves the drafted answer; never their own draft (four eyes)."""
    _require(actor, APPROVE)
    request = _locked(request)
    refusal = approval_refusal(request, actor)
    if refusal:
        raise PermissionDenied(refusal)
    return _transition(
        request,
        actor,
        Status.APPROVED,
        "inquiries.answer.approved",
        approved_by=actor,
        approved_at=timezone.now(),
    )


@transaction.atomic
def answer_return(*, request: Request, actor, reason: str) -> Request:
    """A manager sends the answer back to drafting, saying what to change."""
    _require(actor, APPROVE)
    request = _locked(request)
    _require_status(
        request,
        (Status.DRAFTED, Status.APPROVED),
        _("Only a drafted or approved answer can be returned."),
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what should change.")})
    return _transition(
        request,
        actor,
        Status.DRAFTED,
        "inquiries.answer.returned",
        note={"reason": [None, reason[:1000]]},
        approved_by=None,
        approved_at=None,
    )


def _requester_mail_after_commit(request: Request, kind: str) -> None:
    from inquiries import tasks

    _after_commit(tasks.requester_mail, request.pk, kind)


def _close(request: Request, actor, status: str, action: str, **fields) -> Request:
    request = _transition(
        request, actor, status, action, answered_at=timezone.now(), **fields
    )
    _interaction(
        request,
        actor,
        _("Request %(number)s: %(status)s")
        % {"number": request.number, "status": request.get_status_display()},
    )
    return request


@transaction.atomic
def request_answer(
    *,
    request: Request,
    actor,
    method: str,
    partly: bool = False,
    send_email: bool = True,
) -> Request:
    """Send (or record) the approved answer; by email it leaves from the desk."""
    _require(actor, CHANGE)
    request = _locked(request)
    _require_status(
        request, (Status.APPROVED,), _("Only an approved answer can be sent.")
    )
    if method not in Request.AnswerMethod.values:
        raise ValidationError({"method": _("Choose how the answer was given.")})
    emailing = method == Request.AnswerMethod.EMAIL and send_email
    if emailing and not request.requester_email:
        raise ValidationError(
            {"method": _("The requester left no email address; send a letter.")}
        )
    request = _close(
        request,
        actor,
        Status.PARTLY_ANSWERED if partly else Status.ANSWERED,
        "inquiries.request.partly_answered" if partly else "inquiries.request.answered",
        answer_method=method,
    )
    if emailing:
        _requester_mail_after_commit(request, "answer")
    return request


@transaction.atomic
def request_refuse(
    *, request: Request, actor, ground: RefusalGround, send_email: bool = True
) -> Request:
    """Refuse with a legal ground; the approved answer is the reasoned refusal.

    With an email address on file the refusal is emailed; otherwise it goes
    out as a letter (letter_pdf).
    """
    _require(actor, CHANGE)
    request = _locked(request)
    _require_status(
        request,
        (Status.APPROVED,),
        _("Write the reasons as the answer and have them approved before refusing."),
    )
    if ground is None or ground.profile_id != request.law_profile_id:
        raise ValidationError({"ground": _("Choose a ground of the request's law.")})
    emailing = bool(send_email and request.requester_email)
    request = _close(
        request,
        actor,
        Status.REFUSED,
        "inquiries.request.refused",
        refusal_ground=ground,
        answer_method=Request.AnswerMethod.EMAIL if emailing else "",
    )
    if emailing:
        _requester_mail_after_commit(request, "refusal")
    return request


@transaction.atomic
def request_forward(
    *,
    request: Request,
    actor,
    organisation=None,
    name: str = "",
    send_email: bool = True,
) -> Request:
    """Send an open request on to the body competent for it; the requester is told."""
    _require(actor, CHANGE)
    request = _locked(request)
    _require_open(request)
    name = (name or "").strip()
    if not name and organisation is not None:
        # Named as the requester will read it in the letter and the email.
        with translation.override(request.language):
            name = str(organisation)
    if not name:
        raise ValidationError({"name": _("Name the body the request goes to.")})
    emailing = bool(send_email and request.requester_email)
    request = _close(
        request,
        actor,
        Status.FORWARDED,
        "inquiries.request.forwarded",
        forwarded_to=organisation,
        forwarded_to_name=name[:300],
    )
    if emailing:
        _requester_mail_after_commit(request, "forwarded")
    return request


@transaction.atomic
def request_extend(*, request: Request, actor, reason: str) -> Request:
    """Move the deadline to the rule's longer term (once), with the reason.

    The notice the law may require (Armenia: within 5 days of receipt) is sent
    with extension_notify; its date is kept on the request.
    """
    _require(actor, CHANGE)
    request = _locked(request)
    _require_open(request)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    if request.extended_at is not None:
        raise ValidationError(_("This request has already been extended."))
    due = deadlines.extended_due_for(request=request)
    notice_due = deadlines.extension_notice_due_for(request=request)
    old_due = request.due_on
    request.due_on = due
    request.extension_reason = reason
    request.extended_at = timezone.now()
    request.extension_notice_due_on = notice_due
    request.save(
        update_fields=[
            "due_on",
            "extension_reason",
            "extended_at",
            "extension_notice_due_on",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action="inquiries.request.extended",
        target=request,
        changes={
            "due_on": [old_due.isoformat(), due.isoformat()],
            "reason": [None, reason[:1000]],
            "extension_notice_due_on": [
                None,
                notice_due.isoformat() if notice_due else None,
            ],
        },
    )
    return request


@transaction.atomic
def extension_notify(*, request: Request, actor, send_email: bool = True) -> Request:
    """Tell the requester of the extension: by email, or record a letter sent."""
    _require(actor, CHANGE)
    request = _locked(request)
    if request.extended_at is None:
        raise ValidationError(_("This request has not been extended."))
    if request.extension_notified_at is not None:
        raise ValidationError(_("The requester has already been told."))
    if send_email and not request.requester_email:
        raise ValidationError(
            _("The requester left no email address; send the notice as a letter.")
        )
    request.extension_notified_at = timezone.now()
    request.save(update_fields=["extension_notified_at", "updated_at"])
    late = bool(
        request.extension_notice_due_on
        and timezone.localdate() > request.extension_notice_due_on
    )
    audit_record(
        actor=actor,
        action="inquiries.request.extension_notified",
        target=request,
        changes={"emailed": [None, send_email], "late": [None, late]},
    )
    if send_email:
        _requester_mail_after_commit(request, "extension")
    return request


LINK_FIELDS = ("monitoring_item", "event", "release")


@transaction.atomic
def request_link(
    *, request: Request, actor, monitoring_item=None, event=None, release=None
) -> Request:
    """Set what the request concerns: a monitoring item, an event, a release."""
    _require(actor, CHANGE)
    request = _locked(request)
    before = snapshot(request, LINK_FIELDS)
    request.monitoring_item = monitoring_item
    request.event = event
    request.release = release
    changes = diff(before, snapshot(request, LINK_FIELDS))
    if changes:
        request.save(update_fields=[*LINK_FIELDS, "updated_at"])
        audit_record(
            actor=actor,
            action="inquiries.request.linked",
            target=request,
            changes=changes,
        )
    return request


@transaction.atomic
def attachments_add(
    *, request: Request, actor, uploads, direction: str = "in"
) -> list[RequestAttachment]:
    """Attach checked files, all or none: received with the request ("in") or
    for the answer."""
    _require(actor, CHANGE)
    request = _locked(request)
    if direction not in RequestAttachment.Direction.values:
        raise ValidationError({"direction": _("Choose received or with the answer.")})
    checked = _uploads_check(uploads, field="files")
    attachments = []
    try:
        for upload, extension in checked:
            attachment = _attachment_store(
                request=request,
                upload=upload,
                extension=extension,
                direction=direction,
                actor=actor,
            )
            attachments.append(attachment)
            audit_record(
                actor=actor,
                action="inquiries.attachment.added",
                target=request,
                changes={
                    "attachment": [None, attachment.original_name],
                    "direction": [None, direction],
                    "size": [None, attachment.size],
                },
            )
    except Exception:
        # The rows roll back with the transaction; the stored files would not.
        for attachment in attachments:
            attachment.file.delete(save=False)
        raise
    return attachments


def attachment_add(
    *, request: Request, actor, upload, direction: str = "in"
) -> RequestAttachment:
    """Attach one checked file (see attachments_add)."""
    (attachment,) = attachments_add(
        request=request, actor=actor, uploads=[upload], direction=direction
    )
    return attachment


# --- Lines to take ----------------------------------------------------------------


@transaction.atomic
def line_save(*, request: Request, actor, subject: str = "") -> LineToTake:
    """Keep an approved answer as a line to take for similar questions."""
    _require(actor, ADD_LINE)
    if request.approved_at is None or not request.answer_text.strip():
        raise ValidationError(_("Only an approved answer can become a line to take."))
    line = LineToTake(
        subject=((subject or "").strip() or request.subject)[:300],
        text=request.answer_text,
        language=request.language,
        source_request=request,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    line.search_text = line_search_key(line)
    line.full_clean(exclude=["search_text"])
    line.save()
    audit_record(
        actor=actor,
        action="inquiries.line.saved",
        target=line,
        changes={"subject": [None, line.subject], "request": [None, request.number]},
    )
    return line


@transaction.atomic
def line_update(*, line: LineToTake, actor, data: dict) -> LineToTake:
    """Change a line to take's subject, text, language or whether it is in use."""
    _require(actor, CHANGE_LINE)
    line = LineToTake.objects.select_for_update().get(pk=line.pk)
    before = snapshot(line, LINE_FIELDS)
    for field in LINE_FIELDS:
        if field in data:
            value = data[field]
            setattr(line, field, value.strip() if isinstance(value, str) else value)
    line.full_clean(exclude=["search_text"])
    changes = diff(before, snapshot(line, LINE_FIELDS))
    if changes:
        line.search_text = line_search_key(line)
        line.save(update_fields=[*LINE_FIELDS, "search_text"])
        if "text" in changes:
            changes["text"] = [(v or "")[:500] for v in changes["text"]]
        audit_record(
            actor=actor, action="inquiries.line.changed", target=line, changes=changes
        )
    return line


@transaction.atomic
def line_archive(*, line: LineToTake, actor) -> LineToTake:
    """Take a line out of use (kept for the record)."""
    return line_update(line=line, actor=actor, data={"active": False})


# --- Mail -----------------------------------------------------------------------


def _from_email() -> str:
    return getattr(settings, "INQUIRIES_FROM_EMAIL", "") or settings.DEFAULT_FROM_EMAIL


def _desk_address() -> str:
    return parseaddr(_from_email())[1]


def _mail(
    *,
    to: list[str],
    language: str,
    template: str,
    context: dict,
    from_email: str | None = None,
    attachments=(),
) -> int:
    """Render ``<template>_subject.txt``, ``.txt`` and ``.html`` in ``language``; send.

    Subjects in Georgian or Armenian are encoded by Django (RFC 2047, UTF-8).
    """
    language = _language(language)
    with translation.override(language):
        context = {
            **context,
            "language": language,
            "organisation": settings.PRAPP_ORGANISATION_NAME,
            "desk_email": _desk_address(),
            "site_root": _site_root(),
        }
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers={"Content-Language": language},
    )
    message.attach_alternative(html, "text/html")
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    return message.send()


def _already_sent(target, action: str, **match) -> bool:
    entries = AuditEntry.objects.filter(
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
    )
    for key, value in match.items():
        entries = entries.filter(**{f"changes__{key}": value})
    return entries.exists()


def _confirmation_after_commit(request_id: int, secret: str) -> None:
    """Send the confirmation in this process: its secret never enters a queue.

    A failed send is logged, not raised: the request is registered and the
    visitor sees its number on the thanks page.
    """
    request = Request.objects.filter(pk=request_id).first()
    if request is None:
        return
    try:
        confirmation_mail_send(request=request, secret=secret)
    except Exception:
        logger.exception("Confirmation email of request %s failed", request_id)


def confirmation_mail_send(*, request: Request, secret: str) -> bool:
    """Email the requester the number, the deadline and the status link (once)."""
    if not request.requester_email:
        return False
    action = "inquiries.request.confirmation_emailed"
    with transaction.atomic():
        _locked(request)
        if _already_sent(request, action):
            return False
        _mail(
            to=[request.requester_email],
            language=request.language,
            template="inquiries/email/confirmation",
            context={
                "request": request,
                "status_url": status_url(number=request.number, secret=secret),
            },
            from_email=_from_email(),
        )
        audit_record(actor=None, action=action, target=request)
    return True


def _answer_files(request: Request) -> list[tuple]:
    files = []
    for attachment in request.attachments.filter(
        direction=RequestAttachment.Direction.ANSWER
    ).order_by("pk"):
        with attachment.file.open("rb") as handle:
            files.append(
                (attachment.original_name, handle.read(), attachment.content_type)
            )
    return files


def requester_mail_send(*, request: Request, kind: str) -> bool:
    """Send the answer, refusal, forwarding or extension notice to the requester, once.

    Skipped when the request has since moved on (a refusal email for a request
    no longer refused is not sent). The audit entry written with the sending
    makes a second run send nothing.
    """
    if kind not in REQUESTER_MAILS:
        raise ValueError(f"Unknown requester email {kind!r}")
    expected = {
        "answer": (Status.ANSWERED, Status.PARTLY_ANSWERED),
        "refusal": (Status.REFUSED,),
        "forwarded": (Status.FORWARDED,),
    }
    action = f"inquiries.request.{kind}_emailed"
    with transaction.atomic():
        request = (
            Request.objects.select_for_update(of=("self",))
            .select_related("refusal_ground", "law_profile")
            .get(pk=request.pk)
        )
        if kind in expected and request.status not in expected[kind]:
            return False
        if kind == "extension" and request.extension_notified_at is None:
            return False
        if not request.requester_email or _already_sent(request, action):
            return False
        rule = request.law_profile.rules.filter(kind=request.kind).first()
        _mail(
            to=[request.requester_email],
            language=request.language,
            template=f"inquiries/email/{kind}",
            context={"request": request, "rule": rule},
            from_email=_from_email(),
            attachments=_answer_files(request) if kind == "answer" else (),
        )
        audit_record(actor=None, action=action, target=request)
    return True


def _user_language(user) -> str:
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def assignment_mail_send(*, request: Request, user, entry_id: int = 0) -> bool:
    """Tell a colleague a request was given to them (once per assignment)."""
    if not user.is_active or not user.email or request.assignee_id != user.pk:
        return False
    action = "inquiries.request.assignment_emailed"
    with transaction.atomic():
        _locked(request)
        if _already_sent(request, action, entry=entry_id, user=user.pk):
            return False
        _mail(
            to=[user.email],
            language=_user_language(user),
            template="inquiries/email/assigned",
            context={"request": request, "user": user, "url": request_url(request)},
        )
        audit_record(
            actor=None,
            action=action,
            target=request,
            changes={"entry": entry_id, "user": user.pk},
        )
    return True


def _question_recipient(question: InternalQuestion) -> tuple[str, str, object]:
    """(address, language, user) of whoever answers an internal question."""
    for user in (question.assignee, question.unit.head if question.unit else None):
        if user is not None and user.is_active and user.email:
            return user.email, _user_language(user), user
    if question.unit is not None and question.unit.email:
        return question.unit.email, settings.LANGUAGE_CODE, None
    return "", "", None


def question_mail_send(*, question: InternalQuestion) -> bool:
    """Send an internal question to the person or unit asked (once)."""
    address, language, user = _question_recipient(question)
    if not address or question.answered_at is not None:
        return False
    action = "inquiries.question.emailed"
    with transaction.atomic():
        InternalQuestion.objects.select_for_update().filter(pk=question.pk).first()
        if _already_sent(question, action):
            return False
        _mail(
            to=[address],
            language=language,
            template="inquiries/email/question",
            context={
                "question": question,
                "request": question.request,
                "user": user,
                "url": request_url(question.request),
            },
        )
        audit_record(actor=None, action=action, target=question)
    return True


# --- Reminders --------------------------------------------------------------------


def _reminder_plan(today: date) -> dict:
    """{user: {kind: [requests]}} of what is due soon, overdue or asked."""
    User = get_user_model()
    soon = today + timedelta(days=settings.INQUIRIES_REMIND_DAYS)
    open_requests = Request.objects.filter(status__in=Request.OPEN_STATUSES)
    plan: dict = {}

    def add(user, kind, request):
        if user is None or not user.is_active or not user.email:
            return
        entry = plan.setdefault(user.pk, (user, {}))
        items = entry[1].setdefault(kind, [])
        if request not in items:
            items.append(request)

    for request in open_requests.filter(
        assignee__isnull=False, due_on__gte=today, due_on__lte=soon
    ).select_related("assignee"):
        add(request.assignee, Reminder.Kind.DUE_SOON, request)
    overdue = list(open_requests.filter(due_on__lt=today).select_related("assignee"))
    if overdue:
        managers = (
            User.objects.filter(is_active=True, groups__name="Manager")
            .exclude(email="")
            .distinct()
        )
        for manager in managers:
            for request in overdue:
                add(manager, Reminder.Kind.OVERDUE, request)
    for question in (
        InternalQuestion.objects.filter(
            answered_at__isnull=True,
            due_on__lte=soon,
            request__status__in=Request.OPEN_STATUSES,
        )
        .select_related("request", "assignee", "unit__head")
        .order_by("due_on", "pk")
    ):
        user = question.assignee or (question.unit.head if question.unit else None)
        add(user, Reminder.Kind.QUESTION_DUE, question.request)
    return plan


def _reminder_send(*, user, kind: str, requests: list, today: date) -> bool:
    """One email to ``user`` listing the requests not yet reminded today."""
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        done = set(
            Reminder.objects.filter(
                user=user, kind=kind, sent_on=today, request__in=requests
            ).values_list("request_id", flat=True)
        )
        new = [request for request in requests if request.pk not in done]
        if not new:
            return False
        Reminder.objects.bulk_create(
            [Reminder(request=r, kind=kind, user=user, sent_on=today) for r in new]
        )
        questions = []
        if kind == Reminder.Kind.QUESTION_DUE:
            questions = list(
                InternalQuestion.objects.filter(
                    request__in=new, answered_at__isnull=True
                )
                .select_related("request", "unit")
                .order_by("due_on", "pk")
            )
        _mail(
            to=[user.email],
            language=_user_language(user),
            template="inquiries/email/reminder",
            context={
                "user": user,
                "kind": kind,
                "today": today,
                "entries": [
                    {
                        "request": r,
                        "url": request_url(r),
                        "days_left": deadlines.days_left(r.due_on, today=today),
                        "days_late": max(0, (today - r.due_on).days),
                    }
                    for r in sorted(new, key=lambda r: (r.due_on, r.pk))
                ],
                "questions": questions,
                "count": len(new),
            },
        )
    return True


def reminders_send(*, now: datetime | None = None, force: bool = False) -> int:
    """Send today's deadline reminders that have not gone out yet; emails sent.

    Assignees hear of their requests due within INQUIRIES_REMIND_DAYS,
    managers of every overdue request, and those asked internal questions of
    theirs; each once per person, request, kind and day (the Reminder table).
    Nothing goes out before REMIND_FROM local time unless ``force``.
    """
    now = now or timezone.now()
    local = timezone.localtime(now)
    if not force and local.time() < REMIND_FROM:
        return 0
    today = local.date()
    sent = 0
    for user, kinds in _reminder_plan(today).values():
        for kind, requests in kinds.items():
            try:
                if _reminder_send(user=user, kind=kind, requests=requests, today=today):
                    sent += 1
            except Exception:
                # Nothing was recorded for this person: the next hour retries.
                logger.exception(
                    "Inquiry reminder %s for user %s failed", kind, user.pk
                )
    return sent
