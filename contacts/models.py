"""The stakeholder database: organisations, people, groups, lists, consent, history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class AppAccess(models.Model):
    """Holds the permission to open the app; it has no table of its own."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("access_app", _("Can open the contacts app"))]
        verbose_name = _("contacts app access")

    def __str__(self):
        return str(self._meta.verbose_name)


class Region(models.Model):
    """A region of Georgia or a province of Armenia (an editable list)."""

    class Country(models.TextChoices):
        GEORGIA = "GE", _("Georgia")
        ARMENIA = "AM", _("Armenia")
        OTHER = "XX", _("Other country")

    name = models.CharField(_("name"), max_length=120)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["country", "position", "name"]

    def __str__(self):
        return self.name


class ContactGroup(models.Model):
    """A thematic group or beat (for example "human rights", "regional media")."""

    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("thematic group")
        verbose_name_plural = _("thematic groups")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Verifiable(models.Model):
    """When a record was last checked against reality, and by whom."""

    last_verified_at = models.DateTimeField(_("last verified"), null=True, blank=True)
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Cross-script search key of the record's names (prapp.text.search_key).
    search_key = models.TextField(editable=False, blank=True, default="")

    class Meta:
        abstract = True


class Organisation(Verifiable):
    """A ministry, outlet, NGO, embassy or any other body the office deals with."""

    class Kind(models.TextChoices):
        STATE = "state", _("ministry or state agency")
        MUNICIPALITY = "municipality", _("municipality")
        PARLIAMENT = "parliament", _("parliament")
        COURT = "court", _("court")
        NGO = "ngo", _("NGO")
        MEDIA = "media", _("media outlet")
        INTERNATIONAL = "international", _("international organisation")
        EMBASSY = "embassy", _("embassy")
        ACADEMIC = "academic", _("academic institution")
        PRIVATE = "private", _("private company")
        RELIGIOUS = "religious", _("religious organisation")
        OTHER = "other", _("other")

    class MediaType(models.TextChoices):
        TV = "tv", _("TV")
        RADIO = "radio", _("radio")
        PRINT = "print", _("print")
        ONLINE = "online", _("online")
        AGENCY = "agency", _("news agency")

    name = models.CharField(_("name"), max_length=300)
    name_latin = models.CharField(
        _("name in Latin letters"), max_length=300, blank=True
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    media_type = models.CharField(
        _("media type"), max_length=10, choices=MediaType.choices, blank=True
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("general email"), blank=True)
    phone = models.CharField(_("general phone"), max_length=20, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    groups = models.ManyToManyField(
        ContactGroup,
        verbose_name=_("thematic groups"),
        blank=True,
        related_name="organisations",
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["kind"], name="contacts_org_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(media_type="") | Q(kind="media"),
                name="contacts_org_media_type_only_for_media",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("contacts:organisation_detail", args=[self.pk])


class Person(Verifiable):
    """A person: journalist, official, NGO representative, diplomat…"""

    class Language(models.TextChoices):
        KA = "ka", _("Georgian")
        HY = "hy", _("Armenian")
        EN = "en", _("English")

    class ConsentBasis(models.TextChoices):
        NONE = "", _("not recorded")
        CONSENT = "consent", _("consent")
        PUBLIC_TASK = "public_task", _("public task")
        LEGITIMATE_INTEREST = "legitimate_interest", _("legitimate interest")
        CONTRACT = "contract", _("contract or agreement")

    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    first_name_latin = models.CharField(
        _("first name in Latin letters"), max_length=150, blank=True
    )
    last_name_latin = models.CharField(
        _("last name in Latin letters"), max_length=150, blank=True
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=Language.choices,
        default=Language.KA,
        help_text=_("Every email we send to this person is in this language."),
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    organisations = models.ManyToManyField(
        Organisation,
        through="Affiliation",
        verbose_name=_("organisations"),
        related_name="people",
        blank=True,
    )
    groups = models.ManyToManyField(
        ContactGroup,
        verbose_name=_("thematic groups"),
        blank=True,
        related_name="people",
    )
    notes = models.TextField(_("notes"), blank=True)
    # Key of the name alone, so duplicates meet across scripts ("nino beridze").
    name_key = models.CharField(
        max_length=300, editable=False, blank=True, db_index=True
    )

    consent_basis = models.CharField(
        _("legal basis for mailings"),
        max_length=30,
        choices=ConsentBasis.choices,
        blank=True,
    )
    consent_evidence = models.TextField(
        _("evidence of consent"),
        blank=True,
        help_text=_("How and when the person agreed, e.g. a signed form or an email."),
    )
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    opted_out_at = models.DateTimeField(_("opted out"), null=True, blank=True)
    opted_out_source = models.CharField(_("opt-out source"), max_length=200, blank=True)
    do_not_contact = models.BooleanField(_("do not contact"), default=False)
    receives_embargoed = models.BooleanField(
        _("receives releases under embargo"),
        default=False,
        help_text=_(
            "Trusted journalists who get press releases before the embargo lifts."
        ),
    )
    do_not_contact_reason = models.CharField(
        _("reason for do-not-contact"), max_length=300, blank=True
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "pk"]
        permissions = [
            ("export_contacts", _("Can export contacts")),
            ("import_contacts", _("Can import contacts")),
            ("merge_contacts", _("Can merge duplicate contacts")),
            ("clear_donotcontact", _("Can clear do-not-contact")),
        ]
        indexes = [
            models.Index(
                fields=["last_name", "first_name", "id"],
                name="contacts_person_name_idx",
            ),
            models.Index(fields=["language"], name="contacts_person_lang_idx"),
        ]

    def __str__(self):
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    def get_absolute_url(self):
        return reverse("contacts:person_detail", args=[self.pk])

    @property
    def latin_name(self) -> str:
        return " ".join(p for p in (self.first_name_latin, self.last_name_latin) if p)

    @property
    def can_be_mailed(self) -> bool:
        return not (self.do_not_contact or self.opted_out_at)


class Affiliation(models.Model):
    """A person's place in an organisation, with their role there."""

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="affiliations",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="affiliations",
    )
    role = models.CharField(_("role"), max_length=200, blank=True)
    is_current = models.BooleanField(_("current"), default=True)

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation", "role"],
                name="contacts_affiliation_unique",
            )
        ]

    def __str__(self):
        return f"{self.person} — {self.organisation}"


class PersonEmail(models.Model):
    """One of a person's email addresses; an address belongs to one person only."""

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="emails",
    )
    email = models.EmailField(_("email"))
    label = models.CharField(_("label"), max_length=50, blank=True)
    is_primary = models.BooleanField(_("primary"), default=False)
    bounced_at = models.DateTimeField(_("bounced"), null=True, blank=True)
    bounce_reason = models.CharField(_("bounce reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("email address")
        verbose_name_plural = _("email addresses")
        ordering = ["-is_primary", "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), name="contacts_email_unique_address"
            )
        ]

    def __str__(self):
        return self.email


class PersonPhone(models.Model):
    """One of a person's phone numbers, stored in E.164 (+995…, +374…)."""

    class Kind(models.TextChoices):
        MOBILE = "mobile", _("mobile")
        OFFICE = "office", _("office")
        HOME = "home", _("home")
        FAX = "fax", _("fax")

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="phones",
    )
    number = models.CharField(_("number"), max_length=20, db_index=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=Kind.choices, default=Kind.MOBILE
    )
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")
        ordering = ["-is_primary", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "number"], name="contacts_phone_unique_per_person"
            )
        ]

    def __str__(self):
        return self.number


