"""Walk every URL as anonymous, viewer and each role; refused writes change nothing."""

import pytest
from django.core.files.base import ContentFile
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from prapp.models import AuditEntry, CapturedEmail
from prapp.roles import MANAGER_ONLY, role_grants

ROLES = ["Manager", "Editor", "Monitor", "Archivist", "Viewer"]
STAFF_ROLES = {"Manager", "Editor", "Monitor", "Archivist"}
EVERY_ROLE = set(ROLES)
CONTACT_EDITORS = {"Manager", "Editor"}

# Pages that anybody may open without logging in.
PUBLIC = {
    "login",
    "set_language",
    "healthz",
    # Invitees and journalists never log in: the RSVP page and calendar feeds
    # carry a signed token or a secret, accreditation is a public form.
    "events:rsvp",
    "events:feed",
    "events:accreditation_public",
    "events:accreditation_apply",
    "events:accreditation_apply_period",
    "events:accreditation_thanks",
    # The public newsroom, its feeds and files; the unsubscribe link of a mail.
    "newsroom:index",
    "newsroom:list",
    "newsroom:rss",
    "newsroom:atom",
    "newsroom:pdf",
    "newsroom:attachment",
    "newsroom:detail",
    "unsubscribe:page",
    # The public-information request form, its thanks page and the status page
    # (reached with the registration number and a secret).
    "inquiries_public:form",
    "inquiries_public:thanks",
    "inquiries_public:status",
}
EVENT_EDITORS = {"Manager", "Editor"}
RELEASE_EDITORS = {"Manager", "Editor"}
MONITORS = {"Manager", "Monitor"}
ARCHIVISTS = {"Manager", "Archivist"}
DESK = {"Manager", "Editor"}

