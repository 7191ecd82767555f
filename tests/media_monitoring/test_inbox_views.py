"""The inbox pages: list, bulk triage, item page, log a mention; actors and queries."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from contacts.models import Organisation
from media_monitoring import matching
from media_monitoring.models import Item, ItemNote, ItemTopic
from prapp.models import AuditEntry, CapturedEmail

from .test_inbox_services import HOSTILE, make_item, make_source, make_topic

INDEX = reverse("media_monitoring:index")
BULK = reverse("media_monitoring:items_bulk")
CREATE = reverse("media_monitoring:item_create")


def _detail(item, name="item_detail"):
    return reverse(f"media_monitoring:{name}", args=[item.pk])


@pytest.fixture
def monitor(make_user):
    return make_user("monitor", role="Monitor", first_name="ნინო", last_name="ბერიძე")


@pytest.fixture
def colleague(make_user):
    return make_user("anna", role="Monitor", language="hy", first_name="Աննա")


@pytest.fixture
def editor(make_user):
    return make_user("editor", role="Editor")


@pytest.fixture
def no_matching(monkeypatch):
    """Logging calls the matching work's items_match; these tests do not need it."""
    monkeypatch.setattr(matching, "items_match", lambda *, items, topics=None: [])


def _snapshot():
    return (
        list(Item.objects.order_by("pk").values()),
        ItemNote.objects.count(),
        AuditEntry.objects.count(),
        CapturedEmail.objects.count(),
    )


# --- Actors -----------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login(client):
    item = make_item()
    for url in (INDEX, CREATE, _detail(item)):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]
    before = _snapshot()
    response = client.post(BULK, {"items": [item.pk], "status": "archived"})
    assert response.status_code == 302 and "/login" in response["Location"]
    assert _snapshot() == before


