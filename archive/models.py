"""Photo/video archive: assets with rights and consent, albums, media appearances."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppAccess(models.Model):
    """Holds the permission to open the app; it has no table of its own."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("access_app", _("Can open the archive app"))]
        verbose_name = _("archive app access")

    def __str__(self):
        return str(self._meta.verbose_name)


def _original_path(asset, filename: str) -> str:
    # Never the uploaded name: a random name under the year, with the checked
    # extension only (the original name is kept in the row).
    today = timezone.localdate()
    extension = asset.extension or "bin"
    return f"archive/originals/{today:%Y}/{today:%m}/{uuid.uuid4().hex}.{extension}"


class ArchiveTag(models.Model):
    """A keyword assets are filed under (council, reception, flood…)."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("code"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("archive tag")
        verbose_name_plural = _("archive tags")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Album(models.Model):
    """A set of assets, usually the photos and videos of one event."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="albums",
    )
    cover = models.ForeignKey(
        "Asset",
        verbose_name=_("cover"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
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
        verbose_name = _("album")
        verbose_name_plural = _("albums")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("archive:album_detail", args=[self.pk])


class Asset(models.Model):
    """One archived file (photo, video, audio, document) with its metadata."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("photo")
        VIDEO = "video", _("video")
        AUDIO = "audio", _("audio")
        DOCUMENT = "document", _("document")

    class State(models.TextChoices):
        PROCESSING = "processing", _("processing")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    class Rights(models.TextChoices):
        INTERNAL = "internal", _("internal use only")
        PRESS = "press", _("press use")
        PUBLIC = "public", _("public")

    class Consent(models.TextChoices):
        NOT_NEEDED = "not_needed", _("not needed (no identifiable people)")
        OBTAINED = "obtained", _("obtained")
        PENDING = "pending", _("not yet obtained")
        REFUSED = "refused", _("refused: do not publish")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=_original_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    extension = models.CharField(max_length=10, editable=False)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64, editable=False, db_index=True)

    state = models.CharField(
        _("state"),
        max_length=12,
        choices=State.choices,
        default=State.PROCESSING,
        db_index=True,
    )
    failure = models.TextField(_("reason of failure"), blank=True)
    # What processing skipped (no ffmpeg…), said to the user.
    processing_note = models.CharField(max_length=300, blank=True)

    # Metadata (title and caption are translated: translation.py).
    title = models.CharField(_("title"), max_length=300, blank=True)
    caption = models.TextField(_("caption"), blank=True)
    description = models.TextField(_("description"), blank=True)
    taken_at = models.DateTimeField(_("taken"), null=True, blank=True, db_index=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    people_shown = models.TextField(_("people shown"), blank=True)
    credit = models.CharField(_("photographer / credit"), max_length=200, blank=True)
    rights = models.CharField(
        _("usage rights"),
        max_length=10,
        choices=Rights.choices,
        default=Rights.INTERNAL,
        db_index=True,
    )
    licence_expires = models.DateField(_("licence expires"), null=True, blank=True)
    consent = models.CharField(
        _("consent of people shown"),
        max_length=12,
        choices=Consent.choices,
        default=Consent.NOT_NEEDED,
    )
    consent_note = models.TextField(_("consent note"), blank=True)
    tags = models.ManyToManyField(
        ArchiveTag, verbose_name=_("tags"), blank=True, related_name="assets"
    )
    albums = models.ManyToManyField(
        Album, verbose_name=_("albums"), blank=True, related_name="assets"
    )
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assets",
    )
    release = models.ForeignKey(
        "pressreleases.PressRelease",
        verbose_name=_("press release"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="archive_assets",
    )

    # Technical metadata, filled by processing.
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    camera = models.CharField(_("camera"), max_length=200, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # {"s": "archive/thumbs/…/s.jpg", "m": …, "l": …, "poster": …}: paths in
    # default storage.
    renditions = models.JSONField(default=dict, blank=True, editable=False)

    search_text = models.TextField(blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    # Where import_archive found it (relative path), to resume and skip.
    import_path = models.CharField(max_length=1000, blank=True, editable=False)

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["-uploaded_at", "-id"]
        indexes = [
            models.Index(fields=["-uploaded_at", "-id"], name="archive_asset_newest"),
            models.Index(fields=["kind", "-uploaded_at"], name="archive_asset_kind"),
        ]
        permissions = [
            ("download_original", _("Can download original files")),
        ]

    def __str__(self):
        return self.title or self.original_name

    def get_absolute_url(self):
        return reverse("archive:asset_detail", args=[self.pk])

    @property
    def cleared_for_press(self) -> bool:
        """May go to journalists: press or public rights, valid licence, consent."""
        if self.rights == self.Rights.INTERNAL or self.state != self.State.READY:
            return False
        if self.consent in (self.Consent.PENDING, self.Consent.REFUSED):
            return False
        return not (
            self.licence_expires and self.licence_expires < timezone.localdate()
        )


class MediaAppearance(models.Model):
    """The head's appearance on TV, radio or online, with a link or a recording."""

    class Medium(models.TextChoices):
        TV = "tv", _("TV")
        RADIO = "radio", _("radio")
        ONLINE = "online", _("online")
        PRINT = "print", _("print")

    person = models.ForeignKey(
        "contacts.Person",
        verbose_name=_("who appeared"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="media_appearances",
    )
    speaker_name = models.CharField(_("speaker"), max_length=200, blank=True)
    outlet = models.ForeignKey(
        "contacts.Organisation",
        verbose_name=_("outlet"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="media_appearances",
    )
    medium = models.CharField(_("medium"), max_length=8, choices=Medium.choices)
    programme = models.CharField(_("programme"), max_length=200, blank=True)
    title = models.CharField(_("subject"), max_length=300)
    aired_at = models.DateTimeField(_("aired"), db_index=True)
    link = models.URLField(_("link"), max_length=1000, blank=True)
    recording = models.ForeignKey(
        Asset,
        verbose_name=_("recording"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appearances",
    )
    notes = models.TextField(_("notes"), blank=True)
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
        verbose_name = _("media appearance")
        verbose_name_plural = _("media appearances")
        ordering = ["-aired_at", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("archive:appearance_detail", args=[self.pk])