# Who may open each staff page (GET). A new page must be added here.
EXPECTED = {
    "reports:dashboard": EVERY_ROLE,
    # Events: everybody reads, editors and managers plan, invite and decide.
    "events:calendar_month": EVERY_ROLE,
    "events:calendar_week": EVERY_ROLE,
    "events:event_detail": EVERY_ROLE,
    "events:person_suggest": EVERY_ROLE,
    "events:attachment_download": EVERY_ROLE,
    "events:guest_list": EVERY_ROLE,
    "events:guest_list_print": EVERY_ROLE,
    "events:event_ics": EVERY_ROLE,
    "events:feed_settings": EVERY_ROLE,
    "events:accreditation_list": EVERY_ROLE,
    "events:accreditation_detail": EVERY_ROLE,
    "events:accreditation_print": EVERY_ROLE,
    "events:accreditation_period_print": EVERY_ROLE,
    "events:event_create": EVENT_EDITORS,
    "events:event_edit": EVENT_EDITORS,
    "events:outcome_edit": EVENT_EDITORS,
    "events:minutes_edit": EVENT_EDITORS,
    "events:task_edit": EVENT_EDITORS,
    "events:agenda_edit": EVENT_EDITORS,
    "events:invite": EVENT_EDITORS,
    "events:checkin": EVENT_EDITORS,
    "events:accreditation_badges": EVENT_EDITORS,
    "events:accreditation_period_badges": EVENT_EDITORS,
    "contacts:index": EVERY_ROLE,
    "events:index": EVERY_ROLE,
    "pressreleases:index": EVERY_ROLE,
    "media_monitoring:index": EVERY_ROLE,
    "archive:index": EVERY_ROLE,
    "profile": EVERY_ROLE,
    "password_change": EVERY_ROLE,
    "password_change_done": EVERY_ROLE,
    "audit": {"Manager"},
    "outbox": STAFF_ROLES,
    "outbox_detail": STAFF_ROLES,
    "outbox_html": STAFF_ROLES,
    # Contacts: everybody reads, editors and managers write.
    "contacts:person_detail": EVERY_ROLE,
    "contacts:person_create": CONTACT_EDITORS,
    "contacts:person_edit": CONTACT_EDITORS,
    "contacts:duplicate_check": CONTACT_EDITORS,
    "contacts:organisation_suggest": EVERY_ROLE,
    "contacts:import_upload": CONTACT_EDITORS,
    "contacts:import_list": CONTACT_EDITORS,
    "contacts:export": {"Manager"},
    "contacts:duplicates": CONTACT_EDITORS,
    "contacts:merge": CONTACT_EDITORS,
    "contacts:organisation_list": EVERY_ROLE,
    "contacts:organisation_detail": EVERY_ROLE,
    "contacts:organisation_create": CONTACT_EDITORS,
    "contacts:organisation_edit": CONTACT_EDITORS,
    "contacts:agreement_create": CONTACT_EDITORS,
    "contacts:agreement_edit": CONTACT_EDITORS,
    "contacts:agreement_download": EVERY_ROLE,
    "contacts:agreements_expiring": EVERY_ROLE,
    "contacts:group_list": EVERY_ROLE,
    "contacts:group_detail": EVERY_ROLE,
    "contacts:group_create": CONTACT_EDITORS,
    "contacts:group_edit": CONTACT_EDITORS,
    "contacts:list_list": EVERY_ROLE,
    "contacts:list_detail": EVERY_ROLE,
    "contacts:list_create": CONTACT_EDITORS,
    "contacts:list_edit": CONTACT_EDITORS,
    # Press releases: everybody reads; editors and managers write and send.
    "pressreleases:detail": EVERY_ROLE,
    "pressreleases:diff": EVERY_ROLE,
    "pressreleases:pdf": EVERY_ROLE,
    "pressreleases:progress": EVERY_ROLE,
    "pressreleases:attachment": EVERY_ROLE,
    "pressreleases:create": RELEASE_EDITORS,
    "pressreleases:edit": RELEASE_EDITORS,
    "pressreleases:send": RELEASE_EDITORS,
    "pressreleases:archive_pick": RELEASE_EDITORS,
    # Media monitoring: everybody reads and subscribes; monitors run the inbox.
    "media_monitoring:source_list": EVERY_ROLE,
    "media_monitoring:source_detail": EVERY_ROLE,
    "media_monitoring:topic_list": EVERY_ROLE,
    "media_monitoring:topic_detail": EVERY_ROLE,
    "media_monitoring:subscriptions": EVERY_ROLE,
    "media_monitoring:item_detail": EVERY_ROLE,
    "media_monitoring:source_create": MONITORS,
    "media_monitoring:source_update": MONITORS,
    "media_monitoring:source_delete": MONITORS,
    "media_monitoring:topic_create": MONITORS,
    "media_monitoring:topic_update": MONITORS,
    "media_monitoring:topic_delete": MONITORS,
    "media_monitoring:item_create": MONITORS,
    # Archive: everybody browses; archivists and managers file, edit and take
    # the originals.
    "archive:storage": EVERY_ROLE,
    "archive:album_list": EVERY_ROLE,
    "archive:appearance_list": EVERY_ROLE,
    "archive:asset_detail": EVERY_ROLE,
    "archive:asset_press_copy": EVERY_ROLE,
    "archive:rendition": EVERY_ROLE,
    "archive:album_detail": EVERY_ROLE,
    "archive:album_download": EVERY_ROLE,
    "archive:appearance_detail": EVERY_ROLE,
    "archive:upload": ARCHIVISTS,
    "archive:album_create": ARCHIVISTS,
    "archive:appearance_create": ARCHIVISTS,
    "archive:asset_delete": ARCHIVISTS,
    "archive:asset_original": ARCHIVISTS,
    "archive:asset_stream": ARCHIVISTS,
    "archive:album_update": ARCHIVISTS,
    "archive:album_delete": ARCHIVISTS,
    "archive:appearance_update": ARCHIVISTS,
    "archive:appearance_delete": ARCHIVISTS,
    # Inquiry desk: everybody reads; editors and managers register and answer.
    "inquiries:index": EVERY_ROLE,
    "inquiries:calendar": EVERY_ROLE,
    "inquiries:contact_suggest": EVERY_ROLE,
    "inquiries:line_list": EVERY_ROLE,
    "inquiries:request_detail": EVERY_ROLE,
    "inquiries:request_letter": EVERY_ROLE,
    "inquiries:attachment_download": EVERY_ROLE,
    "inquiries:line_detail": EVERY_ROLE,
    "inquiries:request_create": DESK,
    "inquiries:line_update": DESK,
    "inquiries_stats:statistics": EVERY_ROLE,
    "inquiries_stats:export": EVERY_ROLE,
    # Reports: every staff role may read the activity report.
    "reports:activity": EVERY_ROLE,
    "reports:activity_export": EVERY_ROLE,
    "reports:activity_pdf": EVERY_ROLE,
}
POST_ONLY = {
    "events:event_status",
    "events:task_add",
    "events:task_state",
    "events:agenda_add",
    "events:agenda_move",
    "events:attachment_add",
    "events:follow_up_add",
    "events:follow_up_state",
    "events:invitation_answer",
    "events:checkin_mark",
    "events:accreditation_approve",
    "events:accreditation_reject",
    "events:accreditation_revoke",
    "logout",
    "outbox_test",
    "set_language",
    "contacts:person_bulk",
    "contacts:person_verify",
    "contacts:person_interaction",
    "contacts:person_dnc_set",
    "contacts:person_dnc_clear",
    "contacts:person_opt_out",
    "contacts:person_opt_in",
    "contacts:person_social_add",
    "contacts:email_bounce",
    "contacts:affiliation_remove",
    "contacts:organisation_verify",
    "contacts:list_save_filter",
    "contacts:list_remove_members",
    "pressreleases:submit",
    "pressreleases:approve",
    "pressreleases:return",
    "pressreleases:publish",
    "pressreleases:withdraw",
    "pressreleases:delete",
    "pressreleases:comment_add",
    "pressreleases:attachment_add",
    "pressreleases:attachment_remove",
    "pressreleases:test_send",
    "pressreleases:distribution_cancel",
    "pressreleases:delivery_resolve",
    "media_monitoring:source_pull",
    "media_monitoring:topic_reapply",
    "media_monitoring:items_bulk",
    "media_monitoring:item_update",
    "media_monitoring:item_assign",
    "media_monitoring:item_note_add",
    "media_monitoring:item_respond",
    "media_monitoring:item_share",
    "archive:assets_bulk",
    "archive:asset_update",
    "archive:asset_reprocess",
    "archive:album_assets_remove",
    "archive:asset_attach_event",
    "inquiries:request_assign",
    "inquiries:request_extend",
    "inquiries:extension_notify",
    "inquiries:question_ask",
    "inquiries:question_answer",
    "inquiries:answer_draft",
    "inquiries:answer_approve",
    "inquiries:answer_return",
    "inquiries:request_answer",
    "inquiries:request_refuse",
    "inquiries:request_forward",
    "inquiries:request_link",
    "inquiries:attachment_add",
    "inquiries:line_save",
    "inquiries:line_use",
    "inquiries:line_archive",
}


