"""Set-up pages of media monitoring: sources, topics and one's subscriptions."""

from datetime import timedelta

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import escape

from contacts.models import Organisation
from media_monitoring import tasks
from media_monitoring.models import Item, ItemTopic, Source, Subscription, Topic
from prapp.models import AuditEntry
from prapp.text import search_key
from tests.contacts.factories import OrganisationFactory

EVERY_ROLE = {"Manager", "Editor", "Monitor", "Archivist", "Viewer"}
WRITERS = {"Manager", "Monitor"}
HOSTILE = '<script>alert("x")</script>'


def make_source(**extra) -> Source:
    values = {
        "name": "ინტერპრესნიუსი",
        "url": "https://www.interpressnews.ge/ka/rss",
        "language": "ka",
    }
    values.update(extra)
    return Source.objects.create(**values)


def make_item(source=None, n=0, **extra) -> Item:
    values = {
        "source": source,
        "external_id": f"guid-{n}" if source else "",
        "title": f"სახალხო დამცველის განცხადება {n}",
        "summary": "სახალხო დამცველმა მოხსენება წარადგინა.",
        "language": "ka",
    }
    values.update(extra)
    values["search_text"] = search_key(values["title"], values["summary"])
    return Item.objects.create(**values)


def make_topic(**extra) -> Topic:
    values = {"name": "სახალხო დამცველი", "include_terms": "დამცველ*\nombudsman"}
    values.update(extra)
    return Topic.objects.create(**values)


@pytest.fixture
def monitor(make_user):
    return make_user("monitor", role="Monitor")


@pytest.fixture
def objects(db):
    source = make_source()
    topic = make_topic()
    return {"source": source, "topic": topic, "item": make_item(source)}


def _pages(objects):
    source, topic = objects["source"].pk, objects["topic"].pk
    return {
        reverse("media_monitoring:source_list"): EVERY_ROLE,
        reverse("media_monitoring:source_detail", args=[source]): EVERY_ROLE,
        reverse("media_monitoring:topic_list"): EVERY_ROLE,
        reverse("media_monitoring:topic_detail", args=[topic]): EVERY_ROLE,
        reverse("media_monitoring:subscriptions"): EVERY_ROLE,
        reverse("media_monitoring:source_create"): WRITERS,
        reverse("media_monitoring:source_update", args=[source]): WRITERS,
        reverse("media_monitoring:source_delete", args=[source]): WRITERS,
        reverse("media_monitoring:topic_create"): WRITERS,
        reverse("media_monitoring:topic_update", args=[topic]): WRITERS,
        reverse("media_monitoring:topic_delete", args=[topic]): WRITERS,
    }


def _posts(objects):
    source, topic = objects["source"].pk, objects["topic"].pk
    topic_form = {"name": "x", "include_terms": "x", "priority": "normal"}
    return [
        (
            reverse("media_monitoring:source_create"),
            {"name": "x", "kind": "feed", "url": "https://x.ge/rss"},
        ),
        (
            reverse("media_monitoring:source_update", args=[source]),
            {"name": "x", "kind": "feed", "url": "https://x.ge/rss"},
        ),
        (reverse("media_monitoring:source_delete", args=[source]), {}),
        (reverse("media_monitoring:source_pull", args=[source]), {}),
        (reverse("media_monitoring:topic_create"), topic_form),
        (reverse("media_monitoring:topic_create"), {**topic_form, "preview": "1"}),
        (reverse("media_monitoring:topic_update", args=[topic]), topic_form),
        (reverse("media_monitoring:topic_delete", args=[topic]), {}),
        (reverse("media_monitoring:topic_reapply", args=[topic]), {}),
    ]


def _state():
    return (
        list(Source.objects.values()),
        list(Topic.objects.values()),
        list(Item.objects.values()),
        list(ItemTopic.objects.values()),
        list(Subscription.objects.values()),
        AuditEntry.objects.count(),
    )


# --- Who may do what -------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, objects):
    for url in _pages(objects):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url, url
    for url, data in _posts(objects):
        response = client.post(url, data)
        assert response.status_code == 302 and "login" in response.url, url
    assert Source.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(EVERY_ROLE))
