"""Photos from the archive, attached from the release's page as press copies."""

import io
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from archive.models import Asset
from prapp.models import AuditEntry
from pressreleases.models import PressRelease, ReleaseAttachment
from tests.archive.test_views import cleared, make_asset

pytestmark = pytest.mark.django_db

Status = PressRelease.Status


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def editor(make_user):
    # English pages, so that messages can be compared before translation.
    return make_user("editor", role="Editor", language="en")


def _release(author, status=Status.DRAFT) -> PressRelease:
    return PressRelease.objects.create(
        title_ka="ახალი ბაღი", body_ka="<p>ტექსტი</p>", author=author, status=status
    )


def _pick(release) -> str:
    return reverse("pressreleases:archive_pick", args=[release.pk])


def _stored_attachment_files() -> list[str]:
    folder = "pressreleases"
    found = []

    def walk(path):
        directories, files = default_storage.listdir(path)
        found.extend(f"{path}/{name}" for name in files)
        for directory in directories:
            walk(f"{path}/{directory}")

    if default_storage.exists(folder):
        walk(folder)
    return found


def _snapshot():
    return (
        list(ReleaseAttachment.objects.order_by("pk").values()),
        list(PressRelease.objects.order_by("pk").values("pk", "status", "version")),
        AuditEntry.objects.count(),
        _stored_attachment_files(),
    )


def test_the_page_lists_only_photos_cleared_for_the_press(client, editor):
    release = _release(editor)
    newer = make_asset(1, credit="Nino Beridze", **cleared())
    older = make_asset(
        2, **cleared(uploaded_at=timezone.now() - timedelta(days=3)), title_en=""
    )
    internal = make_asset(3, rights=Asset.Rights.INTERNAL)
    no_consent = make_asset(4, **cleared(consent=Asset.Consent.PENDING))
    expired = make_asset(
        5, **cleared(licence_expires=timezone.localdate() - timedelta(days=1))
    )
    video = make_asset(6, kind=Asset.Kind.VIDEO, **cleared())
    client.force_login(editor)
    page = client.get(_pick(release)).text
    for shown in (newer, older):
        assert f'id="asset-{shown.pk}"' in page
        assert reverse("archive:rendition", args=[shown.pk, "s"]) in page
        # Each tick box has a visible label: the photo's title.
        label = (
            f'<label class="form-check-label archive-tile-title" for="pick-{shown.pk}"'
        )
        assert f'id="pick-{shown.pk}"' in page and label in page
    for hidden in (internal, no_consent, expired, video):
        assert f'id="asset-{hidden.pk}"' not in page
    assert page.index(f'id="asset-{newer.pk}"') < page.index(f'id="asset-{older.pk}"')
    assert 'alt="Photo 1"' in page and "© Nino Beridze" in page
    # Georgian titles as they are: never upper-cased.
    assert "ფოტო 2" in page


def test_the_search_finds_georgian_titles_with_latin_letters(client, editor):
    release = _release(editor)
    garden = make_asset(1, title_ka="საბავშვო ბაღი", title_en="", **cleared())
    other = make_asset(2, title_ka="სხდომა", title_en="", **cleared())
    client.force_login(editor)
    page = client.get(_pick(release), {"q": "baghi"}).text
    assert f'id="asset-{garden.pk}"' in page and f'id="asset-{other.pk}"' not in page
    assert (
        "No photo cleared for the press matches this search."
        in client.get(_pick(release), {"q": "zzzz"}).text
    )


def test_24_photos_per_page_and_the_older_ones_on_the_next(client, editor):
    release = _release(editor)
    for n in range(26):
        make_asset(n, **cleared())
    client.force_login(editor)
    first = client.get(_pick(release)).text
    assert first.count('name="assets"') == 24
    assert "data-pager-older" in first


@pytest.mark.parametrize("count", [3, 24])
def test_the_page_costs_a_fixed_number_of_queries(
    client, editor, count, django_assert_num_queries
):
    release = _release(editor)
    for n in range(count):
        make_asset(n, **cleared())
    client.force_login(editor)
    client.get(_pick(release))  # warm the content-type and permission caches
    # session, user, permissions (2), the release, the page's tiles
    with django_assert_num_queries(6):
        response = client.get(_pick(release))
    assert response.text.count('name="assets"') == count


def test_ticked_photos_are_attached_as_press_copies(client, editor):
    release = _release(editor, status=Status.APPROVED)
    first = make_asset(
        1, caption_en="The new kindergarten", credit="Nino Beridze", **cleared()
    )
    second = make_asset(2, caption_ka="ახალი ბაღი", **cleared())
    make_asset(3, **cleared())  # not ticked
    client.force_login(editor)
    audit_before = AuditEntry.objects.count()
    response = client.post(_pick(release), {"assets": [first.pk, second.pk]})
    assert response.status_code == 302
    assert response["Location"] == release.get_absolute_url() + "#attachments"
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["2 photos from the archive were attached."]
    attachments = list(release.attachments.order_by("pk"))
    assert [a.title for a in attachments] == ["Photo 1", "Photo 2"]
    assert all(a.public and a.content_type == "image/jpeg" for a in attachments)
    assert attachments[0].original_name == "photo-1.jpg"
    with attachments[0].file.open("rb") as handle:
        data = handle.read()
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        xmp = image.info.get("xmp", b"")
    assert b"The new kindergarten" in xmp and b"Nino Beridze" in xmp
    assert AuditEntry.objects.count() > audit_before
    # A change to an approved release sends it back to review.
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW


