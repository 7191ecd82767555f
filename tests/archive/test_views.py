"""The archive's staff pages: grid, upload, asset page, albums, appearances, storage."""

import io
import os
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from archive import services
from archive.models import Album, ArchiveTag, Asset, MediaAppearance
from contacts.models import Organisation
from events.models import EventAttachment
from prapp.models import AuditEntry
from tests.contacts.factories import PersonFactory
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("archive:index")
UPLOAD = reverse("archive:upload")
BULK = reverse("archive:assets_bulk")


# --- Helpers (the other archive UI tests import them) ------------------------------


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def archivist(make_user):
    return make_user("archivist", role="Archivist", language="en")


@pytest.fixture
def editor(make_user):
    return make_user("editor", role="Editor", language="en")


@pytest.fixture
def reader(make_user):
    """The Viewer role, with English pages."""
    return make_user("reader", role="Viewer", language="en")


def jpeg_bytes(size=(64, 48), colour=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def make_asset(
    n: int = 0,
    *,
    renditions: bool = True,
    content: bytes | None = None,
    tags=(),
    albums=(),
    **fields,
) -> Asset:
    """An asset as processing leaves it: a stored original and its renditions."""
    content = jpeg_bytes() if content is None else content
    defaults = {
        "kind": Asset.Kind.PHOTO,
        "state": Asset.State.READY,
        "original_name": f"photo-{n}.jpg",
        "extension": "jpg",
        "content_type": "image/jpeg",
        "size": len(content),
        "sha256": f"{n:064d}",
        "title_ka": f"ფოტო {n}",
        "title_en": f"Photo {n}",
        "uploaded_at": timezone.now() - timedelta(minutes=n),
    }
    defaults.update(fields)
    asset = Asset(**defaults)
    asset.file.save(defaults["original_name"], ContentFile(content), save=False)
    asset.save()
    if renditions:
        asset.renditions = {
            size: default_storage.save(
                f"archive/test-renditions/{asset.pk}/{size}.jpg",
                ContentFile(jpeg_bytes((32, 24) if size == "s" else (128, 96))),
            )
            for size in ("s", "m", "l")
        }
    if tags:
        asset.tags.set(services.tags_get_or_create(tags))
    if albums:
        asset.albums.set(albums)
    asset.search_text = services.asset_search_text(asset)
    asset.save()
    return asset


def cleared(**fields) -> dict:
    """The fields of an asset cleared for the press."""
    return {
        "rights": Asset.Rights.PRESS,
        "consent": Asset.Consent.OBTAINED,
        "state": Asset.State.READY,
        **fields,
    }


def make_album(title="ქალაქის დღე", **fields) -> Album:
    album = Album.objects.create(title_ka=title, **fields)
    album.search_text = services.album_search_text(album)
    album.save(update_fields=["search_text"])
    return album


def _detail(asset, name="asset_detail"):
    return reverse(f"archive:{name}", args=[asset.pk])


def _snapshot():
    return (
        list(Asset.objects.order_by("pk").values()),
        list(Album.objects.order_by("pk").values()),
        list(MediaAppearance.objects.order_by("pk").values()),
        list(Asset.tags.through.objects.order_by("pk").values()),
        list(Asset.albums.through.objects.order_by("pk").values()),
        AuditEntry.objects.count(),
    )


# --- The grid ----------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login(client):
    asset = make_asset()
    for url in (INDEX, UPLOAD, _detail(asset), reverse("archive:album_list")):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]
    before = _snapshot()
    response = client.post(BULK, {"assets": [asset.pk], "rights": "public"})
    assert response.status_code == 302 and "/login" in response["Location"]
    assert _snapshot() == before


