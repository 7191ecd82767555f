"""Archive services: metadata, bulk changes, deletion, albums, media appearances."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from archive import processing, services
from archive.models import Album, Asset, MediaAppearance
from prapp.models import AuditEntry
from prapp.text import search_q
from tests.archive.conftest import make_image, stored_files, upload
from tests.contacts.factories import OrganisationFactory, PersonFactory
from tests.events.factories import EventFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _asset(actor, name="a.jpg", size=(300, 200), processed=True, **data) -> Asset:
    with transaction.atomic():
        asset = services.asset_upload(
            file=upload(name, make_image(size)), actor=actor, data=data or None
        ).asset
    if processed:
        processing.asset_process(asset.pk)
        asset.refresh_from_db()
    return asset


def _audits(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


# --- asset_update ---------------------------------------------------------------------


def test_update_changes_fields_tags_albums_and_search_key(archivist):
    asset = _asset(archivist)
    album = services.album_create(data={"title_en": "Flood"}, actor=archivist)
    event = EventFactory()
    services.asset_update(
        asset=asset,
        data={
            "title_ka": "წყალდიდობა გორში",
            "caption_hy": "Ջրհեղեղ",
            "place": "Gori",
            "people_shown": "Nino Beridze",
            "rights": Asset.Rights.PUBLIC,
            "consent": Asset.Consent.OBTAINED,
            "licence_expires": timezone.localdate() + timedelta(days=30),
            "event": event,
            "tags": ["flood", "Gori"],
            "albums": [album],
        },
        actor=archivist,
    )
    asset.refresh_from_db()
    assert asset.title_ka == "წყალდიდობა გორში"
    assert asset.event == event
    assert [a.pk for a in asset.albums.all()] == [album.pk]
    assert asset.cleared_for_press
    assert Asset.objects.filter(search_q("search_text", "tsqaldidoba")).exists()
    assert Asset.objects.filter(search_q("search_text", "jrhegheg")).exists()
    entry = _audits("archive.asset.changed")[-1]
    assert entry.actor == archivist
    assert entry.changes["title_ka"] == [None, "წყალდიდობა გორში"]
    assert entry.changes["tags"] == ["", "Gori, flood"]
    assert entry.changes["event"][1] == str(event)


def test_update_without_change_writes_no_audit(archivist):
    asset = _asset(archivist, credit="Nino")
    services.asset_update(asset=asset, data={"credit": "Nino"}, actor=archivist)
    assert _audits("archive.asset.changed") == []


def test_update_refused_without_permission_changes_nothing(archivist, viewer):
    asset = _asset(archivist, credit="Nino")
    with pytest.raises(PermissionDenied):
        services.asset_update(asset=asset, data={"credit": "Ani"}, actor=viewer)
    asset.refresh_from_db()
    assert asset.credit == "Nino"
    assert _audits("archive.asset.changed") == []


def test_update_refuses_invalid_choices(archivist):
    asset = _asset(archivist)
    with pytest.raises(ValidationError):
        services.asset_update(asset=asset, data={"consent": "maybe"}, actor=archivist)


# --- assets_bulk_update ---------------------------------------------------------------


def test_bulk_update(archivist):
    assets = [_asset(archivist, f"{n}.jpg", size=(100 + n, 80)) for n in range(3)]
    album = services.album_create(data={"title_en": "Council"}, actor=archivist)
    event = EventFactory()
    changed = services.assets_bulk_update(
        assets=assets,
        data={
            "rights": Asset.Rights.PRESS,
            "credit": "Press office",
            "event": event,
            "add_tags": ["council"],
            "add_to_album": album,
        },
        actor=archivist,
    )
    assert changed == 3
    for asset in assets:
        asset.refresh_from_db()
        assert (asset.rights, asset.credit, asset.event) == (
            "press",
            "Press office",
            event,
        )
        assert [tag.slug for tag in asset.tags.all()] == ["council"]
    assert album.assets.count() == 3
    assert len(_audits("archive.asset.changed")) == 3
    # The same again changes nothing; then out of the album.
    assert (
        services.assets_bulk_update(
            assets=assets,
            data={"rights": "press", "add_to_album": album},
            actor=archivist,
        )
        == 0
    )
    assert (
        services.assets_bulk_update(
            assets=assets[:2], data={"remove_from_album": album}, actor=archivist
        )
        == 2
    )
    assert album.assets.count() == 1


def test_bulk_update_refused_for_a_viewer(archivist, viewer):
    asset = _asset(archivist)
    with pytest.raises(PermissionDenied):
        services.assets_bulk_update(
            assets=[asset], data={"rights": "public"}, actor=viewer
        )
    asset.refresh_from_db()
    assert asset.rights == Asset.Rights.INTERNAL


# --- asset_delete / asset_reprocess ---------------------------------------------------


def test_delete_removes_every_file_on_commit(
    archivist, _media, django_capture_on_commit_callbacks
):
    asset = _asset(archivist, size=(2500, 1500))
    keep = _asset(archivist, "other.jpg", size=(120, 90))
    files = stored_files(_media)
    assert len([f for f in files if f"/{asset.pk}/" in f]) == 3
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.asset_delete(asset=asset, actor=archivist)
        assert stored_files(_media) == files  # nothing before the commit
    assert callbacks
    assert not Asset.objects.filter(pk=asset.pk).exists()
    left = stored_files(_media)
    assert keep.file.name in left
    assert asset.file.name not in left
    assert [f for f in left if f"/{asset.pk}/" in f] == []
    entry = _audits("archive.asset.deleted")[0]
    assert entry.changes["sha256"] == [asset.sha256, None]


def test_rolled_back_delete_keeps_the_files(archivist, _media):
    asset = _asset(archivist)
    files = stored_files(_media)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.asset_delete(asset=asset, actor=archivist)
        raise RuntimeError("changed my mind")
    assert Asset.objects.filter(pk=asset.pk).exists()
    assert stored_files(_media) == files


def test_delete_needs_permission(archivist, viewer, _media):
    asset = _asset(archivist)
    with pytest.raises(PermissionDenied):
        services.asset_delete(asset=asset, actor=viewer)
    assert Asset.objects.filter(pk=asset.pk).exists()


def test_delete_of_an_appearance_recording_keeps_the_appearance(archivist):
    recording = _asset(archivist)
    appearance = services.appearance_create(
        data={
            "speaker_name": "Levan",
            "medium": MediaAppearance.Medium.TV,
            "title": "Evening news",
            "aired_at": timezone.now(),
            "recording": recording,
        },
        actor=archivist,
    )
    services.asset_delete(asset=recording, actor=archivist)
    appearance.refresh_from_db()
    assert appearance.recording is None


def test_reprocess_enqueues_on_commit(
    archivist, monkeypatch, django_capture_on_commit_callbacks
):
    from archive import tasks

    asset = _asset(archivist)
    sent = []
    monkeypatch.setattr(tasks.asset_process, "delay", sent.append)
    with django_capture_on_commit_callbacks(execute=True):
        services.asset_reprocess(asset=asset, actor=archivist)
        assert sent == []
    assert sent == [asset.pk]
    asset.refresh_from_db()
    assert asset.state == Asset.State.PROCESSING
    assert _audits("archive.asset.reprocessed")


# --- Albums ---------------------------------------------------------------------------


def test_album_lifecycle(archivist):
    event = EventFactory()
    album = services.album_create(
        data={"title_ka": "წყალდიდობა", "title_en": "Flood", "event": event},
        actor=archivist,
    )
    assert album.created_by == archivist
    assert "tsqaldidoba" in album.search_text
    assert list(event.albums.all()) == [album]
    photos = [_asset(archivist, f"{n}.jpg", size=(90 + n, 60)) for n in range(2)]
    assert services.album_add_assets(album=album, assets=photos, actor=archivist) == 2
    assert services.album_add_assets(album=album, assets=photos, actor=archivist) == 0
    services.album_update(
        album=album,
        data={"description_en": "Gori, May", "cover": photos[0]},
        actor=archivist,
    )
    album.refresh_from_db()
    assert album.cover == photos[0]
    assert "gori" in album.search_text
    assert (
        services.album_remove_assets(album=album, assets=[photos[0]], actor=archivist)
        == 1
    )
    album.refresh_from_db()
    assert album.cover is None  # the cover left with its photo
    services.album_delete(album=album, actor=archivist)
    assert Asset.objects.count() == 2  # the photos stay
    assert [
        e.action
        for e in AuditEntry.objects.filter(action__startswith="archive.album").order_by(
            "pk"
        )
    ] == [
        "archive.album.created",
        "archive.album.assets_added",
        "archive.album.changed",
        "archive.album.assets_removed",
        "archive.album.deleted",
    ]


def test_album_needs_a_title(archivist):
    with pytest.raises(ValidationError):
        services.album_create(data={"description_en": "no title"}, actor=archivist)
    assert not Album.objects.exists()


def test_album_permissions(viewer):
    with pytest.raises(PermissionDenied):
        services.album_create(data={"title_en": "x"}, actor=viewer)
    assert not Album.objects.exists()


# --- Media appearances ----------------------------------------------------------------


def test_appearance_lifecycle(archivist):
    person = PersonFactory()
    outlet = OrganisationFactory()
    appearance = services.appearance_create(
        data={
            "person": person,
            "outlet": outlet,
            "medium": MediaAppearance.Medium.RADIO,
            "programme": "Morning talk",
            "title": "ბავშვთა უფლებები",
            "aired_at": timezone.now(),
            "link": "https://radio.example.ge/show/1",
        },
        actor=archivist,
    )
    assert "bavshvta" in appearance.search_text
    services.appearance_update(
        appearance=appearance, data={"programme": "Evening talk"}, actor=archivist
    )
    appearance.refresh_from_db()
    assert appearance.programme == "Evening talk"
    assert "evening" in appearance.search_text
    services.appearance_delete(appearance=appearance, actor=archivist)
    assert not MediaAppearance.objects.exists()
    assert [
        e.action
        for e in AuditEntry.objects.filter(
            action__startswith="archive.appearance"
        ).order_by("pk")
    ] == [
        "archive.appearance.created",
        "archive.appearance.changed",
        "archive.appearance.deleted",
    ]


def test_appearance_needs_someone_and_a_valid_link(archivist):
    base = {
        "medium": MediaAppearance.Medium.ONLINE,
        "title": "Interview",
        "aired_at": timezone.now(),
    }
    with pytest.raises(ValidationError):
        services.appearance_create(data=base, actor=archivist)
    with pytest.raises(ValidationError):
        services.appearance_create(
            data={**base, "speaker_name": "Levan", "link": "javascript:alert(1)"},
            actor=archivist,
        )
    assert not MediaAppearance.objects.exists()


def test_appearance_permissions(viewer):
    with pytest.raises(PermissionDenied):
        services.appearance_create(
            data={"speaker_name": "x", "medium": "tv", "title": "x"}, actor=viewer
        )
