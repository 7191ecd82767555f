"""Release mail: what every recipient of one version shares, then one message each.

``prepare`` renders a language version once (subject, HTML with inlined CSS,
plain text, attachments) and serialises everything the recipients share into
MIME bytes; ``message_bytes`` fills in one recipient's parts (address, greeting,
unsubscribe link, Message-ID, date) without rendering a template or running
the email package's generator again, and ``message_for`` wraps the same in an
EmailMultiAlternatives for Django's mail backends. Sending is
pressreleases.delivery's business.

Why bytes: Django's SafeMIMEText quoted-printable-encodes long UTF-8 lines in
pure Python (1.6 ms for a 27 kB Georgian body), and the email generator folds
and re-encodes every header of every message; together that took three times
as long as the SMTP exchange with a local server (benchmarks/pressreleases_send.py).
"""

import binascii
import email
import re
from dataclasses import dataclass
from email import encoders
from email.headerregistry import Address
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.nonmultipart import MIMENonMultipart
from email.utils import formataddr, formatdate, make_msgid
from functools import lru_cache
from html import escape as html_escape
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import css_inline
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import (
    DNS_NAME,
    EmailAttachment,
    MIMEMixin,
    SafeMIMEMultipart,
    sanitize_address,
)
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from inscriptis import get_text

from contacts.phones import display as phone_display
from prapp.html import sanitized_safe
from pressreleases.models import Delivery, PressRelease

UNSUBSCRIBE_SALT = "pressreleases.delivery.unsubscribe"
# Unique words put where the per-recipient parts go; rendered once, replaced per
# message. Lower-case letters and digits only, so that neither the template's
# escaping, the CSS inliner nor a URL changes them.
GREETING_SLOT = "prappslotgreeting7c1e"
UNSUBSCRIBE_SLOT = "prappslotunsubscribe7c1e"
_SLOTS = re.compile(f"({GREETING_SLOT}|{UNSUBSCRIBE_SLOT})")
_TOKEN_SLOT = "prappslottoken7c1e"  # noqa: S105 (a place-holder, no secret)
# Where each recipient's encoded text and HTML go in the prepared MIME bytes.
_TEXT_WIRE_SLOT = b"prappwiretext7c1e"
_HTML_WIRE_SLOT = b"prappwirehtml7c1e"

_inliner = css_inline.CSSInliner(load_remote_stylesheets=False)


def site_url() -> str:
    return (settings.PRAPP_SITE_URL or "http://localhost:8000").rstrip("/")


def _site_domain() -> str:
    return urlsplit(site_url()).hostname or str(DNS_NAME)


@dataclass(frozen=True)
class Prepared:
    """One language version of a release, rendered for every recipient at once.

    ``html`` and ``text`` are the rendered parts split at the slots: even items
    are literal text, odd items the name of the slot that goes there.
    """

    release_id: int
    language: str
    under_embargo: bool
    subject: str
    html: tuple[str, ...]
    text: tuple[str, ...]
    greeting_named: str  # "Dear %(name)s," in the version's language
    greeting_anonymous: str
    unsubscribe_url: tuple[str, str]  # the address before and after the token
    from_email: str
    reply_to: str
    domain: str
    attachments: tuple[EmailAttachment, ...]
    # The MIME message without the recipient's headers, split where the encoded
    # text and HTML go, and how those two are encoded.
    wire: tuple[bytes, bytes, bytes]
    text_encoding: str
    html_encoding: str
    envelope_from: str

    def _fill(self, parts: tuple[str, ...], values: dict[str, str]) -> str:
        filled = list(parts)
        filled[1::2] = [values[slot] for slot in parts[1::2]]
        return "".join(filled)

    def html_for(self, greeting: str, unsubscribe_url: str) -> str:
        return self._fill(
            self.html,
            {
                GREETING_SLOT: html_escape(greeting),
                UNSUBSCRIBE_SLOT: html_escape(unsubscribe_url),
            },
        )

    def text_for(self, greeting: str, unsubscribe_url: str) -> str:
        return self._fill(
            self.text, {GREETING_SLOT: greeting, UNSUBSCRIBE_SLOT: unsubscribe_url}
        )