def test_the_grid_shows_thumbnails_titles_and_states(client, reader):
    ready = make_asset(1)
    processing = make_asset(
        2, renditions=False, state=Asset.State.PROCESSING, title_en="Council session"
    )
    failed = make_asset(3, renditions=False, state=Asset.State.FAILED)
    client.force_login(reader)
    page = client.get(INDEX).text
    assert reverse("archive:rendition", args=[ready.pk, "s"]) in page
    assert 'alt="Photo 1"' in page
    assert "Council session" in page
    assert f'id="asset-{processing.pk}"' in page and 'data-state="processing"' in page
    assert f'id="asset-{failed.pk}"' in page and 'data-state="failed"' in page
    assert 'data-archive-count="3"' in page
    # A reader gets no bulk form and no upload button.
    assert 'id="bulk-form"' not in page and UPLOAD not in page.split("<main")[1]


def test_the_empty_archive_says_so(client, reader):
    client.force_login(reader)
    page = client.get(INDEX).text
    assert "The archive is empty." in page
    assert "No asset matches this filter." in client.get(INDEX, {"q": "x"}).text


def test_the_grid_filters(client, reader):
    event = EventFactory()
    album = make_album()
    photo = make_asset(1, credit="Nino Beridze", tags=["საბჭო"], albums=[album])
    video = make_asset(
        2,
        kind=Asset.Kind.VIDEO,
        event=event,
        rights=Asset.Rights.PUBLIC,
        taken_at=timezone.now() - timedelta(days=400),
    )
    client.force_login(reader)

    def shown(**params):
        page = client.get(INDEX, params).text
        return {a.pk for a in (photo, video) if f'id="asset-{a.pk}"' in page}

    tag = ArchiveTag.objects.get()
    assert shown() == {photo.pk, video.pk}
    assert shown(kind="video") == {video.pk}
    assert shown(event=event.pk) == {video.pk}
    assert shown(album=album.pk) == {photo.pk}
    assert shown(tag=tag.pk) == {photo.pk}
    assert shown(rights="public") == {video.pk}
    assert shown(credit="beridze") == {photo.pk}
    year_ago = (timezone.localdate() - timedelta(days=365)).isoformat()
    assert shown(date_by="taken", date_to=year_ago) == {video.pk}
    assert shown(date_from=year_ago) == {photo.pk, video.pk}


def test_search_finds_georgian_titles_typed_in_latin_letters(client, reader):
    found = make_asset(1, title_ka="თბილისის საკრებულოს სხდომა", title_en="")
    make_asset(2, title_ka="ბათუმის ფესტივალი", title_en="")
    client.force_login(reader)
    page = client.get(INDEX, {"q": "tbilisis sakrebulo"}).text
    assert f'id="asset-{found.pk}"' in page
    assert page.count('class="archive-tile"') == 1


def test_the_grid_pages_by_keyset_with_the_filter_kept(client, reader):
    now = timezone.now()
    for n in range(60):
        make_asset(n, renditions=False, uploaded_at=now - timedelta(seconds=n))
    client.force_login(reader)
    first = client.get(INDEX, {"kind": "photo"})
    assert first.text.count('class="archive-tile"') == 48
    older = first.context["page"].next_cursor
    assert f"kind=photo&amp;after={older}" in first.text
    second = client.get(INDEX, {"kind": "photo", "after": older}).text
    assert second.count('class="archive-tile"') == 12
    assert "data-pager-newer" in second


@pytest.mark.parametrize("count", [5, 48])
def test_the_grid_costs_a_fixed_number_of_queries(
    client, archivist, count, django_assert_num_queries
):
    album = make_album()
    event = EventFactory()
    for n in range(count):
        make_asset(n, albums=[album], event=event, tags=["ზეიმი"])
    client.force_login(archivist)
    client.get(INDEX)  # warm the content-type and permission caches
    # session, user, permissions (2); filter choices: events, albums, tags; the
    # page's tiles; the capped count; the bulk form's events
    with django_assert_num_queries(10):
        response = client.get(INDEX)
    assert response.text.count('name="assets"') == count


