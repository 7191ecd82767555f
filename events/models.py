"""Events: planning, checklists, sessions and minutes, invitations, accreditation."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class AppAccess(models.Model):
    """Holds the permission to open the app; it has no table of its own."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("access_app", _("Can open the events app"))]
        verbose_name = _("events app access")

    def __str__(self):
        return str(self._meta.verbose_name)


class EventType(models.Model):
    """A kind of event (press conference, public hearing…); managers can add more."""

    name = models.CharField(_("name"), max_length=120)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    # Council and commission sessions and hearings have an agenda and minutes.
    has_agenda = models.BooleanField(_("has agenda and minutes"), default=False)
    # Citizen reception days count the people received, for the annual report.
    counts_visitors = models.BooleanField(_("counts people received"), default=False)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("event type")
        verbose_name_plural = _("event types")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class ChecklistTemplateItem(models.Model):
    """One task that every new event of a type starts with."""

    event_type = models.ForeignKey(
        EventType,
        verbose_name=_("event type"),
        on_delete=models.CASCADE,
        related_name="checklist_items",
    )
    title = models.CharField(_("task"), max_length=200)
    days_before = models.PositiveSmallIntegerField(
        _("due days before the event"), default=1
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("checklist template task")
        verbose_name_plural = _("checklist template tasks")
        ordering = ["event_type", "position", "pk"]

    def __str__(self):
        return self.title


class Venue(models.Model):
    """A hall, office or outdoor place used again and again."""

    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    accessibility_notes = models.TextField(_("accessibility notes"), blank=True)

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Event(models.Model):
    """A press conference, hearing, session, visit or any other planned event."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        CONFIRMED = "confirmed", _("confirmed")
        HELD = "held", _("held")
        POSTPONED = "postponed", _("postponed")
        CANCELLED = "cancelled", _("cancelled")

    event_type = models.ForeignKey(
        EventType,
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("venue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    online_url = models.URLField(_("online link"), blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events_responsible",
    )
    unit = models.CharField(_("responsible unit"), max_length=200, blank=True)
    key_participants = models.ManyToManyField(
        "contacts.Person",
        verbose_name=_("key participants"),
        blank=True,
        related_name="events_as_participant",
    )
    # Minutes of a session or hearing: sanitised HTML (nh3), see services.
    minutes = models.TextField(_("minutes"), blank=True)
    # After the event.
    outcome = models.TextField(_("outcome"), blank=True)
    people_received = models.PositiveIntegerField(
        _("people received"), null=True, blank=True
    )
    effectiveness = models.PositiveSmallIntegerField(
        _("effectiveness (1–5)"), null=True, blank=True
    )
    effectiveness_notes = models.TextField(_("notes on effectiveness"), blank=True)
    accreditation_open = models.BooleanField(
        _("media accreditation open"), default=False
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    search_key = models.TextField(editable=False, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        permissions = [
            ("invite_event", _("Can invite people to events")),
            ("checkin_event", _("Can check people in at events")),
            ("decide_accreditation", _("Can approve or reject accreditations")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="events_event_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(effectiveness__isnull=True)
                | Q(effectiveness__gte=1, effectiveness__lte=5),
                name="events_event_effectiveness_1_to_5",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:event_detail", args=[self.pk])


class ChecklistTask(models.Model):
    """One task of an event's checklist."""

    class State(models.TextChoices):
        OPEN = "open", _("to do")
        DONE = "done", _("done")
        SKIPPED = "skipped", _("not needed")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="tasks"
    )
    title = models.CharField(_("task"), max_length=200)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_tasks",
    )
    due_on = models.DateField(_("due"), null=True, blank=True, db_index=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.OPEN
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("checklist task")
        verbose_name_plural = _("checklist tasks")
        ordering = ["event", "position", "pk"]

    def __str__(self):
        return self.title


class AgendaItem(models.Model):
    """An item on the agenda of a session or hearing, with the decision taken."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="agenda"
    )
    position = models.PositiveSmallIntegerField(_("number"), default=1)
    title = models.CharField(_("item"), max_length=500)
    decision = models.TextField(_("decision"), blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["event", "position", "pk"]

    def __str__(self):
        return f"{self.position}. {self.title}"


class FollowUp(models.Model):
    """An instruction that came out of an event, for a unit or a person, by a date."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")

    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    instruction = models.TextField(_("instruction"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person responsible"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_follow_ups",
    )
    unit = models.CharField(_("unit responsible"), max_length=200, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.OPEN
    )

    class Meta:
        verbose_name = _("follow-up instruction")
        verbose_name_plural = _("follow-up instructions")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.instruction[:80]


def _attachment_path(instance, filename):
    # Never the uploader's name on disk: a random name keeps its extension only.
    suffix = "".join(c for c in filename.rsplit(".", 1)[-1][:10] if c.isalnum())
    return f"events/{instance.event_id}/{uuid.uuid4().hex}.{suffix or 'bin'}"


class EventAttachment(models.Model):
    """A file attached to an event's minutes or press kit."""

    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_attachment_path)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("event attachment")
        verbose_name_plural = _("event attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.title


def _new_secret() -> str:
    return secrets.token_urlsafe(16)


class Invitation(models.Model):
    """One person invited to one event: the mail, the answer, the attendance."""

    class Role(models.TextChoices):
        GUEST = "guest", _("guest")
        SPEAKER = "speaker", _("speaker")
        MEDIA = "media", _("media")

    class Delivery(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        NOT_SENT = "not_sent", _("not sent (no address or no consent)")

    class Response(models.TextChoices):
        NONE = "", _("no answer yet")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        MAYBE = "maybe", _("maybe")

    class Channel(models.TextChoices):
        LINK = "link", _("RSVP link")
        PHONE = "phone", _("phone")
        LETTER = "letter", _("letter")
        EMAIL = "email", _("email")
        IN_PERSON = "in_person", _("in person")

    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    person = models.ForeignKey(
        "contacts.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="invitations",
    )
    role = models.CharField(
        _("role"), max_length=10, choices=Role.choices, default=Role.GUEST
    )
    email = models.EmailField(_("sent to"), blank=True)
    language = models.CharField(_("language"), max_length=2, blank=True)
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.PENDING
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    delivery_error = models.CharField(_("delivery error"), max_length=300, blank=True)
    response = models.CharField(
        _("answer"), max_length=10, choices=Response.choices, blank=True, default=""
    )
    response_channel = models.CharField(
        _("answered by"), max_length=10, choices=Channel.choices, blank=True
    )
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    response_note = models.CharField(
        _("note on the answer"), max_length=300, blank=True
    )
    attended_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    # Part of the RSVP token: replacing it invalidates every link sent before.
    secret = models.CharField(max_length=32, default=_new_secret, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["event", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"], name="events_invitation_once_per_person"
            )
        ]

    def __str__(self):
        return f"{self.person} — {self.event}"


class InvitationReminder(models.Model):
    """A reminder sent for an invitation; the constraint keeps it to one per offset."""

    invitation = models.ForeignKey(
        Invitation,
        verbose_name=_("invitation"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    hours_before = models.PositiveIntegerField(_("hours before the event"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation reminder")
        verbose_name_plural = _("invitation reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "hours_before"], name="events_reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.invitation} ({self.hours_before} h)"


class Accreditation(models.Model):
    """A journalist's request to cover an event or a period, and its decision."""

    class Role(models.TextChoices):
        REPORTER = "reporter", _("reporter")
        CAMERA = "camera", _("camera operator")
        PHOTO = "photo", _("photographer")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a decision")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        REVOKED = "revoked", _("revoked")

    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="accreditations",
    )
    # An accreditation for a period rather than one event.
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    full_name = models.CharField(_("full name"), max_length=200)
    outlet = models.CharField(_("media outlet"), max_length=200)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    press_card = models.CharField(_("press card number"), max_length=60, blank=True)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=2, default="ka")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("reason"), max_length=300, blank=True)
    person = models.ForeignKey(
        "contacts.Person",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accreditations",
    )
    badge_number = models.CharField(_("badge number"), max_length=20, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    # A hash of the submitter's address, for the rate limit; never the address.
    source_hash = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(event__isnull=False)
                | Q(valid_from__isnull=False, valid_until__isnull=False),
                name="events_accreditation_event_or_period",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="events_accreditation_period_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.outlet})"


class CalendarFeed(models.Model):
    """A staff member's secret calendar subscription address."""

    class Scope(models.TextChoices):
        MINE = "mine", _("my events")
        ALL = "all", _("all events")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(max_length=64, unique=True, default=_new_secret)
    scope = models.CharField(
        _("events in the feed"), max_length=5, choices=Scope.choices, default=Scope.MINE
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)