class SocialHandle(models.Model):
    """A person's account on a social network."""

    class Network(models.TextChoices):
        FACEBOOK = "facebook", "Facebook"
        X = "x", "X"
        INSTAGRAM = "instagram", "Instagram"
        LINKEDIN = "linkedin", "LinkedIn"
        TELEGRAM = "telegram", "Telegram"
        YOUTUBE = "youtube", "YouTube"
        TIKTOK = "tiktok", "TikTok"
        OTHER = "other", _("other")

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="social",
    )
    network = models.CharField(_("network"), max_length=20, choices=Network.choices)
    handle = models.CharField(_("account"), max_length=200)

    class Meta:
        verbose_name = _("social account")
        verbose_name_plural = _("social accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "network", "handle"], name="contacts_social_unique"
            )
        ]

    def __str__(self):
        return f"{self.get_network_display()}: {self.handle}"


class ContactList(models.Model):
    """A mailing list: fixed members, or a saved filter evaluated when it is used."""

    class Kind(models.TextChoices):
        STATIC = "static", _("fixed list")
        SMART = "smart", _("saved filter")

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=Kind.choices, default=Kind.STATIC
    )
    # For smart lists: the people filter as query parameters, {"kind": ["media"]}.
    criteria = models.JSONField(_("filter"), default=dict, blank=True)
    members = models.ManyToManyField(
        Person, verbose_name=_("members"), blank=True, related_name="lists"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact list")
        verbose_name_plural = _("contact lists")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("contacts:list_detail", args=[self.pk])


class PartnerAgreement(models.Model):
    """A memorandum or agreement signed with an organisation."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    title = models.CharField(_("title"), max_length=300)
    signed_on = models.DateField(_("signed on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    document = models.FileField(_("document"), upload_to="agreements/%Y/", blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("partner agreement")
        verbose_name_plural = _("partner agreements")
        ordering = ["-signed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(expires_on__gte=models.F("signed_on")),
                name="contacts_agreement_expires_after_signing",
            )
        ]

    def __str__(self):
        return self.title


class Interaction(models.Model):
    """One entry of a person's or an organisation's history with the office."""

    class Kind(models.TextChoices):
        CALL = "call", _("call")
        MEETING = "meeting", _("meeting")
        NOTE = "note", _("note")
        EMAIL = "email", _("email")
        RELEASE_SENT = "release_sent", _("press release sent")
        INVITED = "invited", _("invited")
        ATTENDED = "attended", _("attended")
        ACCREDITED = "accredited", _("accredited")
        INQUIRY = "inquiry", _("inquiry")
        CHANGED = "changed", _("record changed")

    MANUAL_KINDS = (Kind.CALL, Kind.MEETING, Kind.NOTE)

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="interactions",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="interactions",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    happened_at = models.DateTimeField(_("when"), db_index=True)
    summary = models.TextField(_("summary"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Where an automatic entry came from ("pressreleases.release:12"), for links.
    source = models.CharField(_("source"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        ordering = ["-happened_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organisation__isnull=False),
                name="contacts_interaction_has_subject",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.summary[:60]}"


class ImportJob(models.Model):
    """An upload of contacts (CSV, XLSX, vCard) on its way from mapping to result."""

    class Status(models.TextChoices):
        MAPPING = "mapping", _("waiting for column mapping")
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    class OnMatch(models.TextChoices):
        UPDATE = "update", _("update the existing person")
        SKIP = "skip", _("skip the row")

    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=10)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    on_match = models.CharField(
        _("when a person already exists"),
        max_length=10,
        choices=OnMatch.choices,
        default=OnMatch.UPDATE,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.MAPPING
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("processed"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    failure = models.TextField(_("failure"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("contact import")
        verbose_name_plural = _("contact imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("contacts:import_detail", args=[self.pk])
