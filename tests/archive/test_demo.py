"""The demo archive: a year of processed photos in albums of the demo events, once."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.db.models import Count
from django.utils import timezone
from PIL import Image

from archive.demo import EVENT_STYLE, seed_archive
from archive.models import Album, ArchiveTag, Asset, MediaAppearance
from contacts.demo import seed_contacts
from contacts.models import Organisation
from events.demo import seed_events
from events.models import Event
from prapp.demo import seed_staff
from prapp.text import contains_mtavruli

from .conftest import stored_files

MODELS = (Asset, Album, ArchiveTag, MediaAppearance)
GEORGIAN = re.compile("[\u10d0-\u10ff]")
ARMENIAN = re.compile("[\u0531-\u058f]")


def _counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def seeded(db, _media):
    seed_staff()
    seed_contacts(people=3)
    seed_events()
    out = StringIO()
    created = seed_archive(stdout=out)
    return created, out.getvalue()


def test_seeds_once_in_the_expected_ranges(seeded, _media):
    created, output = seeded
    assert created == Asset.objects.count()
    assert f"{created} new assets" in output
    kinds = dict(Asset.objects.values_list("kind").annotate(n=Count("pk")).order_by())
    assert 55 <= kinds[Asset.Kind.PHOTO] <= 65
    assert kinds[Asset.Kind.DOCUMENT] == 3
    assert kinds[Asset.Kind.AUDIO] == 1
    assert kinds.get(Asset.Kind.VIDEO, 0) <= 1
    assert 8 <= Album.objects.count() <= 12
    assert 5 <= MediaAppearance.objects.count() <= 8

    _every_file_is_processed_with_its_renditions()

    before, files = _counts(), stored_files(_media)
    assert seed_archive() == 0
    assert _counts() == before
    assert stored_files(_media) == files


def _every_file_is_processed_with_its_renditions():
    assert not Asset.objects.exclude(state=Asset.State.READY).exists()
    for asset in Asset.objects.filter(kind=Asset.Kind.PHOTO):
        assert asset.file.storage.exists(asset.file.name)
        assert {"s", "m", "l"} <= set(asset.renditions), asset
        with default_storage.open(asset.renditions["s"], "rb") as handle:
            thumbnail = Image.open(handle)
            assert thumbnail.format == "JPEG"
            assert max(thumbnail.size) == 320
        assert max(asset.width, asset.height) == 1600
        assert asset.camera  # read from the EXIF the seed wrote
    # Turned by their EXIF orientation: portraits, though stored on their side.
    portrait = Asset.objects.get(title_en="Portrait of the Public Defender")
    assert (portrait.width, portrait.height) == (1067, 1600)
    with default_storage.open(portrait.renditions["s"], "rb") as handle:
        assert Image.open(handle).size == (213, 320)
    video = Asset.objects.filter(kind=Asset.Kind.VIDEO).first()
    if video is not None:
        assert "poster" in video.renditions
        assert video.duration_seconds == pytest.approx(3, abs=0.2)
    for document in Asset.objects.filter(kind=Asset.Kind.DOCUMENT):
        assert document.renditions == {}
    assert Asset.objects.filter(content_type="application/pdf").count() == 1


def _albums_are_linked_to_the_events_held():
    held = Event.objects.filter(starts_at__lt=timezone.now())
    assert held.count() == len(EVENT_STYLE)
    for event in held:
        album = Album.objects.get(event=event)
        assert album.title_ka == event.title_ka
        assert album.cover is not None and album.cover in album.assets.all()
        photos = album.assets.filter(kind=Asset.Kind.PHOTO)
        assert 4 <= photos.count() <= 6
        for photo in photos:
            assert photo.event == event
            assert timezone.localtime(photo.taken_at).date() == (
                timezone.localtime(event.starts_at).date()
            )
    # The older albums show no demo event; some photos are in no album.
    assert Album.objects.filter(event__isnull=True).count() == 4
    assert Asset.objects.filter(kind=Asset.Kind.PHOTO, albums__isnull=True).exists()


def _photos_are_spread_over_the_year():
    now = timezone.now()
    photos = Asset.objects.filter(kind=Asset.Kind.PHOTO)
    assert not photos.filter(taken_at__isnull=True).exists()
    assert not photos.filter(taken_at__gt=now).exists()
    assert not photos.filter(uploaded_at__gt=now).exists()
    oldest = photos.order_by("taken_at").first().taken_at
    assert now - timedelta(days=366) <= oldest <= now - timedelta(days=300)
    months = {
        timezone.localtime(p.taken_at).strftime("%Y-%m")
        for p in photos.only("taken_at")
    }
    assert len(months) >= 6
    for photo in photos:
        assert photo.uploaded_at >= photo.taken_at


def _titles_captions_and_credits_in_three_languages():
    photos = Asset.objects.filter(kind=Asset.Kind.PHOTO)
    for language in ("ka", "hy", "en"):
        assert photos.filter(**{f"title_{language}__gt": ""}).count() >= 15, language
    for photo in photos:
        assert photo.title_ka or photo.title_hy, photo.pk
        assert photo.credit, photo.pk
        assert photo.caption_ka or photo.caption_hy or photo.caption_en, photo.pk
        # Each language's field holds that language, never another's text.
        assert not photo.title_ka or GEORGIAN.search(photo.title_ka), photo.title_ka
        assert not photo.title_hy or ARMENIAN.search(photo.title_hy), photo.title_hy
        assert not photo.caption_ka or GEORGIAN.search(photo.caption_ka)
        assert not photo.caption_hy or ARMENIAN.search(photo.caption_hy)
        english = (photo.title_en or "") + (photo.caption_en or "")
        assert not GEORGIAN.search(english) and not ARMENIAN.search(english)
        for text in (photo.title, photo.caption, photo.credit, photo.consent_note):
            assert not contains_mtavruli(text or ""), text
    # Some captions and credits were only inside the files (XMP): processing
    # read them, and they are searchable like the others.
    agency = photos.filter(credit="Sophie Laurent / AFP")
    assert agency.count() == 6
    assert all(photo.caption_ka for photo in agency)
    assert all("sophie laurent" in photo.search_text for photo in agency)


def _rights_consent_and_tags_vary():
    photos = Asset.objects.filter(kind=Asset.Kind.PHOTO)
    assert set(photos.values_list("rights", flat=True)) == set(Asset.Rights.values)
    assert set(photos.values_list("consent", flat=True)) == set(Asset.Consent.values)
    refused = photos.get(consent=Asset.Consent.REFUSED)
    assert refused.consent_note
    assert not refused.cleared_for_press
    today = timezone.localdate()
    assert photos.filter(licence_expires__lt=today).exists()  # expired
    assert photos.filter(licence_expires__gte=today).exists()
    cleared = [photo for photo in photos if photo.cleared_for_press]
    assert 15 <= len(cleared) < photos.count()
    assert ArchiveTag.objects.count() >= 10
    assert not photos.filter(tags__isnull=True).exists()
    assert Asset.objects.filter(search_text__contains="sakrebulo").exists()


def _appearances_of_the_head_on_the_demo_outlets():
    appearances = MediaAppearance.objects.all()
    assert set(appearances.values_list("medium", flat=True)) >= {"tv", "radio"}
    for appearance in appearances:
        assert appearance.speaker_name
        assert appearance.outlet is not None, appearance
        assert appearance.outlet.kind == Organisation.Kind.MEDIA
        assert appearance.link or appearance.recording
        assert appearance.aired_at < timezone.now()
        assert appearance.search_text
    recorded = appearances.get(recording__isnull=False)
    assert recorded.recording.kind == Asset.Kind.AUDIO
    assert recorded.medium == MediaAppearance.Medium.RADIO


# One seed costs seconds: the checks of its content share one.
def test_content_is_realistic(seeded):
    _albums_are_linked_to_the_events_held()
    _photos_are_spread_over_the_year()
    _rights_consent_and_tags_vary()
    _appearances_of_the_head_on_the_demo_outlets()
    _titles_captions_and_credits_in_three_languages()


def test_without_events_and_contacts_it_still_seeds(db, _media):
    created = seed_archive()
    assert created >= 30  # the albums of the events are left out
    assert not Album.objects.filter(event__isnull=False).exists()
    assert Album.objects.count() == 4
    assert MediaAppearance.objects.filter(outlet__isnull=True).exists()
    assert not Asset.objects.exclude(state=Asset.State.READY).exists()
