"""Press releases: authoring, four-eyes approval, distribution ledger, newsroom."""

import os

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The language versions of a release, in the order a version is looked for when
# a recipient's own language is missing (PRESSRELEASES_LANGUAGE_FALLBACKS).
CONTENT_FIELDS = ("title", "lead", "body")


class AppAccess(models.Model):
    """Holds the permission to open the app; it has no table of its own."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("access_app", _("Can open the press releases app"))]
        verbose_name = _("press releases app access")

    def __str__(self):
        return str(self._meta.verbose_name)


class Tag(models.Model):
    """A topic releases are filed under (health, budget, council…)."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("code"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PressRelease(models.Model):
    """A release with its Georgian, Armenian and English versions, approved together."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        IN_REVIEW = "in_review", _("in review")
        APPROVED = "approved", _("approved")
        SCHEDULED = "scheduled", _("scheduled")
        SENT = "sent", _("sent")
        PUBLISHED = "published", _("published")
        WITHDRAWN = "withdrawn", _("withdrawn")

    # Content can change only in these states; a change to an approved release
    # sends it back to review.
    EDITABLE = (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED)
    # An approved release (and one already out) can be sent to more people.
    SENDABLE = (Status.APPROVED, Status.SCHEDULED, Status.SENT, Status.PUBLISHED)
    # Never on the newsroom, whatever dates they carry.
    NEVER_PUBLIC = (Status.DRAFT, Status.IN_REVIEW, Status.WITHDRAWN)

    title = models.CharField(_("title"), max_length=300, blank=True)
    lead = models.TextField(_("lead"), blank=True)
    body = models.TextField(_("body"), blank=True)
    slug = models.SlugField(_("address name"), max_length=120, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="press_releases",
    )
    contact_person = models.ForeignKey(
        "contacts.Person",
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Journalists with questions are told to call this person."),
    )
    tags = models.ManyToManyField(
        Tag, verbose_name=_("tags"), blank=True, related_name="releases"
    )
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("related event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="press_releases",
    )
    embargo_until = models.DateTimeField(
        _("embargoed until"),
        null=True,
        blank=True,
        help_text=_(
            "Nothing is public before this time. Only contacts marked for "
            "embargoed releases may receive it earlier."
        ),
    )
    version = models.PositiveIntegerField(_("version"), default=0)
    submitted_at = models.DateTimeField(
        _("submitted for review"), null=True, blank=True
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_version = models.PositiveIntegerField(
        _("approved version"), null=True, blank=True
    )
    # The newsroom shows the release from this moment (never before the embargo).
    published_at = models.DateTimeField(
        _("on the newsroom from"), null=True, blank=True
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    # Every language version, romanised and lower-cased, for cross-script search.
    search_key = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("press release")
        verbose_name_plural = _("press releases")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("approve_pressrelease", _("Can approve press releases")),
            (
                "send_pressrelease",
                _("Can send, schedule, publish and withdraw releases"),
            ),
        ]
        indexes = [
            models.Index(fields=["status"], name="pressreleases_status_idx"),
            models.Index(fields=["published_at"], name="pressreleases_published_idx"),
        ]

    def __str__(self):
        return self.title or self.title_ka or self.title_hy or f"#{self.pk}"

    def get_absolute_url(self):
        return reverse("pressreleases:detail", args=[self.pk])

    @property
    def public_from(self):
        """When the release appears on the newsroom, or None if it is not to."""
        if self.published_at is None or self.status in self.NEVER_PUBLIC:
            return None
        if self.embargo_until and self.embargo_until > self.published_at:
            return self.embargo_until
        return self.published_at

    def is_public(self, now=None) -> bool:
        public_from = self.public_from
        return public_from is not None and public_from <= (now or timezone.now())

    def under_embargo(self, now=None) -> bool:
        return bool(self.embargo_until and self.embargo_until > (now or timezone.now()))

    def has_language(self, language: str) -> bool:
        """Whether the release has a version in ``language`` (a title and a body)."""
        return bool(
            (getattr(self, f"title_{language}", "") or "").strip()
            and (getattr(self, f"body_{language}", "") or "").strip()
        )

    @property
    def languages(self) -> list[str]:
        return [code for code, _name in settings.LANGUAGES if self.has_language(code)]

    def language_for(self, preferred: str) -> str:
        """The version a reader of ``preferred`` gets: their own, else the fallbacks."""
        order = [preferred, *settings.PRESSRELEASES_LANGUAGE_FALLBACKS]
        order += [code for code, _name in settings.LANGUAGES]
        for code in order:
            if self.has_language(code):
                return code
        return preferred


class ReleaseVersion(models.Model):
    """A saved state of every language version, kept for the differences view."""

    release = models.ForeignKey(
        PressRelease,
        verbose_name=_("press release"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)
    # {"title_ka": …, "lead_ka": …, "body_ka": …, …, "embargo_until": …}
    content = models.JSONField(_("content"), default=dict)

    class Meta:
        verbose_name = _("release version")
        verbose_name_plural = _("release versions")
        ordering = ["release", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "number"], name="pressreleases_version_unique"
            )
        ]

    def __str__(self):
        return f"{self.release} v{self.number}"


class ReleaseComment(models.Model):
    """A reviewer's (or the author's) remark on a release, tied to the version read."""

    release = models.ForeignKey(
        PressRelease,
        verbose_name=_("press release"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"))
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.body[:60]


def _attachment_path(instance, filename):
    base, ext = os.path.splitext(filename)
    return f"pressreleases/{timezone.now():%Y/%m}/{base[:60]}{ext.lower()[:10]}"


class ReleaseAttachment(models.Model):
    """A file of a release: on its newsroom page and, if chosen, in the email."""

    release = models.ForeignKey(
        PressRelease,
        verbose_name=_("press release"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=300)
    title = models.CharField(_("title"), max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    public = models.BooleanField(_("shown on the newsroom"), default=True)
    attach_to_email = models.BooleanField(_("attached to the email"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["release", "pk"]

    def __str__(self):
        return self.title or self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Distribution(models.Model):
    """One sending of a release to an audience; its recipients are Delivery rows."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        SENDING = "sending", _("sending")
        DONE = "done", _("finished")
        CANCELLED = "cancelled", _("cancelled")

    release = models.ForeignKey(
        PressRelease,
        verbose_name=_("press release"),
        on_delete=models.PROTECT,
        related_name="distributions",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    scheduled_for = models.DateTimeField(_("send at"))
    # What was chosen, kept as chosen; smart lists were evaluated at send time.
    lists = models.ManyToManyField(
        "contacts.ContactList", verbose_name=_("lists"), blank=True, related_name="+"
    )
    groups = models.ManyToManyField(
        "contacts.ContactGroup", verbose_name=_("groups"), blank=True, related_name="+"
    )
    people = models.ManyToManyField(
        "contacts.Person", verbose_name=_("people"), blank=True, related_name="+"
    )
    attach_pdf = models.BooleanField(_("attach the release as PDF"), default=True)
    total = models.PositiveIntegerField(_("recipients"), default=0)
    left_out = models.PositiveIntegerField(_("left out"), default=0)
    # The Celery task now sending this distribution, and when it last showed life;
    # a second task finding a fresh runner leaves the work to it.
    runner = models.CharField(max_length=64, blank=True, default="", editable=False)
    runner_seen_at = models.DateTimeField(null=True, blank=True, editable=False)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status"], name="pressreleases_distr_status_idx")
        ]

    def __str__(self):
        return f"{self.release} — {self.created_at:%Y-%m-%d %H:%M}"


