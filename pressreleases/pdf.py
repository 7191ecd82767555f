"""The printable PDF of a press release: one language version on A4 pages.

The PDF goes out attached to every email of a distribution, so it is rendered
once per version and language and then served from Django's cache. The body is
hostile HTML typed in a browser: it is sanitised again here, and WeasyPrint is
given a URL fetcher that refuses everything except ``data:`` URIs, so nothing in
a body (or a slip in the template) can make the renderer read a local file or
call a server.
"""

import base64
import binascii
import logging
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from contacts.phones import display as phone_display
from prapp.html import sanitize
from prapp.text import slugify_any

logger = logging.getLogger(__name__)

TEMPLATE = "pressreleases/pdf/release.html"
# A day is plenty: a new version or any save changes the key anyway.
CACHE_SECONDS = 24 * 60 * 60
CACHE_PREFIX = "pressreleases:pdf"


class FetchRefused(ValueError):
    """WeasyPrint asked for a resource the PDF of a release may not load."""


def _read_data_uri(url: str) -> dict:
    """The content of a ``data:`` URI, decoded here so no opener is ever involved."""
    header, comma, payload = url[5:].partition(",")
    if not comma:
        raise FetchRefused("A data: URI without a comma.")
    params = [part.strip() for part in header.split(";")]
    is_base64 = params[-1].lower() == "base64"
    if is_base64:
        params = params[:-1]
    mime_type = (params[0] if params and "=" not in params[0] else "") or "text/plain"
    encoding = None
    for param in params:
        name, _eq, value = param.partition("=")
        if name.strip().lower() == "charset":
            encoding = value.strip() or None
    raw = unquote_to_bytes(payload)
    if is_base64:
        try:
            raw = base64.b64decode(raw, validate=False)
        except binascii.Error as exc:
            raise FetchRefused("A data: URI with broken base64.") from exc
    return {"string": raw, "mime_type": mime_type.lower(), "encoding": encoding}


def url_fetcher(url: str, *args, **kwargs) -> dict:
    """Let WeasyPrint read ``data:`` URIs only; refuse the network and the disk.

    Fonts come from fontconfig and the stylesheet is inside the template, so a
    release never needs anything else; a body's ``<img src="http://…">`` or
    ``file:///etc/passwd`` ends here as a refused fetch (WeasyPrint logs it and
    leaves the element out).
    """
    if url[:5].lower() == "data:":
        return _read_data_uri(url)
    logger.warning("Refused to fetch %.200s for a press-release PDF", url)
    raise FetchRefused(f"Fetching {url[:200]!r} is not allowed in a release PDF.")


@dataclass(frozen=True)
class ContactLines:
    name: str
    position: str
    email: str
    phone: str


def _contact(release) -> ContactLines | None:
    person = release.contact_person
    if person is None:
        return None
    email = person.emails.filter(bounced_at__isnull=True).order_by("-is_primary", "pk")
    phone = person.phones.order_by("-is_primary", "pk").first()
    first_email = email.first()
    return ContactLines(
        name=str(person),
        position=person.position,
        email=first_email.email if first_email else "",
        phone=phone_display(phone.number) if phone else "",
    )


def release_date(release):
    """The date a release carries: its embargo, publication or sending, else now."""
    return (
        release.embargo_until
        or release.published_at
        or release.sent_at
        or release.approved_at
        or timezone.now()
    )


def _utc_offset(moment) -> str:
    """The local offset of ``moment`` as readers everywhere know it: "UTC+4"."""
    if moment is None:
        return ""
    offset = timezone.localtime(moment).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def _css_string(text: str) -> str:
    """``text`` as a quoted CSS string that cannot end the string or the style tag."""
    escaped = []
    for char in str(text):
        if char in '"\\<>&\n\r' or ord(char) < 32:
            escaped.append(f"\\{ord(char):x} ")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def _page_counter_content() -> str:
    """The CSS ``content`` of the footer: "Page 1 of 2" in the active language."""
    pattern = gettext("Page %(page)s of %(pages)s")
    marker_page, marker_pages = "\x00PAGE\x00", "\x00PAGES\x00"
    try:
        text = pattern % {"page": marker_page, "pages": marker_pages}
    except (KeyError, ValueError, TypeError):
        # A broken translation must not stop a distribution.
        text = f"{marker_page} / {marker_pages}"
    parts = []
    for piece in text.split(marker_page):
        if parts:
            parts.append("counter(page)")
        sub = []
        for bit in piece.split(marker_pages):
            if sub:
                sub.append("counter(pages)")
            if bit:
                sub.append(_css_string(bit))
        parts.extend(sub)
    return " ".join(parts) or "counter(page)"


def _context(release, language: str) -> dict:
    return {
        "release": release,
        "language": language,
        "organisation": settings.PRAPP_ORGANISATION_NAME,
        "release_date": release_date(release),
        "embargoed": release.under_embargo(),
        "time_zone": _utc_offset(release.embargo_until),
        "title": getattr(release, f"title_{language}", "") or "",
        "lead": getattr(release, f"lead_{language}", "") or "",
        "body": mark_safe(sanitize(getattr(release, f"body_{language}", "") or "")),  # noqa: S308 (cleaned by nh3)
        "contact": _contact(release),
        "page_counter": mark_safe(_page_counter_content()),  # noqa: S308 (escaped)
    }


def release_html(release, language: str) -> str:
    """The HTML the PDF is made from, in the version ``language`` falls back to."""
    version = release.language_for(language)
    with translation.override(version):
        return render_to_string(TEMPLATE, _context(release, version))


def _render(release, version: str) -> bytes:
    from weasyprint import HTML  # imported late: it loads Pango and fonts

    html = release_html(release, version)
    return HTML(string=html, base_url=None, url_fetcher=url_fetcher).write_pdf()


def _cache_key(release, version: str) -> str:
    updated = release.updated_at.timestamp() if release.updated_at else 0
    return (
        f"{CACHE_PREFIX}:{release.pk}:{release.version}:{version}:{updated:.6f}:"
        f"{int(release.under_embargo())}"
    )


def release_pdf(release, language: str) -> bytes:
    """The release as a PDF in the version for readers of ``language``.

    A recipient whose language has no version gets the first fallback
    (``PressRelease.language_for``); both share one cached rendering, keyed by
    the release, its version number, the language and its last save, so a
    distribution renders each language once.
    """
    version = release.language_for(language)
    if release.pk is None:
        return _render(release, version)
    key = _cache_key(release, version)
    pdf = cache.get(key)
    if pdf is None:
        pdf = _render(release, version)
        cache.set(key, pdf, CACHE_SECONDS)
    return pdf


def release_pdf_filename(release, language: str) -> str:
    """An ASCII file name: press-release-2026-11-22-<slug>-ka.pdf."""
    version = release.language_for(language)
    day = timezone.localtime(release_date(release)).date()
    title = getattr(release, f"title_{version}", "") or release.title or ""
    slug = release.slug or slugify_any(title, max_length=60)
    slug = slugify_any(slug, max_length=60)
    parts = ["press-release", day.isoformat(), slug, version]
    name = "-".join(part for part in parts if part) + ".pdf"
    return name.encode("ascii", "ignore").decode("ascii")