def _named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # the admin has its own login and staff check
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


@pytest.fixture
def email(db):
    return CapturedEmail.objects.create(
        subject="საცდელი",
        from_email="a@b.ge",
        to=["x@y.ge"],
        body_html="<p>hi</p>",
        raw="x",
    )


@pytest.fixture
def contact_objects(db, settings, tmp_path):
    """One of each contacts record, for the pages whose URL needs a primary key."""
    from contacts.models import (
        Affiliation,
        ContactGroup,
        ContactList,
        Organisation,
        PartnerAgreement,
        Person,
        PersonEmail,
    )

    settings.MEDIA_ROOT = tmp_path
    organisation = Organisation.objects.create(
        name="საზოგადოებრივი მაუწყებელი",
        name_ka="საზოგადოებრივი მაუწყებელი",
        kind="ngo",
    )
    person = Person.objects.create(first_name="ნინო", last_name="ბერიძე")
    agreement = PartnerAgreement(
        organisation=organisation, title="მემორანდუმი", signed_on="2025-01-10"
    )
    agreement.document.save("memo.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    agreement.save()
    return {
        "person": person,
        "email": PersonEmail.objects.create(person=person, email="nino@example.ge"),
        "affiliation": Affiliation.objects.create(
            person=person, organisation=organisation
        ),
        "organisation": organisation,
        "agreement": agreement,
        "group": ContactGroup.objects.create(name="ადამიანის უფლებები"),
        "list": ContactList.objects.create(name="რეგიონული მედია"),
        "import_job": _import_job(),
        **_event_objects(person),
        **_release_objects(person),
        **_monitoring_objects(organisation),
        **_archive_objects(organisation),
        **_inquiry_objects(person),
    }


def _inquiry_objects(person):
    """A registered request with a received file and a line to take."""
    from datetime import timedelta

    from django.utils import timezone

    from inquiries.models import LawProfile, LineToTake, Request, RequestAttachment

    received = timezone.now()
    request = Request.objects.create(
        year=received.year,
        sequence=1,
        number=f"{received.year}/0001",
        kind=Request.Kind.JOURNALIST,
        channel=Request.Channel.EMAIL,
        requester=person,
        requester_name="ნინო ბერიძე",
        requester_email="nino@example.ge",
        subject="ბიუჯეტის შესრულება",
        text="რამდენი დაიხარჯა?",
        received_at=received,
        law_profile=LawProfile.objects.get(code="ge"),
        due_on=received.date() + timedelta(days=3),
        original_due_on=received.date() + timedelta(days=3),
    )
    attachment = RequestAttachment(
        request=request,
        original_name="წერილი.pdf",
        content_type="application/pdf",
        size=9,
    )
    attachment.file.save("letter.pdf", ContentFile(b"%PDF-1.4 x"), save=False)
    attachment.save()
    line = LineToTake.objects.create(subject="ბიუჯეტი", text="ბიუჯეტი შესრულდა.")
    return {"request": request, "request_attachment": attachment, "line": line}


def _jpeg() -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (64, 48), "navy").save(buffer, "JPEG")
    return buffer.getvalue()


