"""The inquiry desk: journalists' questions, letters and public-information requests.

A request is registered with a yearly number, gets a legal deadline from the
deployment's law profile (calendar or working days, public holidays), goes
through assignment, internal questions to units, a draft answer, a manager's
approval and the answer itself (or a refusal with its ground, or forwarding).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contacts.models import Person

LANGUAGE_CHOICES = Person.Language.choices


class AppAccess(models.Model):
    """Holds the permission to open the app; it has no table of its own."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("access_app", _("Can open the inquiry desk"))]
        verbose_name = _("inquiry desk access")

    def __str__(self):
        return str(self._meta.verbose_name)


class Kind(models.TextChoices):
    JOURNALIST = "journalist", _("journalist's inquiry")
    PUBLIC_INFORMATION = "public_info", _("public-information request")
    CITIZEN_LETTER = "letter", _("citizen's letter or appeal")
    HOTLINE = "hotline", _("hotline call")
    AGENCY = "agency", _("request from another agency")


class DayKind(models.TextChoices):
    CALENDAR = "calendar", _("calendar days")
    WORKING = "working", _("working days")


class LawProfile(models.Model):
    """The deadlines one country's law sets; Georgia and Armenia shipped, editable."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)  # translated
    # ISO 3166 code of the country whose public holidays count ("GE", "AM").
    country = models.CharField(_("country"), max_length=2)
    # A deadline that ends on a weekend or holiday moves to the next working day.
    roll_to_working_day = models.BooleanField(
        _("a deadline on a day off moves to the next working day"), default=True
    )
    notes = models.TextField(_("notes"), blank=True)  # translated

    class Meta:
        verbose_name = _("law profile")
        verbose_name_plural = _("law profiles")
        ordering = ["code"]

    def __str__(self):
        return self.name


class DeadlineRule(models.Model):
    """How long one kind of request may take under one law profile."""

    profile = models.ForeignKey(
        LawProfile,
        verbose_name=_("law profile"),
        on_delete=models.CASCADE,
        related_name="rules",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    days = models.PositiveIntegerField(_("days to answer"))
    day_kind = models.CharField(
        _("counted in"), max_length=8, choices=DayKind.choices, default=DayKind.CALENDAR
    )
    # An extension (more work needed): the new deadline counted from receipt,
    # and the days within which the requester must be told (0: no notice rule).
    extended_days = models.PositiveIntegerField(
        _("days to answer when extended"), null=True, blank=True
    )
    extension_notice_days = models.PositiveIntegerField(
        _("extension notice due within (days)"), default=0
    )
    # A refusal must be notified with its reasons within this many days (0: with
    # the answer).
    refusal_notice_days = models.PositiveIntegerField(
        _("refusal notice due within (days)"), default=0
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["profile", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "kind"], name="inquiries_rule_once_per_kind"
            )
        ]

    def __str__(self):
        return f"{self.profile}: {self.get_kind_display()}"


class Holiday(models.Model):
    """A public holiday (no working day) of one country."""

    country = models.CharField(_("country"), max_length=2)
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=200)  # translated

    class Meta:
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        ordering = ["date", "country"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "date"], name="inquiries_holiday_once_a_day"
            )
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"


class RefusalGround(models.Model):
    """A legal ground for refusing information (state secret, personal data…)."""

    profile = models.ForeignKey(
        LawProfile,
        verbose_name=_("law profile"),
        on_delete=models.CASCADE,
        related_name="refusal_grounds",
    )
    name = models.CharField(_("name"), max_length=200)  # translated
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("refusal ground")
        verbose_name_plural = _("refusal grounds")
        ordering = ["profile", "name"]

    def __str__(self):
        return self.name


class Unit(models.Model):
    """A unit of the office that answers internal questions (finance, legal…)."""

    name = models.CharField(_("name"), max_length=200)  # translated
    email = models.EmailField(_("email"), blank=True)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("head of unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Request(models.Model):
    """One inquiry, letter or public-information request and its answer."""

    Kind = Kind

    class Channel(models.TextChoices):
        EMAIL = "email", _("email")
        LETTER = "letter", _("letter")
        PHONE = "phone", _("phone")
        WEB_FORM = "web", _("web form")
        IN_PERSON = "in_person", _("in person")
        SOCIAL = "social", _("social network")

    class Status(models.TextChoices):
        REGISTERED = "registered", pgettext_lazy("request status", "registered")
        ASSIGNED = "assigned", pgettext_lazy("request status", "assigned")
        DRAFTED = "drafted", _("answer drafted")
        APPROVED = "approved", _("answer approved")
        ANSWERED = "answered", pgettext_lazy("request status", "answered")
        PARTLY_ANSWERED = "partly", _("partly answered")
        REFUSED = "refused", _("refused")
        FORWARDED = "forwarded", _("forwarded")

    OPEN_STATUSES = (
        Status.REGISTERED,
        Status.ASSIGNED,
        Status.DRAFTED,
        Status.APPROVED,
    )
    CLOSED_STATUSES = (
        Status.ANSWERED,
        Status.PARTLY_ANSWERED,
        Status.REFUSED,
        Status.FORWARDED,
    )

    class AnswerMethod(models.TextChoices):
        EMAIL = "email", _("by email")
        LETTER = "letter", _("by letter")
        PHONE = "phone", _("by phone")
        IN_PERSON = "in_person", _("in person")

    # The registration number: year and sequence, rendered by
    # INQUIRIES_NUMBER_FORMAT into ``number``.
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    sequence = models.PositiveIntegerField(_("sequence"), editable=False)
    number = models.CharField(_("number"), max_length=40, unique=True, editable=False)

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    channel = models.CharField(
        pgettext_lazy("how a request arrived", "channel"),
        max_length=10,
        choices=Channel.choices,
    )
    requester = models.ForeignKey(
        "contacts.Person",
        verbose_name=_("requester"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiries",
    )
    requester_organisation = models.ForeignKey(
        "contacts.Organisation",
        verbose_name=_("requester's organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiries",
    )
    # As received (the contact may change later; the letter keeps these).
    requester_name = models.CharField(_("requester's name"), max_length=200)
    requester_email = models.EmailField(_("requester's email"), blank=True)
    requester_phone = models.CharField(
        _("requester's phone"), max_length=40, blank=True
    )
    requester_address = models.TextField(_("requester's address"), blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=LANGUAGE_CHOICES, default="ka"
    )
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("text"))
    received_at = models.DateTimeField(_("received"), db_index=True)

    # The deadline, computed at registration from the profile's rule.
    law_profile = models.ForeignKey(
        LawProfile,
        verbose_name=_("law profile"),
        on_delete=models.PROTECT,
        related_name="requests",
    )
    due_on = models.DateField(_("due"), db_index=True)
    original_due_on = models.DateField(_("first deadline"), editable=False)
    extension_reason = models.TextField(_("reason of the extension"), blank=True)
    extended_at = models.DateTimeField(_("extended"), null=True, blank=True)
    extension_notice_due_on = models.DateField(
        _("extension notice due"), null=True, blank=True
    )
    extension_notified_at = models.DateTimeField(
        _("requester told of the extension"), null=True, blank=True
    )

    status = models.CharField(
        _("status"),
        max_length=12,
        choices=Status.choices,
        default=Status.REGISTERED,
        db_index=True,
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiries_assigned",
    )

    # The answer.
    answer_text = models.TextField(_("answer"), blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    answered_at = models.DateTimeField(
        _("answered"), null=True, blank=True, db_index=True
    )
    answer_method = models.CharField(
        _("answered how"), max_length=10, choices=AnswerMethod.choices, blank=True
    )
    refusal_ground = models.ForeignKey(
        RefusalGround,
        verbose_name=_("ground of refusal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
    )
    forwarded_to = models.ForeignKey(
        "contacts.Organisation",
        verbose_name=_("forwarded to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    forwarded_to_name = models.CharField(
        _("competent body"), max_length=300, blank=True
    )

    # What it concerns.
    monitoring_item = models.ForeignKey(
        "media_monitoring.Item",
        verbose_name=_("monitoring item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiries",
    )
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiries",
    )
    release = models.ForeignKey(
        "pressreleases.PressRelease",
        verbose_name=_("press release"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiries",
    )

    # The public status page: number plus a secret, only its hash is kept.
    secret_hash = models.CharField(max_length=64, blank=True, editable=False)
    # A public form sent twice (double click, reload) registers once.
    submission_key = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )

    search_text = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "sequence"], name="inquiries_number_once_a_year"
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("original_due_on")),
                name="inquiries_due_not_before_first_deadline",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="inquiries_queue"),
        ]
        permissions = [
            ("approve_request", _("Can approve answers to requests")),
        ]

    def __str__(self):
        return f"{self.number} {self.subject}"

    def get_absolute_url(self):
        return reverse("inquiries:request_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def answered_on_time(self) -> bool | None:
        """None while open; whether the answer came by the (extended) deadline."""
        if self.answered_at is None:
            return None
        return timezone.localdate(self.answered_at) <= self.due_on


class InternalQuestion(models.Model):
    """A question the desk sends to a unit or a colleague, with its own due date."""

    request = models.ForeignKey(
        Request,
        verbose_name=_("request"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("the person asked", "asked"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiry_questions",
    )
    question = models.TextField(_("question"))
    due_on = models.DateField(_("due"))
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("asked"), default=timezone.now)

    class Meta:
        verbose_name = _("internal question")
        verbose_name_plural = _("internal questions")
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.question[:80]


class RequestAttachment(models.Model):
    """A file received with a request, or sent with its answer."""

    class Direction(models.TextChoices):
        RECEIVED = "in", pgettext_lazy("attachment", "received")
        ANSWER = "out", _("with the answer")

    request = models.ForeignKey(
        Request,
        verbose_name=_("request"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    direction = models.CharField(
        _("direction"), max_length=3, choices=Direction.choices, default="in"
    )
    file = models.FileField(_("file"), upload_to="inquiries/%Y/%m/", max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("request attachment")
        verbose_name_plural = _("request attachments")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.original_name


class LineToTake(models.Model):
    """An approved answer kept for reuse when journalists ask the same again."""

    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("text"))
    language = models.CharField(
        _("language"), max_length=2, choices=LANGUAGE_CHOICES, default="ka"
    )
    source_request = models.ForeignKey(
        Request,
        verbose_name=_("from request"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lines",
    )
    active = models.BooleanField(_("in use"), default=True)
    search_text = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("line to take")
        verbose_name_plural = _("lines to take")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.subject


class Reminder(models.Model):
    """A reminder email sent, so that each goes out once per person and day."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("deadline close")
        OVERDUE = "overdue", _("deadline passed")
        QUESTION_DUE = "question", _("internal question due")

    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_on = models.DateField(default=timezone.localdate)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind", "user", "sent_on"],
                name="inquiries_reminder_once_a_day",
            )
        ]

    def __str__(self):
        return f"{self.request.number} {self.get_kind_display()}"