def test_the_bulk_form_changes_the_ticked_assets(client, archivist):
    album = make_album()
    event = EventFactory()
    first, second, untouched = make_asset(1), make_asset(2), make_asset(3)
    client.force_login(archivist)
    response = client.post(
        BULK,
        {
            "assets": [first.pk, second.pk],
            "rights": "press",
            "consent": "obtained",
            "credit": "ნინო ბერიძე",
            "event": event.pk,
            "add_tag": "საბჭო, ქალაქი",
            "add_to_album": album.pk,
            "next": f"{INDEX}?kind=photo",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"{INDEX}?kind=photo"
    for asset in (first, second):
        asset.refresh_from_db()
        assert asset.rights == "press" and asset.consent == "obtained"
        assert asset.credit == "ნინო ბერიძე" and asset.event == event
        assert sorted(t.name for t in asset.tags.all()) == ["საბჭო", "ქალაქი"]
        assert list(asset.albums.all()) == [album]
    untouched.refresh_from_db()
    assert untouched.rights == "internal" and not untouched.albums.exists()
    client.post(BULK, {"assets": [first.pk], "remove_from_album": album.pk})
    assert list(album.assets.all()) == [second]


def test_the_bulk_form_needs_ticks_and_a_change(client, archivist):
    asset = make_asset()
    client.force_login(archivist)
    before = _snapshot()
    response = client.post(BULK, {"rights": "press"}, follow=True)
    assert "Tick at least one asset in the grid." in response.text
    response = client.post(BULK, {"assets": [asset.pk]}, follow=True)
    assert "Choose what to change." in response.text
    assert _snapshot() == before


def test_a_reader_cannot_change_assets_in_bulk(client, reader):
    asset = make_asset()
    client.force_login(reader)
    before = _snapshot()
    assert (
        client.post(BULK, {"assets": [asset.pk], "rights": "public"}).status_code == 403
    )
    assert _snapshot() == before


# --- Upload ------------------------------------------------------------------------


def _upload(client, name, content, **data):
    return client.post(
        UPLOAD,
        {"files": SimpleUploadedFile(name, content), "rights": "internal", **data},
        headers={"accept": "application/json"},
    )


def test_the_upload_page_renders_its_form_and_drop_zone(client, archivist):
    client.force_login(archivist)
    page = client.get(UPLOAD).text
    assert 'type="file"' in page and "multiple" in page
    assert "data-drop-zone" in page and "archive/upload.js" in page
    assert 'enctype="multipart/form-data"' in page


def test_a_good_file_uploads_and_answers_json(client, archivist):
    album = make_album()
    event = EventFactory()
    client.force_login(archivist)
    response = _upload(
        client,
        "საკრებულო.jpg",
        jpeg_bytes(),
        album=album.pk,
        event=event.pk,
        rights="press",
        credit="ნინო",
    )
    assert response.status_code == 200
    body = response.json()
    asset = Asset.objects.get()
    assert body == {
        "ok": True,
        "url": asset.get_absolute_url(),
        "title": str(asset),
        "duplicates": [],
        "error": "",
    }
    assert asset.original_name == "საკრებულო.jpg"
    assert asset.uploaded_by == archivist and asset.state == "processing"
    assert asset.rights == "press" and asset.credit == "ნინო"
    assert asset.event == event and list(asset.albums.all()) == [album]
    assert len(asset.sha256) == 64


def test_a_duplicate_upload_is_a_warning_with_a_link(client, archivist):
    client.force_login(archivist)
    content = jpeg_bytes(colour=(1, 2, 3))
    first = _upload(client, "a.jpg", content).json()
    second = _upload(client, "b.jpg", content).json()
    assert second["ok"] is True
    assert second["duplicates"] == [{"url": first["url"], "title": first["title"]}]
    assert Asset.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("broken.jpg", b"\xff\xd8\xff\xe0" + b"\x00garbage" * 20),
        ("empty.jpg", b""),
        ("program.exe", b"MZ\x90\x00" + b"\x00" * 200),
    ],
)
def test_a_bad_file_is_refused_with_a_message_and_leaves_nothing(
    client, archivist, tmp_path, name, content
):
    client.force_login(archivist)
    response = _upload(client, name, content)
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False and body["error"]
    assert Asset.objects.count() == 0
    originals = tmp_path / "archive" / "originals"
    assert not originals.exists() or not any(p.is_file() for p in originals.rglob("*"))