def _archive_objects(outlet):
    """A photo cleared for the press, a video, an album and an appearance."""
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from archive.models import Album, Asset, MediaAppearance

    photo = Asset(
        kind=Asset.Kind.PHOTO,
        original_name="სხდომა.jpg",
        extension="jpg",
        content_type="image/jpeg",
        size=100,
        state=Asset.State.READY,
        rights=Asset.Rights.PRESS,
        title="საკრებულოს სხდომა",
    )
    photo.file.save("photo.jpg", ContentFile(_jpeg()), save=False)
    photo.renditions = {
        size: default_storage.save(
            f"archive/renditions/{size}.jpg", ContentFile(_jpeg())
        )
        for size in ("s", "m", "l")
    }
    photo.save()
    video = Asset(
        kind=Asset.Kind.VIDEO,
        original_name="სხდომა.mp4",
        extension="mp4",
        content_type="video/mp4",
        size=12,
        state=Asset.State.READY,
    )
    video.file.save("video.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"), save=False)
    video.save()
    album = Album.objects.create(title="სესია")
    album.assets.add(photo, video)
    appearance = MediaAppearance.objects.create(
        outlet=outlet,
        medium=MediaAppearance.Medium.TV,
        title="ინტერვიუ",
        aired_at=timezone.now(),
    )
    return {
        "asset": photo,
        "video": video,
        "album": album,
        "appearance": appearance,
    }


