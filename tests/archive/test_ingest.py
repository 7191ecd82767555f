"""Uploads: type by content, limits, bombs, bad files and names, streaming."""

import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from PIL import Image

from archive import services
from archive.models import Asset
from archive.uploads import (
    HashingUploadHandler,
    identify,
    safe_display_name,
    use_hashing_handler,
)
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


def _refusal(exc_info) -> str:
    return " ".join(exc_info.value.messages)


def _nothing_stored(media) -> None:
    assert Asset.objects.count() == 0
    assert stored_files(media) == []
    assert not AuditEntry.objects.filter(action__startswith="archive.").exists()


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "mimetype",
            "application/vnd.oasis.opendocument.text",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def _ole(stream_name: str) -> bytes:
    """A minimal OLE2 compound file whose directory holds one stream name."""
    import struct

    sector = 512
    header = bytearray(sector)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HH", header, 24, 0x3E, 3)
    struct.pack_into("<HH", header, 28, 0xFFFE, 9)
    struct.pack_into("<I", header, 44, 1)  # one FAT sector
    struct.pack_into("<I", header, 48, 1)  # directory starts at sector 1
    difat = [0] + [0xFFFFFFFF] * 108
    struct.pack_into("<109I", header, 76, *difat)
    fat = [0xFFFFFFFD, 0xFFFFFFFE] + [0xFFFFFFFF] * 126
    directory = bytearray(sector)
    for index, name in enumerate(["Root Entry", stream_name]):
        raw = name.encode("utf-16-le") + b"\x00\x00"
        entry = index * 128
        directory[entry : entry + len(raw)] = raw
        struct.pack_into("<H", directory, entry + 64, len(raw))
    return bytes(header) + struct.pack("<128I", *fat) + bytes(directory)


# --- Type by content ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "kind", "extension"),
    [
        (make_image(format="JPEG"), "a.jpg", "photo", "jpg"),
        (make_image(format="PNG"), "a.png", "photo", "png"),
        (make_image(format="GIF", mode="P"), "a.gif", "photo", "gif"),
        (make_image(format="WEBP"), "a.webp", "photo", "webp"),
        (make_image(format="TIFF"), "a.tiff", "photo", "tif"),
        (make_wav(0.1), "a.wav", "audio", "wav"),
        (b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 100, "a.mp3", "audio", "mp3"),
        (b"fLaC\x00\x00\x00\x22" + b"\x00" * 60, "a.flac", "audio", "flac"),
        (b"OggS\x00\x02" + b"\x00" * 60, "a.ogg", "audio", "ogg"),
        (
            b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00" + b"\x00" * 40,
            "a",
            "audio",
            "m4a",
        ),
        (
            b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00" + b"\x00" * 40,
            "a",
            "video",
            "mp4",
        ),
        (
            b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00" + b"\x00" * 40,
            "a",
            "video",
            "mov",
        ),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x82\x84webm" + b"\x00" * 40, "a", "video", "webm"),
        (
            b"\x1a\x45\xdf\xa3\x9f\x42\x82\x88matroska" + b"\x00" * 40,
            "a",
            "video",
            "mkv",
        ),
        (b"RIFF\x00\x00\x00\x00AVI LIST" + b"\x00" * 40, "a", "video", "avi"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a.pdf", "document", "pdf"),
        (_docx(), "a.docx", "document", "docx"),
        (_odt(), "a.odt", "document", "odt"),
        (_ole("WordDocument"), "a.doc", "document", "doc"),
        (_ole("Workbook"), "a.xls", "document", "xls"),
        ("გამოსვლის ტექსტი\n".encode(), "speech.txt", "document", "txt"),
    ],
)
def test_type_is_read_from_the_content(data, name, kind, extension):
    found = identify(io.BytesIO(data), name)
    assert (found.kind, found.extension) == (kind, extension)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "logo.svg", "not accepted"),
        (b"<html><script>alert(1)</script>", "page.txt.html", "not accepted"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "setup.jpg", "not accepted"),
        (b"just words", "notes.jpg", "not accepted"),  # text needs a text name
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", "IMG_1.HEIC", "HEIC"),
        (b"PK\x03\x04" + b"\x00" * 40, "a.docx", "damaged ZIP"),
        (_ole("Something"), "a.doc", "old Office"),
    ],
)
def test_refused_types(data, name, message):
    with pytest.raises(Exception, match=message):
        identify(io.BytesIO(data), name)


