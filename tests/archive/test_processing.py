"""Processing in the worker: renditions, facts, posters, states, press copies."""

import hashlib
import io

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.base import ContentFile
from PIL import Image

from archive import processing, services, tasks
from archive.models import Asset
from archive.processing import RENDITION_SIZES, open_image, renditions_of
from prapp.models import AuditEntry
from tests.archive.conftest import (
    bomb_png,
    make_image,
    make_wav,
    needs_ffmpeg,
    stored_files,
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _uploaded(actor, name, data, **data_fields) -> Asset:
    """Upload and process at once (the task runs eagerly on commit)."""
    from django.db import transaction

    with transaction.atomic():
        asset = services.asset_upload(
            file=upload(name, data), actor=actor, data=data_fields or None
        ).asset
    processing.asset_process(asset.pk)
    asset.refresh_from_db()
    return asset


def _stored(actor, data: bytes, kind: str, extension: str) -> Asset:
    """An asset whose file skipped the upload checks (as if they had missed it)."""
    asset = Asset(
        kind=kind,
        extension=extension,
        content_type="application/octet-stream",
        original_name=f"file.{extension}",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
    )
    asset.file.save(f"file.{extension}", ContentFile(data), save=False)
    asset.save()
    return asset


def _rendition(media, asset, name) -> Image.Image:
    image = Image.open(media / asset.renditions[name])
    image.load()
    return image


def _is_red(pixel) -> bool:
    red, green, blue = pixel[:3]
    return red > 200 and green < 60 and blue < 60


# --- Renditions ---------------------------------------------------------------------


def test_renditions_in_three_sizes_with_orientation_applied(archivist, _media):
    asset = _uploaded(archivist, "a.jpg", make_image((3000, 2000), orientation=6))
    assert asset.state == Asset.State.READY
    assert set(asset.renditions) == {"s", "m", "l"}
    # Orientation 6: shown turned a quarter clockwise, so portrait.
    assert (asset.width, asset.height) == (2000, 3000)
    expected = {"s": (213, 320), "m": (682, 1024), "l": (1365, 2048)}
    for name, size in expected.items():
        rendition = _rendition(_media, asset, name)
        assert rendition.format == "JPEG"
        assert rendition.size == size
        assert not rendition.getexif().get(0x0112)  # no orientation left to apply
        # The stored top-left corner (red) is now top-right.
        assert _is_red(rendition.getpixel((size[0] - 3, 3)))
        assert not _is_red(rendition.getpixel((3, 3)))


def test_small_images_are_not_enlarged(archivist, _media):
    asset = _uploaded(archivist, "a.png", make_image((200, 100), format="PNG"))
    assert _rendition(_media, asset, "l").size == (200, 100)
    assert _rendition(_media, asset, "s").size == (200, 100)


def test_jpeg_is_never_decoded_at_full_resolution():
    data = make_image((4096, 3072))
    with open_image(io.BytesIO(data)) as image:
        renditions = renditions_of(image)
        # Decoded at half size: just enough for the 2048-pixel rendition.
        assert image.size == (2048, 1536)
    assert Image.open(io.BytesIO(renditions["l"])).size == (2048, 1536)
    with open_image(io.BytesIO(data)) as image:
        renditions_of(image, sizes={"s": RENDITION_SIZES["s"]})
        assert image.size == (512, 384)  # 1/8 scale for a 320-pixel thumbnail


@pytest.mark.parametrize(
    ("mode", "format"),
    [("RGBA", "PNG"), ("LA", "PNG"), ("P", "GIF"), ("CMYK", "JPEG"), ("L", "JPEG")],
)
def test_every_mode_gives_a_jpeg(archivist, _media, mode, format):
    asset = _uploaded(
        archivist, f"a.{format.lower()}", make_image(format=format, mode=mode)
    )
    assert asset.state == Asset.State.READY, asset.failure
    rendition = _rendition(_media, asset, "m")
    assert rendition.format == "JPEG"
    assert rendition.mode in ("RGB", "L")


def test_transparent_png_is_put_on_white(archivist, _media):
    image = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    asset = _uploaded(archivist, "clear.png", buffer.getvalue())
    assert _rendition(_media, asset, "s").getpixel((50, 50)) == (255, 255, 255)


def test_sixteen_bit_png_is_scaled_not_clipped(archivist, _media):
    image = Image.linear_gradient("L").resize((64, 64)).convert("I")
    image = image.point(lambda value: value * 256).convert("I;16")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    asset = _uploaded(archivist, "deep.png", buffer.getvalue())
    small = _rendition(_media, asset, "s").convert("L")
    assert small.getextrema()[0] < 20 and small.getextrema()[1] > 230


# --- Facts ---------------------------------------------------------------------------


def test_exif_facts_are_stored(archivist):
    asset = _uploaded(
        archivist,
        "a.jpg",
        make_image(
            gps=(41.7151, 44.8271),
            taken="2024:05:01 10:30:00",
            camera=("Canon", "Canon EOS R5"),
        ),
    )
    assert asset.camera == "Canon EOS R5"
    assert asset.latitude == pytest.approx(41.7151, abs=1e-4)
    assert asset.longitude == pytest.approx(44.8271, abs=1e-4)
    # No offset in the file: the camera's clock is the office's (Tbilisi, +4).
    assert asset.taken_at.isoformat() == "2024-05-01T06:30:00+00:00"
    assert "canon" in asset.search_text


def test_south_and_west_are_negative(archivist):
    asset = _uploaded(archivist, "a.jpg", make_image(gps=(-33.9, -70.6)))
    assert asset.latitude == pytest.approx(-33.9, abs=1e-4)
    assert asset.longitude == pytest.approx(-70.6, abs=1e-4)


def test_metadata_given_by_the_user_wins(archivist):
    taken = "2024:05:01 10:30:00"
    xmp = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
        'photoshop:Credit="From the file">'
        "<dc:description><rdf:Alt>"
        '<rdf:li xml:lang="en">Caption from the file</rdf:li>'
        '<rdf:li xml:lang="ka">ფაილის წარწერა</rdf:li>'
        "</rdf:Alt></dc:description>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    asset = _uploaded(
        archivist,
        "a.jpg",
        make_image(taken=taken, xmp=xmp),
        caption_en="Typed by the archivist",
        credit="Press office",
    )
    assert asset.caption_en == "Typed by the archivist"
    assert asset.caption_ka == "ფაილის წარწერა"  # was empty: taken from the file
    assert asset.credit == "Press office"
    entry = AuditEntry.objects.get(action="archive.asset.processed")
    assert entry.changes["caption_ka"] == [None, "ფაილის წარწერა"]
    assert "caption_en" not in entry.changes


