"""Turning fetched bytes into entries: feeds (RSS/Atom) and pages without a feed.

Everything here works on the bytes our own client fetched. feedparser is never
given an address (it would open local files and fetch by itself), trafilatura
and lxml never fetch either. Feeds are hostile input:

- the text encoding is checked before parsing: valid UTF-8 wins, then what the
  server or the document declares, then detection by charset-normalizer; a
  document no encoding explains is refused rather than stored as garbage;
- XML entity declarations (billion laughs) and external entities (XXE) are
  refused by defusedxml before feedparser sees the document; a DOCTYPE without
  entities (as RSS 0.91 had) is fine;
- well-formed RSS 2.0 and Atom 1.0 are read with lxml (entities never
  resolved, nothing loaded from the network), several times faster than
  feedparser; everything else goes to feedparser, and a test checks that both
  read the same feeds alike;
- a malformed feed keeps the entries that feedparser could read; one with
  none is an error;
- titles and summaries become plain text (tags stripped by nh3, entities
  unescaped, whitespace collapsed, length capped).
"""

import codecs
import hashlib
import html
import io
import re
from calendar import timegm
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit
from xml.sax import SAXException
from xml.sax.handler import ContentHandler

import charset_normalizer
import feedparser
import lxml.etree
import lxml.html
import nh3
from defusedxml import DefusedXmlException
from defusedxml.expatreader import DefusedExpatParser
from django.utils import timezone
from django.utils.translation import gettext as _

TITLE_MAX = 500
SUMMARY_MAX = 3000
AUTHOR_MAX = 200
URL_MAX = 1000
PAGE_LINKS_MAX = 200
LANGUAGES = {"ka", "hy", "en", "ru"}
# Query parameters that only track the reader; they do not make another story.
TRACKING_PARAMETERS = re.compile(r"^(utm_\w+|fbclid|gclid|yclid|mc_cid|mc_eid)$")
FILE_SUFFIXES = (
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".pdf", ".zip", ".rar",
    ".doc", ".docx", ".xls", ".xlsx", ".mp3", ".mp4", ".avi", ".mov", ".rss",
    ".xml", ".css", ".js",
)  # fmt: skip