def test_plain_zip_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photos/a.jpg", b"x")
    with pytest.raises(Exception, match="ZIP archives are not accepted"):
        identify(buffer, "photos.zip")


def test_wrong_extension_is_stored_with_the_right_one(archivist, _media):
    result = services.asset_upload(
        file=upload("holiday.pdf", make_image(format="PNG")), actor=archivist
    )
    asset = result.asset
    assert (asset.kind, asset.extension, asset.content_type) == (
        "photo",
        "png",
        "image/png",
    )
    assert asset.file.name.endswith(".png")
    assert asset.original_name == "holiday.png"
    assert "holiday" not in asset.file.name  # stored under a random name


def test_same_type_other_spelling_keeps_its_name(archivist):
    asset = services.asset_upload(
        file=upload("IMG_0001.JPEG", make_image()), actor=archivist
    ).asset
    assert asset.original_name == "IMG_0001.JPEG"
    assert asset.file.name.endswith(".jpg")


def test_zero_bytes_are_refused(archivist, _media):
    with pytest.raises(ValidationError) as refused:
        services.asset_upload(file=upload("empty.jpg", b""), actor=archivist)
    assert "empty" in _refusal(refused)
    _nothing_stored(_media)


def test_type_not_allowed_is_refused(archivist, _media):
    with pytest.raises(ValidationError) as refused:
        services.asset_upload(
            file=upload("tool.jpg", b"\x7fELF\x02\x01\x01" + b"\x00" * 100),
            actor=archivist,
        )
    assert "not accepted" in _refusal(refused)
    _nothing_stored(_media)


# --- Names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "extension", "expected"),
    [
        ("../../etc/passwd.jpg", "jpg", "passwd.jpg"),
        ("/var/www/photo.jpg", "jpg", "photo.jpg"),
        ("C:\\Users\\nino\\photo.jpg", "jpg", "photo.jpg"),
        ("pho\x00to.jpg", "jpg", "photo.jpg"),
        ("invoice\u202egpj.exe", "jpg", "invoicegpj.exe.jpg"),
        ("\u2067evil\u2069.png", "png", "evil.png"),
        ("...", "jpg", "file.jpg"),
        ("", "pdf", "file.pdf"),
        (".htaccess", "txt", "htaccess.txt"),
        ("report.final", "pdf", "report.final.pdf"),
        ("ფოტო  შეხვედრიდან.JPG", "jpg", "ფოტო შეხვედრიდან.JPG"),
    ],
)
def test_safe_display_name(name, extension, expected):
    assert safe_display_name(name, extension) == expected


def test_very_long_name_is_shortened_keeping_the_extension():
    name = safe_display_name("ა" * 1000 + ".jpg", "jpg")
    assert len(name) <= 200
    assert name.endswith(".jpg")


def test_path_trick_upload_keeps_only_a_clean_basename(archivist, _media):
    asset = services.asset_upload(
        file=upload("../../../tmp/x\u202egnp.jpg", make_image()), actor=archivist
    ).asset
    assert asset.original_name == "xgnp.jpg"
    assert asset.file.name.startswith("archive/originals/")
    assert all(path.startswith("archive/") for path in stored_files(_media))


# --- Images: bombs, damage ------------------------------------------------------------


def test_decompression_bomb_is_refused_at_upload(archivist, _media):
    data = bomb_png(30000, 30000)
    assert len(data) < 100_000
    with pytest.raises(ValidationError) as refused:
        services.asset_upload(file=upload("bomb.png", data), actor=archivist)
    assert "decompression bomb" in _refusal(refused)
    _nothing_stored(_media)


def test_bomb_between_the_limit_and_twice_it_is_refused(archivist, settings, _media):
    # Pillow only warns below twice MAX_IMAGE_PIXELS; the warning is an error here.
    settings.ARCHIVE_MAX_IMAGE_PIXELS = 1_000_000
    with pytest.raises(ValidationError) as refused:
        services.asset_upload(
            file=upload("big.png", bomb_png(1200, 1200)), actor=archivist
        )
    assert "decompression bomb" in _refusal(refused)
    _nothing_stored(_media)


