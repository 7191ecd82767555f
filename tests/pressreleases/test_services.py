"""The release workflow: versions, four eyes, publishing, withdrawing, the ledger."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from PIL import Image

from contacts.models import ContactList, Person
from prapp.models import AuditEntry
from pressreleases import services
from pressreleases.models import Delivery, Distribution, PressRelease
from tests.contacts.factories import (
    ContactGroupFactory,
    ContactListFactory,
    PersonEmailFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

CONTENT = {
    "title_ka": "მერიამ ახალი ბაღი გახსნა",
    "lead_ka": "ქალაქს ახალი საბავშვო ბაღი ჰყავს.",
    "body_ka": "<p>ბაღი <strong>120</strong> ბავშვს მიიღებს.</p>",
    "title_hy": "Քաղաքապետարանը նոր մանկապարտեզ բացեց",
    "lead_hy": "Քաղաքն ունի նոր մանկապարտեզ։",
    "body_hy": "<p>Մանկապարտեզը կընդունի 120 երեխա։</p>",
}


@pytest.fixture
def editor(make_user):
    return make_user("editor", role="Editor")


@pytest.fixture
def second_manager(make_user):
    return make_user("manager2", role="Manager")


def _release(actor, **extra):
    return services.release_create(data={**CONTENT, **extra}, actor=actor)


def _approved(editor, manager):
    release = _release(editor)
    services.release_submit(release=release, actor=editor)
    return services.release_approve(release=release, actor=manager)


def _person(language="ka", email=None, **extra):
    person = PersonFactory(language=language, **extra)
    PersonEmailFactory(person=person, email=email or f"p{person.pk}@example.ge")
    return person


def test_create_keeps_version_one_sanitises_and_searches(editor):
    release = _release(editor, body_en="<p>Hi<script>alert(1)</script></p>")
    assert release.status == PressRelease.Status.DRAFT
    assert release.version == 1
    assert release.versions.get().content["title_ka"] == CONTENT["title_ka"]
    assert "<script" not in release.body_en
    assert release.slug  # from the Georgian title, romanised
    assert PressRelease.objects.filter(search_key__contains="meriam").exists()
    assert AuditEntry.objects.filter(action="pressreleases.release.created").exists()


def test_create_needs_a_title_and_the_permission(editor, viewer):
    with pytest.raises(ValidationError):
        services.release_create(data={"body_ka": "<p>x</p>"}, actor=editor)
    with pytest.raises(PermissionDenied):
        _release(viewer)
    assert not PressRelease.objects.exists()


def test_update_records_a_version_only_when_something_changed(editor):
    release = _release(editor)
    services.release_update(release=release, data=dict(CONTENT), actor=editor)
    release.refresh_from_db()
    assert release.version == 1
    services.release_update(
        release=release, data={"title_ka": "ახალი სათაური"}, actor=editor
    )
    release.refresh_from_db()
    assert release.version == 2
    assert release.versions.get(number=1).content["title_ka"] == CONTENT["title_ka"]
    assert release.versions.get(number=2).content["title_ka"] == "ახალი სათაური"


def test_author_cannot_approve_own_release(editor, manager, settings):
    release = services.release_create(data=CONTENT, actor=manager)
    release = services.release_submit(release=release, actor=manager)
    with translation.override("en"):
        assert "four eyes" in services.approval_refusal(release, manager)
    with pytest.raises(PermissionDenied):
        services.release_approve(release=release, actor=manager)
    release.refresh_from_db()
    assert release.status == PressRelease.Status.IN_REVIEW
    settings.PRESSRELEASES_AUTHOR_MAY_APPROVE = True
    services.release_approve(release=release, actor=manager)
    release.refresh_from_db()
    assert release.status == PressRelease.Status.APPROVED


def test_a_manager_who_last_edited_cannot_approve(editor, manager, second_manager):
    release = _release(editor)
    services.release_update(
        release=release, data={"lead_ka": "შესწორება"}, actor=manager
    )
    services.release_submit(release=release, actor=editor)
    with pytest.raises(PermissionDenied):
        services.release_approve(release=release, actor=manager)
    services.release_approve(release=release, actor=second_manager)


def test_only_a_manager_approves(editor, make_user):
    release = _release(editor)
    services.release_submit(release=release, actor=editor)
    other_editor = make_user("editor2", role="Editor")
    with pytest.raises(PermissionDenied):
        services.release_approve(release=release, actor=other_editor)


def test_approval_covers_all_versions_and_editing_sends_back(editor, manager):
    release = _approved(editor, manager)
    assert release.approved_by == manager
    assert release.approved_version == release.version
    services.release_update(
        release=release, data={"body_hy": "<p>Նոր</p>"}, actor=editor
    )
    release.refresh_from_db()
    assert release.status == PressRelease.Status.IN_REVIEW
    assert release.approved_by is None
    assert services.send_refusal(release)
    actions = list(
        AuditEntry.objects.filter(target_id=str(release.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "pressreleases.release.created",
        "pressreleases.release.submitted",
        "pressreleases.release.approved",
        "pressreleases.release.changed",
    ]


def test_submit_refuses_a_version_without_text(editor):
    release = _release(editor, title_en="Title only")
    with pytest.raises(ValidationError):
        services.release_submit(release=release, actor=editor)
    release.refresh_from_db()
    assert release.status == PressRelease.Status.DRAFT


def test_return_to_author_needs_a_comment(editor, manager):
    release = _release(editor)
    services.release_submit(release=release, actor=editor)
    with pytest.raises(ValidationError):
        services.release_return(release=release, actor=manager, comment=" ")
    services.release_return(release=release, actor=manager, comment="Shorter lead")
    release.refresh_from_db()
    assert release.status == PressRelease.Status.DRAFT
    assert release.comments.get().body == "Shorter lead"


def test_sent_release_cannot_be_edited_or_deleted(editor, manager):
    release = _approved(editor, manager)
    services.release_publish(release=release, actor=editor)
    with pytest.raises(ValidationError):
        services.release_update(release=release, data={"title_ka": "x"}, actor=editor)
    with pytest.raises(ValidationError):
        services.release_delete(release=release, actor=manager)


def test_publish_and_embargo_decide_public_visibility(editor, manager):
    release = _approved(editor, manager)
    later = timezone.now() + timedelta(hours=3)
    release.embargo_until = later
    release.save(update_fields=["embargo_until"])
    services.release_publish(release=release, actor=editor)
    release.refresh_from_db()
    assert release.status == PressRelease.Status.PUBLISHED
    assert not release.is_public()
    assert release.is_public(later + timedelta(seconds=1))


def test_withdraw_cancels_unsent_mail_and_hides(editor, manager):
    release = _approved(editor, manager)
    _person()
    services.release_publish(release=release, actor=editor)
    services.distribution_create(
        release=release,
        actor=editor,
        people=Person.objects.all(),
        scheduled_for=timezone.now() + timedelta(days=1),
    )
    with pytest.raises(ValidationError):
        services.release_withdraw(release=release, actor=editor, reason="")
    services.release_withdraw(release=release, actor=editor, reason="Wrong figures")
    release.refresh_from_db()
    assert release.status == PressRelease.Status.WITHDRAWN
    assert not release.is_public()
    assert set(release.deliveries.values_list("status", flat=True)) == {"cancelled"}


def test_distribution_writes_one_row_per_address_in_each_language(
    editor, manager, django_capture_on_commit_callbacks
):
    release = _approved(editor, manager)
    ka = _person("ka", "nino@example.ge")
    hy = _person("hy", "ani@example.am")
    en = _person("en", "john@example.org")
    opted_out = _person("ka", opted_out_at=timezone.now())
    dnc = _person("ka", do_not_contact=True)
    static = ContactListFactory(kind=ContactList.Kind.STATIC)
    static.members.add(ka, hy, opted_out)
    group = ContactGroupFactory()
    group.people.add(en, dnc)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        distribution = services.distribution_create(
            release=release, actor=editor, lists=[static], groups=[group]
        )
    assert len(callbacks) == 1
    rows = {d.email_key: d.language for d in distribution.deliveries.all()}
    # English has no version: the fallback order gives the first that exists.
    assert rows == {
        "nino@example.ge": "ka",
        "ani@example.am": "hy",
        "john@example.org": "ka",
    }
    assert distribution.total == 3
    assert distribution.left_out == 2  # opted out, do-not-contact
    release.refresh_from_db()
    assert release.status == PressRelease.Status.SCHEDULED
    # A second send to the same people adds nobody.
    with django_capture_on_commit_callbacks(execute=False):
        again = services.distribution_create(
            release=release, actor=editor, lists=[static]
        )
    assert again.total == 0


def test_smart_list_is_evaluated_at_send_time(editor, manager):
    release = _approved(editor, manager)
    smart = ContactListFactory(kind=ContactList.Kind.SMART, criteria={"language": "hy"})
    late = _person("hy", "late@example.am")
    distribution = services.distribution_create(
        release=release, actor=editor, lists=[smart], scheduled_for=timezone.now()
    )
    assert list(distribution.deliveries.values_list("person", flat=True)) == [late.pk]


def test_embargo_sends_early_only_to_marked_contacts(editor, manager):
    release = _approved(editor, manager)
    embargo = timezone.now() + timedelta(hours=5)
    PressRelease.objects.filter(pk=release.pk).update(embargo_until=embargo)
    release.refresh_from_db()
    trusted = _person("ka", "trusted@example.ge", receives_embargoed=True)
    other = _person("ka", "other@example.ge")
    distribution = services.distribution_create(
        release=release, actor=editor, people=[trusted, other]
    )
    rows = {d.person_id: d for d in distribution.deliveries.all()}
    assert rows[trusted.pk].under_embargo
    assert rows[trusted.pk].not_before <= timezone.now()
    assert not rows[other.pk].under_embargo
    assert rows[other.pk].not_before == embargo


def test_sending_needs_the_permission_and_an_approval(editor, manager, viewer):
    release = _release(editor)
    person = _person()
    with pytest.raises(ValidationError):
        services.distribution_create(release=release, actor=editor, people=[person])
    services.release_submit(release=release, actor=editor)
    services.release_approve(release=release, actor=manager)
    with pytest.raises(PermissionDenied):
        services.distribution_create(release=release, actor=viewer, people=[person])
    assert not Distribution.objects.exists()


def test_cancel_removes_waiting_rows_so_they_can_be_sent_later(editor, manager):
    release = _approved(editor, manager)
    person = _person()
    distribution = services.distribution_create(
        release=release,
        actor=editor,
        people=[person],
        scheduled_for=timezone.now() + timedelta(days=1),
    )
    assert services.distribution_cancel(distribution=distribution, actor=editor) == 1
    release.refresh_from_db()
    assert release.status == PressRelease.Status.APPROVED
    assert not Delivery.objects.exists()
    again = services.distribution_create(
        release=release,
        actor=editor,
        people=[person],
        scheduled_for=timezone.now() + timedelta(days=1),
    )
    assert again.total == 1


def _png(name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_attachments_are_checked_and_count_as_content(
    editor, manager, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    release = _approved(editor, manager)
    attachment = services.attachment_add(release=release, actor=editor, upload=_png())
    assert attachment.content_type == "image/png"
    release.refresh_from_db()
    assert release.status == PressRelease.Status.IN_REVIEW
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00not a pdf")
    with pytest.raises(ValidationError):
        services.attachment_add(release=release, actor=editor, upload=fake)
    broken = SimpleUploadedFile("broken.png", b"\x89PNG\r\n\x1a\nrubbish")
    with pytest.raises(ValidationError):
        services.attachment_add(release=release, actor=editor, upload=broken)
    settings.PRESSRELEASES_MAX_ATTACHMENT_MB = 0
    with pytest.raises(ValidationError):
        services.attachment_add(release=release, actor=editor, upload=_png("big.png"))
    assert release.attachments.count() == 1