def _monitoring_objects(outlet):
    """A source, a topic and an item matched to it, for the monitoring URLs."""
    from media_monitoring.models import Item, ItemTopic, Source, Topic

    source = Source.objects.create(
        name="ნეტგაზეთი", url="https://netgazeti.example/rss", outlet=outlet
    )
    topic = Topic.objects.create(name="პენსიები", include_terms="პენსია*")
    item = Item.objects.create(
        source=source,
        outlet=outlet,
        title="პენსიები მომატებულია",
        url="https://netgazeti.example/1",
        external_id="1",
    )
    ItemTopic.objects.create(item=item, topic=topic, terms="პენსია")
    return {"source": source, "topic": topic, "item": item}


def _release_objects(person):
    """An approved release with a file and a delivery, for the release URLs."""
    from django.utils import timezone

    from prapp.models import User
    from pressreleases.models import (
        Delivery,
        Distribution,
        PressRelease,
        ReleaseAttachment,
        ReleaseVersion,
    )

    author = User.objects.create_user("release-author", password="x" * 12)
    release = PressRelease.objects.create(
        title_ka="ახალი ბაღი",
        body_ka="<p>ტექსტი</p>",
        author=author,
        status=PressRelease.Status.APPROVED,
        version=1,
        approved_version=1,
    )
    ReleaseVersion.objects.create(release=release, number=1, content={})
    attachment = ReleaseAttachment(
        release=release, original_name="a.pdf", content_type="application/pdf", size=9
    )
    attachment.file.save("a.pdf", ContentFile(b"%PDF-1.4 x"), save=False)
    attachment.save()
    distribution = Distribution.objects.create(
        release=release, created_by=author, scheduled_for=timezone.now()
    )
    delivery = Delivery.objects.create(
        distribution=distribution,
        release=release,
        person=person,
        email="nino@example.ge",
        language="ka",
        not_before=timezone.now(),
        status=Delivery.Status.UNKNOWN,
    )
    return {
        "release": release,
        "release_attachment": attachment,
        "distribution": distribution,
        "delivery": delivery,
    }


