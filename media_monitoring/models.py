"""Media monitoring: sources pulled on a schedule, topics matched, an inbox triaged."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

LANGUAGE_CHOICES = [
    ("", _("any language")),
    ("ka", _("Georgian")),
    ("hy", _("Armenian")),
    ("en", _("English")),
    ("ru", _("Russian")),
]


class AppAccess(models.Model):
    """Holds the permission to open the app; it has no table of its own."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("access_app", _("Can open the media monitoring app"))]
        verbose_name = _("media monitoring app access")

    def __str__(self):
        return str(self._meta.verbose_name)


class Source(models.Model):
    """A feed or a web page without a feed, pulled at its own interval."""

    class Kind(models.TextChoices):
        FEED = "feed", _("RSS or Atom feed")
        PAGE = "page", _("web page (articles found by extraction)")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=8, choices=Kind.choices, default=Kind.FEED
    )
    url = models.URLField(_("address"), max_length=1000)
    outlet = models.ForeignKey(
        "contacts.Organisation",
        verbose_name=_("outlet"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="monitoring_sources",
    )
    language = models.CharField(
        _("language"), max_length=2, choices=LANGUAGE_CHOICES, blank=True
    )
    interval_minutes = models.PositiveIntegerField(
        _("pull every (minutes)"), default=30
    )
    enabled = models.BooleanField(_("enabled"), default=True)

    # Conditional GET: what the server said last time.
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)

    # Health.
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    consecutive_failures = models.PositiveIntegerField(
        _("failures in a row"), default=0
    )
    next_attempt_at = models.DateTimeField(
        _("next attempt"), default=timezone.now, db_index=True
    )
    # Set while a pull runs, so that beat never starts a second one.
    pulling_since = models.DateTimeField(null=True, blank=True, editable=False)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("monitoring source")
        verbose_name_plural = _("monitoring sources")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["url"], name="monitoring_source_url_unique")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("media_monitoring:source_detail", args=[self.pk])

    @property
    def is_failing(self) -> bool:
        return self.consecutive_failures > 0


class Topic(models.Model):
    """What the office watches for: include and exclude terms, one per line.

    A term ending in ``*`` matches word beginnings (დამცველ* finds დამცველის);
    terms are matched on the cross-script search key, so a Latin term also finds
    Georgian and Armenian text.
    """

    class Priority(models.TextChoices):
        NORMAL = "normal", _("normal")
        HIGH = "high", _("high (alert at once)")

    name = models.CharField(_("name"), max_length=120)
    include_terms = models.TextField(
        _("include terms"),
        help_text=_(
            "One term per line. End a term with * to match word beginnings, "
            "so that inflected forms are found."
        ),
    )
    exclude_terms = models.TextField(
        _("exclude terms"),
        blank=True,
        help_text=_("One term per line; an item with any of them is not matched."),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=LANGUAGE_CHOICES, blank=True
    )
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    subscribers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Subscription",
        related_name="monitoring_topics",
        blank=True,
        verbose_name=_("subscribers"),
    )

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("media_monitoring:topic_detail", args=[self.pk])

    @staticmethod
    def terms_of(text: str) -> list[str]:
        """The non-empty lines of a terms field, stripped."""
        return [line.strip() for line in (text or "").splitlines() if line.strip()]

    @property
    def includes(self) -> list[str]:
        return self.terms_of(self.include_terms)

    @property
    def excludes(self) -> list[str]:
        return self.terms_of(self.exclude_terms)