def test_without_javascript_the_form_posts_every_file_and_lists_results(
    client, archivist
):
    client.force_login(archivist)
    response = client.post(
        UPLOAD,
        {
            "files": [
                SimpleUploadedFile("one.jpg", jpeg_bytes(colour=(9, 9, 9))),
                SimpleUploadedFile("two.jpg", b""),
            ],
            "rights": "internal",
        },
    )
    assert response.status_code == 200
    page = response.text
    asset = Asset.objects.get()
    assert asset.get_absolute_url() in page
    assert "archive-upload-failed" in page and "two.jpg" in page
    assert "1 file was uploaded" in page


def test_the_upload_checks_the_csrf_token_itself(archivist):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(archivist)
    refused = browser.post(
        UPLOAD, {"files": SimpleUploadedFile("a.jpg", jpeg_bytes()), "rights": "press"}
    )
    assert refused.status_code == 403 and Asset.objects.count() == 0
    browser.get(UPLOAD)
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(
        UPLOAD,
        {"files": SimpleUploadedFile("a.jpg", jpeg_bytes()), "rights": "press"},
        headers={"accept": "application/json", "x-csrftoken": token},
    )
    assert accepted.status_code == 200 and accepted.json()["ok"] is True


def test_a_reader_cannot_upload(client, reader):
    client.force_login(reader)
    assert client.get(UPLOAD).status_code == 403
    assert _upload(client, "a.jpg", jpeg_bytes()).status_code == 403
    assert Asset.objects.count() == 0


# --- One asset ---------------------------------------------------------------------


def test_the_asset_page_shows_preview_metadata_and_downloads(client, archivist):
    event = EventFactory()
    album = make_album()
    asset = make_asset(
        1,
        caption_en="The mayor opens the session",
        place="თბილისი",
        credit="ნინო ბერიძე",
        camera="Canon EOS R6",
        event=event,
        tags=["საბჭო"],
        albums=[album],
        **cleared(),
    )
    duplicate = make_asset(2, sha256=asset.sha256)
    client.force_login(archivist)
    page = client.get(_detail(asset)).text
    assert reverse("archive:rendition", args=[asset.pk, "l"]) in page
    assert 'alt="The mayor opens the session"' in page
    for text in ("თბილისი", "ნინო ბერიძე", "Canon EOS R6", str(event), str(album)):
        assert text in page
    assert _detail(asset, "asset_original") in page
    assert _detail(asset, "asset_press_copy") in page
    assert "data-duplicates" in page and duplicate.get_absolute_url() in page
    assert 'name="title_ka"' in page and 'lang="hy"' in page
    assert "archive/viewer.js" in page


def test_a_reader_sees_no_original_download_and_no_edit_form(client, reader):
    asset = make_asset(1)
    client.force_login(reader)
    page = client.get(_detail(asset)).text
    assert _detail(asset, "asset_original") not in page
    assert "data-not-cleared" in page
    assert 'name="title_ka"' not in page and _detail(asset, "asset_delete") not in page


def test_failed_and_processing_assets_say_why(client, reader):
    failed = make_asset(
        1, renditions=False, state="failed", failure="The image is truncated."
    )
    waiting = make_asset(
        2, renditions=False, state="processing", processing_note="ffmpeg missing"
    )
    client.force_login(reader)
    assert "The image is truncated." in client.get(_detail(failed)).text
    page = client.get(_detail(waiting)).text
    assert "data-asset-processing" in page and "ffmpeg missing" in page


