"""Reads of the public newsroom: what anyone may see, and in which language.

Visibility is decided in the database (``public_q``), never by loading rows and
filtering them in Python, so a list, a search, a feed and a single page can not
disagree about what is public.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext

from contacts.models import PersonEmail, PersonPhone
from contacts.phones import display as phone_display
from prapp.html import sanitized_safe
from prapp.text import search_q
from pressreleases.models import PressRelease, ReleaseAttachment, Tag

PAGE_SIZE = 20
FEED_SIZE = 50
# Locales for OpenGraph (og:locale), by language code.
OG_LOCALES = {"ka": "ka_GE", "hy": "hy_AM", "en": "en_US"}
# A detail address ends in the release's slug, which must not be mistaken for
# one of the fixed addresses under a release.
_RESERVED_SLUGS = {"pdf", "files"}

Status = PressRelease.Status
# Content that was never approved stays off the newsroom even with a date set.
_NEVER_PUBLIC = PressRelease.NEVER_PUBLIC


def newsroom_languages() -> list[str]:
    """The languages the newsroom is offered in, in the order of settings.LANGUAGES."""
    return [code for code, _name in settings.LANGUAGES]


def site_url() -> str:
    """The public address of the site, without a trailing slash."""
    return (getattr(settings, "PRAPP_SITE_URL", "") or "http://localhost:8000").rstrip(
        "/"
    )


def organisation_name() -> str:
    """The name the newsroom and its feeds are published under."""
    return settings.PRAPP_ORGANISATION_NAME or gettext("Press office")


def public_q(now: datetime | None = None) -> Q:
    """The condition a release meets while it is on the newsroom."""
    now = now or timezone.now()
    return (
        Q(published_at__isnull=False, published_at__lte=now)
        & (Q(embargo_until__isnull=True) | Q(embargo_until__lte=now))
        & ~Q(status__in=_NEVER_PUBLIC)
    )


def public_releases(now: datetime | None = None) -> QuerySet:
    """Releases anyone may read now, newest first (by the time they became public).

    ``newsroom_date`` is ``PressRelease.public_from`` computed in the database:
    the later of publication and embargo.
    """
    return (
        PressRelease.objects.filter(public_q(now))
        .annotate(
            newsroom_date=Greatest(
                "published_at", Coalesce("embargo_until", "published_at")
            )
        )
        .order_by("-newsroom_date", "-pk")
    )


def newsroom_list(
    *, query: str = "", tag: str = "", now: datetime | None = None
) -> QuerySet:
    """The newsroom list: visible releases, searched in any script, by one tag."""
    releases = public_releases(now).prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("slug"))
    )
    if query.strip():
        releases = releases.filter(search_q("search_key", query))
    if tag:
        releases = releases.filter(tags__slug=tag)
    return releases


def newsroom_tags(now: datetime | None = None) -> QuerySet:
    """The tags that at least one visible release carries, for the filter."""
    visible = PressRelease.objects.filter(public_q(now)).values("pk")
    return Tag.objects.filter(releases__in=visible).distinct().order_by("slug")


def newsroom_release(pk: int, now: datetime | None = None) -> PressRelease | None:
    """One visible release with all its page shows, or None."""
    return (
        public_releases(now)
        .filter(pk=pk)
        .select_related("event", "contact_person")
        .prefetch_related(
            Prefetch("tags", queryset=Tag.objects.order_by("slug")),
            Prefetch(
                "attachments",
                queryset=ReleaseAttachment.objects.filter(public=True).order_by("pk"),
                to_attr="public_attachments",
            ),
            Prefetch(
                "contact_person__emails",
                queryset=PersonEmail.objects.filter(bounced_at__isnull=True).order_by(
                    "-is_primary", "pk"
                ),
                to_attr="public_emails",
            ),
            Prefetch(
                "contact_person__phones",
                queryset=PersonPhone.objects.order_by("-is_primary", "pk"),
                to_attr="public_phones",
            ),
        )
        .first()
    )


def release_was_withdrawn(pk: int, now: datetime | None = None) -> bool:
    """Whether ``pk`` was on the newsroom once and has been withdrawn since.

    Only such a release answers "gone"; one withdrawn before it was ever public
    is answered like any other unknown address.
    """
    now = now or timezone.now()
    until = Coalesce("withdrawn_at", Value(now))
    return (
        PressRelease.objects.filter(
            pk=pk, status=Status.WITHDRAWN, published_at__isnull=False
        )
        .filter(published_at__lte=until)
        .filter(Q(embargo_until__isnull=True) | Q(embargo_until__lte=until))
        .exists()
    )


def public_attachment(
    *, release_pk: int, attachment_pk: int, now: datetime | None = None
) -> ReleaseAttachment | None:
    """A public attachment of a visible release, or None."""
    return (
        ReleaseAttachment.objects.filter(
            pk=attachment_pk,
            release_id=release_pk,
            public=True,
            release__in=PressRelease.objects.filter(public_q(now)).values("pk"),
        )
        .select_related("release")
        .first()
    )


# --- What a page shows --------------------------------------------------------


@dataclass(frozen=True)
class ReleaseText:
    """The version of a release shown to readers of one language."""

    language: str  # the version's own language (may be a fallback)
    title: str
    lead: str
    body: SafeString

    @property
    def summary(self) -> str:
        """Plain text for a description: the lead, else the start of the body."""
        text = self.lead or strip_tags(self.body)
        return Truncator(" ".join(text.split())).chars(300)


def release_text(release: PressRelease, language: str) -> ReleaseText:
    """The release as a reader of ``language`` gets it (own version or fallback)."""
    version = release.language_for(language)
    return ReleaseText(
        language=version,
        title=(getattr(release, f"title_{version}", "") or "").strip(),
        lead=(getattr(release, f"lead_{version}", "") or "").strip(),
        body=sanitized_safe(getattr(release, f"body_{version}", "") or ""),
    )


def url_slug(release: PressRelease) -> str:
    """The last part of a release's address: its slug, "-" when it has none."""
    slug = release.slug or "-"
    return f"{slug}-release" if slug in _RESERVED_SLUGS else slug


def release_path(release: PressRelease, language: str) -> str:
    return reverse("newsroom:detail", args=[language, release.pk, url_slug(release)])


def release_url(release: PressRelease, language: str) -> str:
    """The absolute address of a release's page in ``language``."""
    return site_url() + release_path(release, language)


@dataclass(frozen=True)
class ContactCard:
    """What the newsroom shows of a release's contact person."""

    name: str
    position: str
    email: str
    phone: str


def contact_card(release: PressRelease, language: str) -> ContactCard | None:
    """The contact person as journalists see them (from ``newsroom_release``)."""
    person = release.contact_person
    if person is None:
        return None
    name = str(person)
    if language == "en" and person.latin_name:
        name = person.latin_name
    emails = getattr(person, "public_emails", None)
    if emails is None:
        emails = list(
            person.emails.filter(bounced_at__isnull=True).order_by("-is_primary", "pk")
        )
    phones = getattr(person, "public_phones", None)
    if phones is None:
        phones = list(person.phones.order_by("-is_primary", "pk"))
    return ContactCard(
        name=name,
        position=person.position,
        email=emails[0].email if emails else "",
        phone=phone_display(phones[0].number) if phones else "",
    )