class Item(models.Model):
    """One mention: an article pulled from a source, or one logged by hand."""

    class Kind(models.TextChoices):
        ONLINE = "online", _("online article")
        TV = "tv", _("TV")
        RADIO = "radio", _("radio")
        PRINT = "print", _("print")
        SOCIAL = "social", _("citizen's message in a social network")

    MANUAL_KINDS = (Kind.TV, Kind.RADIO, Kind.PRINT, Kind.SOCIAL)

    class Status(models.TextChoices):
        NEW = "new", _("new")
        RELEVANT = "relevant", _("relevant")
        IRRELEVANT = "irrelevant", _("irrelevant")
        NEEDS_RESPONSE = "needs_response", _("needs response")
        RESPONDED = "responded", _("responded")
        ARCHIVED = "archived", _("archived")

    class Sentiment(models.TextChoices):
        POSITIVE = "positive", _("positive")
        NEUTRAL = "neutral", _("neutral")
        NEGATIVE = "negative", _("negative")

    class Channel(models.TextChoices):
        FACEBOOK = "facebook", "Facebook"
        X = "x", "X"
        INSTAGRAM = "instagram", "Instagram"
        TELEGRAM = "telegram", "Telegram"
        YOUTUBE = "youtube", "YouTube"
        TIKTOK = "tiktok", "TikTok"
        OTHER = "other", _("other")

    kind = models.CharField(
        _("kind"), max_length=8, choices=Kind.choices, default=Kind.ONLINE
    )
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="items",
    )
    outlet = models.ForeignKey(
        "contacts.Organisation",
        verbose_name=_("outlet"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="monitoring_items",
    )
    # The feed's GUID, else the canonical address: one row per story per source.
    external_id = models.CharField(max_length=1000, blank=True, editable=False)
    url = models.URLField(_("address"), max_length=1000, blank=True)
    title = models.CharField(_("title"), max_length=500)
    summary = models.TextField(_("text"), blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, blank=True
    )
    programme = models.CharField(_("programme or edition"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=LANGUAGE_CHOICES, blank=True
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # Indexed by monitoring_item_report (fetched_at first) below.
    fetched_at = models.DateTimeField(_("received"), default=timezone.now)
    # search_key(title, summary): matching and search run on it.
    search_text = models.TextField(blank=True, editable=False)
    # The same story from several outlets shares a fingerprint.
    fingerprint = models.CharField(
        max_length=40, blank=True, editable=False, db_index=True
    )

    status = models.CharField(
        _("status"),
        max_length=16,
        choices=Status.choices,
        default=Status.NEW,
        db_index=True,
    )
    sentiment = models.CharField(
        _("sentiment"), max_length=8, choices=Sentiment.choices, blank=True
    )
    misinformation = models.BooleanField(
        _("misinformation — official response needed"), default=False
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="monitoring_items",
    )
    release = models.ForeignKey(
        "pressreleases.PressRelease",
        verbose_name=_("press release"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentions",
    )
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentions",
    )
    topics = models.ManyToManyField(
        Topic,
        through="ItemTopic",
        related_name="items",
        blank=True,
        verbose_name=_("topics"),
    )

    # The answer the office gave (citizens' messages, misinformation).
    response_due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    response_text = models.TextField(_("response"), blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("the person who answered", "answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("monitoring item")
        verbose_name_plural = _("monitoring items")
        ordering = ["-fetched_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=Q(source__isnull=False),
                name="monitoring_item_once_per_source",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "-fetched_at"], name="monitoring_item_inbox"
            ),
            models.Index(fields=["response_due_at"], name="monitoring_item_due"),
            # The activity report reads a year of items by arrival: an
            # index-only scan instead of the whole table (PostgreSQL; SQLite
            # builds it without the included columns).
            models.Index(
                fields=["fetched_at"],
                include=[
                    "id",
                    "status",
                    "sentiment",
                    "kind",
                    "response_due_at",
                    "responded_at",
                ],
                name="monitoring_item_report",
            ),
        ]
        permissions = [
            ("respond_item", _("Can record the office's response to an item")),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("media_monitoring:item_detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return bool(
            self.response_due_at
            and not self.responded_at
            and self.response_due_at < timezone.now()
        )


class ItemTopic(models.Model):
    """An item matched a topic (by the automaton, or filed by a person)."""

    # No index of its own: monitoring_match_once (item, topic) serves it.
    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="matches", db_index=False
    )
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="matches")
    matched_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The include terms found, for the reader ("why is this here?").
    terms = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("topic match")
        verbose_name_plural = _("topic matches")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "topic"], name="monitoring_match_once"
            )
        ]

    def __str__(self):
        return f"{self.topic} ← {self.item}"


class ItemNote(models.Model):
    """A colleague's note on an item."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text[:60]


class Subscription(models.Model):
    """A staff member follows a topic in the daily digest."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="monitoring_subscriptions",
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="subscriptions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("topic subscription")
        verbose_name_plural = _("topic subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "topic"], name="monitoring_subscription_once"
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.topic}"


class DigestEntry(models.Model):
    """An item that went to a person, in a digest or an alert: never twice."""

    class Kind(models.TextChoices):
        DIGEST = "digest", _("daily digest")
        ALERT = "alert", _("alert")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="monitoring_digest_entries",
    )
    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="digest_entries"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("digest entry")
        verbose_name_plural = _("digest entries")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "item"], name="monitoring_digest_item_once"
            )
        ]

    def __str__(self):
        return f"{self.user} ← {self.item}"


class DigestRun(models.Model):
    """One person's daily digest was composed (sent or, with nothing new, not sent).

    The next digest covers what was matched after ``covered_until``.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="monitoring_digest_runs",
    )
    run_on = models.DateField()
    covered_until = models.DateTimeField()
    items = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("digest run")
        verbose_name_plural = _("digest runs")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "run_on"], name="monitoring_digest_once_a_day"
            )
        ]

    def __str__(self):
        return f"{self.user} {self.run_on}"