def test_a_video_plays_from_the_stream_for_those_who_may_download(
    client, archivist, reader
):
    video = make_asset(
        1,
        kind="video",
        content=b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100,
        original_name="clip.mp4",
        extension="mp4",
        content_type="video/mp4",
        renditions=False,
    )
    video.renditions = {
        "poster": default_storage.save("p.jpg", ContentFile(jpeg_bytes()))
    }
    video.save()
    client.force_login(archivist)
    page = client.get(_detail(video)).text
    assert "<video" in page and _detail(video, "asset_stream") in page
    assert reverse("archive:rendition", args=[video.pk, "poster"]) in page
    client.force_login(reader)
    page = client.get(_detail(video)).text
    assert "<video" not in page and _detail(video, "asset_stream") not in page


def test_the_viewer_moves_within_the_filter(client, reader):
    now = timezone.now()
    newest = make_asset(1, kind="video", uploaded_at=now)
    photo_new = make_asset(2, uploaded_at=now - timedelta(hours=1))
    make_asset(3, kind="video", uploaded_at=now - timedelta(hours=2))
    photo_old = make_asset(4, uploaded_at=now - timedelta(hours=3))
    client.force_login(reader)
    response = client.get(_detail(photo_new), {"kind": "photo"})
    context = response.context
    assert context["newer_url"] == ""
    assert context["older_url"].startswith(photo_old.get_absolute_url() + "?")
    assert "kind=photo" in context["older_url"]
    assert context["grid_url"] == f"{INDEX}?kind=photo#asset-{photo_new.pk}"
    assert 'rel="next"' in response.text and "data-viewer-grid" in response.text
    # Unfiltered, the newer neighbour is the video.
    unfiltered = client.get(_detail(photo_new)).context
    assert unfiltered["newer_url"].startswith(newest.get_absolute_url())
    # Following "older" and going back lands on the grid page that shows it.
    older = client.get(context["older_url"])
    grid = client.get(older.context["grid_url"].split("#")[0])
    assert grid.context["page"].rows[0] == photo_old