def test_truncated_jpeg_is_refused(archivist, _media):
    data = make_image((800, 600))
    with pytest.raises(ValidationError) as refused:
        services.asset_upload(
            file=upload("cut.jpg", data[: len(data) // 2]), actor=archivist
        )
    assert "truncated" in _refusal(refused)
    _nothing_stored(_media)


def test_truncated_png_is_refused(archivist, _media):
    data = make_image((400, 300), format="PNG")
    with pytest.raises(ValidationError):
        services.asset_upload(
            file=upload("cut.png", data[: len(data) - 40]), actor=archivist
        )
    _nothing_stored(_media)


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xd8\xff\xe0" + b"\x00" * 500,  # a JPEG signature and nothing else
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,  # a PNG with no IHDR
        b"GIF89a\xff\xff",  # a GIF header cut in the middle
        b"RIFF\x10\x00\x00\x00WEBPVP8 garbage",
    ],
)
def test_malformed_images_are_refused(archivist, _media, data):
    with pytest.raises(ValidationError) as refused:
        services.asset_upload(file=upload("bad.jpg", data), actor=archivist)
    assert "image" in _refusal(refused).lower()
    _nothing_stored(_media)


# --- Limits --------------------------------------------------------------------------


def test_size_limit_per_kind(archivist, settings, _media):
    settings.ARCHIVE_MAX_MB_PHOTO = 1
    settings.ARCHIVE_MAX_MB_DOCUMENT = 5
    buffer = io.BytesIO()
    Image.effect_noise((1500, 1500), 80).save(buffer, "JPEG", quality=100)
    photo = buffer.getvalue()
    assert len(photo) > 1024 * 1024
    with pytest.raises(ValidationError) as refused:
        services.asset_upload(file=upload("big.jpg", photo), actor=archivist)
    assert "1 MB" in _refusal(refused)
    _nothing_stored(_media)
    # The same number of bytes is fine as a document.
    pdf = b"%PDF-1.4\n" + b"0" * len(photo)
    assert services.asset_upload(file=upload("big.pdf", pdf), actor=archivist)


def test_permission_is_required(viewer, _media):
    with pytest.raises(PermissionDenied):
        services.asset_upload(file=upload("a.jpg", make_image()), actor=viewer)
    _nothing_stored(_media)


# --- Duplicates, audit, dispatch ------------------------------------------------------


def test_duplicate_is_a_warning(archivist, django_capture_on_commit_callbacks):
    data = make_image()
    first = services.asset_upload(file=upload("a.jpg", data), actor=archivist)
    assert first.duplicates == []
    second = services.asset_upload(file=upload("b.jpg", data), actor=archivist)
    assert second.duplicates == [first.asset]
    assert second.asset.sha256 == hashlib.sha256(data).hexdigest()
    entry = AuditEntry.objects.filter(action="archive.asset.created").latest("pk")
    assert entry.changes["duplicate_of"] == [None, [first.asset.pk]]


def test_upload_stores_data_audits_and_enqueues_on_commit(
    archivist, django_capture_on_commit_callbacks, monkeypatch
):
    from archive import tasks

    sent = []
    monkeypatch.setattr(tasks.asset_process, "delay", sent.append)
    with django_capture_on_commit_callbacks(execute=True):
        asset = services.asset_upload(
            file=upload("a.jpg", make_image()),
            actor=archivist,
            data={
                "title_ka": "შეხვედრა მოქალაქეებთან",
                "credit": "ნინო ბერიძე",
                "rights": Asset.Rights.PRESS,
                "tags": ["მოქალაქეები", "Gori"],
            },
        ).asset
        assert sent == []  # not before the commit
    assert sent == [asset.pk]
    asset.refresh_from_db()
    assert asset.state == Asset.State.PROCESSING
    assert asset.uploaded_by == archivist
    assert asset.rights == Asset.Rights.PRESS
    assert sorted(tag.slug for tag in asset.tags.all()) == ["gori", "mokalakeebi"]
    # Found in Latin letters, tags included.
    assert "shekhvedra" in asset.search_text and "mokalakeebi" in asset.search_text
    entry = AuditEntry.objects.get(action="archive.asset.created")
    assert entry.actor == archivist
    assert entry.changes["credit"] == [None, "ნინო ბერიძე"]


def test_invalid_data_leaves_nothing(archivist, _media):
    with pytest.raises(ValidationError):
        services.asset_upload(
            file=upload("a.jpg", make_image()),
            actor=archivist,
            data={"rights": "everyone"},
        )
    _nothing_stored(_media)