def test_each_role_gets_exactly_its_pages(client, make_user, role, objects):
    client.force_login(make_user(f"{role.lower()}-u", role=role))
    for url, allowed in _pages(objects).items():
        expected = 200 if role in allowed else 403
        assert client.get(url).status_code == expected, (role, url)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["Viewer", "Editor"])
def test_writes_without_permission_are_refused_and_change_nothing(
    client, make_user, role, objects, django_capture_on_commit_callbacks
):
    client.force_login(make_user("reader", role=role))
    before = _state()
    with django_capture_on_commit_callbacks() as callbacks:
        for url, data in _posts(objects):
            assert client.post(url, data).status_code == 403, url
    assert _state() == before
    assert callbacks == []


@pytest.mark.django_db
def test_a_user_without_app_access_cannot_open_subscriptions(client, make_user):
    client.force_login(make_user("nobody"))
    assert client.get(reverse("media_monitoring:subscriptions")).status_code == 403
    response = client.post(reverse("media_monitoring:subscriptions"), {})
    assert response.status_code == 403


@pytest.mark.django_db
def test_post_only_urls_refuse_get(client, monitor, objects):
    client.force_login(monitor)
    for name, pk in (("source_pull", "source"), ("topic_reapply", "topic")):
        url = reverse(f"media_monitoring:{name}", args=[objects[pk].pk])
        assert client.get(url).status_code == 405, url


@pytest.mark.django_db
def test_viewer_sees_no_write_buttons(client, viewer, objects):
    client.force_login(viewer)
    source = objects["source"]
    page = client.get(source.get_absolute_url()).text
    assert reverse("media_monitoring:source_pull", args=[source.pk]) not in page
    assert reverse("media_monitoring:source_update", args=[source.pk]) not in page
    topic = objects["topic"]
    page = client.get(topic.get_absolute_url()).text
    assert reverse("media_monitoring:topic_reapply", args=[topic.pk]) not in page
    page = client.get(reverse("media_monitoring:source_list")).text
    assert reverse("media_monitoring:source_create") not in page


# --- Sources ---------------------------------------------------------------------


def source_form(**extra):
    data = {
        "name": "Armenpress",
        "kind": "feed",
        "url": "https://armenpress.am/hy/rss",
        "outlet": "",
        "language": "hy",
        "interval_minutes": "15",
        "enabled": "on",
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_monitor_adds_a_source_through_the_form(client, monitor):
    outlet = OrganisationFactory(name="Armenpress", kind=Organisation.Kind.MEDIA)
    ngo = OrganisationFactory(
        name="Transparency", kind=Organisation.Kind.NGO, media_type=""
    )
    client.force_login(monitor)
    page = client.get(reverse("media_monitoring:source_create"))
    outlet_choices = [
        value for value, _label in page.context["form"].fields["outlet"].choices
    ]
    assert outlet.pk in [getattr(v, "value", v) for v in outlet_choices]
    assert ngo.pk not in [getattr(v, "value", v) for v in outlet_choices]
    response = client.post(
        reverse("media_monitoring:source_create"), source_form(outlet=outlet.pk)
    )
    source = Source.objects.get()
    assert response.status_code == 302 and response.url == source.get_absolute_url()
    assert (source.name, source.outlet, source.language) == ("Armenpress", outlet, "hy")
    assert source.interval_minutes == 15 and source.enabled
    assert source.created_by == monitor
    entry = AuditEntry.objects.get(action="media_monitoring.source.created")
    assert entry.actor == monitor and entry.target_id == str(source.pk)
    # An organisation that is not a media outlet is refused.
    response = client.post(
        reverse("media_monitoring:source_create"),
        source_form(url="https://other.am/rss", outlet=ngo.pk),
    )
    assert "outlet" in response.context["form"].errors
    assert Source.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.ge/feed.xml",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "gopher://example.ge/",
        "not an address",
    ],
)
def test_only_http_addresses_are_accepted(client, monitor, url):
    client.force_login(monitor)
    response = client.post(
        reverse("media_monitoring:source_create"), source_form(url=url)
    )
    assert response.status_code == 200
    assert "url" in response.context["form"].errors
    assert not Source.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_the_same_address_twice_is_a_form_error(client, monitor, objects):
    client.force_login(monitor)
    response = client.post(
        reverse("media_monitoring:source_create"),
        source_form(url=objects["source"].url),
    )
    assert "url" in response.context["form"].errors
    assert Source.objects.count() == 1