def test_the_edit_form_saves_through_the_service(client, archivist):
    asset = make_asset(1)
    album = make_album()
    client.force_login(archivist)
    response = client.post(
        _detail(asset, "asset_update") + "?kind=photo",
        {
            "title_ka": "ახალი სათაური",
            "title_hy": "Նոր վերնագիր",
            "title_en": "New title",
            "caption_ka": "წარწერა",
            "rights": "public",
            "consent": "obtained",
            "tags": "ზეიმი, ქალაქი",
            "albums": [album.pk],
            "taken_at": "2025-05-12T10:30",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == asset.get_absolute_url() + "?kind=photo"
    asset.refresh_from_db()
    assert asset.title_ka == "ახალი სათაური" and asset.title_hy == "Նոր վերնագիր"
    assert asset.rights == "public" and list(asset.albums.all()) == [album]
    assert sorted(t.name for t in asset.tags.all()) == ["ზეიმი", "ქალაქი"]
    assert timezone.localtime(asset.taken_at).hour == 10
    assert "akhali satauri" in asset.search_text
    assert AuditEntry.objects.filter(action="archive.asset.changed").exists()


def test_the_edit_form_shows_errors_on_the_page(client, archivist):
    asset = make_asset(1)
    client.force_login(archivist)
    response = client.post(_detail(asset, "asset_update"), {"rights": "nonsense"})
    assert response.status_code == 200
    assert "is-invalid" in response.text or "invalid-feedback" in response.text


def test_a_reader_cannot_edit_delete_or_reprocess(client, reader):
    asset = make_asset(1)
    client.force_login(reader)
    before = _snapshot()
    assert (
        client.post(_detail(asset, "asset_update"), {"rights": "public"}).status_code
        == 403
    )
    assert client.get(_detail(asset, "asset_delete")).status_code == 403
    assert client.post(_detail(asset, "asset_delete")).status_code == 403
    assert client.post(_detail(asset, "asset_reprocess")).status_code == 403
    assert _snapshot() == before


def test_deleting_asks_first_then_removes_the_asset(
    client, archivist, django_capture_on_commit_callbacks
):
    asset = make_asset(1)
    client.force_login(archivist)
    page = client.get(_detail(asset, "asset_delete")).text
    assert "data-delete-consequence" in page
    path = asset.file.path
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_detail(asset, "asset_delete"))
    assert response.status_code == 302 and response["Location"] == INDEX
    assert not Asset.objects.exists()
    assert not os.path.exists(path)


def test_reprocessing_puts_the_asset_back_in_processing(client, archivist):
    asset = make_asset(1, state="failed", failure="x")
    client.force_login(archivist)
    response = client.post(_detail(asset, "asset_reprocess"))
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.state == "processing"


def test_the_asset_page_points_release_editors_to_the_release_side(client, editor):
    # Releases take archive photos from their own page (pressreleases sits
    # above the archive on the import ladder): here only a pointer remains.
    asset = make_asset(1, **cleared())
    client.force_login(editor)
    page = client.get(_detail(asset)).text
    assert "data-attach-release-hint" in page
    assert "Add photos from the archive" in page
    assert 'name="release-release"' not in page and "/attach/release/" not in page


def test_no_pointer_for_assets_not_cleared_or_users_without_releases(
    client, editor, archivist
):
    internal = make_asset(1, rights="internal")
    client.force_login(editor)
    assert "data-attach-release-hint" not in client.get(_detail(internal)).text
    asset = make_asset(2, **cleared())
    client.force_login(archivist)
    assert "data-attach-release-hint" not in client.get(_detail(asset)).text


def test_a_cleared_asset_goes_into_an_event_press_kit(client, editor):
    event = EventFactory()
    asset = make_asset(1, event=event, **cleared())
    client.force_login(editor)
    assert "data-attach-event" in client.get(_detail(asset)).text
    response = client.post(
        _detail(asset, "asset_attach_event"),
        {"press_kit-event": event.pk, "press_kit-title": "ფოტო"},
    )
    assert response.status_code == 302
    attachment = EventAttachment.objects.get()
    assert attachment.event == event and attachment.title == "ფოტო"


# --- Albums ------------------------------------------------------------------------


def test_album_create_edit_and_delete(client, archivist):
    event = EventFactory()
    client.force_login(archivist)
    assert client.get(reverse("archive:album_create")).status_code == 200
    response = client.post(
        reverse("archive:album_create"),
        {"title_ka": "ქალაქის დღე", "title_en": "City day", "event": event.pk},
    )
    album = Album.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == album.get_absolute_url()
    )
    assert album.event == event and album.created_by == archivist
    photo = make_asset(1, albums=[album])
    edit = reverse("archive:album_update", args=[album.pk])
    assert f'value="{photo.pk}"' in client.get(edit).text  # the cover choice
    response = client.post(
        edit,
        {"title_ka": "ქალაქის დღე 2025", "description_en": "Photos", "cover": photo.pk},
    )
    assert response.status_code == 302
    album.refresh_from_db()
    assert album.title_ka == "ქალაქის დღე 2025" and album.cover == photo
    assert album.event is None
    delete = reverse("archive:album_delete", args=[album.pk])
    assert "stays in the archive" in client.get(delete).text
    response = client.post(delete)
    assert response.status_code == 302 and not Album.objects.exists()
    assert Asset.objects.filter(pk=photo.pk).exists()


def test_an_album_needs_a_title(client, archivist):
    client.force_login(archivist)
    response = client.post(reverse("archive:album_create"), {"title_en": " "})
    assert response.status_code == 200
    assert "Give the album a title in at least one language." in response.text
    assert not Album.objects.exists()


def test_the_album_page_shows_its_assets_and_removes_ticked_ones(client, archivist):
    album = make_album(description_en="Opening day")
    inside = [make_asset(n, albums=[album]) for n in range(3)]
    outside = make_asset(9)
    client.force_login(archivist)
    page = client.get(album.get_absolute_url()).text
    for asset in inside:
        assert f'id="asset-{asset.pk}"' in page
    assert f'id="asset-{outside.pk}"' not in page
    assert reverse("archive:album_download", args=[album.pk]) in page
    assert "Opening day" in page
    response = client.post(
        reverse("archive:album_assets_remove", args=[album.pk]),
        {"assets": [inside[0].pk]},
    )
    assert response.status_code == 302
    assert set(album.assets.all()) == set(inside[1:])