@pytest.mark.django_db
def test_a_viewer_reads_but_every_write_is_refused_and_changes_nothing(
    client, viewer, monitor, no_matching
):
    item = make_item(kind="social", response_due_at=timezone.now())
    client.force_login(viewer)
    page = client.get(INDEX).text
    assert item.title in page
    # No bulk form, no log button for a reader.
    assert 'id="bulk-form"' not in page and CREATE not in page
    detail = client.get(_detail(item)).text
    assert item.title in detail
    assert _detail(item, "item_update") not in detail
    assert _detail(item, "item_respond") not in detail
    before = _snapshot()
    posts = [
        (BULK, {"items": [item.pk], "status": "archived"}),
        (_detail(item, "item_update"), {"status": "archived"}),
        (_detail(item, "item_assign"), {}),
        (_detail(item, "item_note_add"), {"text": "შენიშვნა"}),
        (_detail(item, "item_respond"), {"text": "პასუხი"}),
        (CREATE, {"kind": "tv", "title": "იმედი"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert client.get(CREATE).status_code == 403
    assert _snapshot() == before


@pytest.mark.django_db
def test_an_editor_may_not_record_a_response(client, editor):
    item = make_item(kind="social", status="needs_response")
    client.force_login(editor)
    before = _snapshot()
    response = client.post(_detail(item, "item_respond"), {"text": "პასუხი"})
    assert response.status_code == 403
    assert _snapshot() == before


@pytest.mark.django_db
def test_someone_without_the_app_cannot_read_the_inbox(client, make_user):
    item = make_item()
    client.force_login(make_user("nobody"))
    assert client.get(INDEX).status_code == 403
    assert client.get(_detail(item)).status_code == 403


# --- The inbox -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_inbox_lists_open_items_with_badges_topics_and_flags(client, monitor):
    outlet = Organisation.objects.create(name="ტაბულა", kind="media")
    topic = make_topic()
    item = make_item(1, outlet=outlet, misinformation=True, sentiment="negative")
    ItemTopic.objects.create(item=item, topic=topic, terms="damtsvel")
    overdue = make_item(
        2,
        kind="social",
        status="needs_response",
        response_due_at=timezone.now() - timedelta(hours=1),
    )
    hidden = make_item(3, title="უკვე დაარქივებული", status="archived")
    client.force_login(monitor)
    page = client.get(INDEX).text
    assert item.title in page and overdue.title in page
    assert hidden.title not in page
    assert "ტაბულა" in page and topic.name in page
    assert 'class="badge monitoring-flag"' in page
    assert "monitoring-status-needs_response" in page
    assert "inbox-overdue" in page
    assert 'name="items"' in page and "csrfmiddlewaretoken" in page
    assert CREATE in page
    assert "media_monitoring/inbox.js" in page and "<script>" not in page
    assert 'data-inbox-count="2"' in page
    # The status labels are the model's, lower case, never transformed.
    with translation.override("ka"):
        label = str(Item.Status.NEEDS_RESPONSE.label)
    assert f'data-status="needs_response">{label}</span>' in page
    assert "text-uppercase" not in page
    assert client.get(INDEX, {"status": "all"}).text.count("data-item=") == 3


@pytest.mark.django_db
def test_the_inbox_search_crosses_scripts(client, monitor):
    georgian = make_item(1)
    armenian = make_item(
        2, title="Մարդու իրավունքների պաշտպանի զեկույցը", summary="", language="hy"
    )
    client.force_login(monitor)
    page = client.get(INDEX, {"q": "pashtpan"}).text
    assert armenian.title in page and georgian.title not in page
    # An Armenian title on a Georgian page says which language it is in.
    assert 'lang="hy"' in page
    page = client.get(INDEX, {"q": "damtsvel"}).text
    assert georgian.title in page and armenian.title not in page
    page = client.get(INDEX, {"q": "არაფერი-ასეთი"}).text
    assert "data-item=" not in page


@pytest.mark.django_db
def test_the_inbox_filters_by_assignee_and_overdue(client, monitor, colleague):
    mine = make_item(1, assignee=monitor)
    theirs = make_item(2, assignee=colleague)
    late = make_item(
        3, kind="social", response_due_at=timezone.now() - timedelta(minutes=5)
    )
    client.force_login(monitor)
    page = client.get(INDEX, {"assignee": "me"}).text
    assert mine.title in page and theirs.title not in page
    page = client.get(INDEX, {"overdue": "on"}).text
    assert late.title in page and mine.title not in page


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 50])
def test_the_inbox_costs_a_fixed_number_of_queries(
    client, monitor, colleague, count, django_assert_num_queries
):
    source = make_source(1, outlet=Organisation.objects.create(name="A", kind="media"))
    topics = [make_topic(f"თემა {n}") for n in range(3)]
    for n in range(count):
        item = make_item(n, source=source, assignee=colleague, outlet=source.outlet)
        for topic in topics:
            ItemTopic.objects.create(item=item, topic=topic, terms="x")
    client.force_login(monitor)
    client.get(INDEX)  # warm the content-type and permission caches
    # session, user, permissions (2); staff; filter choices: topics, sources,
    # outlets; the page's rows, their topic matches; the capped count
    with django_assert_num_queries(11):
        response = client.get(INDEX)
    assert response.text.count('name="items"') == count


@pytest.mark.django_db
def test_the_inbox_pages_by_50(client, monitor):
    for n in range(55):
        make_item(n)
    client.force_login(monitor)
    page = client.get(INDEX)
    assert page.text.count("data-item=") == 50
    assert 'data-inbox-count="55"' in page.text
    cursor = page.context["page"].next_cursor
    second = client.get(INDEX, {"after": cursor}).text
    assert second.count("data-item=") == 5


# --- Bulk triage -----------------------------------------------------------------


@pytest.mark.django_db
def test_bulk_triage_from_the_list(client, monitor, colleague):
    items = [make_item(n) for n in range(3)]
    client.force_login(monitor)
    response = client.post(
        BULK,
        {
            "items": [items[0].pk, items[1].pk],
            "status": "relevant",
            "assignee": str(colleague.pk),
            "sentiment": "",
            "next": INDEX + "?status=all",
        },
    )
    assert response.status_code == 302 and response["Location"] == INDEX + "?status=all"
    statuses = dict(Item.objects.values_list("pk", "status"))
    assert statuses == {
        items[0].pk: "relevant",
        items[1].pk: "relevant",
        items[2].pk: "new",
    }
    assert set(
        Item.objects.filter(status="relevant").values_list("assignee", flat=True)
    ) == {colleague.pk}
    assert (
        AuditEntry.objects.filter(action="media_monitoring.item.changed").count() == 2
    )


@pytest.mark.django_db
def test_bulk_triage_needs_items_and_a_change_and_ignores_foreign_next(client, monitor):
    item = make_item()
    client.force_login(monitor)
    response = client.post(BULK, {"status": "relevant"})
    assert response.status_code == 302
    response = client.post(
        BULK, {"items": [item.pk], "next": "https://evil.example.com/"}
    )
    assert response["Location"] == INDEX
    item.refresh_from_db()
    assert item.status == "new" and not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_keyboard_triage_posts_and_gets_json(client, monitor):
    item = make_item()
    client.force_login(monitor)
    response = client.post(
        BULK,
        {"items": [item.pk], "status": "needs_response"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["changed"] == 1 and body["status"] == "needs_response"
    assert body["status_label"]
    item.refresh_from_db()
    assert item.status == "needs_response"
    bad = client.post(
        BULK, {"items": ["x"], "status": "new"}, headers={"Accept": "application/json"}
    )
    assert bad.status_code == 400 and json.loads(bad.content)["errors"]


# --- One item --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_item_page_shows_text_topics_same_story_and_forms(client, monitor):
    first, second = make_source(1), make_source(2, name="Armenpress")
    topic = make_topic()
    item = make_item(
        1,
        source=first,
        fingerprint="story",
        url="https://news1.example.ge/a/1",
        summary="პირველი ხაზი\nმეორე ხაზი",
    )
    ItemTopic.objects.create(item=item, topic=topic, terms="damtsvel")
    sibling = make_item(
        2,
        source=second,
        fingerprint="story",
        title="Պաշտպանի հայտարարությունը",
        language="hy",
    )
    client.force_login(monitor)
    page = client.get(_detail(item)).text
    assert "პირველი ხაზი<br>მეორე ხაზი" in page
    assert 'href="https://news1.example.ge/a/1" rel="noopener noreferrer"' in page
    assert topic.name in page and "damtsvel" in page
    assert sibling.title in page and f'lang="hy">{sibling.title}' in page
    for name in ("item_update", "item_note_add", "item_respond", "item_share"):
        assert _detail(item, name) in page


@pytest.mark.django_db
def test_a_hostile_title_and_link_are_harmless_on_both_pages(client, monitor):
    item = make_item(title=HOSTILE, summary=HOSTILE, url="javascript:alert(1)")
    client.force_login(monitor)
    for url in (INDEX, _detail(item)):
        page = client.get(url).text
        assert HOSTILE not in page
        assert "&lt;script&gt;" in page
        assert "javascript:alert" not in page


@pytest.mark.django_db
def test_triage_on_the_item_page_assigns_and_emails_in_the_assignees_language(
    client, monitor, colleague, django_capture_on_commit_callbacks
):
    item = make_item()
    topic = make_topic()
    client.force_login(monitor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _detail(item, "item_update"),
            {
                "status": "relevant",
                "sentiment": "positive",
                "assignee": colleague.pk,
                "misinformation": "on",
                "topics": [topic.pk],
            },
        )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.sentiment, item.assignee, item.misinformation) == (
        "relevant",
        "positive",
        colleague,
        True,
    )
    assert list(item.topics.all()) == [topic]
    [mail] = CapturedEmail.objects.all()
    assert mail.to == [colleague.email] and 'lang="hy"' in mail.body_html
    assert item.get_absolute_url() in mail.body_text


@pytest.mark.django_db
def test_an_invalid_triage_shows_the_page_again(client, monitor):
    item = make_item()
    client.force_login(monitor)
    response = client.post(_detail(item, "item_update"), {"status": "gone"})
    assert response.status_code == 200
    assert "is-invalid" in response.text
    item.refresh_from_db()
    assert item.status == "new"


@pytest.mark.django_db
def test_assign_to_me_sends_no_email(
    client, monitor, django_capture_on_commit_callbacks
):
    item = make_item()
    client.force_login(monitor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_detail(item, "item_assign"))
    item.refresh_from_db()
    assert item.assignee == monitor
    assert not CapturedEmail.objects.exists()


@pytest.mark.django_db
def test_notes_and_response_on_the_item_page(client, monitor):
    item = make_item(
        kind="social",
        status="needs_response",
        response_due_at=timezone.now() - timedelta(hours=1),
    )
    client.force_login(monitor)
    page = client.get(_detail(item)).text
    assert "monitoring-due-overdue" in page
    client.post(_detail(item, "item_note_add"), {"text": "რედაქციას დავუკავშირდი"})
    assert ItemNote.objects.get().text == "რედაქციას დავუკავშირდი"
    response = client.post(_detail(item, "item_respond"), {"text": "ხაზი აღდგა."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "responded" and item.responded_by == monitor
    page = client.get(_detail(item)).text
    assert "რედაქციას დავუკავშირდი" in page and "ხაზი აღდგა." in page
    assert "monitoring-due-overdue" not in page
    empty = client.post(_detail(item, "item_note_add"), {"text": ""})
    assert empty.status_code == 200 and ItemNote.objects.count() == 1


@pytest.mark.django_db
def test_sharing_from_the_item_page(
    client, viewer, colleague, django_capture_on_commit_callbacks
):
    item = make_item(title="მნიშვნელოვანი სტატია")
    client.force_login(viewer)
    page = client.get(_detail(item)).text
    assert _detail(item, "item_share") in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _detail(item, "item_share"),
            {"recipients": [colleague.pk], "message": "<i>ნახე</i>"},
        )
    assert response.status_code == 302
    [mail] = CapturedEmail.objects.all()
    assert mail.to == [colleague.email]
    assert "&lt;i&gt;ნახე&lt;/i&gt;" in mail.body_html
    assert "მნიშვნელოვანი სტატია" in mail.subject


# --- Log a mention ---------------------------------------------------------------


@pytest.mark.django_db
def test_logging_a_citizens_message_sets_a_due_time(
    client, monitor, settings, no_matching
):
    settings.MONITORING_RESPONSE_HOURS = 24
    client.force_login(monitor)
    page = client.get(CREATE).text
    assert 'name="kind"' in page and 'name="response_due_at"' in page
    response = client.post(
        CREATE,
        {
            "kind": "social",
            "channel": "facebook",
            "author": "ლევან კ.",
            "summary": "როდის გაიხსნება ახალი ბაღი?",
            "url": "https://facebook.com/x/posts/2",
        },
    )
    item = Item.objects.get()
    assert response.status_code == 302 and response["Location"] == _detail(item)
    assert item.kind == "social" and item.status == "needs_response"
    assert item.created_by == monitor
    due = item.response_due_at - timezone.now()
    assert timedelta(hours=23, minutes=59) < due <= timedelta(hours=24)


@pytest.mark.django_db
def test_logging_a_tv_mention_with_a_due_time_in_local_time(
    client, monitor, no_matching
):
    client.force_login(monitor)
    response = client.post(
        CREATE,
        {
            "kind": "tv",
            "title": "რუსთავი 2, კურიერი: სიუჟეტი ოფისზე",
            "programme": "კურიერი",
            "response_due_at": "2030-05-01T18:30",
        },
    )
    assert response.status_code == 302
    item = Item.objects.get()
    local = timezone.localtime(item.response_due_at)
    assert (local.hour, local.minute, str(local.tzinfo)) == (18, 30, "Asia/Tbilisi")


@pytest.mark.django_db
def test_logging_needs_a_title_or_text(client, monitor, no_matching):
    client.force_login(monitor)
    response = client.post(CREATE, {"kind": "radio"})
    assert response.status_code == 200 and not Item.objects.exists()
    response = client.post(CREATE, {"kind": "online", "title": "x"})
    assert response.status_code == 200 and not Item.objects.exists()