def test_failure_after_the_file_is_saved_leaves_no_file_and_no_row(
    archivist, _media, monkeypatch
):
    saved = []
    original_save = Asset.save

    def save_then_fail(self, *args, **kwargs):
        saved.append(self.file.name)
        assert (_media / self.file.name).exists()  # the file is there by now
        original_save(self, *args, **kwargs)
        raise RuntimeError("the disk is gone")

    monkeypatch.setattr(Asset, "save", save_then_fail)
    with pytest.raises(RuntimeError):
        services.asset_upload(file=upload("a.jpg", make_image()), actor=archivist)
    assert saved
    monkeypatch.undo()
    _nothing_stored(_media)


def test_failure_in_the_audit_leaves_nothing(archivist, _media, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(services, "audit_record", broken)
    with pytest.raises(RuntimeError):
        services.asset_upload(file=upload("a.jpg", make_image()), actor=archivist)
    monkeypatch.undo()
    _nothing_stored(_media)


# --- Video and audio at upload ------------------------------------------------------


@needs_ffmpeg
def test_corrupt_video_is_refused_at_upload(archivist, _media):
    data = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 40
    with pytest.raises(ValidationError) as refused:
        services.asset_upload(file=upload("clip.mp4", data), actor=archivist)
    assert "video cannot be read" in _refusal(refused)
    _nothing_stored(_media)


@needs_ffmpeg
def test_truncated_video_is_refused_at_upload(archivist, _media, video_bytes):
    cut = video_bytes[: len(video_bytes) // 2]  # the index (moov) is at the end
    with pytest.raises(ValidationError) as refused:
        services.asset_upload(file=upload("clip.mp4", cut), actor=archivist)
    assert "video cannot be read" in _refusal(refused)
    _nothing_stored(_media)


@needs_ffmpeg
def test_video_with_a_wrong_name_is_stored_as_video(archivist, video_bytes):
    asset = services.asset_upload(
        file=upload("speech.mp3", video_bytes), actor=archivist
    ).asset
    assert (asset.kind, asset.extension, asset.original_name) == (
        "video",
        "mp4",
        "speech.mp4",
    )


def test_corrupt_video_is_accepted_without_ffprobe(archivist, monkeypatch):
    """Without ffprobe the upload cannot tell: the worker says what it skipped."""
    from archive import processing

    monkeypatch.setattr(processing, "tool", lambda name: None)
    data = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00" + b"\x01" * 200
    asset = services.asset_upload(file=upload("clip.mp4", data), actor=archivist).asset
    assert asset.kind == "video"


# --- The streaming upload handler -----------------------------------------------------


def _request_with_file(name: str, data: bytes):
    request = RequestFactory().post("/archive/upload/", {"file": upload(name, data)})
    use_hashing_handler(request)
    return request


def test_handler_streams_to_disk_and_hashes(archivist, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    data = make_image((1200, 900))
    request = _request_with_file("a.jpg", data)
    assert isinstance(request.upload_handlers[0], HashingUploadHandler)
    received = request.FILES["file"]
    assert hasattr(received, "temporary_file_path")  # on disk, not in memory
    assert received.sha256 == hashlib.sha256(data).hexdigest()
    assert received.size == len(data)
    temporary = received.temporary_file_path()
    asset = services.asset_upload(file=received, actor=archivist).asset
    assert asset.sha256 == received.sha256
    assert asset.size == len(data)
    with asset.file.open("rb") as stored:
        assert stored.read() == data
    received.close()
    del temporary


def test_handler_stops_writing_past_the_limit_and_the_service_refuses(
    archivist, settings, _media
):
    settings.ARCHIVE_MAX_MB_PHOTO = 1
    data = b"\xff\xd8\xff\xe0" + b"\x00" * (3 * 1024 * 1024)
    request = _request_with_file("huge.jpg", data)
    received = request.FILES["file"]
    on_disk = len(open(received.temporary_file_path(), "rb").read())  # noqa: SIM115
    assert on_disk <= 1024 * 1024 + 2 * 65536
    assert received.size == len(data)
    assert received.sha256 == hashlib.sha256(data).hexdigest()
    with pytest.raises(ValidationError) as refused:
        services.asset_upload(file=received, actor=archivist)
    assert "1 MB" in _refusal(refused)
    _nothing_stored(_media)
