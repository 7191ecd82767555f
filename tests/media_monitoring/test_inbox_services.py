"""Inbox services and selectors: triage, assignment, notes, log, response, share."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from contacts.models import Organisation
from media_monitoring import matching, selectors, services
from media_monitoring.models import Item, ItemNote, ItemTopic, Source, Topic
from prapp.models import AuditEntry, CapturedEmail
from prapp.text import search_key

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def make_source(n=0, **extra) -> Source:
    values = {"name": f"წყარო {n}", "url": f"https://news{n}.example.ge/rss"}
    values.update(extra)
    return Source.objects.create(**values)


def make_item(n=0, **extra) -> Item:
    values = {
        "title": f"სახალხო დამცველის განცხადება {n}",
        "summary": "სახალხო დამცველმა მოხსენება წარადგინა.",
        "language": "ka",
    }
    values.update(extra)
    if values.get("source") is not None:
        values.setdefault("external_id", f"guid-{n}")
    values["search_text"] = search_key(values["title"], values["summary"])
    return Item.objects.create(**values)


def make_topic(name="სახალხო დამცველი", **extra) -> Topic:
    return Topic.objects.create(name=name, include_terms="დამცველ*", **extra)


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
def match_calls(monkeypatch):
    """Record what item_log hands to matching (the matching work owns the automaton)."""
    calls = []

    def fake_items_match(*, items, topics=None):
        calls.append(list(items))
        return []

    monkeypatch.setattr(matching, "items_match", fake_items_match)
    return calls


def _mails():
    return list(CapturedEmail.objects.order_by("pk"))


# --- item_update ------------------------------------------------------------------


@pytest.mark.django_db
def test_item_update_triages_and_files_topics_by_hand_audited(monitor):
    item = make_item()
    first, second = make_topic("პენსიები"), make_topic()
    ItemTopic.objects.create(item=item, topic=first, terms="pensia")
    services.item_update(
        item=item,
        data={
            "status": Item.Status.RELEVANT,
            "sentiment": Item.Sentiment.NEGATIVE,
            "misinformation": True,
            "topics": [second],
        },
        actor=monitor,
    )
    item.refresh_from_db()
    assert item.status == "relevant" and item.sentiment == "negative"
    assert item.misinformation is True
    assert list(item.matches.values_list("topic_id", "terms")) == [(second.pk, "")]
    entry = AuditEntry.objects.get(action="media_monitoring.item.changed")
    assert entry.actor == monitor and entry.target_id == str(item.pk)
    assert entry.changes["status"] == ["new", "relevant"]
    assert entry.changes["topics"] == [[first.pk], [second.pk]]


@pytest.mark.django_db
def test_item_update_without_a_change_writes_nothing(monitor):
    item = make_item()
    services.item_update(item=item, data={"status": "new"}, actor=monitor)
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_item_update_is_refused_to_a_viewer_and_nothing_changes(viewer):
    item = make_item()
    with pytest.raises(PermissionDenied):
        services.item_update(item=item, data={"status": "archived"}, actor=viewer)
    item.refresh_from_db()
    assert item.status == "new"
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_item_update_refuses_an_unknown_status(monitor):
    item = make_item()
    with pytest.raises(ValidationError):
        services.item_update(item=item, data={"status": "deleted"}, actor=monitor)
    item.refresh_from_db()
    assert item.status == "new"


@pytest.mark.django_db
def test_a_new_assignee_is_told_in_their_language_after_commit(
    monitor, colleague, django_capture_on_commit_callbacks
):
    item = make_item(title=HOSTILE)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.item_update(item=item, data={"assignee": colleague}, actor=monitor)
    # Nothing is sent before the commit.
    assert not _mails()
    for callback in callbacks:
        callback()
    [mail] = _mails()
    assert mail.to == ["anna@example.ge"]
    assert 'lang="hy"' in mail.body_html
    assert item.get_absolute_url() in mail.body_text
    assert HOSTILE not in mail.body_html
    assert "&lt;script&gt;" in mail.body_html
    # The plain-text part is not HTML: the title is as it was typed.
    assert HOSTILE in mail.body_text


# --- items_bulk_update -----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 50])
def test_bulk_update_costs_the_same_for_5_or_50_items(
    count, monitor, colleague, django_assert_num_queries
):
    items = [make_item(n) for n in range(count)]
    # Savepoint, select for update, one update, one insert of audit entries,
    # release; the content type is cached after the first use.
    services.items_bulk_update(
        items=items[:1], data={"status": "archived"}, actor=monitor
    )
    with django_assert_num_queries(5):
        changed = services.items_bulk_update(
            items=items,
            data={"status": "relevant", "assignee": colleague, "sentiment": "neutral"},
            actor=monitor,
        )
    assert changed == count
    assert set(Item.objects.values_list("status", "assignee", "sentiment")) == {
        ("relevant", colleague.pk, "neutral")
    }
    entries = AuditEntry.objects.filter(action="media_monitoring.item.changed")
    assert entries.count() == count + 1
    last = entries.get(target_id=str(items[-1].pk))
    assert last.changes == {
        "status": ["new", "relevant"],
        "assignee": [None, colleague.pk],
        "sentiment": ["", "neutral"],
    }


@pytest.mark.django_db
def test_bulk_assignment_sends_one_email_listing_the_items(
    monitor, colleague, django_capture_on_commit_callbacks
):
    items = [make_item(n) for n in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.items_bulk_update(
            items=items, data={"assignee": colleague}, actor=monitor
        )
    assert changed == 3
    [mail] = _mails()
    assert mail.to == [colleague.email]
    for item in items:
        assert item.get_absolute_url() in mail.body_text


@pytest.mark.django_db
def test_bulk_update_skips_unchanged_items_and_is_refused_to_a_viewer(monitor, viewer):
    done = make_item(1, status="relevant")
    fresh = make_item(2)
    with pytest.raises(PermissionDenied):
        services.items_bulk_update(
            items=[done, fresh], data={"status": "archived"}, actor=viewer
        )
    assert not Item.objects.filter(status="archived").exists()
    changed = services.items_bulk_update(
        items=[done.pk, fresh.pk], data={"status": "relevant"}, actor=monitor
    )
    assert changed == 1
    assert AuditEntry.objects.get().target_id == str(fresh.pk)
    with pytest.raises(ValidationError):
        services.items_bulk_update(items=[fresh], data={"status": "x"}, actor=monitor)


# --- item_assign and note_add ----------------------------------------------------


@pytest.mark.django_db
def test_item_assign_emails_the_assignee_but_not_oneself(
    monitor, colleague, django_capture_on_commit_callbacks
):
    item = make_item(outlet=Organisation.objects.create(name="რუსთავი 2", kind="media"))
    with django_capture_on_commit_callbacks(execute=True):
        services.item_assign(item=item, assignee=colleague, actor=monitor)
    [mail] = _mails()
    assert mail.to == [colleague.email]
    assert "რუსთავი 2" in mail.body_text and "ნინო ბერიძე" in mail.body_text
    assert AuditEntry.objects.get().action == "media_monitoring.item.assigned"
    with django_capture_on_commit_callbacks(execute=True):
        services.item_assign(item=item, assignee=monitor, actor=monitor)
    assert len(_mails()) == 1
    item.refresh_from_db()
    assert item.assignee == monitor


@pytest.mark.django_db
def test_notes_need_text_and_the_permission(monitor, viewer):
    item = make_item()
    with pytest.raises(ValidationError):
        services.note_add(item=item, text="   ", actor=monitor)
    with pytest.raises(PermissionDenied):
        services.note_add(item=item, text="შენიშვნა", actor=viewer)
    assert not ItemNote.objects.exists()
    note = services.note_add(item=item, text=" დავრეკე რედაქციაში ", actor=monitor)
    assert note.text == "დავრეკე რედაქციაში" and note.author == monitor
    assert AuditEntry.objects.get().action == "media_monitoring.item.note_added"


# --- item_log --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_citizens_message_is_due_within_the_configured_hours(
    monitor, match_calls, settings
):
    settings.MONITORING_RESPONSE_HOURS = 6
    before = timezone.now()
    item = services.item_log(
        data={
            "kind": "social",
            "channel": "facebook",
            "author": "გიორგი მ.",
            "summary": "რატომ არ მუშაობს  ცხელი ხაზი?\nვრეკავ ორი დღეა.",
            "url": "https://facebook.com/office/posts/1",
            "published_at": None,
            "title": "",
        },
        actor=monitor,
    )
    assert item.kind == "social" and item.status == "needs_response"
    assert item.title == "რატომ არ მუშაობს ცხელი ხაზი? ვრეკავ ორი დღეა."
    assert before + timedelta(hours=6) <= item.response_due_at
    assert item.response_due_at <= timezone.now() + timedelta(hours=6)
    assert item.search_text == search_key(item.title, item.summary)
    assert "tskheli" in item.search_text
    assert item.created_by == monitor and item.source is None
    assert match_calls == [[item]]
    assert AuditEntry.objects.get().action == "media_monitoring.item.logged"


@pytest.mark.django_db
def test_a_tv_mention_keeps_a_given_due_time_or_has_none(monitor, match_calls):
    due = timezone.make_aware(datetime(2030, 1, 2, 10, 0))
    tv = services.item_log(
        data={
            "kind": "tv",
            "title": "იმედი, ქრონიკა: მინისტრის ინტერვიუ",
            "programme": "ქრონიკა 20:00",
        },
        actor=monitor,
    )
    assert tv.status == "relevant" and tv.response_due_at is None
    social = services.item_log(
        data={"kind": "social", "summary": "კითხვა", "response_due_at": due},
        actor=monitor,
    )
    assert social.response_due_at == due


@pytest.mark.django_db
def test_logging_is_refused_without_the_permission_or_a_manual_kind(
    viewer, monitor, match_calls
):
    with pytest.raises(PermissionDenied):
        services.item_log(data={"kind": "tv", "title": "x"}, actor=viewer)
    with pytest.raises(ValidationError):
        services.item_log(data={"kind": "online", "title": "x"}, actor=monitor)
    with pytest.raises(ValidationError):
        services.item_log(data={"kind": "radio", "title": " "}, actor=monitor)
    assert not Item.objects.exists() and not match_calls


@pytest.mark.django_db
def test_a_logged_item_matching_a_high_topic_alerts_after_commit(
    monitor, monkeypatch, django_capture_on_commit_callbacks
):
    topic = make_topic(priority=Topic.Priority.HIGH)
    sent = []

    def fake_items_match(*, items, topics=None):
        return [ItemTopic.objects.create(item=items[0], topic=topic, terms="x")]

    monkeypatch.setattr(matching, "items_match", fake_items_match)
    monkeypatch.setattr(
        "media_monitoring.tasks.alerts_send.delay", lambda ids: sent.append(ids)
    )
    with django_capture_on_commit_callbacks(execute=True):
        item = services.item_log(
            data={"kind": "print", "title": "დამცველის წერილი"}, actor=monitor
        )
    assert sent == [[item.pk]]


# --- response_record -------------------------------------------------------------


@pytest.mark.django_db
def test_a_response_needs_respond_item_and_closes_the_message(monitor, editor):
    item = make_item(
        kind="social",
        status="needs_response",
        response_due_at=timezone.now() - timedelta(hours=1),
    )
    with pytest.raises(PermissionDenied):
        services.response_record(item=item, text="პასუხი", actor=editor)
    item.refresh_from_db()
    assert item.responded_at is None and item.status == "needs_response"
    with pytest.raises(ValidationError):
        services.response_record(item=item, text=" ", actor=monitor)
    services.response_record(item=item, text="ცხელი ხაზი აღდგენილია.", actor=monitor)
    item.refresh_from_db()
    assert item.status == "responded" and item.responded_by == monitor
    assert item.responded_at is not None and item.response_text
    assert not item.is_overdue
    assert AuditEntry.objects.get().action == "media_monitoring.item.responded"


# --- item_share ------------------------------------------------------------------


@pytest.mark.django_db
def test_sharing_emails_each_colleague_in_their_language_escaped(
    monitor, colleague, make_user, django_capture_on_commit_callbacks
):
    english = make_user("mark", role="Viewer", language="en")
    outlet = Organisation.objects.create(name="Armenpress", kind="media")
    item = make_item(
        title=HOSTILE, outlet=outlet, url="https://armenpress.am/arm/news/1"
    )
    message = 'Look <b>here</b> & "there"'
    with django_capture_on_commit_callbacks(execute=True):
        count = services.item_share(
            item=item, recipients=[colleague, english], message=message, actor=monitor
        )
    assert count == 2
    mails = {mail.to[0]: mail for mail in _mails()}
    assert set(mails) == {colleague.email, english.email}
    assert 'lang="hy"' in mails[colleague.email].body_html
    assert 'lang="en"' in mails[english.email].body_html
    for mail in mails.values():
        assert (
            "Armenpress" in mail.body_html
            and "armenpress.am/arm/news/1" in mail.body_html
        )
        assert item.get_absolute_url() in mail.body_html
        assert HOSTILE not in mail.body_html and "<b>here</b>" not in mail.body_html
        assert "&lt;b&gt;here&lt;/b&gt; &amp; &quot;there&quot;" in mail.body_html
        assert message in mail.body_text
        assert "\n" not in mail.subject
    entry = AuditEntry.objects.get(action="media_monitoring.item.shared")
    assert entry.changes == {"recipients": sorted([colleague.pk, english.pk])}


@pytest.mark.django_db
def test_sharing_needs_someone_with_an_email_and_never_links_a_script(
    monitor, make_user, django_capture_on_commit_callbacks
):
    nobody = make_user("no-mail", role="Viewer")
    nobody.email = ""
    nobody.save()
    item = make_item(url="javascript:alert(1)")
    with pytest.raises(ValidationError):
        services.item_share(item=item, recipients=[nobody], message="", actor=monitor)
    reader = make_user("reader", role="Viewer")
    with django_capture_on_commit_callbacks(execute=True):
        services.item_share(item=item, recipients=[reader], message="", actor=monitor)
    [mail] = _mails()
    assert "javascript:" not in mail.body_html and "javascript:" not in mail.body_text


# --- selectors -------------------------------------------------------------------


@pytest.fixture
def inbox_items(monitor, colleague):
    outlet = Organisation.objects.create(
        name="Հանրային հեռուստատեսություն", kind="media"
    )
    source = make_source(1, outlet=outlet)
    topic = make_topic()
    now = timezone.now()
    items = {
        "ka": make_item(1, source=source, assignee=monitor),
        "hy": make_item(
            2,
            title="Մարդու իրավունքների պաշտպանը հայտարարություն արեց",
            summary="",
            language="hy",
            outlet=outlet,
            sentiment="negative",
            assignee=colleague,
        ),
        "en": make_item(
            3,
            title="Ombudsman presents the annual report",
            summary="",
            language="en",
            misinformation=True,
            published_at=now - timedelta(days=10),
        ),
        "irrelevant": make_item(4, status="irrelevant"),
        "archived": make_item(5, status="archived"),
        "overdue": make_item(
            6,
            kind="social",
            status="needs_response",
            response_due_at=now - timedelta(hours=2),
        ),
        "answered": make_item(
            7,
            kind="social",
            status="responded",
            response_due_at=now - timedelta(hours=2),
            responded_at=now - timedelta(hours=3),
        ),
    }
    ItemTopic.objects.create(item=items["ka"], topic=topic, terms="damtsvel")
    return {"items": items, "source": source, "outlet": outlet, "topic": topic}


def _pks(user, **params):
    return {item.pk for item in selectors.inbox(user=user, params=params)}


def _names(data, *names):
    return {data["items"][name].pk for name in names}


@pytest.mark.django_db
def test_inbox_filters(inbox_items, monitor, colleague):
    data = inbox_items
    every_open = _names(data, "ka", "hy", "en", "overdue", "answered")
    assert _pks(monitor) == every_open
    assert _pks(monitor, status="all") == every_open | _names(
        data, "irrelevant", "archived"
    )
    assert _pks(monitor, status="archived") == _names(data, "archived")
    assert _pks(monitor, topic=str(data["topic"].pk)) == _names(data, "ka")
    assert _pks(monitor, source=data["source"].pk) == _names(data, "ka")
    assert _pks(monitor, outlet=str(data["outlet"].pk)) == _names(data, "hy")
    assert _pks(monitor, sentiment="negative") == _names(data, "hy")
    assert _pks(monitor, assignee="me") == _names(data, "ka")
    assert _pks(colleague, assignee="me") == _names(data, "hy")
    assert _pks(monitor, assignee=str(colleague.pk)) == _names(data, "hy")
    assert _pks(monitor, assignee="none") == _names(data, "en", "overdue", "answered")
    assert _pks(monitor, misinformation="1") == _names(data, "en")
    assert _pks(monitor, kind="social") == _names(data, "overdue", "answered")
    assert _pks(monitor, overdue="1") == _names(data, "overdue")
    today = timezone.localdate()
    assert _pks(monitor, date_to=(today - timedelta(days=5)).isoformat()) == _names(
        data, "en"
    )
    assert "en" not in _pks(monitor, date_from=today.isoformat())
    assert _pks(monitor, date_from="not-a-date") == every_open
    assert _pks(monitor, topic="x", source="", kind="nonsense") == every_open


@pytest.mark.django_db
def test_inbox_search_crosses_scripts(inbox_items, monitor):
    data = inbox_items
    # Latin finds Georgian and Armenian; Georgian finds Georgian.
    assert _pks(monitor, q="damtsvel") >= _names(data, "ka")
    assert _pks(monitor, q="pashtpan") == _names(data, "hy")
    assert _pks(monitor, q="დამცველის") >= _names(data, "ka")
    assert _pks(monitor, q="OMBUDSMAN annual") == _names(data, "en")
    assert _pks(monitor, q="nothing-like-this") == set()


@pytest.mark.django_db
def test_inbox_counts_and_overdue_responses(inbox_items):
    data = inbox_items
    counts = selectors.inbox_counts()
    assert counts == {"new": 3, "needs_response": 1, "overdue": 1}
    assert list(selectors.overdue_responses()) == [data["items"]["overdue"]]


@pytest.mark.django_db
def test_item_for_detail_lists_the_same_story_from_other_outlets(
    django_assert_num_queries,
):
    first, second = make_source(1), make_source(2)
    item = make_item(1, source=first, fingerprint="abc")
    elsewhere = make_item(2, source=second, fingerprint="abc")
    make_item(3, source=first, fingerprint="abc")  # the same outlet again
    make_item(4, source=second, fingerprint="other")
    lone = make_item(5)
    make_item(6)  # no fingerprint: never "the same story"
    # item, notes, matches, same story
    with django_assert_num_queries(4):
        detail = selectors.item_for_detail(pk=item.pk)
        assert [other.pk for other in detail.same_story] == [elsewhere.pk]
    assert selectors.item_for_detail(pk=lone.pk).same_story == []


@pytest.mark.django_db
def test_monitoring_staff_are_those_who_may_read_items(monitor, viewer, make_user):
    make_user("nobody")
    archivist = make_user("archivist", role="Archivist")
    staff = set(selectors.monitoring_staff())
    assert {monitor, viewer, archivist} <= staff
    assert not {user.username for user in staff} & {"nobody"}


def test_safe_link_allows_only_http_and_https():
    assert selectors.safe_link("https://a.ge/x") == "https://a.ge/x"
    assert selectors.safe_link("HTTP://a.ge/") == "HTTP://a.ge/"
    assert selectors.safe_link("javascript:alert(1)") == ""
    assert selectors.safe_link("data:text/html,hi") == ""
    assert selectors.safe_link("") == ""


@pytest.mark.django_db
def test_a_logged_mention_is_matched_by_the_real_automaton(monitor):
    topic = make_topic()
    other = Topic.objects.create(name="პენსიები", include_terms="პენსი*")
    item = services.item_log(
        data={"kind": "radio", "title": "სახალხო დამცველმა განცხადება გააკეთა"},
        actor=monitor,
    )
    assert list(item.topics.all()) == [topic]
    assert other not in item.topics.all()
