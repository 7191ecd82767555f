"""Embedded metadata: EXIF, IPTC and XMP read on import; XMP and EXIF written."""

import io

import pytest
from django.db import transaction
from PIL import ExifTags, Image

from archive import metadata, processing, services
from archive.models import Asset
from tests.archive.conftest import make_image, upload

XMP_HEAD = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
)
XMP_TAIL = "</rdf:RDF></x:xmpmeta>"
NAMESPACES = (
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"'
)


def _facts(data: bytes) -> metadata.ImageFacts:
    with Image.open(io.BytesIO(data)) as image:
        return metadata.read_image_facts(image)


# --- IPTC -------------------------------------------------------------------------


def test_iptc_caption_headline_credit_byline_keywords():
    facts = _facts(
        make_image(
            iptc={
                (2, 120): "სახალხო დამცველი შეხვდა მოქალაქეებს",
                (2, 105): "Meeting in Gori",
                (2, 80): "Nino Beridze",
                (2, 110): "Public Defender's Office",
                (2, 25): ["Gori", "მოქალაქეები", "gori"],
            }
        )
    )
    assert facts.caption == {"ka": "სახალხო დამცველი შეხვდა მოქალაქეებს"}
    assert facts.title == {"en": "Meeting in Gori"}
    assert facts.credit == "Nino Beridze / Public Defender's Office"
    assert facts.keywords == ["Gori", "მოქალაქეები"]  # "gori" is the same keyword


def test_iptc_in_a_legacy_encoding_is_still_read():
    data = make_image(iptc={(2, 120): "ABCDE"})
    # Replace the UTF-8 caption by a Windows-1252 one of the same length.
    data = data.replace(b"ABCDE", b"Caf\xe9!")
    assert _facts(data).caption == {"en": "Café!"}


# --- XMP ------------------------------------------------------------------------------


def test_xmp_languages_creator_credit_subject():
    xmp = (
        XMP_HEAD + f'<rdf:Description rdf:about="" {NAMESPACES} '
        'photoshop:Credit="Press office" photoshop:Headline="Flood in Gori">'
        "<dc:description><rdf:Alt>"
        '<rdf:li xml:lang="x-default">Պաշտպանը Գորիում</rdf:li>'
        '<rdf:li xml:lang="ka-GE">დამცველი გორში</rdf:li>'
        '<rdf:li xml:lang="en">The Defender in Gori</rdf:li>'
        "</rdf:Alt></dc:description>"
        "<dc:creator><rdf:Seq><rdf:li>Nino Beridze</rdf:li>"
        "<rdf:li>Ani Petrosyan</rdf:li></rdf:Seq></dc:creator>"
        "<dc:subject><rdf:Bag><rdf:li>flood</rdf:li><rdf:li>Gori</rdf:li>"
        "</rdf:Bag></dc:subject>"
        "</rdf:Description>" + XMP_TAIL
    )
    facts = _facts(make_image(xmp=xmp))
    assert facts.caption == {
        "hy": "Պաշտպանը Գորիում",  # x-default: language told by the script
        "ka": "დამცველი გორში",
        "en": "The Defender in Gori",
    }
    assert facts.title == {"en": "Flood in Gori"}
    assert facts.credit == "Nino Beridze, Ani Petrosyan / Press office"
    assert facts.keywords == ["flood", "Gori"]


def test_xmp_wins_over_iptc():
    xmp = (
        XMP_HEAD + f'<rdf:Description rdf:about="" {NAMESPACES}>'
        '<dc:description><rdf:Alt><rdf:li xml:lang="en">From XMP</rdf:li>'
        "</rdf:Alt></dc:description></rdf:Description>" + XMP_TAIL
    )
    facts = _facts(make_image(xmp=xmp, iptc={(2, 120): "From IPTC"}))
    assert facts.caption == {"en": "From XMP"}