class Delivery(models.Model):
    """One recipient of a release: the ledger row that makes sending safe to resume.

    A release goes to an address at most once (the constraint is written before
    any message leaves). A row left "sending" by a worker that died is never
    retried automatically: it becomes "unknown" for a person to decide.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        UNKNOWN = "unknown", _("fate unknown")
        CANCELLED = "cancelled", _("cancelled")

    distribution = models.ForeignKey(
        Distribution,
        verbose_name=_("distribution"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    release = models.ForeignKey(
        PressRelease,
        verbose_name=_("press release"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    person = models.ForeignKey(
        "contacts.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="release_deliveries",
    )
    email = models.EmailField(_("email"), max_length=254)
    email_key = models.CharField(max_length=254, editable=False)
    name = models.CharField(_("name"), max_length=310, blank=True)
    # The version this recipient gets (their language, or the first fallback).
    language = models.CharField(_("language"), max_length=2)
    under_embargo = models.BooleanField(_("sent under embargo"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    not_before = models.DateTimeField(_("not before"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_by = models.CharField(max_length=64, blank=True, default="", editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=250, blank=True)
    error = models.TextField(_("error"), blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["distribution", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "email_key"],
                name="pressreleases_delivery_once_per_address",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="pressreleases_delivery_sent_has_time",
            ),
        ]
        indexes = [
            models.Index(
                fields=["distribution", "status", "not_before"],
                name="pressreleases_delivery_due_idx",
            ),
            models.Index(
                fields=["status", "not_before"], name="pressreleases_dlv_st_idx"
            ),
        ]

    def __str__(self):
        return f"{self.email} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        self.email_key = self.email.strip().lower()
        super().save(*args, **kwargs)