@pytest.mark.parametrize("count", [2, 20])
def test_the_album_list_costs_a_fixed_number_of_queries(
    client, reader, count, django_assert_num_queries
):
    event = EventFactory()
    for n in range(count):
        cover = make_asset(n, event=event)
        album = make_album(f"ალბომი {n}", event=event, cover=cover)
        cover.albums.add(album)
    client.force_login(reader)
    client.get(reverse("archive:album_list"))  # warm the permission caches
    # session, user, permissions (2); the filter's events; the page's albums
    with django_assert_num_queries(6):
        response = client.get(reverse("archive:album_list"))
    assert response.text.count("data-album=") == count
    assert response.text.count('archive-tile-meta">1 asset ·') == count


def test_albums_list_filters_by_event_and_search(client, reader):
    event = EventFactory()
    shown = make_album("საკრებულოს სხდომა", event=event)
    other = make_album("ფესტივალი")
    make_asset(1, albums=[shown])
    client.force_login(reader)
    page = client.get(reverse("archive:album_list")).text
    assert f'data-album="{shown.pk}"' in page and f'data-album="{other.pk}"' in page
    assert "1 asset" in page
    page = client.get(reverse("archive:album_list"), {"event": event.pk}).text
    assert f'data-album="{shown.pk}"' in page and f'data-album="{other.pk}"' not in page
    page = client.get(reverse("archive:album_list"), {"q": "pestivali"}).text
    assert f'data-album="{other.pk}"' in page and f'data-album="{shown.pk}"' not in page


def test_an_event_without_albums_gets_an_empty_list_not_every_album(client, reader):
    make_album("ფესტივალი")
    lonely = EventFactory()
    client.force_login(reader)
    page = client.get(reverse("archive:album_list"), {"event": lonely.pk}).text
    assert "No album matches this filter." in page


def test_the_event_page_links_to_its_photos_and_videos(client, reader):
    event = EventFactory()
    client.force_login(reader)
    page = client.get(reverse("events:event_detail", args=[event.pk])).text
    assert f"{reverse('archive:album_list')}?event={event.pk}" in page


def test_a_reader_cannot_write_albums(client, reader):
    album = make_album()
    asset = make_asset(1, albums=[album])
    client.force_login(reader)
    before = _snapshot()
    assert client.get(reverse("archive:album_create")).status_code == 403
    assert (
        client.post(reverse("archive:album_create"), {"title_ka": "x"}).status_code
        == 403
    )
    assert (
        client.post(reverse("archive:album_update", args=[album.pk]), {"title_ka": "x"})
    ).status_code == 403
    assert (
        client.post(reverse("archive:album_delete", args=[album.pk])).status_code == 403
    )
    assert (
        client.post(
            reverse("archive:album_assets_remove", args=[album.pk]),
            {"assets": [asset.pk]},
        )
    ).status_code == 403
    assert _snapshot() == before


# --- Media appearances -------------------------------------------------------------


@pytest.fixture
def outlet(db):
    return Organisation.objects.create(
        name="Rustavi 2", name_ka="რუსთავი 2", kind=Organisation.Kind.MEDIA
    )