# --- Video and audio ------------------------------------------------------------------


@needs_ffmpeg
def test_video_gets_a_poster_duration_and_size(archivist, _media, video_bytes):
    asset = _uploaded(archivist, "clip.mp4", video_bytes)
    assert asset.state == Asset.State.READY, asset.failure
    assert asset.kind == "video"
    assert asset.duration_seconds == pytest.approx(2.0, abs=0.1)
    assert (asset.width, asset.height) == (320, 240)
    assert set(asset.renditions) == {"s", "m", "l", "poster"}
    assert _rendition(_media, asset, "poster").size == (320, 240)
    assert _rendition(_media, asset, "s").size == (320, 240)
    assert asset.processing_note == ""


def test_video_without_ffmpeg_is_ready_and_says_what_was_skipped(
    archivist, monkeypatch
):
    monkeypatch.setattr(processing, "tool", lambda name: None)
    data = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00" + b"\x01" * 200
    asset = _uploaded(archivist, "clip.mp4", data)
    assert asset.state == Asset.State.READY
    assert asset.renditions == {}
    assert "ffmpeg" in asset.processing_note
    assert "poster" in asset.processing_note


@needs_ffmpeg
def test_video_with_ffprobe_only_has_a_duration_and_no_poster(
    archivist, monkeypatch, video_bytes
):
    real = processing.tool
    monkeypatch.setattr(
        processing, "tool", lambda name: None if name == "ffmpeg" else real(name)
    )
    asset = _uploaded(archivist, "clip.mp4", video_bytes)
    assert asset.state == Asset.State.READY
    assert asset.duration_seconds == pytest.approx(2.0, abs=0.1)
    assert asset.renditions == {}
    assert "poster" in asset.processing_note


@needs_ffmpeg
def test_audio_duration(archivist):
    asset = _uploaded(archivist, "interview.wav", make_wav(1.0))
    assert (asset.kind, asset.state) == ("audio", Asset.State.READY)
    assert asset.duration_seconds == pytest.approx(1.0, abs=0.05)


def test_audio_without_ffprobe(archivist, monkeypatch):
    monkeypatch.setattr(processing, "tool", lambda name: None)
    asset = _uploaded(archivist, "interview.wav", make_wav(0.2))
    assert asset.state == Asset.State.READY
    assert asset.duration_seconds is None
    assert "ffprobe" in asset.processing_note