def _event_objects(person):
    """An event with one of each of its records, for URLs that need their key."""
    from datetime import timedelta

    from django.utils import timezone

    from events.models import (
        Accreditation,
        AgendaItem,
        ChecklistTask,
        Event,
        EventAttachment,
        EventType,
    )

    start = timezone.now() + timedelta(days=3)
    event = Event.objects.create(
        event_type=EventType.objects.get(code="council-session"),
        title="საკრებულოს სხდომა",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    attachment = EventAttachment(event=event, title="დღის წესრიგი")
    attachment.file.save("agenda.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    attachment.save()
    return {
        "event": event,
        "task": ChecklistTask.objects.create(event=event, title="დარბაზი"),
        "agenda_item": AgendaItem.objects.create(event=event, title="ბიუჯეტი"),
        "attachment": attachment,
        "accreditation": Accreditation.objects.create(
            event=event,
            full_name="თამარ ლომიძე",
            outlet="ნეტგაზეთი",
            role="reporter",
            email="tamar@example.ge",
        ),
    }


# Which object's key the events URLs take.
_EVENT_KEYS = {
    "events:event_detail": "event",
    "events:event_edit": "event",
    "events:outcome_edit": "event",
    "events:minutes_edit": "event",
    "events:guest_list": "event",
    "events:guest_list_print": "event",
    "events:event_ics": "event",
    "events:invite": "event",
    "events:checkin": "event",
    "events:accreditation_print": "event",
    "events:accreditation_badges": "event",
    "events:task_edit": "task",
    "events:agenda_edit": "agenda_item",
    "events:attachment_download": "attachment",
    "events:accreditation_detail": "accreditation",
    "pressreleases:detail": "release",
    "pressreleases:diff": "release",
    "pressreleases:progress": "release",
    "pressreleases:edit": "release",
    "pressreleases:send": "release",
    "pressreleases:archive_pick": "release",
    "pressreleases:attachment": "release_attachment",
    "media_monitoring:source_detail": "source",
    "media_monitoring:source_update": "source",
    "media_monitoring:source_delete": "source",
    "media_monitoring:topic_detail": "topic",
    "media_monitoring:topic_update": "topic",
    "media_monitoring:topic_delete": "topic",
    "media_monitoring:item_detail": "item",
    "archive:asset_detail": "asset",
    "archive:asset_delete": "asset",
    "archive:asset_original": "asset",
    "archive:asset_press_copy": "asset",
    "archive:asset_stream": "video",
    "archive:album_detail": "album",
    "archive:album_download": "album",
    "archive:album_update": "album",
    "archive:album_delete": "album",
    "archive:appearance_detail": "appearance",
    "archive:appearance_update": "appearance",
    "archive:appearance_delete": "appearance",
    "inquiries:request_detail": "request",
    "inquiries:request_letter": "request",
    "inquiries:attachment_download": "request_attachment",
    "inquiries:line_detail": "line",
    "inquiries:line_update": "line",
}


def _import_job():
    """A finished import uploaded by somebody else (a manager)."""
    from django.contrib.auth.models import Group

    from contacts.models import ImportJob
    from prapp.models import User

    owner = User.objects.create_user("importer", password="x" * 12)
    owner.groups.add(Group.objects.get(name="Manager"))
    job = ImportJob(
        created_by=owner,
        original_name="contacts.csv",
        file_format="csv",
        status=ImportJob.Status.DONE,
    )
    job.file.save("contacts.csv", ContentFile(b"first_name\nnino\n"), save=False)
    job.save()
    from django.core.files.storage import default_storage

    from contacts.services import import_report_name

    default_storage.save(import_report_name(job), ContentFile(b"row,result\n"))
    return job


# An import job is seen by the editor who uploaded it and by managers; another
# editor is told it does not exist, and a role without the import permission
# is refused.
IMPORT_JOB_PAGES = {
    "contacts:import_detail",
    "contacts:import_progress",
    "contacts:import_report",
}
IMPORT_JOB_STATUS = {
    "Manager": 200,
    "Editor": 404,
    "Monitor": 403,
    "Archivist": 403,
    "Viewer": 403,
}

# Which object's key the contacts URLs take, by the start of their name.
_CONTACT_KEYS = {
    "contacts:person_": "person",
    "contacts:email_": "email",
    "contacts:affiliation_": "affiliation",
    "contacts:organisation_": "organisation",
    "contacts:agreement_create": "organisation",
    "contacts:agreement_": "agreement",
    "contacts:group_": "group",
    "contacts:list_": "list",
    "contacts:import_": "import_job",
}


def _url(name, email, objects=None):
    if name.startswith("outbox_") and name != "outbox_test":
        return reverse(name, args=[email.pk])
    try:
        return reverse(name)
    except NoReverseMatch:
        if objects and name == "pressreleases:pdf":
            return reverse(name, args=[objects["release"].pk, "ka"])
        if name in ("inquiries_stats:export", "reports:activity_export"):
            return reverse(name, args=["csv"])
        if objects and name == "archive:rendition":
            return reverse(name, args=[objects["asset"].pk, "s"])
        if objects and name in _EVENT_KEYS:
            return reverse(name, args=[objects[_EVENT_KEYS[name]].pk])
        for prefix, key in _CONTACT_KEYS.items():
            if objects and name.startswith(prefix):
                return reverse(name, args=[objects[key].pk])
        raise


def test_every_named_url_is_classified():
    names = set(_named_patterns())
    unclassified = names - PUBLIC - set(EXPECTED) - POST_ONLY - IMPORT_JOB_PAGES
    assert not unclassified, f"Add these pages to the permission matrix: {unclassified}"


@pytest.mark.django_db
def test_anonymous_is_sent_to_login_from_every_staff_page(
    client, email, contact_objects
):
    login = reverse("login")
    for name in [*EXPECTED, *IMPORT_JOB_PAGES]:
        response = client.get(_url(name, email, contact_objects))
        assert response.status_code == 302, name
        assert response.url.startswith(login), name
    admin = client.get(reverse("admin:index"))
    assert admin.status_code == 302 and "login" in admin.url


@pytest.mark.django_db
def test_public_pages_open_without_login(client):
    assert 'name="username"' in client.get(reverse("login")).text
    assert "database" in client.get(reverse("healthz")).json()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_exactly_its_pages(
    client, make_user, role, email, contact_objects
):
    client.force_login(make_user(f"{role.lower()}-u", role=role))
    for name, allowed in EXPECTED.items():
        response = client.get(_url(name, email, contact_objects))
        expected = 200 if role in allowed else 403
        assert response.status_code == expected, (role, name, response.status_code)
    for name in IMPORT_JOB_PAGES:
        response = client.get(_url(name, email, contact_objects))
        expected = IMPORT_JOB_STATUS[role]
        assert response.status_code == expected, (role, name, response.status_code)


@pytest.mark.django_db
def test_user_without_role_only_reaches_home_and_own_profile(client, make_user, email):
    client.force_login(make_user("nobody"))
    home = client.get(reverse("reports:dashboard"))
    assert "data-worker-status" not in home.text
    assert reverse("contacts:index") not in home.text
    assert client.get(reverse("contacts:index")).status_code == 403
    assert client.get(reverse("outbox")).status_code == 403


@pytest.mark.django_db
def test_refused_test_email_changes_nothing(
    client, viewer, django_capture_on_commit_callbacks
):
    client.force_login(viewer)
    audit_before = AuditEntry.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("outbox_test"))
    assert response.status_code == 403
    assert callbacks == []
    assert CapturedEmail.objects.count() == 0
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.django_db
def test_anonymous_post_changes_nothing(client):
    response = client.post(reverse("outbox_test"))
    assert response.status_code == 302
    assert CapturedEmail.objects.count() == 0
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_admin_is_for_managers_only(client, make_user, manager):
    editor = make_user("editor", role="Editor")
    client.force_login(editor)
    assert client.get(reverse("admin:index")).status_code == 302
    client.force_login(manager)
    assert client.get(reverse("admin:index")).status_code == 200


def test_role_rules():
    assert role_grants("Manager", "pressreleases.approve_pressrelease")
    for role in ["Editor", "Monitor", "Archivist", "Viewer"]:
        for perm in MANAGER_ONLY:
            assert not role_grants(role, perm), (role, perm)
    assert role_grants("Viewer", "contacts.view_person")
    assert not role_grants("Viewer", "contacts.change_person")
    assert not role_grants("Viewer", "prapp.view_capturedemail")
    assert role_grants("Editor", "contacts.change_person")
    assert not role_grants("Editor", "media_monitoring.change_item")
    assert role_grants("Monitor", "media_monitoring.change_item")
    assert role_grants("Archivist", "archive.add_asset")
    assert not role_grants("Archivist", "pressreleases.add_pressrelease")
    assert not role_grants("Editor", "auth.change_user")


@pytest.mark.django_db
def test_groups_hold_the_permissions_of_their_role():
    from django.contrib.auth.models import Group

    viewer = Group.objects.get(name="Viewer")
    codes = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in viewer.permissions.select_related("content_type")
    }
    assert "contacts.access_app" in codes
    assert all(code.split(".")[1].startswith(("view_", "access_")) for code in codes)
    manager = Group.objects.get(name="Manager")
    assert manager.permissions.filter(codename="view_auditentry").exists()
    assert manager.permissions.filter(codename="change_user").exists()