_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?>", re.IGNORECASE)
_DECLARED_ENCODING = re.compile(
    rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""", re.IGNORECASE
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
# Characters XML 1.0 does not allow (controls other than tab, newline, return).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+\d*);")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff]")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class ParseError(Exception):
    """The fetched document cannot give entries; ``message`` is translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass
class Entry:
    """One story found in a feed or on a page, ready to become an Item."""

    external_id: str
    url: str
    title: str
    summary: str = ""
    author: str = ""
    published_at: datetime | None = None
    language: str = ""


# --- Text -----------------------------------------------------------------------------


def _cap(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.8:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-") + "…"


def plain_text(value, limit: int = SUMMARY_MAX) -> str:
    """``value`` (HTML or text) as one line of plain text of at most ``limit``."""
    if not value:
        return ""
    text = str(value)
    if "<" in text:
        # A space before each tag keeps "<p>a</p><p>b</p>" as two words.
        text = nh3.clean(
            text.replace("<", " <"), tags=set(), attributes={}, strip_comments=True
        )
    text = html.unescape(text)
    if "&" in text and _ENTITY.search(text):
        text = html.unescape(text)  # escaped twice by the feed
    text = _CONTROL.sub(" ", text)
    return _cap(" ".join(text.split()), limit)


def language_code(value) -> str:
    """ "ka-GE" → "ka"; only the languages we know, else ""."""
    code = str(value or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else ""


def canonical_url(url: str, *, base_url: str = "") -> str:
    """An absolute http(s) address without fragment or tracking; "" if unusable."""
    if not url:
        return ""
    try:
        absolute = urljoin(base_url, str(url).strip()) if base_url else str(url).strip()
        parts = urlsplit(absolute)
        port = parts.port
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return ""
    host = parts.hostname.lower()
    netloc = f"[{host}]" if ":" in host else host
    if port and port != (443 if scheme == "https" else 80):
        netloc += f":{port}"
    query = parts.query
    if query:
        kept = [
            (key, value)
            for key, value in parse_qsl(query, keep_blank_values=True)
            if not TRACKING_PARAMETERS.match(key)
        ]
        query = urlencode(kept, doseq=True)
    result = urlunsplit((scheme, netloc, parts.path or "/", query, ""))
    return result if len(result) <= URL_MAX else ""


def _identifier(value: str) -> str:
    value = " ".join(str(value or "").split())
    if len(value) > URL_MAX:
        return "sha1:" + hashlib.sha1(value.encode(), usedforsecurity=False).hexdigest()
    return value


def _normal_encoding(name) -> str:
    if not name:
        return ""
    try:
        return codecs.lookup(
            name.decode("ascii") if isinstance(name, bytes) else name
        ).name
    except (LookupError, UnicodeError):
        return ""


def decode_document(body: bytes, *, charset: str = "", html_page: bool = False) -> str:
    """The text of ``body``: raises ParseError when no encoding explains it."""
    if not body:
        raise ParseError(_("The address returned an empty document."))
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            try:
                return body.decode(encoding)
            except UnicodeDecodeError:
                break
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(body) - 4:
            # Cut off inside a character: a truncated UTF-8 document.
            return body[: exc.start].decode("utf-8")
    # Valid UTF-8 always wins above (legacy text almost never is); otherwise
    # trust a declared single-byte encoding that decodes, then detection.
    head = body[:4096]
    found = _META_CHARSET.search(head) if html_page else _DECLARED_ENCODING.match(head)
    declared = [_normal_encoding(charset), _normal_encoding(found and found.group(1))]
    for encoding in dict.fromkeys(declared):
        if encoding and encoding not in ("utf-8", "ascii"):
            try:
                return body.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                continue
    best = charset_normalizer.from_bytes(body).best()
    if best is None or best.chaos > 0.2:
        raise ParseError(
            _("The document's text encoding is wrong or unknown, so it cannot be read.")
        )
    return str(best)


# --- Feeds ----------------------------------------------------------------------------


class _PrologueDone(Exception):
    """The root element started: no entity can be declared after this point."""


class _GuardedParser(DefusedExpatParser):
    """defusedxml's parser, refusing entity declarations and external entities.

    A reference to an external DTD (``<!DOCTYPE rss PUBLIC … "….dtd">``, as
    RSS 0.91 feeds have) reaches the same handler with no context: it is
    skipped, never loaded, so that such a harmless DOCTYPE is accepted.
    """

    def defused_external_entity_ref_handler(self, context, base, sysid, pubid):
        if context is None:
            return 1
        return super().defused_external_entity_ref_handler(context, base, sysid, pubid)


class _StopAtRoot(ContentHandler):
    def startElement(self, name, attrs):
        raise _PrologueDone

    startElementNS = startElement


def _refuse_entities(data: bytes) -> None:
    """Refuse entity declarations and external references (defusedxml).

    Only the prologue is parsed (up to the root element), where a DOCTYPE and
    its entity declarations must stand; the rest is feedparser's work.
    """
    parser = _GuardedParser(
        forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    parser.setContentHandler(_StopAtRoot())
    stream = io.BytesIO(data)
    try:
        while chunk := stream.read(16 * 1024):
            parser.feed(chunk)
    except _PrologueDone:
        return
    except DefusedXmlException as exc:
        raise ParseError(
            _(
                "The feed declares XML entities or refers to outside files "
                "(a known attack); it was refused."
            )
        ) from exc
    except SAXException:
        # Malformed XML is feedparser's to judge, but not when its prologue may
        # hide entity declarations the syntax error kept us from reading.
        if re.search(rb"<!entity", data, re.IGNORECASE):
            raise ParseError(
                _(
                    "The feed declares XML entities or refers to outside files "
                    "(a known attack); it was refused."
                )
            ) from None


def _xml_bytes(text: str) -> bytes:
    """The document as UTF-8, declared so, without characters XML forbids."""
    text = _NOT_XML.sub("", text).lstrip("\ufeff")
    data = text.encode("utf-8")
    return _XML_DECLARATION.sub(b'<?xml version="1.0" encoding="utf-8"?>', data, 1)


def _looks_like_html(data: bytes) -> bool:
    head = data[:2048].lower()
    return b"<html" in head or b"<!doctype html" in head


def _sane_date(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)  # feeds without a zone mean UTC
    value = value.astimezone(UTC).replace(microsecond=0)
    if value.year < 1990 or value > timezone.now() + timedelta(days=2):
        return None  # a feed's clock error is not a publication date
    return value


def _date(entry) -> datetime | None:
    parsed = (
        entry.get("published_parsed")
        or entry.get("updated_parsed")
        or entry.get("created_parsed")
    )
    if not parsed:
        return None
    try:
        return _sane_date(datetime.fromtimestamp(timegm(parsed), tz=UTC))
    except (OverflowError, ValueError, OSError, TypeError):
        return None


def _first_text(entry) -> str:
    summary = entry.get("summary")
    if summary:
        return summary
    for content in entry.get("content") or []:
        if content.get("value"):
            return content["value"]
    return ""


def _make_entry(
    *,
    identifier: str,
    link: str,
    title: str,
    summary: str,
    author: str,
    published: datetime | None,
    language: str,
    base_url: str,
) -> Entry | None:
    url = canonical_url(link, base_url=base_url)
    external_id = _identifier(identifier) or url
    if not external_id:
        return None  # nothing to store it once by
    summary = plain_text(summary, SUMMARY_MAX)
    title = plain_text(title, TITLE_MAX) or _cap(summary, 120) or url[:TITLE_MAX]
    if not title:
        return None
    return Entry(
        external_id=external_id,
        url=url,
        title=title,
        summary=summary,
        author=plain_text(author, AUTHOR_MAX),
        published_at=published,
        language=language,
    )


def _link_from_id(identifier: str) -> str:
    """A GUID or Atom id stands for the missing link only when it is an address."""
    return identifier if identifier.lower().startswith(("http://", "https://")) else ""


def _feed_entry(entry, *, base_url: str, feed_language: str) -> Entry | None:
    """An Entry from one of feedparser's entries."""
    detail = entry.get("title_detail") or {}
    link = entry.get("link") or ""
    if entry.get("guidislink") and link == entry.get("id"):
        link = _link_from_id(link)  # feedparser took the id for the link
    return _make_entry(
        identifier=entry.get("id") or "",
        link=link,
        title=entry.get("title") or "",
        summary=_first_text(entry),
        author=(entry.get("author_detail") or {}).get("name")
        or entry.get("author")
        or "",
        published=_date(entry),
        language=language_code(detail.get("language")) or feed_language,
        base_url=base_url,
    )


# The usual feeds (well-formed RSS 2.0 and Atom 1.0) are read with lxml, which
# is several times faster than feedparser; anything else (malformed XML,
# RSS 1.0/RDF, xml:base, markup inside a text element, a date lxml's path
# cannot read…) goes to feedparser. A test checks that both give the same
# entries for the same feeds.
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
DC_DATE = "{http://purl.org/dc/elements/1.1/}date"
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
_RSS_AUTHOR = re.compile(r"^\s*\S+@\S+\s*\((.+)\)\s*$")


class _Unusual(Exception):
    """The fast path does not read this feed the way feedparser would."""


def _text(element) -> str:
    if element is None:
        return ""
    if len(element):
        raise _Unusual  # markup as elements: feedparser's serialisation decides
    return element.text or ""


def _iso_date(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        return _sane_date(datetime.fromisoformat(value))
    except ValueError:
        raise _Unusual from None


def _rss_date(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        return _sane_date(parsedate_to_datetime(value))
    except (TypeError, ValueError, IndexError, OverflowError):
        raise _Unusual from None


def _rss_entry(item, *, base_url: str, language: str) -> Entry | None:
    guid = item.find("guid")
    identifier = _text(guid).strip()
    link = _text(item.find("link")).strip()
    if not link and guid is not None and guid.get("isPermaLink", "true") != "false":
        link = _link_from_id(identifier)
    summary = _text(item.find("description")) or _text(item.find(CONTENT_ENCODED))
    author = _text(item.find(DC_CREATOR))
    if not author:
        author = _text(item.find("author"))
        named = _RSS_AUTHOR.match(author)
        author = named.group(1) if named else author
    date = item.find("pubDate")
    published = (
        _rss_date(_text(date))
        if date is not None
        else _iso_date(_text(item.find(DC_DATE)))
    )
    return _make_entry(
        identifier=identifier,
        link=link,
        title=_text(item.find("title")),
        summary=summary,
        author=author,
        published=published,
        language=language_code(item.get(XML_LANG)) or language,
        base_url=base_url,
    )


def _atom_entry(entry, *, base_url: str, language: str) -> Entry | None:
    identifier = _text(entry.find(ATOM + "id")).strip()
    link = ""
    for candidate in entry.iterfind(ATOM + "link"):
        if candidate.get("rel", "alternate") == "alternate":
            link = candidate.get("href") or ""
            break
    if not link:
        link = _link_from_id(identifier)
    summary = _text(entry.find(ATOM + "summary")) or _text(entry.find(ATOM + "content"))
    published = _iso_date(_text(entry.find(ATOM + "published"))) or _iso_date(
        _text(entry.find(ATOM + "updated"))
    )
    author = entry.find(ATOM + "author")
    return _make_entry(
        identifier=identifier,
        link=link.strip(),
        title=_text(entry.find(ATOM + "title")),
        summary=summary,
        author=_text(author.find(ATOM + "name")) if author is not None else "",
        published=published,
        language=language_code(entry.get(XML_LANG)) or language,
        base_url=base_url,
    )


def _fast_entries(data: bytes, *, base_url: str) -> list[Entry] | None:
    """The entries of a well-formed RSS 2.0 or Atom 1.0 feed; None for feedparser."""
    parser = lxml.etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = lxml.etree.fromstring(data, parser)
    except (lxml.etree.XMLSyntaxError, ValueError):
        return None
    if root.xpath("boolean(//@xml:base)"):
        return None  # relative links resolved per element: feedparser's job
    try:
        if root.tag == "rss":
            channel = root.find("channel")
            if channel is None:
                return None
            language = language_code(
                channel.get(XML_LANG) or root.get(XML_LANG)
            ) or language_code(_text(channel.find("language")))
            raw = [
                _rss_entry(item, base_url=base_url, language=language)
                for item in channel.iterfind("item")
            ]
        elif root.tag == ATOM + "feed":
            language = language_code(root.get(XML_LANG))
            raw = [
                _atom_entry(entry, base_url=base_url, language=language)
                for entry in root.iterfind(ATOM + "entry")
            ]
        else:
            return None
    except _Unusual:
        return None
    return _unique(raw)


def _unique(raw) -> list[Entry]:
    entries, seen = [], set()
    for entry in raw:
        if entry is not None and entry.external_id not in seen:
            seen.add(entry.external_id)
            entries.append(entry)
    return entries


def _bozo_reason(exc) -> str:
    """feedparser's complaint, without the "<unknown>:" of a nameless document."""
    if exc is None:
        return ""
    # (Line numbers are left out: feedparser may have added a line on top.)
    if hasattr(exc, "getMessage"):
        return str(exc.getMessage())[:200]
    return str(exc)[:200]


def parse_feed(
    body: bytes, *, content_type: str = "", charset: str = "", base_url: str = ""
) -> list[Entry]:
    """The entries of an RSS or Atom document; raises ParseError."""
    text = decode_document(body, charset=charset)
    data = _xml_bytes(text)
    _refuse_entities(data)
    entries = _fast_entries(data, base_url=base_url)
    if entries is None:
        entries = _feedparser_entries(
            data, base_url=base_url, content_type=content_type
        )
    return entries


def _feedparser_entries(data: bytes, *, base_url: str, content_type: str = ""):
    # No content-location: feedparser would resolve Atom ids against it, and
    # an id must not change when the feed moves. Links are resolved here.
    headers = {"content-type": "application/xml; charset=utf-8"}
    parsed = feedparser.parse(
        data,
        response_headers=headers,
        sanitize_html=False,  # plain_text strips every tag anyway
        resolve_relative_uris=False,
    )
    feed_language = language_code(parsed.feed.get("language"))
    entries = _unique(
        _feed_entry(raw, base_url=base_url, feed_language=feed_language)
        for raw in parsed.entries
    )
    if entries or (parsed.entries and not parsed.bozo):
        return entries
    if parsed.version and not parsed.bozo:
        return []  # a well-formed feed with nothing in it today
    if _looks_like_html(data) or "html" in content_type:
        raise ParseError(
            _(
                "The address returned a web page, not a feed. Use the address "
                "of the site's RSS or Atom feed, or make this source a web page."
            )
        )
    reason = _bozo_reason(parsed.get("bozo_exception"))
    if reason:
        raise ParseError(
            _("The feed is broken and holds no readable entry (%(reason)s).")
            % {"reason": reason}
        )
    raise ParseError(_("The document is not an RSS or Atom feed."))


# --- Pages without a feed -------------------------------------------------------------


def _looks_like_feed(body: bytes, content_type: str) -> bool:
    if any(kind in content_type for kind in ("rss", "atom")):
        return True
    head = body[:1024].lstrip().lower()
    return head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head)


def _site(host: str) -> str:
    host = (host or "").lower()
    return host[4:] if host.startswith("www.") else host


def _in_navigation(element) -> bool:
    for ancestor in element.iterancestors():
        if ancestor.tag in ("nav", "footer") or ancestor.get("role") == "navigation":
            return True
    return False


def _page_links(tree, *, base_url: str, language: str) -> list[Entry]:
    """Links to articles of the same site: headline-like text, not navigation."""
    page = canonical_url(base_url)
    site = _site(urlsplit(page).hostname or "")
    found: dict[str, Entry] = {}
    for anchor in tree.iter("a"):
        href = anchor.get("href")
        if not href or href.startswith("#") or _in_navigation(anchor):
            continue
        url = canonical_url(href, base_url=base_url)
        if not url or url == page:
            continue
        parts = urlsplit(url)
        host = _site(parts.hostname or "")
        if host != site and not host.endswith("." + site):
            continue
        if parts.path in ("", "/") or parts.path.lower().endswith(FILE_SUFFIXES):
            continue
        title = plain_text(anchor.text_content() or anchor.get("title"), TITLE_MAX)
        # Article headlines are sentences; menu items are a word or two.
        if len(title.split()) < 3 or len(title) < 15:
            continue
        known = found.get(url)
        if known is None or len(title) > len(known.title):
            found[url] = Entry(external_id=url, url=url, title=title, language=language)
        if len(found) >= PAGE_LINKS_MAX:
            break
    return list(found.values())


def _page_article(text: str, *, base_url: str, tree, language: str) -> Entry | None:
    """The page itself as one article, when an extractor finds one."""
    import trafilatura  # heavy; only pages without a feed need it

    try:
        document = trafilatura.bare_extraction(
            text,
            url=base_url or None,
            with_metadata=True,
            include_comments=False,
            favor_precision=True,
        )
    except Exception:  # noqa: BLE001 - an extractor failure means "no article"
        return None
    if document is None:
        return None
    data = document if isinstance(document, dict) else document.as_dict()
    title = plain_text(data.get("title"), TITLE_MAX)
    summary = plain_text(data.get("text"), SUMMARY_MAX)
    if summary.startswith(title):
        summary = summary[len(title) :].lstrip()  # the headline, again
    if not title or len(summary) < 80:
        return None
    canonical = ""
    for link in tree.iter("link"):
        if (link.get("rel") or "").lower() == "canonical":
            canonical = canonical_url(link.get("href") or "", base_url=base_url)
            break
    url = canonical or canonical_url(base_url)
    if not url:
        return None
    published = None
    if data.get("date"):
        try:
            day = datetime.strptime(str(data["date"])[:10], "%Y-%m-%d")
            published = timezone.make_aware(day)
        except ValueError:
            published = None
    return Entry(
        external_id=url,
        url=url,
        title=title,
        summary=summary,
        author=plain_text(data.get("author"), AUTHOR_MAX),
        published_at=published,
        language=language_code(data.get("language")) or language,
    )


def parse_page(
    body: bytes, *, base_url: str, content_type: str = "", charset: str = ""
) -> list[Entry]:
    """Entries from a web page without a feed; raises ParseError.

    A listing page gives its article links (the link text is the title); a
    single article gives itself. A page that turns out to be a feed is read as one.
    """
    if _looks_like_feed(body, content_type):
        return parse_feed(
            body, content_type=content_type, charset=charset, base_url=base_url
        )
    text = decode_document(body, charset=charset, html_page=True)
    text = _NOT_XML.sub("", text)
    text = re.sub(r"^\s*<\?xml[^>]*?>", "", text, count=1)
    parser = lxml.html.HTMLParser(
        no_network=True, remove_comments=True, remove_pis=True, huge_tree=False
    )
    try:
        tree = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ParseError(_("The page could not be read as HTML.")) from exc
    for base in tree.iter("base"):
        if base.get("href"):
            base_url = canonical_url(base.get("href"), base_url=base_url) or base_url
        break
    language = language_code(tree.get("lang"))
    links = _page_links(tree, base_url=base_url, language=language)
    if len(links) >= 2:
        return links
    article = _page_article(text, base_url=base_url, tree=tree, language=language)
    if article is not None:
        return [article]
    if links:
        return links
    raise ParseError(_("No articles were found on this page."))