# --- Unsubscribe tokens -------------------------------------------------------


@lru_cache(maxsize=4)
def _signer(secret_key: str) -> signing.Signer:
    return signing.Signer(key=secret_key, salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(delivery: Delivery) -> str:
    """The signed token of a delivery's unsubscribe link (it does not expire)."""
    return _signer(settings.SECRET_KEY).sign(str(delivery.pk))


def delivery_from_token(token: str) -> Delivery | None:
    """The delivery a token stands for; None for a forged, altered or stale token."""
    try:
        pk = int(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(str(token)))
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return (
        Delivery.objects.select_related("person", "release", "distribution")
        .filter(pk=pk)
        .first()
    )


def _unsubscribe_url_parts() -> tuple[str, str]:
    path = reverse("unsubscribe:page", kwargs={"token": _TOKEN_SLOT})
    before, after = (site_url() + path).split(_TOKEN_SLOT)
    return before, after


def unsubscribe_url(delivery: Delivery) -> str:
    before, after = _unsubscribe_url_parts()
    return before + unsubscribe_token(delivery) + after


# --- Preparing a version ------------------------------------------------------


def embargo_time(release: PressRelease) -> str:
    """The embargo's end in the office's time zone, in the active language."""
    local = timezone.localtime(release.embargo_until, ZoneInfo(settings.TIME_ZONE))
    offset = local.strftime("%z")  # +0400
    return "{} (UTC{}:{})".format(
        formats.date_format(local, "DATETIME_FORMAT"), offset[:3], offset[3:]
    )


def newsroom_url(release: PressRelease, language: str) -> str:
    """The release's public page; the site's address while the newsroom has no page."""
    try:
        path = reverse(
            "newsroom:detail",
            kwargs={
                "language": language,
                "pk": release.pk,
                "slug": release.slug or "-",
            },
        )
    except NoReverseMatch:
        path = "/"
    return site_url() + path


def _contact(release: PressRelease, language: str) -> dict | None:
    person = release.contact_person
    if person is None:
        return None
    email = (
        person.emails.filter(bounced_at__isnull=True)
        .order_by("-is_primary", "pk")
        .values_list("email", flat=True)
        .first()
    )
    phone = (
        person.phones.order_by("-is_primary", "pk")
        .values_list("number", flat=True)
        .first()
    )
    name = str(person)
    if language == "en" and person.latin_name:
        name = person.latin_name
    return {
        "name": name,
        "position": person.position,
        "phone": phone_display(phone) if phone else "",
        "phone_e164": phone or "",
        "email": email or "",
    }


def _file_attachments(release: PressRelease) -> list[EmailAttachment]:
    files = []
    for attachment in release.attachments.filter(attach_to_email=True).order_by("pk"):
        with attachment.file.open("rb") as handle:
            content = handle.read()
        files.append(
            EmailAttachment(
                attachment.original_name,
                content,
                attachment.content_type or "application/octet-stream",
            )
        )
    return files


def _pdf_attachment(release: PressRelease, language: str) -> EmailAttachment:
    # Imported here: the PDF module (WeasyPrint) is heavy and only needed when asked.
    from pressreleases import pdf

    return EmailAttachment(
        pdf.release_pdf_filename(release, language),
        pdf.release_pdf(release, language),
        "application/pdf",
    )


def _split(rendered: str) -> tuple[str, ...]:
    """The rendered part at its slots, with one kind of line end (LF)."""
    return tuple(_SLOTS.split(rendered.replace("\r\n", "\n").replace("\r", "\n")))


def prepare(
    release: PressRelease,
    language: str,
    *,
    under_embargo: bool,
    attach_pdf: bool,
    test: bool = False,
    cache: dict | None = None,
) -> Prepared:
    """Render the ``language`` version of ``release`` for all its recipients.

    ``under_embargo`` puts the embargo notice in the subject and at the top of
    the body. ``cache`` (a dict the caller keeps for one run) lets the versions
    of one release share the files read and the PDFs rendered.
    """
    cache = {} if cache is None else cache
    under_embargo = bool(under_embargo and release.embargo_until)
    title = (getattr(release, f"title_{language}", "") or "").strip()
    lead = (getattr(release, f"lead_{language}", "") or "").strip()
    body = sanitized_safe(getattr(release, f"body_{language}", "") or "")
    organisation = settings.PRAPP_ORGANISATION_NAME
    with translation.override(language):
        notice = ""
        if under_embargo:
            when = embargo_time(release)
            notice = _("EMBARGOED until %(time)s") % {"time": when}
        subject = f"{notice}: {title}" if notice else title
        if test:
            subject = _("[TEST] %(subject)s") % {"subject": subject}
        context = {
            "language": language,
            "title": title,
            "lead": lead,
            "body": body,
            "body_text": get_text(str(body)).strip() if body else "",
            "embargo": under_embargo,
            "embargo_time": embargo_time(release) if under_embargo else "",
            "date": formats.date_format(timezone.localdate(), "DATE_FORMAT"),
            "contact": _contact(release, language),
            "newsroom_url": newsroom_url(release, language)
            if release.published_at
            else "",
            "organisation_name": organisation,
            "greeting": GREETING_SLOT,
            "unsubscribe_url": UNSUBSCRIBE_SLOT,
            "test": test,
        }
        html = render_to_string("pressreleases/email/release.html", context)
        text = render_to_string("pressreleases/email/release.txt", context)
        greeting_named = _("Dear %(name)s,")
        greeting_anonymous = _("Dear colleague,")
    html = _inliner.inline(html)
    attachments = []
    if attach_pdf:
        key = ("pdf", language)
        if key not in cache:
            cache[key] = _pdf_attachment(release, language)
        attachments.append(cache[key])
    if "files" not in cache:
        cache["files"] = _file_attachments(release)
    attachments += cache["files"]
    reply_to = settings.PRESSRELEASES_REPLY_TO or settings.DEFAULT_FROM_EMAIL
    subject = " ".join(subject.split())
    text_encoding, html_encoding = _encoding_for(text), _encoding_for(html)
    return Prepared(
        release_id=release.pk,
        language=language,
        under_embargo=under_embargo,
        subject=subject,
        html=_split(html),
        text=_split(text),
        greeting_named=greeting_named,
        greeting_anonymous=greeting_anonymous,
        unsubscribe_url=_unsubscribe_url_parts(),
        from_email=settings.DEFAULT_FROM_EMAIL,
        reply_to=reply_to,
        domain=_site_domain(),
        attachments=tuple(attachments),
        wire=_wire_template(
            subject=subject,
            from_email=settings.DEFAULT_FROM_EMAIL,
            reply_to=reply_to,
            language=language,
            text_encoding=text_encoding,
            html_encoding=html_encoding,
            attachments=attachments,
        ),
        text_encoding=text_encoding,
        html_encoding=html_encoding,
        envelope_from=sanitize_address(settings.DEFAULT_FROM_EMAIL, "utf-8"),
    )


# --- The shared MIME bytes ------------------------------------------------------


def _encoding_for(content: str) -> str:
    """base64 for Georgian and Armenian (smaller), quoted-printable for Latin."""
    return (
        "base64"
        if len(content.encode("utf-8")) > len(content) * 1.2
        else ("quoted-printable")
    )


def _encode(content: str, encoding: str) -> bytes:
    """``content`` as a MIME body in ``encoding``, CRLF lines, no final newline.

    The C codecs (base64, binascii) do in microseconds what the email
    package's pure-Python quoted-printable encoder does in milliseconds.
    """
    raw = content.encode("utf-8")  # LF line ends only (see _split)
    if encoding == "base64":
        # One call to the codec, then 76-character lines (base64.encodebytes
        # calls it once per 57 bytes).
        encoded = binascii.b2a_base64(raw, newline=False)
        return b"\r\n".join([encoded[i : i + 76] for i in range(0, len(encoded), 76)])
    return binascii.b2a_qp(raw).rstrip(b"\n").replace(b"\n", b"\r\n")


def _slot_part(subtype: str, encoding: str, slot: bytes) -> MIMENonMultipart:
    part = MIMENonMultipart("text", subtype, charset="utf-8")
    part["Content-Transfer-Encoding"] = encoding
    part.set_payload(slot.decode("ascii"))
    return part


def _attachment_part(filename: str, content, mimetype: str) -> MIMEBase:
    """A base64 attachment with its file name (RFC 2231 when not ASCII), as Django."""
    main, sub = (mimetype or "application/octet-stream").split("/", 1)
    part = MIMEBase(main, sub)
    part.set_payload(content if isinstance(content, bytes) else content.encode())
    encoders.encode_base64(part)
    if filename:
        try:
            filename.encode("ascii")
        except UnicodeEncodeError:
            filename = ("utf-8", "", filename)
        part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


def _wire_template(
    *,
    subject: str,
    from_email: str,
    reply_to: str,
    language: str,
    text_encoding: str,
    html_encoding: str,
    attachments: list[EmailAttachment],
) -> tuple[bytes, bytes, bytes]:
    """The MIME message every recipient of a version shares, serialised once.

    Built with Django's own MIME classes (the same header encoding as any
    Django mail); the recipient's headers are put in front of it and their
    encoded text and HTML into the two slots.
    """
    alternative = SafeMIMEMultipart(_subtype="alternative", encoding="utf-8")
    alternative.attach(_slot_part("plain", text_encoding, _TEXT_WIRE_SLOT))
    alternative.attach(_slot_part("html", html_encoding, _HTML_WIRE_SLOT))
    root = alternative
    if attachments:
        root = SafeMIMEMultipart(_subtype="mixed", encoding="utf-8")
        root.attach(alternative)
        for attachment in attachments:
            root.attach(_attachment_part(*attachment))
    root["Subject"] = subject
    root["From"] = from_email
    root["Reply-To"] = reply_to
    root["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    root["Content-Language"] = language
    data = root.as_bytes(linesep="\r\n")
    before_text, rest = data.split(_TEXT_WIRE_SLOT)
    between, after_html = rest.split(_HTML_WIRE_SLOT)
    return before_text, between, after_html


# --- One recipient's message --------------------------------------------------


@dataclass(frozen=True, slots=True)
class Wire:
    """One recipient's message as it goes over SMTP."""

    message_id: str
    sender: str  # envelope addresses
    recipient: str
    data: bytes
    text: str
    html: str
    unsubscribe_url: str


def recipient_address(name: str, email: str) -> str:
    """``Name <address>``, quoted where needed; Django encodes it per RFC 2047."""
    name = " ".join((name or "").split())
    if not name:
        return email
    try:
        return str(Address(display_name=name, addr_spec=email))
    except (ValueError, IndexError, TypeError):
        return email


def envelope_address(email: str) -> str:
    """The address as SMTP takes it: ASCII, an international domain in IDNA.

    Raises ValueError for what no server could be given (no @, line breaks,
    a local part outside ASCII), as Django's sanitize_address does.
    """
    local, at, domain = email.strip().rpartition("@")
    if not at or not local or not domain or "\n" in email or "\r" in email:
        raise ValueError(f"Invalid address: {email!r}")
    if not local.isascii():
        raise ValueError(f"Address not in ASCII: {email!r}")
    if not domain.isascii():
        domain = domain.encode("idna").decode("ascii")
    return f"{local}@{domain}"


def _encoded_words(text: str) -> str:
    """``text`` as RFC 2047 base64 encoded words of at most 75 characters each,
    one to a header line."""
    raw = text.encode("utf-8")
    if len(raw) <= 45:  # 45 bytes: 60 base64 characters + 12 around them
        return f"=?utf-8?b?{binascii.b2a_base64(raw, newline=False).decode()}?="
    words, chunk, size = [], [], 0
    for char in text:
        length = len(char.encode("utf-8"))
        if size + length > 45:
            words.append("".join(chunk))
            chunk, size = [], 0
        chunk.append(char)
        size += length
    words.append("".join(chunk))
    return "\r\n ".join(
        "=?utf-8?b?"
        + binascii.b2a_base64(word.encode("utf-8"), newline=False).decode("ascii")
        + "?="
        for word in words
    )


def mailbox_header(name: str, address: str) -> str:
    """``Name <address>`` for a header: quoted if needed, encoded if not ASCII.

    What Django's sanitize_address does, without its address parser and
    email.header's folding, which together cost more per message than the
    rest of it (the Armenian and Georgian round trips are tested).
    """
    if not name:
        return address
    if name.isascii():
        return formataddr((name, address))
    words = _encoded_words(name)
    last_line = words.rsplit("\n", 1)[-1]
    # "To: " + the name + the address on one line if it fits in 78 characters.
    fold = " " if len(last_line) + len(address) + 7 <= 78 else "\r\n "
    return f"{words}{fold}<{address}>"


def message_bytes(prepared: Prepared, delivery: Delivery) -> Wire:
    """One recipient's message: their address, greeting and link, a new Message-ID.

    Raises ValueError for an address no mail server could be given.
    """
    name = " ".join((delivery.name or "").split())
    greeting = (
        prepared.greeting_named % {"name": name}
        if name
        else prepared.greeting_anonymous
    )
    # A test send has no ledger row: its link leads to the page that explains
    # that the link does not work.
    token = "test" if delivery.pk is None else unsubscribe_token(delivery)
    link = prepared.unsubscribe_url[0] + token + prepared.unsubscribe_url[1]
    text = prepared.text_for(greeting, link)
    html = prepared.html_for(greeting, link)
    message_id = make_msgid(domain=prepared.domain)
    recipient = envelope_address(delivery.email)
    head = (
        f"To: {mailbox_header(name, recipient)}\r\n"
        f"Date: {formatdate(localtime=settings.EMAIL_USE_LOCALTIME)}\r\n"
        f"Message-ID: {message_id}\r\n"
        f"List-Unsubscribe: <{link}>\r\n"
    ).encode("ascii")
    before_text, between, after_html = prepared.wire
    data = b"".join(
        (
            head,
            before_text,
            _encode(text, prepared.text_encoding),
            between,
            _encode(html, prepared.html_encoding),
            after_html,
        )
    )
    return Wire(
        message_id=message_id,
        sender=prepared.envelope_from,
        recipient=recipient,
        data=data,
        text=text,
        html=html,
        unsubscribe_url=link,
    )


class ParsedMessage(MIMEMixin, Message):
    """A release message read back from its bytes, serialised like Django's own."""


class ReleaseMessage(EmailMultiAlternatives):
    """A release message for Django's mail backends; its MIME form is the prepared one.

    ``message()`` returns the bytes message_bytes built, parsed: what the SMTP
    server receives from the sending engine is exactly what the captured-mail
    backend stores and the tests read.
    """

    wire: bytes = b""

    def message(self):
        if not self.wire:
            return super().message()
        return email.message_from_bytes(self.wire, _class=ParsedMessage)


def message_for(
    prepared: Prepared, delivery: Delivery, *, connection=None
) -> EmailMultiAlternatives:
    """One recipient's message as an EmailMultiAlternatives (text, HTML, files)."""
    wire = message_bytes(prepared, delivery)
    message = ReleaseMessage(
        subject=prepared.subject,
        body=wire.text,
        from_email=prepared.from_email,
        to=[recipient_address(delivery.name, delivery.email)],
        reply_to=[prepared.reply_to],
        headers={
            "Message-ID": wire.message_id,
            "List-Unsubscribe": f"<{wire.unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Content-Language": prepared.language,
        },
        attachments=list(prepared.attachments),
        connection=connection,
    )
    message.attach_alternative(wire.html, "text/html")
    message.wire = wire.data
    return message