@pytest.mark.parametrize(
    "xmp",
    [
        # Entity expansion ("billion laughs"): defusedxml refuses it.
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><x>&b;</x>',
        # An external entity.
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        "<x>&e;</x>",
        "<x:xmpmeta><not closed",
        XMP_HEAD + "<rdf:Description><dc:description>7</dc:description>" + XMP_TAIL,
    ],
)
def test_malformed_xmp_is_ignored(xmp):
    facts = _facts(make_image(xmp=xmp, camera=("Sony", "ILCE-7M3")))
    assert facts.caption == {}
    assert facts.camera == "Sony ILCE-7M3"  # the rest is still read


# --- EXIF -----------------------------------------------------------------------------


def test_exif_time_with_offset():
    exif = Image.Exif()
    details = exif.get_ifd(ExifTags.IFD.Exif)
    details[ExifTags.Base.DateTimeOriginal] = "2023:12:31 23:30:00"
    details[ExifTags.Base.OffsetTimeOriginal] = "+04:00"
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "JPEG", exif=exif)
    facts = _facts(buffer.getvalue())
    assert facts.taken_at.isoformat() == "2023-12-31T23:30:00+04:00"


@pytest.mark.parametrize(
    "taken",
    ["0000:00:00 00:00:00", "2024:13:45 99:00:00", "garbage", "1850:01:01 00:00:00"],
)
def test_impossible_dates_are_ignored(taken):
    assert _facts(make_image(taken=taken)).taken_at is None


def test_zero_gps_is_no_position():
    facts = _facts(make_image(gps=(0.0, 0.0)))
    assert (facts.latitude, facts.longitude) == (None, None)


def test_camera_make_is_not_repeated():
    assert _facts(make_image(camera=("Canon", "Canon EOS R5"))).camera == "Canon EOS R5"
    assert _facts(make_image(camera=("NIKON CORPORATION", "Z 6"))).camera == (
        "NIKON CORPORATION Z 6"
    )


# --- Helpers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("გამარჯობა", "ka"),
        ("Բարեւ", "hy"),
        ("Hello", "en"),
        ("Привет", "en"),
        ("", "en"),
    ],
)
def test_guess_language(text, language):
    assert metadata.guess_language(text) == language


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        ("ნინო ბერიძე", True, "Nino Beridze"),
        ("შეხვედრა გორში", False, "Shekhvedra gorshi"),
        ("Անի Պետրոսյան", False, "Ani Petrosyan"),
        ("Café © 2024 — «ok»", False, 'Cafe (c) 2024 - "ok"'),
    ],
)
def test_ascii_text(text, names, expected):
    assert metadata.ascii_text(text, names=names) == expected


def test_xmp_packet_escapes_markup():
    packet = metadata.xmp_packet(
        title={},
        caption={"en": "<b>Tom & Jerry</b>"},
        creator='A "quoted" name',
        credit="",
        rights="",
        keywords=["a<b"],
    )
    image = Image.new("RGB", (4, 4))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", xmp=packet)
    description = Image.open(buffer).getxmp()["xmpmeta"]["RDF"]["Description"]
    assert description["description"]["Alt"]["li"][0]["text"] == "<b>Tom & Jerry</b>"
    assert description["creator"]["Seq"]["li"] == 'A "quoted" name'
    assert description["subject"]["Bag"]["li"] == "a<b"


# --- On import ------------------------------------------------------------------------


@pytest.mark.django_db
def test_keywords_become_tags_when_there_are_none(archivist):
    data = make_image(iptc={(2, 25): ["Gori", "წყალდიდობა"], (2, 80): "Nino"})
    with transaction.atomic():
        asset = services.asset_upload(file=upload("a.jpg", data), actor=archivist).asset
    processing.asset_process(asset.pk)
    asset.refresh_from_db()
    assert asset.state == Asset.State.READY
    assert sorted(tag.name for tag in asset.tags.all()) == ["Gori", "წყალდიდობა"]
    assert asset.credit == "Nino"
    assert "tsqaldidoba" in asset.search_text


@pytest.mark.django_db
def test_keywords_do_not_replace_chosen_tags(archivist):
    data = make_image(iptc={(2, 25): ["Gori"]})
    with transaction.atomic():
        asset = services.asset_upload(
            file=upload("a.jpg", data), actor=archivist, data={"tags": ["council"]}
        ).asset
    processing.asset_process(asset.pk)
    assert [tag.name for tag in asset.tags.all()] == ["council"]
