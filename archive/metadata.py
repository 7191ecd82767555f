"""Metadata inside image files: EXIF, IPTC and XMP read on import, XMP and EXIF written.

Reading never trusts the file: every value is checked for type and range, text
is decoded leniently and shortened, and a malformed block is ignored (the
photo is still archived). XMP is parsed by Pillow through defusedxml, so
entity expansion and external entities are refused.

Writing (press copies) puts the caption in every language, the creator, the
credit and the rights into XMP as UTF-8, and an ASCII rendering of the same
into EXIF ImageDescription / Artist / Copyright, which older tools read.
"""

import logging
import re
import struct
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from xml.etree.ElementTree import ParseError
from xml.sax.saxutils import escape, quoteattr

from django.utils import timezone as django_timezone
from PIL import ExifTags, Image, IptcImagePlugin

from prapp.text import romanize

logger = logging.getLogger(__name__)

LANGUAGES = ("ka", "hy", "en")

# EXIF tags (TIFF/EXIF 2.3 numbers).
ORIENTATION = 0x0112
MAKE = 0x010F
MODEL = 0x0110
DATETIME = 0x0132
IMAGE_DESCRIPTION = 0x010E
ARTIST = 0x013B
COPYRIGHT = 0x8298
DATETIME_ORIGINAL = 0x9003
DATETIME_DIGITIZED = 0x9004
OFFSET_TIME_ORIGINAL = 0x9011
GPS_LATITUDE_REF = 1
GPS_LATITUDE = 2
GPS_LONGITUDE_REF = 3
GPS_LONGITUDE = 4

# IPTC IIM, record 2 (application record) datasets.
IPTC_OBJECT_NAME = (2, 5)
IPTC_KEYWORDS = (2, 25)
IPTC_BYLINE = (2, 80)
IPTC_HEADLINE = (2, 105)
IPTC_CREDIT = (2, 110)
IPTC_COPYRIGHT = (2, 116)
IPTC_CAPTION = (2, 120)
IPTC_CHARSET = (1, 90)

_TEXT_MAX = 2000
_NAME_MAX = 200


@dataclass
class ImageFacts:
    """What an image file says about itself (None/empty where it says nothing)."""

    taken_at: datetime | None = None
    camera: str = ""
    latitude: float | None = None
    longitude: float | None = None
    orientation: int = 1
    title: dict[str, str] = field(default_factory=dict)  # language → text
    caption: dict[str, str] = field(default_factory=dict)  # language → text
    credit: str = ""
    keywords: list[str] = field(default_factory=list)


def guess_language(text: str) -> str:
    """ka, hy or en, by the script most of the letters are in."""
    georgian = armenian = 0
    for char in text:
        if "\u10a0" <= char <= "\u10ff" or "\u1c90" <= char <= "\u1cbf":
            georgian += 1
        elif "\u0531" <= char <= "\u058f":
            armenian += 1
    if georgian or armenian:
        return "ka" if georgian >= armenian else "hy"
    return "en"