@pytest.mark.django_db
def test_too_short_an_interval_is_refused(client, monitor):
    client.force_login(monitor)
    response = client.post(
        reverse("media_monitoring:source_create"), source_form(interval_minutes="1")
    )
    assert "interval_minutes" in response.context["form"].errors
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_monitor_edits_a_source(client, monitor, objects):
    source = objects["source"]
    source.etag = '"abc"'
    source.save(update_fields=["etag"])
    client.force_login(monitor)
    page = client.get(reverse("media_monitoring:source_update", args=[source.pk]))
    assert source.url in page.text
    response = client.post(
        reverse("media_monitoring:source_update", args=[source.pk]),
        source_form(name="IPN", url="https://www.interpressnews.ge/en/rss"),
    )
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.name == "IPN"
    assert source.url == "https://www.interpressnews.ge/en/rss"
    assert source.etag == ""  # a new address forgets the old validators
    entry = AuditEntry.objects.get(action="media_monitoring.source.changed")
    assert entry.actor == monitor
    assert entry.changes["name"] == ["ინტერპრესნიუსი", "IPN"]


@pytest.mark.django_db
def test_delete_asks_first_then_deletes_the_source_and_its_items(
    client, monitor, objects
):
    source = objects["source"]
    make_item(source, n=1)
    client.force_login(monitor)
    url = reverse("media_monitoring:source_delete", args=[source.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "2" in page.text.split("data-delete-consequence>")[1].split("</p>")[0]
    assert Source.objects.filter(pk=source.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert response.url == reverse("media_monitoring:source_list")
    assert not Source.objects.exists() and not Item.objects.exists()
    entry = AuditEntry.objects.get(action="media_monitoring.source.deleted")
    assert entry.actor == monitor and entry.changes == {"items": 2}


@pytest.mark.django_db
def test_pull_now_queues_the_pull_on_commit(
    client, monitor, objects, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(tasks.source_pull, "delay", queued.append)
    source = objects["source"]
    Source.objects.filter(pk=source.pk).update(
        next_attempt_at=timezone.now() + timedelta(hours=2)
    )
    client.force_login(monitor)
    url = reverse("media_monitoring:source_pull", args=[source.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url)
        assert queued == []  # nothing is queued inside the transaction
    assert len(callbacks) == 1
    callbacks[0]()
    assert queued == [source.pk]
    source.refresh_from_db()
    assert source.next_attempt_at <= timezone.now()
    assert AuditEntry.objects.filter(
        action="media_monitoring.source.pull_requested", actor=monitor
    ).exists()
    page = client.get(response.url)
    assert "data-health" in page.text
    assert [m.level_tag for m in page.context["messages"]] == ["success"]


@pytest.mark.django_db
def test_pull_now_of_a_disabled_source_says_why_and_queues_nothing(
    client, monitor, objects, django_capture_on_commit_callbacks
):
    source = objects["source"]
    Source.objects.filter(pk=source.pk).update(enabled=False)
    client.force_login(monitor)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("media_monitoring:source_pull", args=[source.pk]), follow=True
        )
    assert callbacks == []
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_source_list_shows_health_and_highlights_failing_sources(
    client, viewer, objects
):
    long_error = "Connection refused by 203.0.113.7 " + "x" * 200 + " END"
    failing = make_source(
        name="News.am",
        url="https://news.am/arm/rss/",
        consecutive_failures=3,
        last_error=long_error,
        next_attempt_at=timezone.now() + timedelta(minutes=40),
    )
    make_source(name="Old feed", url="https://old.ge/rss", enabled=False)
    client.force_login(viewer)
    page = client.get(reverse("media_monitoring:source_list")).text
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr")
    by_name = {
        name: next(row for row in rows if name in row)
        for name in ("News.am", "Old feed", "ინტერპრესნიუსი")
    }
    assert "data-failing" in by_name["News.am"]
    assert "Connection refused" in by_name["News.am"]
    assert " END" not in by_name["News.am"]  # truncated in the list
    assert "data-failing" not in by_name["ინტერპრესნიუსი"]
    assert ">1</td>" in by_name["ინტერპრესნიუსი"]  # one item
    assert "data-failing" not in by_name["Old feed"]
    # The detail page holds the whole error.
    detail = client.get(failing.get_absolute_url()).text
    assert escape(long_error) in detail


@pytest.mark.django_db
def test_source_detail_lists_the_latest_twenty_items(client, viewer, objects):
    source = objects["source"]
    base = timezone.now()
    for n in range(1, 26):
        make_item(source, n=n, fetched_at=base + timedelta(minutes=n))
    client.force_login(viewer)
    response = client.get(source.get_absolute_url())
    items = response.context["items"]
    assert len(items) == 20
    assert items[0].title.endswith(" 25") and items[-1].title.endswith(" 6")
    assert 'lang="ka"' in response.text
    try:
        url = reverse("media_monitoring:item_detail", args=[items[0].pk])
    except NoReverseMatch:  # the inbox pages are not there yet
        url = None
    if url:
        assert f'href="{url}"' in response.text


@pytest.mark.django_db
def test_source_list_query_count_is_pinned(client, viewer, django_assert_num_queries):
    outlet = OrganisationFactory(kind=Organisation.Kind.MEDIA)
    for n in range(3):
        source = make_source(name=f"S{n}", url=f"https://s{n}.ge/rss", outlet=outlet)
        make_item(source, n=n)
    client.force_login(viewer)
    url = reverse("media_monitoring:source_list")
    # session, user, permissions (2), sources with outlets and item counts
    with django_assert_num_queries(5):
        client.get(url)
    for n in range(3, 12):
        make_source(name=f"S{n}", url=f"https://s{n}.ge/rss", outlet=outlet)
    with django_assert_num_queries(5):
        response = client.get(url)
    assert len(response.context["sources"]) == 12


# --- Topics ----------------------------------------------------------------------


def topic_form(**extra):
    data = {
        "name": "სახალხო დამცველი",
        "include_terms": "დამცველ*\nombudsman",
        "exclude_terms": "ფეხბურთ*",
        "language": "",
        "priority": "high",
        "active": "on",
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_monitor_adds_edits_and_deletes_a_topic(client, monitor):
    client.force_login(monitor)
    page = client.get(reverse("media_monitoring:topic_create")).text
    assert "დამცველ*" in page and "დამცველმა" in page  # the help text's example
    response = client.post(reverse("media_monitoring:topic_create"), topic_form())
    topic = Topic.objects.get()
    assert response.status_code == 302 and response.url == topic.get_absolute_url()
    assert topic.includes == ["დამცველ*", "ombudsman"]
    assert topic.priority == Topic.Priority.HIGH and topic.created_by == monitor
    assert AuditEntry.objects.filter(
        action="media_monitoring.topic.created", actor=monitor
    ).exists()

    response = client.post(
        reverse("media_monitoring:topic_update", args=[topic.pk]),
        topic_form(include_terms="დამცველ*\nომბუდსმენ*", priority="normal"),
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.includes == ["დამცველ*", "ომბუდსმენ*"]
    entry = AuditEntry.objects.get(action="media_monitoring.topic.changed")
    assert entry.changes["priority"] == ["high", "normal"]

    make_item(make_source(), n=1)
    ItemTopic.objects.create(item=Item.objects.get(), topic=topic)
    Subscription.objects.create(user=monitor, topic=topic)
    url = reverse("media_monitoring:topic_delete", args=[topic.pk])
    confirm = client.get(url).text
    assert "data-delete-consequence" in confirm
    assert Topic.objects.exists()
    response = client.post(url)
    assert response.url == reverse("media_monitoring:topic_list")
    assert not Topic.objects.exists() and Item.objects.count() == 1
    entry = AuditEntry.objects.get(action="media_monitoring.topic.deleted")
    assert entry.changes == {"matches": 1}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("terms", "field"),
    [("", "include_terms"), ("  \n ", "include_terms"), ("*", "include_terms")],
)
def test_a_topic_needs_real_terms(client, monitor, terms, field):
    client.force_login(monitor)
    for extra in ({}, {"preview": "1"}):
        response = client.post(
            reverse("media_monitoring:topic_create"),
            {**topic_form(include_terms=terms), **extra},
        )
        assert response.status_code == 200
        assert field in response.context["form"].errors
    assert not Topic.objects.exists()


@pytest.mark.django_db
def test_preview_shows_what_would_match_and_saves_nothing(client, monitor, objects):
    make_item(
        objects["source"], n=1, title="Football results", summary="", language="en"
    )
    client.force_login(monitor)
    before = _state()
    response = client.post(
        reverse("media_monitoring:topic_create"),
        topic_form(name="ombudsman watch", preview="1"),
    )
    assert response.status_code == 200
    assert _state() == before
    assert response.context["previewed"]
    titles = [item.title for item in response.context["preview_items"]]
    assert titles == [objects["item"].title]
    assert response.context["preview_total"] == 1
    assert "data-preview" in response.text
    assert objects["item"].title in response.text
    # The form keeps what was typed.
    assert response.context["form"]["name"].value() == "ombudsman watch"

    # Editing: the preview uses the typed terms, not the stored ones.
    topic = objects["topic"]
    response = client.post(
        reverse("media_monitoring:topic_update", args=[topic.pk]),
        topic_form(include_terms="football", preview="1"),
    )
    assert [i.title for i in response.context["preview_items"]] == ["Football results"]
    topic.refresh_from_db()
    assert topic.includes == ["დამცველ*", "ombudsman"]
    assert _state() == before


@pytest.mark.django_db
def test_reapply_matches_stored_items_and_reports_the_count(client, monitor, objects):
    source = objects["source"]
    make_item(source, n=1)
    make_item(source, n=2, title="Weather", summary="Sunny.", language="en")
    topic = objects["topic"]
    client.force_login(monitor)
    response = client.post(
        reverse("media_monitoring:topic_reapply", args=[topic.pk]), follow=True
    )
    assert response.redirect_chain[-1][0] == topic.get_absolute_url()
    assert ItemTopic.objects.filter(topic=topic).count() == 2
    [message] = [str(m) for m in response.context["messages"]]
    assert "2" in message
    assert AuditEntry.objects.filter(actor=monitor, target_id=str(topic.pk)).exists()
    # The detail page now lists the matches.
    assert len(response.context["matches"]) == 2
    # Again: nothing new.
    response = client.post(
        reverse("media_monitoring:topic_reapply", args=[topic.pk]), follow=True
    )
    [message] = [str(m) for m in response.context["messages"]]
    assert "0" in message
    assert ItemTopic.objects.filter(topic=topic).count() == 2


@pytest.mark.django_db
def test_topic_list_shows_counts_and_whether_i_follow(client, viewer, make_user):
    source = make_source()
    followed = make_topic(name="Pensions", include_terms="pension*\nპენსი*")
    other = make_topic(name="Roads", include_terms="road", priority="high")
    make_topic(name="Old", include_terms="x", active=False)
    for n in range(3):
        ItemTopic.objects.create(item=make_item(source, n=n), topic=followed)
    Subscription.objects.create(user=viewer, topic=followed)
    Subscription.objects.create(user=make_user("nino"), topic=followed)
    Subscription.objects.create(user=make_user("ani"), topic=other)
    client.force_login(viewer)
    response = client.get(reverse("media_monitoring:topic_list"))
    topics = {t.name: t for t in response.context["topics"]}
    assert [t.name for t in response.context["topics"]] == ["Pensions", "Roads", "Old"]
    assert (topics["Pensions"].match_count, topics["Pensions"].subscriber_count) == (
        3,
        2,
    )
    assert topics["Pensions"].followed and not topics["Roads"].followed
    assert (topics["Roads"].match_count, topics["Roads"].subscriber_count) == (0, 1)
    row = response.text.split("Pensions")[1].split("</tr>")[0]
    assert ">2</td>" in row and ">3</td>" in row


@pytest.mark.django_db
def test_topic_list_query_count_is_pinned(client, viewer, django_assert_num_queries):
    source = make_source()
    for n in range(3):
        topic = make_topic(name=f"T{n}")
        ItemTopic.objects.create(item=make_item(source, n=n), topic=topic)
        Subscription.objects.create(user=viewer, topic=topic)
    client.force_login(viewer)
    url = reverse("media_monitoring:topic_list")
    # session, user, permissions (2), topics with their counts
    with django_assert_num_queries(5):
        client.get(url)
    for n in range(3, 15):
        make_topic(name=f"T{n}")
    with django_assert_num_queries(5):
        response = client.get(url)
    assert len(response.context["topics"]) == 15


@pytest.mark.django_db
def test_source_detail_query_count_is_pinned(client, viewer, django_assert_num_queries):
    source = make_source(outlet=OrganisationFactory(kind=Organisation.Kind.MEDIA))
    for n in range(3):
        make_item(source, n=n)
    client.force_login(viewer)
    url = source.get_absolute_url()
    # session, user, permissions (2), the source with its outlet and item
    # count, its latest items
    with django_assert_num_queries(6):
        client.get(url)
    for n in range(3, 20):
        make_item(source, n=n)
    with django_assert_num_queries(6):
        response = client.get(url)
    assert len(response.context["items"]) == 20


@pytest.mark.django_db
def test_topic_detail_query_count_is_pinned(client, viewer, django_assert_num_queries):
    source = make_source()
    topic = make_topic(created_by=viewer)
    for n in range(3):
        ItemTopic.objects.create(item=make_item(source, n=n), topic=topic, terms="x")
    ItemTopic.objects.create(item=make_item(n=99, title="TV"), topic=topic)
    client.force_login(viewer)
    url = topic.get_absolute_url()
    # session, user, permissions (2), the topic with its counts, its matches
    # with their items and sources
    with django_assert_num_queries(6):
        client.get(url)
    for n in range(3, 20):
        ItemTopic.objects.create(item=make_item(source, n=n), topic=topic, terms="x")
    with django_assert_num_queries(6):
        response = client.get(url)
    assert len(response.context["matches"]) == 20


@pytest.mark.django_db
def test_hostile_names_and_terms_are_escaped(client, monitor):
    source = make_source(name=HOSTILE, last_error=HOSTILE, consecutive_failures=1)
    make_item(source, title=HOSTILE)
    topic = make_topic(name=HOSTILE, include_terms=f"{HOSTILE}\nx")
    client.force_login(monitor)
    pages = [
        reverse("media_monitoring:source_list"),
        source.get_absolute_url(),
        reverse("media_monitoring:source_update", args=[source.pk]),
        reverse("media_monitoring:source_delete", args=[source.pk]),
        reverse("media_monitoring:topic_list"),
        topic.get_absolute_url(),
        reverse("media_monitoring:topic_update", args=[topic.pk]),
        reverse("media_monitoring:subscriptions"),
    ]
    for url in pages:
        text = client.get(url).text
        assert HOSTILE not in text, url
        assert "&lt;script&gt;" in text, url


# --- Subscriptions -----------------------------------------------------------------


@pytest.mark.django_db
def test_anyone_with_app_access_chooses_their_topics(client, make_user, settings):
    settings.MONITORING_DIGEST_TIME = "07:30"
    viewer = make_user("ani", role="Viewer", language="hy")
    pensions = make_topic(name="Pensions", include_terms="pension*")
    roads = make_topic(name="Roads", include_terms="road", priority="high")
    retired = make_topic(name="Retired", include_terms="x", active=False)
    Subscription.objects.create(user=viewer, topic=retired)
    client.force_login(viewer)
    url = reverse("media_monitoring:subscriptions")
    page = client.get(url)
    labels = {
        getattr(value, "value", value): str(label)
        for value, label in page.context["form"].fields["topics"].choices
    }
    assert list(labels) == [pensions.pk, roads.pk]  # only active topics
    assert labels[pensions.pk] == "Pensions"
    assert labels[roads.pk].startswith("Roads") and labels[roads.pk] != "Roads"
    explained = page.text.split("data-digest-explained>")[1].split("</section>")[0]
    assert "07:30" in explained and "Asia/Tbilisi" in explained
    assert "Retired" not in page.text

    response = client.post(url, {"topics": [pensions.pk, roads.pk]})
    assert response.status_code == 302 and response.url == url
    followed = set(
        Subscription.objects.filter(user=viewer).values_list("topic__name", flat=True)
    )
    # The inactive topic, not offered on the page, stays followed.
    assert followed == {"Pensions", "Roads", "Retired"}
    entry = AuditEntry.objects.get(action="media_monitoring.subscriptions.changed")
    assert entry.actor == viewer

    page = client.get(url)
    assert set(page.context["form"]["topics"].value()) >= {pensions.pk, roads.pk}
    client.post(url, {"topics": [roads.pk]})
    followed = set(
        Subscription.objects.filter(user=viewer).values_list("topic__name", flat=True)
    )
    assert followed == {"Roads", "Retired"}


@pytest.mark.django_db
def test_an_inactive_topic_cannot_be_posted(client, viewer):
    retired = make_topic(name="Retired", include_terms="x", active=False)
    client.force_login(viewer)
    response = client.post(
        reverse("media_monitoring:subscriptions"), {"topics": [retired.pk]}
    )
    assert response.status_code == 200
    assert "topics" in response.context["form"].errors
    assert not Subscription.objects.exists()


@pytest.mark.django_db
def test_subscriptions_page_names_the_digest_language(client, make_user, settings):
    make_topic()
    user = make_user("levan", role="Viewer", language="en")
    client.force_login(user)
    page = client.get(reverse("media_monitoring:subscriptions"))
    assert page.context["digest_language_code"] == "en"
    assert page.context["language_chosen"]
    user.language = ""
    user.save(update_fields=["language"])
    page = client.get(reverse("media_monitoring:subscriptions"))
    assert page.context["digest_language_code"] == settings.LANGUAGE_CODE
    assert not page.context["language_chosen"]


@pytest.mark.django_db
def test_reapply_of_an_inactive_topic_says_why_and_changes_nothing(
    client, monitor, objects
):
    topic = objects["topic"]
    Topic.objects.filter(pk=topic.pk).update(active=False)
    client.force_login(monitor)
    page = client.get(topic.get_absolute_url()).text
    assert reverse("media_monitoring:topic_reapply", args=[topic.pk]) not in page
    before = _state()
    response = client.post(
        reverse("media_monitoring:topic_reapply", args=[topic.pk]), follow=True
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert _state() == before


@pytest.mark.django_db
def test_preview_names_the_terms_found(client, monitor, objects):
    client.force_login(monitor)
    response = client.post(
        reverse("media_monitoring:topic_create"),
        topic_form(include_terms="დამცველ*", preview="1"),
    )
    [item] = response.context["preview_items"]
    assert item.matched_terms == ["დამცველ*"]
    section = response.text.split("data-preview")[1]
    assert "დამცველ*" in section


@pytest.mark.django_db
def test_pull_now_of_an_unreachable_source_records_the_error(
    client, monitor, settings, django_capture_on_commit_callbacks
):
    """The task runs eagerly: the SSRF guard refuses loopback, the page shows why."""
    settings.MONITORING_ALLOW_PRIVATE_ADDRESSES = False
    source = make_source(name="Local", url="http://127.0.0.1:9/feed.xml")
    client.force_login(monitor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("media_monitoring:source_pull", args=[source.pk])
        )
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.consecutive_failures == 1
    assert source.last_error
    assert source.next_attempt_at > timezone.now()
    assert source.pulling_since is None
    assert not source.items.exists()
    page = client.get(response.url)
    assert escape(source.last_error) in page.text
    assert "badge text-bg-danger" in page.text
    listing = client.get(reverse("media_monitoring:source_list")).text
    assert "data-failing" in listing