def test_appearance_create_edit_list_and_delete(client, archivist, outlet):
    recording = make_asset(
        1,
        kind="video",
        original_name="interview.mp4",
        extension="mp4",
        content_type="video/mp4",
    )
    client.force_login(archivist)
    create = reverse("archive:appearance_create")
    page = client.get(create, {"recording": recording.pk}).text
    assert f'value="{recording.pk}" selected' in page
    response = client.post(
        create,
        {
            "title": "ინტერვიუ ბიუჯეტზე",
            "medium": "tv",
            "outlet": outlet.pk,
            "programme": "კურიერი",
            "aired_at": "2025-03-01T21:00",
            "speaker_name": "მერი",
            "link": "https://rustavi2.example/interview",
            "recording": recording.pk,
        },
    )
    appearance = MediaAppearance.objects.get()
    assert response.status_code == 302
    assert response["Location"] == appearance.get_absolute_url()
    assert appearance.outlet == outlet and appearance.recording == recording
    page = client.get(appearance.get_absolute_url()).text
    assert "https://rustavi2.example/interview" in page and "კურიერი" in page
    assert recording.get_absolute_url() in page
    listing = reverse("archive:appearance_list")
    assert f'data-appearance="{appearance.pk}"' in client.get(listing).text
    assert (
        f'data-appearance="{appearance.pk}"'
        in client.get(listing, {"q": "biujet"}).text
    )
    assert "No appearance matches" in client.get(listing, {"medium": "radio"}).text
    assert (
        f'data-appearance="{appearance.pk}"'
        in client.get(listing, {"medium": "tv", "outlet": outlet.pk}).text
    )
    edit = reverse("archive:appearance_update", args=[appearance.pk])
    assert "ინტერვიუ ბიუჯეტზე" in client.get(edit).text
    response = client.post(
        edit,
        {
            "title": "ინტერვიუ",
            "medium": "radio",
            "aired_at": "2025-03-01T21:00",
            "speaker_name": "მერი",
        },
    )
    assert response.status_code == 302
    appearance.refresh_from_db()
    assert appearance.medium == "radio" and appearance.recording is None
    delete = reverse("archive:appearance_delete", args=[appearance.pk])
    assert client.get(delete).status_code == 200
    assert client.post(delete).status_code == 302
    assert not MediaAppearance.objects.exists() and Asset.objects.exists()


def test_an_appearance_needs_somebody_who_appeared(client, archivist):
    client.force_login(archivist)
    response = client.post(
        reverse("archive:appearance_create"),
        {"title": "x", "medium": "tv", "aired_at": "2025-03-01T21:00"},
    )
    assert response.status_code == 200 and not MediaAppearance.objects.exists()
    assert "type the speaker" in response.text


@pytest.mark.parametrize("count", [2, 20])
def test_the_appearance_list_costs_a_fixed_number_of_queries(
    client, reader, outlet, count, django_assert_num_queries
):
    person = PersonFactory()
    for n in range(count):
        MediaAppearance.objects.create(
            title=f"ინტერვიუ {n}",
            medium=MediaAppearance.Medium.TV,
            outlet=outlet,
            person=person,
            aired_at=timezone.now() - timedelta(days=n),
        )
    client.force_login(reader)
    listing = reverse("archive:appearance_list")
    client.get(listing)  # warm the permission caches
    # session, user, permissions (2); the filter's outlets; the page's rows
    with django_assert_num_queries(6):
        response = client.get(listing)
    assert response.text.count("data-appearance=") == count
    assert response.text.count(str(person)) >= count


def test_a_reader_reads_appearances_but_cannot_write_them(client, reader):
    appearance = MediaAppearance.objects.create(
        title="რადიო", medium="radio", aired_at=timezone.now(), speaker_name="მერი"
    )
    client.force_login(reader)
    assert client.get(appearance.get_absolute_url()).status_code == 200
    before = _snapshot()
    assert client.get(reverse("archive:appearance_create")).status_code == 403
    for name in ("appearance_update", "appearance_delete"):
        url = reverse(f"archive:{name}", args=[appearance.pk])
        assert client.post(url, {"title": "x"}).status_code == 403
    assert _snapshot() == before


# --- Storage -----------------------------------------------------------------------


def test_the_storage_page_shows_space_per_year_and_kind(client, reader):
    make_asset(1, size=1000)
    make_asset(2, size=2000, kind="video")
    make_asset(3, size=500, uploaded_at=timezone.now() - timedelta(days=800))
    client.force_login(reader)
    page = client.get(reverse("archive:storage")).text
    assert 'data-storage-total="3500"' in page
    assert f'data-year="{timezone.localdate().year}"' in page
    assert "3 files" in page