def test_an_internal_photo_stops_everything(client, editor):
    release = _release(editor)
    cleared_photo = make_asset(1, **cleared())
    internal = make_asset(2, rights=Asset.Rights.INTERNAL)
    client.force_login(editor)
    before = _snapshot()
    response = client.post(_pick(release), {"assets": [cleared_photo.pk, internal.pk]})
    assert response.status_code == 200
    assert "Photo 2: Only assets cleared for the press can be attached" in response.text
    # The ticks are kept for another try.
    assert f'value="{cleared_photo.pk}" id="pick-{cleared_photo.pk}" checked' in (
        response.text
    )
    assert _snapshot() == before and not ReleaseAttachment.objects.exists()


def test_a_failure_half_way_leaves_no_row_and_no_file(client, editor, monkeypatch):
    from pressreleases import services

    release = _release(editor)
    photos = [make_asset(n, **cleared()) for n in (1, 2, 3)]
    real_add = services.attachment_add
    calls = []

    def add_then_fail(**kwargs):
        calls.append(kwargs["title"])
        if len(calls) == 3:
            raise ValidationError("The disk is full.")
        return real_add(**kwargs)

    monkeypatch.setattr(services, "attachment_add", add_then_fail)
    client.force_login(editor)
    before = _snapshot()
    response = client.post(_pick(release), {"assets": [p.pk for p in photos]})
    assert response.status_code == 200 and "The disk is full." in response.text
    assert len(calls) == 3
    assert _snapshot() == before


def test_nothing_ticked_or_unknown_ids_are_refused(client, editor):
    release = _release(editor)
    photo = make_asset(1, **cleared())
    client.force_login(editor)
    before = _snapshot()
    assert "Tick at least one photo." in client.post(_pick(release), {}).text
    assert (
        "Choose photos from the list."
        in client.post(_pick(release), {"assets": [photo.pk + 100]}).text
    )
    assert (
        "Choose photos from the list."
        in client.post(_pick(release), {"assets": ["x"]}).text
    )
    assert _snapshot() == before


def test_a_sent_release_is_refused(client, editor):
    release = _release(editor, status=Status.SENT)
    photo = make_asset(1, **cleared())
    client.force_login(editor)
    before = _snapshot()
    for response in (
        client.get(_pick(release)),
        client.post(_pick(release), {"assets": [photo.pk]}),
    ):
        assert response.status_code == 302
        assert response["Location"] == release.get_absolute_url()
        messages = [str(m) for m in get_messages(response.wsgi_request)]
        assert "This release can no longer be changed" in messages[0]
    assert _snapshot() == before
    page = client.get(release.get_absolute_url()).text
    assert _pick(release) not in page


@pytest.mark.parametrize("role", ["Viewer", "Archivist", "Monitor"])
def test_who_may_not_change_releases_gets_403(client, make_user, editor, role):
    release = _release(editor)
    photo = make_asset(1, **cleared())
    client.force_login(make_user("someone", role=role, language="en"))
    before = _snapshot()
    assert client.get(_pick(release)).status_code == 403
    assert client.post(_pick(release), {"assets": [photo.pk]}).status_code == 403
    assert _snapshot() == before
    assert _pick(release) not in client.get(release.get_absolute_url()).text


def test_anonymous_visitors_are_sent_to_the_login(client, editor):
    release = _release(editor)
    photo = make_asset(1, **cleared())
    before = _snapshot()
    for response in (
        client.get(_pick(release)),
        client.post(_pick(release), {"assets": [photo.pk]}),
    ):
        assert response.status_code == 302 and "/login" in response["Location"]
    assert _snapshot() == before


def test_the_release_page_links_to_the_picker_for_its_editors(client, editor):
    release = _release(editor)
    client.force_login(editor)
    page = client.get(release.get_absolute_url()).text
    assert "data-archive-pick-link" in page and _pick(release) in page
    assert "Add photos from the archive" in page


@pytest.mark.parametrize("role", ["Viewer", "Archivist"])
def test_the_service_refuses_who_may_not_change_releases(make_user, editor, role):
    from pressreleases import services

    release = _release(editor)
    photo = make_asset(1, **cleared())
    before = _snapshot()
    with pytest.raises(PermissionDenied):
        services.attachments_add_from_archive(
            release=release,
            assets=[photo],
            actor=make_user("someone", role=role, language="en"),
        )
    assert _snapshot() == before


def test_the_service_attaches_each_photo_once_in_the_given_order(editor):
    from pressreleases import services

    release = _release(editor)
    photos = [make_asset(n, **cleared()) for n in (2, 1)]
    attached = services.attachments_add_from_archive(
        release=release, assets=photos, actor=editor
    )
    assert [a.title for a in attached] == ["Photo 2", "Photo 1"]
    assert list(release.attachments.order_by("pk")) == attached
    assert len(_stored_attachment_files()) == 2
