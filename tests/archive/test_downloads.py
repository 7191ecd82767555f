"""Files out of the archive: originals, streams, renditions, press copies, ZIPs."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from archive import zipstream
from archive.models import Asset

from .test_views import cleared, jpeg_bytes, make_album, make_asset

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def archivist(make_user):
    return make_user("archivist", role="Archivist", language="en")


@pytest.fixture
def reader(make_user):
    return make_user("reader", role="Viewer", language="en")


def _url(name, asset, *args):
    return reverse(f"archive:{name}", args=[asset.pk, *args])


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


# --- Originals ---------------------------------------------------------------------


def test_the_original_is_streamed_under_its_own_name(client, archivist):
    content = jpeg_bytes((300, 200))
    asset = make_asset(1, content=content, original_name="სხდომა 2025.jpg")
    client.force_login(archivist)
    response = client.get(_url("asset_original", asset))
    assert response.status_code == 200 and response.streaming
    assert _body(response) == content
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    # RFC 5987: the Georgian name travels percent-encoded as UTF-8.
    assert "filename*=utf-8''%E1%83%A1%E1%83%AE" in disposition
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]


def test_a_reader_is_refused_the_original_and_its_stream(client, reader):
    asset = make_asset(1, **cleared())
    video = make_asset(2, kind="video", content_type="video/mp4")
    client.force_login(reader)
    assert client.get(_url("asset_original", asset)).status_code == 403
    assert client.get(_url("asset_stream", video)).status_code == 403
    # The press copy of a cleared asset stays open to everybody.
    assert client.get(_url("asset_press_copy", asset)).status_code == 200


def test_anonymous_visitors_get_no_file(client):
    asset = make_asset(1, **cleared())
    for url in (
        _url("asset_original", asset),
        _url("rendition", asset, "s"),
        _url("asset_press_copy", asset),
        reverse("archive:album_download", args=[make_album().pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]


def test_a_missing_original_is_not_found(client, archivist):
    asset = make_asset(1)
    default_storage.delete(asset.file.name)
    client.force_login(archivist)
    assert client.get(_url("asset_original", asset)).status_code == 404


def test_the_stream_answers_byte_ranges(client, archivist):
    content = bytes(range(256)) * 40
    video = make_asset(
        1, kind="video", content=content, content_type="video/mp4", renditions=False
    )
    client.force_login(archivist)
    whole = client.get(_url("asset_stream", video))
    assert whole.status_code == 200 and _body(whole) == content
    assert whole["Accept-Ranges"] == "bytes"
    assert "attachment" not in whole.get("Content-Disposition", "")
    part = client.get(_url("asset_stream", video), headers={"range": "bytes=100-199"})
    assert part.status_code == 206
    assert _body(part) == content[100:200]
    assert part["Content-Range"] == f"bytes 100-199/{len(content)}"
    tail = client.get(_url("asset_stream", video), headers={"range": "bytes=-10"})
    assert _body(tail) == content[-10:]
    open_end = client.get(
        _url("asset_stream", video), headers={"range": "bytes=10230-"}
    )
    assert _body(open_end) == content[10230:]
    beyond = client.get(_url("asset_stream", video), headers={"range": "bytes=99999-"})
    assert beyond.status_code == 416
    photo = make_asset(2)
    assert client.get(_url("asset_stream", photo)).status_code == 404


# --- Renditions and press copies ---------------------------------------------------


def test_renditions_are_served_with_private_caching_and_etags(client, reader):
    asset = make_asset(1)
    client.force_login(reader)
    response = client.get(_url("rendition", asset, "s"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"].startswith("private")
    assert "Last-Modified" in response
    with Image.open(io.BytesIO(_body(response))) as image:
        assert image.size == (32, 24)
    again = client.get(
        _url("rendition", asset, "s"), headers={"if-none-match": response["ETag"]}
    )
    assert again.status_code == 304


def test_missing_or_unknown_renditions_are_not_found(client, reader):
    waiting = make_asset(1, renditions=False, state="processing")
    asset = make_asset(2)
    default_storage.delete(asset.renditions["m"])
    client.force_login(reader)
    assert client.get(_url("rendition", waiting, "s")).status_code == 404
    assert client.get(_url("rendition", asset, "poster")).status_code == 404
    assert client.get(_url("rendition", asset, "xl")).status_code == 404
    assert client.get(_url("rendition", asset, "m")).status_code == 404
    assert client.get(reverse("archive:rendition", args=[999, "s"])).status_code == 404


def test_the_press_copy_carries_caption_and_credit(client, reader):
    asset = make_asset(
        1,
        original_name="სხდომა.png",
        caption_en="The council in session",
        credit="Nino Beridze",
        **cleared(),
    )
    client.force_login(reader)
    response = client.get(_url("asset_press_copy", asset))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert ".jpg" in response["Content-Disposition"]
    with Image.open(io.BytesIO(response.content)) as image:
        assert image.format == "JPEG"
        xmp = image.info.get("xmp", b"")
    assert b"The council in session" in xmp and b"Nino Beridze" in xmp


@pytest.mark.parametrize(
    "fields",
    [
        {"rights": Asset.Rights.INTERNAL},
        {"consent": Asset.Consent.REFUSED},
        {"consent": Asset.Consent.PENDING},
        {"state": Asset.State.PROCESSING},
        {"licence_expires": timezone.localdate() - timedelta(days=1)},
    ],
)
def test_no_press_copy_unless_cleared(client, archivist, fields):
    asset = make_asset(1, **cleared(**fields))
    client.force_login(archivist)
    assert client.get(_url("asset_press_copy", asset)).status_code == 404


# --- Album ZIPs --------------------------------------------------------------------


def _zip(response) -> zipfile.ZipFile:
    assert isinstance(response, StreamingHttpResponse)
    chunks = list(response.streaming_content)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    assert archive.testzip() is None
    return archive


def test_the_album_zip_is_streamed_with_originals_and_safe_unique_names(
    client, archivist
):
    album = make_album("ქალაქის დღე")
    contents = [jpeg_bytes(colour=(n * 40, 0, 0)) for n in range(4)]
    names = ["ფოტო.jpg", "ფოტო.jpg", "../../etc/passwd", "ФОТО.JPG"]
    for n, (name, content) in enumerate(zip(names, contents, strict=True)):
        make_asset(
            n,
            original_name=name,
            content=content,
            albums=[album],
            uploaded_at=timezone.now() - timedelta(minutes=10 - n),
        )
    make_asset(9, original_name="elsewhere.jpg")  # not in the album
    client.force_login(archivist)
    response = client.get(reverse("archive:album_download", args=[album.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert "Content-Length" not in response
    archive = _zip(response)
    assert archive.namelist() == ["ფოტო.jpg", "ფოტო (2).jpg", "passwd", "ФОТО.JPG"]
    for name, content in zip(archive.namelist(), contents, strict=True):
        assert archive.read(name) == content


def test_without_the_originals_right_the_zip_holds_press_copies_of_cleared_assets(
    client, reader
):
    album = make_album()
    make_asset(1, original_name="მიღება.png", albums=[album], **cleared())
    make_asset(2, original_name="secret.jpg", albums=[album])  # internal use only
    make_asset(
        3,
        original_name="refused.jpg",
        albums=[album],
        **cleared(consent=Asset.Consent.REFUSED),
    )
    client.force_login(reader)
    archive = _zip(client.get(reverse("archive:album_download", args=[album.pk])))
    assert archive.namelist() == ["მიღება.jpg"]
    with Image.open(io.BytesIO(archive.read("მიღება.jpg"))) as image:
        assert image.format == "JPEG"


def test_an_empty_album_gives_an_empty_but_valid_zip(client, archivist):
    album = make_album()
    client.force_login(archivist)
    archive = _zip(client.get(reverse("archive:album_download", args=[album.pk])))
    assert archive.namelist() == []


def test_a_file_gone_from_storage_is_left_out_of_the_zip(client, archivist):
    album = make_album()
    kept = make_asset(1, original_name="kept.jpg", albums=[album])
    gone = make_asset(2, original_name="gone.jpg", albums=[album])
    default_storage.delete(gone.file.name)
    client.force_login(archivist)
    archive = _zip(client.get(reverse("archive:album_download", args=[album.pk])))
    assert archive.namelist() == ["kept.jpg"]
    assert archive.read("kept.jpg") == kept.file.open("rb").read()


# --- The ZIP writer itself ---------------------------------------------------------


def test_the_zip_stream_hands_on_bounded_chunks(monkeypatch):
    monkeypatch.setattr(zipstream, "CHUNK_SIZE", 64 * 1024)
    big = bytes(range(256)) * 4096  # 1 MiB
    pieces = [big[i : i + 16 * 1024] for i in range(0, len(big), 16 * 1024)]
    members = [
        zipstream.ZipMember(name="big.bin", chunks=lambda: iter(pieces), size=len(big)),
        zipstream.ZipMember(name="small.txt", chunks=lambda: [b"hello"]),
    ]
    chunks = list(zipstream.zip_stream(members))
    # Many chunks, none much larger than CHUNK_SIZE plus one read.
    assert len(chunks) > 10
    assert max(len(chunk) for chunk in chunks) <= 64 * 1024 + 16 * 1024 + 512
    archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    assert archive.read("big.bin") == big and archive.read("small.txt") == b"hello"


def test_zip_member_names_are_cleaned_and_made_unique():
    book = zipstream.NameBook()
    assert book.claim("a.jpg") == "a.jpg"
    assert book.claim("A.JPG") == "A (2).JPG"
    assert book.claim("a.jpg") == "a (3).jpg"
    assert book.claim("/etc/passwd") == "passwd"
    assert book.claim("..\\..\\boot.ini") == "boot.ini"
    assert book.claim("../") == "file"
    assert book.claim("a:b*c?.txt") == "a_b_c_.txt"
    assert book.claim("photo\u202egpj.exe") == "photogpj.exe"
    assert book.claim("\x00\x01") == "file (2)"
    assert book.claim(".hidden") == "hidden"
    long = book.claim("ა" * 300 + ".jpg")
    assert long.endswith(".jpg") and len(long) <= 150
    assert book.claim("README") == "README"
    assert book.claim("readme") == "readme (2)"


def test_file_chunks_open_late_and_close(tmp_path):
    path = tmp_path / "x.bin"
    path.write_bytes(b"abc" * 10)
    handles = []

    def opener():
        handle = open(path, "rb")  # noqa: SIM115 - closed by the reader
        handles.append(handle)
        return handle

    read = zipstream.file_chunks(opener, size=7)
    assert handles == []
    assert b"".join(read()) == b"abc" * 10
    assert handles[0].closed


def test_old_dates_do_not_break_the_zip():
    moment = timezone.now().replace(year=1970)
    member = zipstream.ZipMember(name="old.txt", chunks=lambda: [b"x"], modified=moment)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(zipstream.zip_stream([member]))))
    assert archive.getinfo("old.txt").date_time[0] == 1980
