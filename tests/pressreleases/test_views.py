"""Staff pages of press releases: writing, review, sending, and who may do what."""

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from contacts.models import ContactList
from events.models import Event
from prapp.models import AuditEntry
from pressreleases import services
from pressreleases.models import (
    Delivery,
    Distribution,
    PressRelease,
    ReleaseAttachment,
    ReleaseComment,
    Tag,
)
from tests.contacts.factories import (
    ContactGroupFactory,
    ContactListFactory,
    PersonEmailFactory,
    PersonFactory,
)
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db

Status = PressRelease.Status

CONTENT = {
    "title_ka": "მერიამ ახალი ბაღი გახსნა",
    "lead_ka": "ქალაქს ახალი საბავშვო ბაღი ჰყავს.",
    "body_ka": "<p>ბაღი <strong>120</strong> ბავშვს მიიღებს.</p>",
    "title_hy": "Քաղաքապետարանը նոր մանկապարտեզ բացեց",
    "lead_hy": "Քաղաքն ունի նոր մանկապարտեզ։",
    "body_hy": "<p>Մանկապարտեզը կընդունի 120 երեխա։</p>",
}


# --- Fixtures and helpers ------------------------------------------------------


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def editor(make_user):
    # English pages, so that messages can be compared before translation.
    return make_user("editor", role="Editor", language="en")


@pytest.fixture
def boss(make_user):
    return make_user("boss", role="Manager", language="en")


@pytest.fixture
def boss2(make_user):
    return make_user("boss2", role="Manager", language="en")


def _release(actor, **extra) -> PressRelease:
    return services.release_create(data={**CONTENT, **extra}, actor=actor)


def _in_review(actor, **extra) -> PressRelease:
    release = _release(actor, **extra)
    return services.release_submit(release=release, actor=actor)


def _approved(author, approver, **extra) -> PressRelease:
    release = _in_review(author, **extra)
    return services.release_approve(release=release, actor=approver)


def _person(language="ka", email=None, **extra):
    person = PersonFactory(language=language, **extra)
    PersonEmailFactory(person=person, email=email or f"p{person.pk}@example.ge")
    return person


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _url(name, *args) -> str:
    return reverse(f"pressreleases:{name}", args=args)