def clean_text(value, limit: int = _TEXT_MAX) -> str:
    """Printable text from an untrusted value (bytes are decoded leniently)."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            value = value.decode("cp1252", "replace")
    value = unicodedata.normalize("NFC", str(value))
    value = "".join(
        char if unicodedata.category(char)[0] != "C" or char in "\n\t" else " "
        for char in value
    )
    value = re.sub(r"[ \t]+", " ", value).strip()
    return value[:limit].strip()


# --- EXIF ------------------------------------------------------------------------


def _exif_datetime(value, offset) -> datetime | None:
    text = clean_text(value, 40)
    try:
        moment = datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    now = django_timezone.now()
    if moment.year < 1900 or moment.year > now.year + 1:
        return None
    match = re.fullmatch(r"([+-])(\d\d):(\d\d)", clean_text(offset, 10))
    if match:
        sign = 1 if match.group(1) == "+" else -1
        delta = timedelta(hours=int(match.group(2)), minutes=int(match.group(3)))
        if delta <= timedelta(hours=14):
            return moment.replace(tzinfo=timezone(sign * delta))
    # No offset recorded: the camera's clock is taken to be the office's.
    return django_timezone.make_aware(moment, django_timezone.get_default_timezone())


def _rational(value) -> float:
    if isinstance(value, tuple) and len(value) == 2:
        numerator, denominator = value
        return float(numerator) / float(denominator)
    return float(value)


def _gps_coordinate(parts, reference, limit: float) -> float | None:
    try:
        degrees, minutes, seconds = (_rational(part) for part in parts)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = degrees + minutes / 60 + seconds / 3600
    if clean_text(reference, 2).upper() in {"S", "W"}:
        value = -value
    if value != value or abs(value) > limit:  # NaN or out of range
        return None
    return round(value, 7)


def _camera(make, model) -> str:
    make, model = clean_text(make, 100), clean_text(model, 150)
    if make and model.lower().startswith(make.split()[0].lower()):
        return model[:_NAME_MAX]
    return f"{make} {model}".strip()[:_NAME_MAX]


def read_exif(image: Image.Image, facts: ImageFacts) -> None:
    exif = image.getexif()
    if not exif:
        return
    orientation = exif.get(ORIENTATION)
    if isinstance(orientation, int) and 1 <= orientation <= 8:
        facts.orientation = orientation
    facts.camera = _camera(exif.get(MAKE), exif.get(MODEL))
    details = exif.get_ifd(ExifTags.IFD.Exif)
    facts.taken_at = (
        _exif_datetime(
            details.get(DATETIME_ORIGINAL), details.get(OFFSET_TIME_ORIGINAL)
        )
        or _exif_datetime(details.get(DATETIME_DIGITIZED), None)
        or _exif_datetime(exif.get(DATETIME), None)
    )
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    if GPS_LATITUDE in gps and GPS_LONGITUDE in gps:
        latitude = _gps_coordinate(gps[GPS_LATITUDE], gps.get(GPS_LATITUDE_REF), 90)
        longitude = _gps_coordinate(gps[GPS_LONGITUDE], gps.get(GPS_LONGITUDE_REF), 180)
        # Cameras without a fix often write 0, 0.
        if latitude is not None and longitude is not None and (latitude or longitude):
            facts.latitude, facts.longitude = latitude, longitude


# --- IPTC ------------------------------------------------------------------------


def _iptc_values(info: dict, key) -> list[str]:
    raw = info.get(key)
    if raw is None:
        return []
    values = raw if isinstance(raw, list) else [raw]
    return [text for text in (clean_text(value) for value in values) if text]


def read_iptc(image: Image.Image, facts: ImageFacts) -> None:
    try:
        info = IptcImagePlugin.getiptcinfo(image)
    except (SyntaxError, ValueError, OSError, IndexError, TypeError):
        logger.info("Unreadable IPTC block ignored")
        return
    if not info:
        return
    caption = " ".join(_iptc_values(info, IPTC_CAPTION))
    if caption:
        facts.caption.setdefault(guess_language(caption), caption)
    headline = " ".join(
        _iptc_values(info, IPTC_HEADLINE) or _iptc_values(info, IPTC_OBJECT_NAME)
    )
    if headline:
        facts.title.setdefault(guess_language(headline), headline[:300])
    if not facts.credit:
        facts.credit = _credit(
            ", ".join(_iptc_values(info, IPTC_BYLINE)),
            " ".join(_iptc_values(info, IPTC_CREDIT)),
        )
    for keyword in _iptc_values(info, IPTC_KEYWORDS):
        _add_keyword(facts, keyword)


def _credit(byline: str, credit: str) -> str:
    if byline and credit and byline.casefold() != credit.casefold():
        return f"{byline} / {credit}"[:_NAME_MAX]
    return (byline or credit)[:_NAME_MAX]


def _add_keyword(facts: ImageFacts, keyword: str) -> None:
    keyword = keyword[:80].strip()
    if keyword and keyword.casefold() not in {k.casefold() for k in facts.keywords}:
        facts.keywords.append(keyword)


# --- XMP -------------------------------------------------------------------------


def _descriptions(xmp: dict) -> list[dict]:
    meta = xmp.get("xmpmeta") or xmp
    rdf = meta.get("RDF") if isinstance(meta, dict) else None
    if not isinstance(rdf, dict):
        return []
    found = rdf.get("Description")
    found = found if isinstance(found, list) else [found]
    return [item for item in found if isinstance(item, dict)]


def _items(value) -> list:
    """The rdf:li entries of an Alt/Seq/Bag, or the value itself."""
    if isinstance(value, dict):
        for container in ("Alt", "Seq", "Bag"):
            if container in value:
                inner = value[container]
                items = inner.get("li") if isinstance(inner, dict) else None
                if items is None:
                    return []
                return items if isinstance(items, list) else [items]
        if "text" in value:
            return [value]
        return []
    if isinstance(value, list):
        return value
    return [value]


def _item_text(item) -> tuple[str, str]:
    """(language or "", text) of one rdf:li."""
    if isinstance(item, dict):
        return str(item.get("lang") or ""), clean_text(item.get("text"))
    return "", clean_text(item)


def _by_language(value) -> dict[str, str]:
    texts: dict[str, str] = {}
    for item in _items(value):
        language, text = _item_text(item)
        if not text:
            continue
        language = language.lower().split("-")[0]
        if language not in LANGUAGES:
            language = guess_language(text)
        texts.setdefault(language, text)
    return texts


def read_xmp(image: Image.Image, facts: ImageFacts) -> None:
    try:
        xmp = image.getxmp()
    except (ValueError, SyntaxError, ParseError, TypeError):
        # defusedxml's refusals are ValueErrors; a malformed packet is ignored.
        logger.info("Unreadable XMP packet ignored")
        return
    byline = credit = ""
    for description in _descriptions(xmp):
        for language, text in _by_language(description.get("description")).items():
            facts.caption.setdefault(language, text)
        for key in ("title", "Headline"):
            for language, text in _by_language(description.get(key)).items():
                facts.title.setdefault(language, text[:300])
        creators = [_item_text(item)[1] for item in _items(description.get("creator"))]
        byline = byline or ", ".join(name for name in creators if name)
        credit = credit or clean_text(description.get("Credit"), _NAME_MAX)
        for item in _items(description.get("subject")):
            _add_keyword(facts, _item_text(item)[1])
    if byline or credit:
        facts.credit = _credit(byline, credit)


def read_image_facts(image: Image.Image) -> ImageFacts:
    """EXIF, XMP and IPTC of an open image (XMP first: it is UTF-8 and newer)."""
    facts = ImageFacts()
    for reader in (read_exif, read_xmp, read_iptc):
        try:
            reader(image, facts)
        except (
            ValueError,
            TypeError,
            KeyError,
            IndexError,
            OSError,
            SyntaxError,
            EOFError,
            ZeroDivisionError,
            struct.error,
        ) as exc:
            logger.info("Unreadable %s metadata ignored: %s", reader.__name__, exc)
    return facts


# --- Writing ---------------------------------------------------------------------


_ASCII_PUNCTUATION = str.maketrans(
    {"©": "(c)", "®": "(R)", "–": "-", "—": "-", "“": '"', "”": '"', "„": '"'}
    | {"‘": "'", "’": "'", "«": '"', "»": '"', "…": "...", "\u00a0": " "}
)


def ascii_text(text: str, *, names: bool = False) -> str:
    """An ASCII rendering for EXIF: accents dropped, ka/hy/ru romanized.

    Georgian has no capitals: its words start with one in ``names`` (people's
    names), otherwise only the text's first word does.
    """
    words = []
    for word in str(text).translate(_ASCII_PUNCTUATION).split():
        if word.isascii():
            words.append(word)
            continue
        plain = unicodedata.normalize("NFKD", word)
        plain = "".join(char for char in plain if not unicodedata.combining(char))
        if plain.isascii():
            words.append(plain)
            continue
        latin = romanize(word).encode("ascii", "ignore").decode("ascii")
        caseless = guess_language(word) == "ka"
        if word[:1].isupper() or (caseless and (names or not words)):
            latin = latin[:1].upper() + latin[1:]
        words.append(latin)
    return " ".join(word for word in words if word)


def _alt(values: dict[str, str]) -> str:
    items = []
    default = next((values[lang] for lang in LANGUAGES if values.get(lang)), "")
    if default:
        items.append(f'<rdf:li xml:lang="x-default">{escape(default)}</rdf:li>')
    for language in LANGUAGES:
        if values.get(language):
            items.append(
                f"<rdf:li xml:lang={quoteattr(language)}>"
                f"{escape(values[language])}</rdf:li>"
            )
    return "<rdf:Alt>" + "".join(items) + "</rdf:Alt>"


def xmp_packet(
    *,
    title: dict[str, str],
    caption: dict[str, str],
    creator: str,
    credit: str,
    rights: str,
    keywords: list[str],
) -> bytes:
    """An XMP packet (UTF-8) with Dublin Core and Photoshop press fields."""
    properties = []
    if title:
        properties.append(f"<dc:title>{_alt(title)}</dc:title>")
    if caption:
        properties.append(f"<dc:description>{_alt(caption)}</dc:description>")
    if creator:
        properties.append(
            f"<dc:creator><rdf:Seq><rdf:li>{escape(creator)}</rdf:li>"
            "</rdf:Seq></dc:creator>"
        )
    if rights:
        properties.append(f"<dc:rights>{_alt({'en': rights})}</dc:rights>")
    if keywords:
        bag = "".join(f"<rdf:li>{escape(keyword)}</rdf:li>" for keyword in keywords)
        properties.append(f"<dc:subject><rdf:Bag>{bag}</rdf:Bag></dc:subject>")
    if credit:
        properties.append(f"<photoshop:Credit>{escape(credit)}</photoshop:Credit>")
    headline = next((title[lang] for lang in LANGUAGES if title.get(lang)), "")
    if headline:
        properties.append(
            f"<photoshop:Headline>{escape(headline)}</photoshop:Headline>"
        )
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about=""'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">'
        + "".join(properties)
        + "</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    )
    return packet.encode("utf-8")


def press_exif(*, caption: str, creator: str, rights: str) -> Image.Exif:
    """EXIF with the caption, creator and copyright notice in ASCII."""
    exif = Image.Exif()
    if caption:
        exif[IMAGE_DESCRIPTION] = ascii_text(caption)[:2000]
    if creator:
        exif[ARTIST] = ascii_text(creator, names=True)[:_NAME_MAX]
    if rights:
        exif[COPYRIGHT] = ascii_text(rights, names=True)[:_NAME_MAX]
    return exif