def test_document_is_ready_as_it_is(archivist):
    asset = _uploaded(archivist, "guidelines.pdf", b"%PDF-1.4\n%%EOF\n")
    assert (asset.kind, asset.state, asset.renditions) == (
        "document",
        Asset.State.READY,
        {},
    )


# --- Failures -------------------------------------------------------------------------


def test_truncated_image_fails_with_a_reason(archivist, _media):
    data = make_image((800, 600))
    asset = _stored(archivist, data[: len(data) // 2], "photo", "jpg")
    processing.asset_process(asset.pk)
    asset.refresh_from_db()
    assert asset.state == Asset.State.FAILED
    assert "truncated" in asset.failure
    assert asset.renditions == {}
    assert [p for p in stored_files(_media) if "renditions" in p] == []
    entry = AuditEntry.objects.get(action="archive.asset.failed")
    assert entry.changes["state"] == ["processing", "failed"]


def test_bomb_fails_in_the_worker_too(archivist):
    asset = _stored(archivist, bomb_png(30000, 30000), "photo", "png")
    processing.asset_process(asset.pk)
    asset.refresh_from_db()
    assert asset.state == Asset.State.FAILED
    assert "decompression bomb" in asset.failure


def test_garbage_image_fails(archivist):
    asset = _stored(archivist, b"\xff\xd8\xff" + b"\x13" * 300, "photo", "jpg")
    processing.asset_process(asset.pk)
    asset.refresh_from_db()
    assert asset.state == Asset.State.FAILED
    assert asset.failure


@needs_ffmpeg
def test_corrupt_video_fails_in_the_worker(archivist):
    data = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00" + bytes(range(256)) * 20
    asset = _stored(archivist, data, "video", "mp4")
    processing.asset_process(asset.pk)
    asset.refresh_from_db()
    assert asset.state == Asset.State.FAILED
    assert "video cannot be read" in asset.failure


def test_failure_is_said_in_the_uploaders_language(make_user, monkeypatch):
    seen = []
    monkeypatch.setattr(
        processing,
        "_process",
        lambda asset: (
            seen.append(processing.translation.get_language())
            or (_ for _ in ()).throw(processing.ProcessingFailed("x"))
        ),
    )
    user = make_user("hy-archivist", role="Archivist", language="hy")
    asset = _stored(user, make_image(), "photo", "jpg")
    processing.asset_process(asset.pk)
    assert seen == ["hy"]


def test_a_bug_fails_the_asset_instead_of_leaving_it_processing(archivist, monkeypatch):
    def broken(asset):
        raise KeyError("bug")

    monkeypatch.setattr(processing, "_process", broken)
    asset = _stored(archivist, make_image(), "photo", "jpg")
    processing.asset_process(asset.pk)
    asset.refresh_from_db()
    assert asset.state == Asset.State.FAILED
    assert "unexpected" in asset.failure


def test_soft_time_limit_fails_the_asset(archivist, monkeypatch):
    def slow(asset):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(processing, "_process", slow)
    asset = _stored(archivist, make_image(), "photo", "jpg")
    processing.asset_process(asset.pk)
    asset.refresh_from_db()
    assert (asset.state, asset.failure) == (
        Asset.State.FAILED,
        "Processing took too long and was stopped.",
    )


def test_task_limits_stay_below_the_broker_visibility_timeout():
    assert tasks.asset_process.soft_time_limit < tasks.asset_process.time_limit
    assert tasks.asset_process.time_limit < 60 * 60
    assert tasks.asset_process.name == "archive.asset_process"


# --- Idempotence ----------------------------------------------------------------------


def test_task_run_twice_leaves_no_orphans(
    archivist, _media, django_capture_on_commit_callbacks
):
    asset = _uploaded(archivist, "a.jpg", make_image((1500, 1000)))
    before = stored_files(_media)
    processing.asset_process(asset.pk)  # ready: nothing to do
    assert stored_files(_media) == before
    asset.state = Asset.State.PROCESSING
    asset.save(update_fields=["state"])
    old = dict(asset.renditions)
    with django_capture_on_commit_callbacks(execute=True):
        processing.asset_process(asset.pk)  # a redelivery: new files, old ones go
    asset.refresh_from_db()
    assert asset.state == Asset.State.READY
    assert set(asset.renditions) == set(old)
    assert not set(asset.renditions.values()) & set(old.values())
    assert stored_files(_media) == sorted([asset.file.name, *asset.renditions.values()])


def test_files_of_a_run_that_died_go_with_the_asset(
    archivist, _media, django_capture_on_commit_callbacks
):
    asset = _uploaded(archivist, "a.jpg", make_image((400, 300)))
    # A worker killed after storing its files, before writing the row.
    processing._store(asset.pk, {"s": b"orphan", "l": b"orphan"})
    assert len(stored_files(_media)) == 6
    with django_capture_on_commit_callbacks(execute=True):
        services.asset_delete(asset=asset, actor=archivist)
    assert stored_files(_media) == []


def test_a_run_that_lost_the_race_removes_its_own_files(
    archivist, _media, django_capture_on_commit_callbacks, monkeypatch
):
    asset = _stored(archivist, make_image(), "photo", "jpg")
    real = processing._process

    def finished_elsewhere(target):
        outcome = real(target)
        Asset.objects.filter(pk=target.pk).update(state=Asset.State.READY)
        return outcome

    monkeypatch.setattr(processing, "_process", finished_elsewhere)
    with django_capture_on_commit_callbacks(execute=True):
        processing.asset_process(asset.pk)
    assert stored_files(_media) == [asset.file.name]


def test_missing_asset_is_quietly_skipped():
    processing.asset_process(987654)


def test_asset_deleted_while_processing_leaves_no_renditions(
    archivist, _media, monkeypatch, django_capture_on_commit_callbacks
):
    asset = _stored(archivist, make_image(), "photo", "jpg")
    real = processing._process

    def process_then_vanish(target):
        outcome = real(target)
        Asset.objects.filter(pk=target.pk).delete()
        return outcome

    monkeypatch.setattr(processing, "_process", process_then_vanish)
    with django_capture_on_commit_callbacks(execute=True):
        processing.asset_process(asset.pk)
    assert [p for p in stored_files(_media) if "renditions" in p] == []


def test_reprocess_after_installing_ffmpeg(archivist, monkeypatch):
    monkeypatch.setattr(processing, "tool", lambda name: None)
    asset = _uploaded(archivist, "interview.wav", make_wav(0.2))
    assert asset.processing_note
    monkeypatch.undo()
    from django.db import transaction

    with transaction.atomic():
        services.asset_reprocess(asset=asset, actor=archivist)
    processing.asset_process(asset.pk)
    asset.refresh_from_db()
    if processing.tool("ffprobe"):
        assert asset.processing_note == ""
        assert asset.duration_seconds == pytest.approx(0.2, abs=0.05)


# --- Press copies ---------------------------------------------------------------------


def test_press_copy_carries_caption_and_credit(archivist, settings):
    settings.PRAPP_ORGANISATION_NAME = "Public Defender's Office"
    asset = _uploaded(
        archivist,
        "a.jpg",
        make_image((2600, 1800), gps=(41.7, 44.8), camera=("Nikon", "Z 6")),
        title_en="Meeting in Gori",
        caption_ka="სახალხო დამცველი გორში",
        caption_hy="Պաշտպանը Գորիում",
        caption_en="The Public Defender in Gori",
        credit="ნინო ბერიძე",
        rights=Asset.Rights.PRESS,
        tags=["Gori"],
    )
    data = processing.press_copy(asset)
    copy = Image.open(io.BytesIO(data))
    assert copy.format == "JPEG"
    assert copy.size == (2048, 1418)  # rendition "l"

    description = copy.getxmp()["xmpmeta"]["RDF"]["Description"]
    captions = {
        item["lang"]: item["text"] for item in description["description"]["Alt"]["li"]
    }
    assert captions["ka"] == "სახალხო დამცველი გორში"
    assert captions["hy"] == "Պաշտպանը Գորիում"
    assert captions["en"] == "The Public Defender in Gori"
    assert captions["x-default"] == "სახალხო დამცველი გორში"
    assert description["creator"]["Seq"]["li"] == "ნინო ბერიძე"
    assert description["Credit"] == "ნინო ბერიძე, Public Defender's Office"
    assert "ნინო ბერიძე" in description["rights"]["Alt"]["li"][0]["text"]
    assert description["subject"]["Bag"]["li"] == "Gori"

    exif = copy.getexif()
    assert exif[0x010E] == "Sakhalkho damtsveli gorshi"
    assert exif[0x013B] == "Nino Beridze"
    assert exif[0x8298] == "(c) Nino Beridze. Press use."
    assert all(value.isascii() for value in exif.values() if isinstance(value, str))
    # Nothing of the original's metadata goes out with it.
    assert not exif.get_ifd(0x8825)
    assert 0x010F not in exif


def test_press_copy_needs_a_picture(archivist):
    from django.core.exceptions import ValidationError

    asset = _uploaded(archivist, "a.pdf", b"%PDF-1.4\n")
    with pytest.raises(ValidationError):
        processing.press_copy(asset)