def _png(name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (3, 2), (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _form_data(**overrides) -> dict:
    data = {
        "title_ka": "",
        "lead_ka": "",
        "body_ka": "",
        "title_hy": "",
        "lead_hy": "",
        "body_hy": "",
        "title_en": "",
        "lead_en": "",
        "body_en": "",
        "contact_person": "",
        "event": "",
        "embargo_until": "",
    }
    data.update(overrides)
    return data


def _release_form_data(release: PressRelease, **overrides) -> dict:
    data = _form_data(
        **{name: getattr(release, name) or "" for name in services.TRANSLATED_FIELDS}
    )
    data.update(overrides)
    return data


# --- The list ------------------------------------------------------------------


def test_list_shows_titles_status_languages_and_filters(client, editor, boss):
    health = Tag.objects.create(name="Health", slug="health")
    mine = _release(editor, embargo_until=timezone.now() + timedelta(days=2))
    mine.tags.add(health)
    other = services.release_create(
        data={"title_en": "Budget hearing", "body_en": "<p>x</p>"}, actor=boss
    )
    review = _in_review(
        boss,
        title_ka="ბიუჯეტის მოსმენა",
        title_hy="Բյուջետային լսումներ",
        lead_hy="",
        body_hy="<p>Լսումներ</p>",
    )
    client.force_login(editor)

    response = client.get(_url("index"))
    page = response.content.decode()
    assert response.status_code == 200
    # The English user sees the English title, else the fallback, marked by lang.
    assert f'lang="ka">{CONTENT["title_ka"]}</a>' in page
    assert ">Budget hearing</a>" in page
    assert '<abbr class="language-chip" title="Georgian">ka</abbr>' in page
    assert "release-status-in_review" in page
    assert "New release" in page  # the editor may add
    assert "data-review-count" not in page  # but does not approve

    def titles(query):
        rows = client.get(_url("index") + query).context["rows"]
        return {row["release"].pk for row in rows}

    assert titles("?status=to_review") == {review.pk}
    assert titles("?status=draft") == {mine.pk, other.pk}
    assert titles("?mine=on") == {mine.pk}
    assert titles(f"?tag={health.pk}") == {mine.pk}
    # Latin letters find the Georgian title.
    assert titles("?q=biujet") == {review.pk}
    assert titles("?q=Քաղաքապետարանը") == {mine.pk}


def test_list_counts_releases_waiting_for_review_for_approvers(client, editor, boss):
    _in_review(editor)
    _in_review(editor)
    _release(editor)
    client.force_login(boss)
    page = client.get(_url("index")).content.decode()
    assert 'data-review-count="2"' in page
    assert "2 releases are waiting for review." in page


def test_list_query_count_is_pinned(client, editor, django_assert_num_queries):
    tags = [Tag.objects.create(name=f"T{n}", slug=f"t{n}") for n in range(3)]
    for n in range(30):
        release = _release(editor, title_en=f"Release {n}")
        release.tags.set(tags)
    client.force_login(editor)
    client.get(_url("index"))  # warm the session and the permission cache
    # session, user, permissions (user, groups), status counts, tag choices,
    # page count, page rows.
    with django_assert_num_queries(8):
        response = client.get(_url("index") + "?page=2")
    assert len(response.context["rows"]) == 5


def test_index_keeps_its_name_and_needs_login(client):
    assert _url("index") == "/releases/"
    response = client.get(_url("index"))
    assert response.status_code == 302 and "login" in response.url


# --- Writing -------------------------------------------------------------------


def test_create_in_georgian_and_armenian_sanitises_the_body(client, editor):
    tag = Tag.objects.create(name="Education", slug="education")
    contact = PersonFactory(first_name="ნინო", last_name="ბერიძე")
    event = EventFactory()
    client.force_login(editor)

    page = client.get(_url("create"))
    assert page.status_code == 200
    body = page.content.decode()
    # The editor's import map is inline: it carries this response's CSP nonce.
    nonce = re.search(r"'nonce-([^']+)'", page["Content-Security-Policy"]).group(1)
    assert f'nonce="{nonce}"' in body
    assert 'lang="hy"' in body and "Armenian version" in body

    response = client.post(
        _url("create"),
        _form_data(
            title_ka=CONTENT["title_ka"],
            lead_ka=CONTENT["lead_ka"],
            body_ka='<p>ბაღი<script>alert("x")</script> <a href="javascript:x()">'
            "ბმული</a></p>",
            title_hy=CONTENT["title_hy"],
            body_hy=CONTENT["body_hy"],
            contact_person=f"{contact} (#{contact.pk})",
            event=str(event.pk),
            tags=[str(tag.pk)],
            embargo_until="2030-05-01T10:00",
        ),
    )
    release = PressRelease.objects.get()
    assert response.status_code == 302
    assert response.url == _url("detail", release.pk)
    assert release.author == editor
    assert release.status == Status.DRAFT
    assert release.title_hy == CONTENT["title_hy"]
    assert "<script" not in release.body_ka and "javascript:" not in release.body_ka
    assert "ბაღი" in release.body_ka
    assert release.contact_person == contact
    assert release.event == event
    assert list(release.tags.all()) == [tag]
    # Typed in the deployment's time zone (Tbilisi, UTC+4).
    assert release.embargo_until == datetime(2030, 5, 1, 6, 0, tzinfo=UTC)
    assert release.languages == ["ka", "hy"]
    assert release.versions.count() == 1
    # The edit page starts from what was saved.
    edit = client.get(_url("edit", release.pk)).content.decode()
    assert f'value="{contact} (#{contact.pk})"' in edit
    assert f'value="{event.pk}" selected' in edit
    assert 'value="2030-05-01T10:00"' in edit


def test_pages_render_in_georgian(client, manager, editor, boss):
    """The staff pages with Georgian formats and catalogue (the default user)."""
    release = _approved(editor, boss)
    services.release_update(release=release, data={"lead_ka": "ახალი"}, actor=editor)
    approved = _approved(editor, boss, embargo_until=timezone.now() + timedelta(1))
    client.force_login(manager)
    for url in (
        _url("send", approved.pk),
        _url("index"),
        _url("create"),
        _url("detail", release.pk),
        _url("edit", release.pk),
        _url("diff", release.pk),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="ka">' in response.content.decode()


def test_create_without_a_title_shows_the_error(client, editor):
    client.force_login(editor)
    response = client.post(_url("create"), _form_data(body_ka="<p>ტექსტი</p>"))
    assert response.status_code == 200
    assert "Give the release a title in at least one language." in (
        response.content.decode()
    )
    assert not PressRelease.objects.exists()


def test_edit_makes_version_two_and_the_diff_shows_the_words(client, editor):
    release = _release(editor, body_ka="<p>ბაღი ას ბავშვს მიიღებს.</p>")
    client.force_login(editor)
    page = client.get(_url("edit", release.pk))
    assert page.status_code == 200
    assert CONTENT["title_hy"] in page.content.decode()

    response = client.post(
        _url("edit", release.pk),
        _release_form_data(release, body_ka="<p>ბაღი ორას ბავშვს მიიღებს.</p>"),
    )
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.version == 2

    diff = client.get(_url("diff", release.pk))
    assert diff.status_code == 200
    assert (diff.context["old"], diff.context["new"]) == (1, 2)
    html = diff.content.decode()
    assert re.search(r"<del[^>]*>.*?ას.*?</del>", html)
    assert re.search(r"<ins[^>]*>.*?ორას.*?</ins>", html)
    # Only what changed is shown.
    assert 'data-diff-field="body_ka"' in html
    assert 'data-diff-field="title_ka"' not in html
    assert 'data-diff-field="body_hy"' not in html
    # A chosen pair, and a page with a single version, also work.
    assert client.get(_url("diff", release.pk) + "?old=1&new=2").status_code == 200
    single = _release(editor)
    assert client.get(_url("diff", single.pk)).context["changes"] is None


def test_editing_an_approved_release_sends_it_back_to_review(client, editor, boss):
    release = _approved(editor, boss)
    client.force_login(editor)
    page = client.get(_url("edit", release.pk)).content.decode()
    assert "data-approved-warning" in page
    response = client.post(
        _url("edit", release.pk),
        _release_form_data(release, lead_ka="შესწორებული შესავალი"),
    )
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW
    assert release.approved_by is None
    assert "back in review" in " ".join(_messages(response))


def test_edit_is_refused_when_the_release_cannot_change(client, editor, boss):
    release = _approved(editor, boss)
    services.release_withdraw(release=release, actor=boss, reason="შეცდომა")
    client.force_login(editor)
    before = list(PressRelease.objects.values())
    response = client.get(_url("edit", release.pk))
    assert response.status_code == 302 and response.url == _url("detail", release.pk)
    response = client.post(
        _url("edit", release.pk), _release_form_data(release, title_ka="ახალი")
    )
    assert response.status_code == 302
    assert "can no longer be changed" in " ".join(_messages(response))
    assert list(PressRelease.objects.values()) == before


# --- The release page and its workflow -------------------------------------------


def test_detail_shows_versions_workflow_and_buttons(client, editor):
    release = _release(editor, body_en="<p>Hello<script>alert(1)</script></p>")
    client.force_login(editor)
    response = client.get(_url("detail", release.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<article lang="hy"' in page and CONTENT["title_hy"] in page
    assert "<script>alert" not in page
    assert 'aria-current="step"' in page
    assert _url("submit", release.pk) in page
    assert _url("edit", release.pk) in page
    assert _url("delete", release.pk) in page
    assert _url("pdf", release.pk, "ka") in page
    assert _url("approve", release.pk) not in page  # editors do not approve


def test_detail_query_count_is_pinned(client, editor, boss, django_assert_num_queries):
    release = _release(editor)
    release.tags.add(Tag.objects.create(name="A", slug="a"))
    services.comment_add(release=release, actor=boss, body="კარგია")
    services.attachment_add(release=release, actor=editor, upload=_png())
    client.force_login(boss)
    client.get(_url("detail", release.pk))
    # session, user, permissions (user, groups), the release with author,
    # approver, contact and event, then tags, attachments, comments, versions
    # and distributions.
    with django_assert_num_queries(10):
        response = client.get(_url("detail", release.pk))
    assert response.status_code == 200


def test_submit(client, editor):
    release = _release(editor)
    client.force_login(editor)
    response = client.post(_url("submit", release.pk))
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW


def test_submit_refuses_a_version_without_text(client, editor):
    release = _release(editor, title_en="Only a title")
    client.force_login(editor)
    response = client.post(_url("submit", release.pk))
    release.refresh_from_db()
    assert release.status == Status.DRAFT
    assert "title but no text" in " ".join(_messages(response))


def test_author_is_refused_approval_and_shown_why(client, boss):
    release = _in_review(boss)
    client.force_login(boss)
    page = client.get(_url("detail", release.pk)).content.decode()
    assert "data-approval-refusal" in page
    assert "four eyes" in page
    assert _url("approve", release.pk) not in page
    audit = AuditEntry.objects.count()

    response = client.post(_url("approve", release.pk))
    assert response.status_code == 302
    assert any("four eyes" in message for message in _messages(response))
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW
    assert release.approved_by is None
    assert AuditEntry.objects.count() == audit


def test_an_editor_may_not_approve(client, editor):
    release = _in_review(editor)
    client.force_login(editor)
    assert client.post(_url("approve", release.pk)).status_code == 403
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW


def test_another_manager_approves(client, editor, boss):
    release = _in_review(editor)
    client.force_login(boss)
    page = client.get(_url("detail", release.pk)).content.decode()
    assert _url("approve", release.pk) in page
    response = client.post(_url("approve", release.pk))
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.status == Status.APPROVED
    assert release.approved_by == boss
    assert release.approved_version == release.version
    page = client.get(_url("detail", release.pk)).content.decode()
    assert "by boss" in page


def test_return_to_the_author_needs_a_comment(client, editor, boss):
    release = _in_review(editor)
    client.force_login(boss)
    response = client.post(_url("return", release.pk), {"return-comment": " "})
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW
    assert _messages(response)

    client.post(_url("return", release.pk), {"return-comment": "შეამოკლეთ შესავალი"})
    release.refresh_from_db()
    assert release.status == Status.DRAFT
    assert release.comments.get().body == "შეამოკლეთ შესავალი"
    assert (
        "შეამოკლეთ შესავალი" in client.get(_url("detail", release.pk)).content.decode()
    )


def test_comment_add(client, editor):
    release = _release(editor)
    client.force_login(editor)
    response = client.post(_url("comment_add", release.pk), {"comment-body": "ok"})
    assert response.url.endswith("#comments")
    assert ReleaseComment.objects.get().body == "ok"


def test_publish(client, editor, boss):
    release = _approved(editor, boss)
    client.force_login(editor)
    client.post(_url("publish", release.pk))
    release.refresh_from_db()
    assert release.status == Status.PUBLISHED
    assert release.published_at is not None
    assert release.is_public()
    page = client.get(_url("detail", release.pk)).content.decode()
    public = reverse(
        "newsroom:detail",
        kwargs={"language": "hy", "pk": release.pk, "slug": release.slug},
    )
    assert public in page
    assert _url("publish", release.pk) not in page  # published once


def test_withdraw_needs_a_reason(client, editor, boss):
    release = _approved(editor, boss)
    client.force_login(boss)
    response = client.post(_url("withdraw", release.pk), {"withdraw-reason": ""})
    release.refresh_from_db()
    assert release.status == Status.APPROVED
    assert _messages(response)
    client.post(_url("withdraw", release.pk), {"withdraw-reason": "ციფრები შეცდომით"})
    release.refresh_from_db()
    assert release.status == Status.WITHDRAWN
    assert release.withdrawn_reason == "ციფრები შეცდომით"
    page = client.get(_url("detail", release.pk)).content.decode()
    assert "ციფრები შეცდომით" in page
    assert _url("withdraw", release.pk) not in page


def test_delete_a_draft(client, editor):
    release = _release(editor)
    client.force_login(editor)
    response = client.post(_url("delete", release.pk))
    assert response.url == _url("index")
    assert not PressRelease.objects.exists()


def test_pdf_download(client, editor, monkeypatch):
    from pressreleases import pdf

    calls = []

    def fake_pdf(release, language):
        calls.append(language)
        return b"%PDF-1.7 fake"

    monkeypatch.setattr(pdf, "release_pdf", fake_pdf)
    monkeypatch.setattr(pdf, "release_pdf_filename", lambda r, lang: f"pr-{lang}.pdf")
    release = _release(editor)
    client.force_login(editor)
    response = client.get(_url("pdf", release.pk, "hy"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="pr-hy.pdf"'
    assert response.content == b"%PDF-1.7 fake"
    assert calls == ["hy"]
    assert client.get(_url("pdf", release.pk, "de")).status_code == 404


# --- Attachments -------------------------------------------------------------------


def test_attachment_upload_download_and_remove(client, editor):
    release = _release(editor)
    client.force_login(editor)
    response = client.post(
        _url("attachment_add", release.pk),
        {"attachment-file": _png("ფოტო.png"), "attachment-title": "ფოტო"},
    )
    assert response.url.endswith("#attachments")
    attachment = ReleaseAttachment.objects.get()
    assert attachment.content_type == "image/png"
    release.refresh_from_db()
    assert release.version == 2

    download = client.get(_url("attachment", attachment.pk))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"\x89PNG")
    download.close()

    client.logout()
    anonymous = client.get(_url("attachment", attachment.pk))
    assert anonymous.status_code == 302 and "login" in anonymous.url

    client.force_login(editor)
    client.post(_url("attachment_remove", attachment.pk))
    assert not ReleaseAttachment.objects.exists()


def test_a_fake_pdf_is_refused_with_the_reason(client, editor):
    release = _release(editor)
    client.force_login(editor)
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf at all")
    response = client.post(
        _url("attachment_add", release.pk), {"attachment-file": fake}
    )
    assert "contents do not match its extension" in " ".join(_messages(response))
    assert not ReleaseAttachment.objects.exists()
    release.refresh_from_db()
    assert release.version == 1


# --- Sending -------------------------------------------------------------------------


@pytest.fixture
def audience():
    """Georgian, Armenian and English readers in a list and a group, one of them
    chosen three times; an opted-out person; one without an address; one with
    two addresses."""
    ka = _person("ka", "nino@example.ge", receives_embargoed=True)
    hy = _person("hy", "ani@example.am")
    en = _person("en", "john@example.org")
    opted_out = _person("ka", "gone@example.ge", opted_out_at=timezone.now())
    no_address = PersonFactory(language="ka")
    two_addresses = _person("hy", "aram@example.am")
    PersonEmailFactory(person=two_addresses, email="aram@work.am", is_primary=False)
    contact_list = ContactListFactory(kind=ContactList.Kind.STATIC)
    contact_list.members.add(ka, hy, en, opted_out, no_address, two_addresses)
    group = ContactGroupFactory()
    group.people.add(ka, en)
    return {
        "list": contact_list,
        "group": group,
        "ka": ka,
        "hy": hy,
        "en": en,
        "two_addresses": two_addresses,
    }


def test_send_preview_counts_the_audience(client, editor, boss, audience):
    release = _approved(editor, boss)
    client.force_login(editor)
    assert client.get(_url("send", release.pk)).status_code == 200
    response = client.post(
        _url("send", release.pk),
        {"lists": [audience["list"].pk], "groups": [audience["group"].pk],
         "people": [audience["ka"].pk], "when": "now", "attach_pdf": "on",
         "preview": "1"},
    )  # fmt: skip
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.chosen == 6  # the Georgian reader, chosen three times, once
    assert preview.to_send == 4  # one address each
    assert preview.left_out == 2  # opted out, no address
    assert preview.already_received == 0
    # The English reader gets the first fallback that exists (Georgian).
    assert preview.by_language == {"ka": 2, "hy": 2}
    page = response.content.decode()
    assert 'data-preview-count="to_send">4<' in page
    assert 'data-preview-count="left_out">2<' in page
    assert "Send to 4 recipients" in page
    assert "data-embargo-warning" not in page
    assert not Distribution.objects.exists()


def test_send_preview_adds_a_typed_person_and_warns_of_the_embargo(
    client, editor, boss, audience
):
    release = _approved(editor, boss, embargo_until=timezone.now() + timedelta(days=1))
    client.force_login(editor)
    ka, hy = audience["ka"], audience["hy"]
    response = client.post(
        _url("send", release.pk),
        {"people": [ka.pk], "add_person": f"{hy} (#{hy.pk})", "when": "now",
         "preview": "1"},
    )  # fmt: skip
    assert response.context["preview"].to_send == 2
    # The typed person is now one of the ticked people.
    form = response.context["form"]
    assert {int(v) for v in form.data.getlist("people")} == {ka.pk, hy.pk}
    page = response.content.decode()
    assert "data-embargo-warning" in page
    assert "Only 1 contact marked for embargoed releases gets it now" in page


def test_send_needs_an_audience_and_a_future_time(client, editor, boss):
    release = _approved(editor, boss)
    client.force_login(editor)
    response = client.post(_url("send", release.pk), {"when": "now", "send": "1"})
    assert "Choose at least one list, group or person." in response.content.decode()
    response = client.post(
        _url("send", release.pk),
        {"groups": [], "people": [], "when": "later",
         "scheduled_for": "2001-01-01T10:00", "send": "1"},
    )  # fmt: skip
    assert response.status_code == 200
    assert not Distribution.objects.exists()


def test_send_is_refused_before_approval(client, editor):
    release = _in_review(editor)
    client.force_login(editor)
    response = client.get(_url("send", release.pk))
    assert response.status_code == 302
    assert "Only an approved release can be sent." in _messages(response)


def test_send_creates_the_ledger_in_each_language(
    client, editor, boss, audience, django_capture_on_commit_callbacks
):
    release = _approved(editor, boss)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            _url("send", release.pk),
            {"lists": [audience["list"].pk], "groups": [audience["group"].pk],
             "when": "now", "attach_pdf": "on", "publish": "on", "send": "1"},
        )  # fmt: skip
    assert response.status_code == 302
    assert response.url == _url("detail", release.pk) + "#distributions"
    assert len(callbacks) == 1
    distribution = Distribution.objects.get()
    assert distribution.created_by == editor
    assert distribution.attach_pdf is True
    assert list(distribution.lists.all()) == [audience["list"]]
    rows = {(d.person_id, d.email, d.language) for d in Delivery.objects.all()}
    assert rows == {
        (audience["ka"].pk, "nino@example.ge", "ka"),
        (audience["hy"].pk, "ani@example.am", "hy"),
        (audience["en"].pk, "john@example.org", "ka"),
        (audience["two_addresses"].pk, "aram@example.am", "hy"),
    }
    assert distribution.total == 4
    assert distribution.left_out == 2
    release.refresh_from_db()
    assert release.status == Status.SCHEDULED
    assert release.published_at is not None
    assert "4 recipients" in " ".join(_messages(response))

    # Sending to the same list again reaches only who has not had it.
    preview = client.post(
        _url("send", release.pk),
        {"lists": [audience["list"].pk], "when": "now", "preview": "1"},
    ).context["preview"]
    assert (preview.to_send, preview.already_received) == (0, 4)


def test_send_later_schedules(
    client, editor, boss, audience, django_capture_on_commit_callbacks
):
    release = _approved(editor, boss)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(
            _url("send", release.pk),
            {"people": [audience["hy"].pk], "when": "later",
             "scheduled_for": "2031-03-01T09:30", "send": "1"},
        )  # fmt: skip
    distribution = Distribution.objects.get()
    assert distribution.scheduled_for == datetime(2031, 3, 1, 5, 30, tzinfo=UTC)
    assert distribution.attach_pdf is False  # the box was left unticked
    assert Delivery.objects.get().not_before == distribution.scheduled_for


def test_test_send_queues_a_task(client, editor, django_capture_on_commit_callbacks):
    release = _release(editor)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(_url("test_send", release.pk))
    assert len(callbacks) == 1
    assert "editor@example.ge" in " ".join(_messages(response))
    assert AuditEntry.objects.filter(action="pressreleases.release.test_sent").exists()


def _ledger(release, user, statuses) -> Distribution:
    """A distribution with one delivery row per status, as the worker leaves them."""
    distribution = Distribution.objects.create(
        release=release,
        created_by=user,
        scheduled_for=timezone.now(),
        status=Distribution.Status.SENDING,
        total=len(statuses),
    )
    now = timezone.now()
    for n, status in enumerate(statuses):
        Delivery.objects.create(
            distribution=distribution,
            release=release,
            email=f"r{n}@example.ge",
            name=f"Recipient {n}",
            language="ka",
            status=status,
            not_before=now,
            sent_at=now if status == "sent" else None,
            error="550 mailbox unavailable" if status == "failed" else "",
        )
    return distribution


def test_progress_json_and_the_distribution_table(client, editor, boss):
    release = _approved(editor, boss)
    distribution = _ledger(
        release, editor, ["sent", "sent", "failed", "pending", "sending", "unknown"]
    )
    client.force_login(editor)
    data = client.get(_url("progress", release.pk)).json()
    assert (data["total"], data["sent"], data["failed"]) == (6, 2, 1)
    assert data["unknown"] == 1
    assert data["waiting"] == 2
    assert data["distributions"][str(distribution.pk)]["sent"] == 2
    assert data["distributions"][str(distribution.pk)]["waiting"] == 2

    response = client.get(_url("detail", release.pk))
    page = response.content.decode()
    assert 'data-progress-active="1"' in page
    assert 'aria-live="polite"' in page
    assert 'data-progress-count="sent">2<' in page
    assert "550 mailbox unavailable" in page  # the failed row and its error
    assert _url("delivery_resolve", Delivery.objects.get(status="unknown").pk) in page
    assert _url("distribution_cancel", distribution.pk) in page


def test_fate_unknown_buttons_call_the_engine(client, editor, boss, monkeypatch):
    from pressreleases import delivery as engine

    calls = []
    monkeypatch.setattr(
        engine,
        "delivery_resolve",
        lambda *, delivery, actor, outcome: calls.append((delivery.pk, actor, outcome)),
    )
    release = _approved(editor, boss)
    _ledger(release, editor, ["unknown", "unknown"])
    first, second = Delivery.objects.order_by("pk")
    client.force_login(editor)
    response = client.post(_url("delivery_resolve", first.pk), {"outcome": "sent"})
    assert response.url.endswith("#unknown")
    client.post(_url("delivery_resolve", second.pk), {"outcome": "resend"})
    client.post(_url("delivery_resolve", second.pk), {"outcome": "shrug"})
    assert calls == [(first.pk, editor, "sent"), (second.pk, editor, "resend")]


def test_fate_unknown_decisions_reach_the_ledger(
    client, editor, boss, django_capture_on_commit_callbacks
):
    release = _approved(editor, boss)
    _ledger(release, editor, ["unknown", "unknown"])
    first, second = Delivery.objects.order_by("pk")
    client.force_login(editor)
    response = client.post(_url("delivery_resolve", first.pk), {"outcome": "sent"})
    assert "r0@example.ge is recorded as sent." in _messages(response)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(_url("delivery_resolve", second.pk), {"outcome": "resend"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Delivery.Status.SENT
    assert second.status == Delivery.Status.PENDING
    assert len(callbacks) == 1  # the distribution runs again
    # Deciding twice is refused by the engine, with its reason.
    response = client.post(_url("delivery_resolve", first.pk), {"outcome": "resend"})
    assert _messages(response)[-1] == (
        "Only a message whose fate is unknown can be decided."
    )
    first.refresh_from_db()
    assert first.status == Delivery.Status.SENT


def test_cancel_a_distribution(client, editor, boss):
    release = _approved(editor, boss)
    distribution = _ledger(release, editor, ["sent", "pending", "pending"])
    client.force_login(editor)
    response = client.post(_url("distribution_cancel", distribution.pk))
    assert response.url.endswith("#distributions")
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.CANCELLED
    assert Delivery.objects.count() == 1
    assert "2 messages were not sent" in " ".join(_messages(response))


# --- Who may do what ---------------------------------------------------------------


@pytest.fixture
def objects(editor, boss):
    draft = _release(editor, title_en="Draft")
    attachment = services.attachment_add(release=draft, actor=editor, upload=_png())
    approved = _approved(editor, boss, title_en="Approved", body_en="<p>x</p>")
    distribution = _ledger(approved, editor, ["pending", "unknown"])
    return {
        "approved": approved,
        "draft": draft,
        "attachment": attachment,
        "distribution": distribution,
        "delivery": Delivery.objects.get(status="unknown"),
    }


def _pages(objects) -> dict[str, bool]:
    """Each GET page and whether a Viewer may open it."""
    pk = objects["draft"].pk
    return {
        _url("index"): True,
        _url("detail", pk): True,
        _url("diff", pk): True,
        _url("progress", pk): True,
        _url("attachment", objects["attachment"].pk): True,
        _url("create"): False,
        _url("edit", pk): False,
        _url("send", objects["approved"].pk): False,
    }


def _posts(objects):
    approved, draft = objects["approved"].pk, objects["draft"].pk
    return [
        (_url("create"), {"title_ka": "x"}),
        (_url("edit", draft), {"title_ka": "x"}),
        (_url("submit", draft), {}),
        (_url("approve", approved), {}),
        (_url("return", approved), {"return-comment": "x"}),
        (_url("publish", approved), {}),
        (_url("withdraw", approved), {"withdraw-reason": "x"}),
        (_url("delete", draft), {}),
        (_url("comment_add", draft), {"comment-body": "x"}),
        (_url("test_send", draft), {}),
        (_url("send", approved), {"people": [], "when": "now", "send": "1"}),
        (
            _url("attachment_add", draft),
            {"attachment-file": _png()},
        ),
        (_url("attachment_remove", objects["attachment"].pk), {}),
        (_url("distribution_cancel", objects["distribution"].pk), {}),
        (_url("delivery_resolve", objects["delivery"].pk), {"outcome": "sent"}),
    ]


def _state():
    return (
        list(PressRelease.objects.order_by("pk").values()),
        list(ReleaseComment.objects.values()),
        list(ReleaseAttachment.objects.values()),
        list(Distribution.objects.values()),
        list(Delivery.objects.values()),
        AuditEntry.objects.count(),
    )


def test_anonymous_is_sent_to_login(client, objects):
    for url in _pages(objects):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url, url


def test_viewer_reads_but_cannot_act(client, viewer, objects):
    client.force_login(viewer)
    for url, allowed in _pages(objects).items():
        assert client.get(url).status_code == (200 if allowed else 403), url
    for release in (objects["approved"], objects["draft"]):
        page = client.get(_url("detail", release.pk)).content.decode()
        for name in ("submit", "approve", "publish", "withdraw", "delete", "edit"):
            assert _url(name, release.pk) not in page, name
        assert _url("attachment_add", release.pk) not in page
        assert _url("comment_add", release.pk) not in page
        assert "/resolve/" not in page and "/cancel/" not in page
        assert _url("test_send", release.pk) not in page
        assert _url("send", release.pk) not in page
    before = _state()
    for url, data in _posts(objects):
        assert client.post(url, data).status_code == 403, url
    assert _state() == before


def test_post_only_urls_refuse_get(client, boss, objects):
    client.force_login(boss)
    draft = objects["draft"].pk
    for url in (_url("submit", draft), _url("approve", draft), _url("delete", draft)):
        assert client.get(url).status_code == 405


def test_event_choices_are_recent_and_upcoming(client, editor):
    soon = EventFactory()
    old = EventFactory(starts_at=timezone.now() - timedelta(days=800))
    old.ends_at = old.starts_at + timedelta(hours=1)
    old.save()
    client.force_login(editor)
    choices = client.get(_url("create")).context["form"].fields["event"].queryset
    assert soon in choices and old not in choices
    assert Event.objects.count() == 2


def test_detail_queries_do_not_grow_with_distributions(client, editor, boss):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    release = _approved(editor, boss)
    _ledger(release, editor, ["sent", "unknown", "failed"])
    client.force_login(boss)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url("detail", release.pk)).status_code == 200
        return len(queries)

    first = count()
    for _n in range(3):
        distribution = _ledger(release, editor, [])
        for n, status in enumerate(["sent", "unknown", "failed", "pending"]):
            Delivery.objects.create(
                distribution=distribution,
                release=release,
                email=f"x{distribution.pk}-{n}@example.ge",
                language="hy",
                status=status,
                not_before=timezone.now(),
                sent_at=timezone.now() if status == "sent" else None,
            )
    assert count() == first
