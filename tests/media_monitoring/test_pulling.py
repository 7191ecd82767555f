"""Pulling from a real server on loopback: storing, matching, health, backoff."""

from datetime import timedelta

import pytest
from django.db import DatabaseError
from django.utils import timezone, translation

from contacts.models import Organisation
from media_monitoring import matching, pulling, tasks
from media_monitoring.models import Item, ItemTopic, Source, Topic
from media_monitoring.pulling import PullResult, source_pull, sources_claim_due
from prapp.text import search_key
from tests.media_monitoring.feedserver import (
    ATOM_EN,
    BILLION_LAUGHS,
    GARBAGE,
    KA_ITEMS,
    LISTING_PAGE,
    MALFORMED,
    NO_DATES_OR_LINKS,
    RSS_HY,
    RSS_KA,
    TRUNCATED_EARLY,
    UNDECODABLE,
    XXE,
    FeedItem,
    FeedServer,
    gzip_bomb,
    huge,
    rss,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def server():
    with FeedServer() as running:
        yield running


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.MONITORING_ALLOW_PRIVATE_ADDRESSES = True
    settings.MONITORING_CONNECT_TIMEOUT = 2
    settings.MONITORING_READ_TIMEOUT = 2
    settings.MONITORING_MAX_BYTES = 512 * 1024
    settings.MONITORING_MAX_REDIRECTS = 3
    settings.MONITORING_BACKOFF_MINUTES = 5
    settings.MONITORING_BACKOFF_MAX_MINUTES = 60
    with translation.override("en"):
        yield


class MatchSpy:
    """Stands in for matching.items_match: records calls, matches by a word."""

    def __init__(self, topic=None, word=""):
        self.calls = []
        self.topic = topic
        self.word = word

    def __call__(self, *, items, topics=None, fresh=False):
        self.calls.append([item.pk for item in items])
        if self.topic is None:
            return []
        found = [
            ItemTopic(item=item, topic=self.topic)
            for item in items
            if self.word in item.search_text
        ]
        return ItemTopic.objects.bulk_create(found)


@pytest.fixture
def spy(monkeypatch):
    fake = MatchSpy()
    monkeypatch.setattr(matching, "items_match", fake)
    return fake


@pytest.fixture
def outlet(db):
    return Organisation.objects.create(name="ინტერპრესნიუსი", kind="media")


def _source(url, **fields) -> Source:
    fields.setdefault("name", "News")
    return Source.objects.create(url=url, **fields)


def _fresh(source) -> Source:
    return Source.objects.get(pk=source.pk)


# --- Storing --------------------------------------------------------------------------


def test_pull_stores_new_items_with_every_field(server, spy, outlet):
    url = server.add(
        "/ka.xml",
        body=RSS_KA,
        etag='"v1"',
        last_modified="Mon, 02 Mar 2026 09:00:00 GMT",
    )
    source = _source(url, outlet=outlet, interval_minutes=15, language="")
    before = timezone.now()

    result = source_pull(source_id=source.pk)

    assert result == PullResult(new=3, seen=0, not_modified=False, error="")
    items = list(Item.objects.filter(source=source).order_by("-id"))
    assert [item.external_id for item in items] == [
        "news.example.ge-1001",
        "news.example.ge-1002",
        "news.example.ge-1003",
    ]  # the feed's order, newest first, in the inbox's order
    first = items[0]
    assert first.kind == Item.Kind.ONLINE
    assert first.outlet == outlet
    assert first.url == "https://news.example.ge/ka/article/1001"
    assert first.title == KA_ITEMS[0].title
    assert first.summary == "სახალხო დამცველის თქმით, პენსიის ზრდა ინფლაციას ვერ ეწევა."
    assert first.author == "ნინო ბერიძე"
    assert first.language == "ka"
    assert first.published_at == KA_ITEMS[0].published
    assert first.status == Item.Status.NEW
    assert first.search_text == search_key(first.title, first.summary)
    assert "sakhalkho damtsvel" in first.search_text
    assert len(first.fingerprint) == 40
    assert first.fetched_at >= before
    assert spy.calls == [sorted(item.pk for item in items)]

    source = _fresh(source)
    assert source.last_success_at >= before
    assert source.last_attempt_at >= before
    assert source.last_error == ""
    assert source.consecutive_failures == 0
    assert source.etag == '"v1"'
    assert source.last_modified == "Mon, 02 Mar 2026 09:00:00 GMT"
    assert source.pulling_since is None
    assert (
        timedelta(minutes=15)
        <= source.next_attempt_at - before
        < timedelta(minutes=15, seconds=5)
    )


def test_second_pull_of_an_unchanged_feed_is_a_304(server, spy):
    url = server.add("/ka.xml", body=RSS_KA, etag='"v1"')
    source = _source(url)
    source_pull(source_id=source.pk)

    result = source_pull(source_id=source.pk)

    assert result == PullResult(not_modified=True)
    assert server.last_headers("/ka.xml")["If-None-Match"] == '"v1"'
    assert Item.objects.filter(source=source).count() == 3
    assert len(spy.calls) == 1  # nothing new, nothing matched
    assert _fresh(source).consecutive_failures == 0


def test_items_are_stored_once_per_source(server, spy):
    url = server.add("/hy.xml", body=RSS_HY)  # no validators: a full answer each time
    source = _source(url, language="hy")
    assert source_pull(source_id=source.pk).new == 2

    items = [*RSS_HY_ITEMS_PLUS_ONE]
    server.add("/hy.xml", body=rss(items, language="hy"))
    result = source_pull(source_id=source.pk)

    assert result == PullResult(new=1, seen=2)
    assert Item.objects.filter(source=source).count() == 3
    assert spy.calls[-1] == [Item.objects.get(external_id="lur.example.am-2003").pk]


RSS_HY_ITEMS_PLUS_ONE = [
    FeedItem(
        "Կառավարությունը հաստատեց նոր ծրագիրը",
        "",
        "https://lur.example.am/hy/news/2003",
        "lur.example.am-2003",
    ),
    FeedItem("x", "", "https://lur.example.am/hy/news/2001", "lur.example.am-2001"),
    FeedItem("y", "", "https://lur.example.am/hy/news/2002", "lur.example.am-2002"),
]


def test_the_same_entry_in_two_sources_is_two_items(server, spy):
    url = server.add("/en.xml", body=ATOM_EN)
    first = _source(url, name="One")
    second = _source(url + "?copy=1", name="Two")
    server.add("/en.xml?copy=1", body=ATOM_EN)
    source_pull(source_id=first.pk)
    source_pull(source_id=second.pk)
    assert Item.objects.filter(source=first).count() == 2
    assert Item.objects.filter(source=second).count() == 2


def test_the_database_decides_what_is_new(server, spy, monkeypatch):
    """A row another pull stored meanwhile is neither duplicated nor counted."""
    url = server.add("/en.xml", body=ATOM_EN)
    source = _source(url)
    Item.objects.create(
        source=source,
        external_id="urn:uuid:0c1d7f1e-2027-4d2b-9a1b-budget",
        title="stored by a concurrent pull",
        fetched_at=timezone.now() - timedelta(seconds=1),
    )
    # As if the concurrent row arrived after this pull looked for known ones.
    real_filter = Item.objects.filter

    def blind(*args, **kwargs):
        if "external_id__in" in kwargs:
            return Item.objects.none()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(Item.objects, "filter", blind)
    result = source_pull(source_id=source.pk)
    monkeypatch.undo()

    assert result.new == 1
    assert Item.objects.filter(source=source).count() == 2
    assert len(spy.calls[-1]) == 1
    kept = Item.objects.get(external_id="urn:uuid:0c1d7f1e-2027-4d2b-9a1b-budget")
    assert kept.title == "stored by a concurrent pull"


def test_language_comes_from_the_entry_else_the_source(server, spy):
    url = server.add("/sparse.xml", body=NO_DATES_OR_LINKS)
    source = _source(url, language="en")
    assert source_pull(source_id=source.pk).new == 2
    items = Item.objects.filter(source=source)
    assert {item.language for item in items} == {"en"}
    assert {item.published_at for item in items} == {None}
    assert set(items.values_list("external_id", flat=True)) == {
        "guid-only-1",
        "https://x.example.org/a/1",
    }


def test_malformed_feed_stores_its_good_entries(server, spy):
    url = server.add("/m.xml", body=MALFORMED)
    source = _source(url)
    assert source_pull(source_id=source.pk).new == 3
    assert _fresh(source).last_error == ""


def test_page_source_stores_article_links(server, spy):
    url = server.add("/ka/news", body=LISTING_PAGE, content_type="text/html")
    source = _source(url, kind=Source.Kind.PAGE, language="ka")
    result = source_pull(source_id=source.pk)
    assert result.new == 2  # the third link is on www.gov.example.ge, another site here
    titles = set(Item.objects.filter(source=source).values_list("title", flat=True))
    assert "თბილისის მერიამ ექვს რაიონში ახალი საბავშვო ბაღები გახსნა" in titles


def test_fingerprint_groups_the_same_story():
    one = pulling.fingerprint("Public Defender criticises pension indexation")
    assert one == pulling.fingerprint("Public defender criticises PENSION indexation!")
    assert one == pulling.fingerprint(
        "Public Defender criticises pension indexation – Civil.ge"
    )
    assert one == pulling.fingerprint(
        "Public Defender criticises pension indexation | InterPressNews"
    )
    assert one != pulling.fingerprint("Public Defender praises pension indexation")
    # Across scripts: the key is romanized.
    assert pulling.fingerprint("სახალხო დამცველი") == pulling.fingerprint(
        "Sakhalkho Damtsveli"
    )
    assert pulling.fingerprint("") != pulling.fingerprint("", "https://a/1")


def test_fingerprint_is_shared_across_outlets(server, spy):
    story = "Public Defender criticises pension indexation"
    server.add("/a.xml", body=rss([FeedItem(story, "", "https://a.example.org/1")]))
    server.add(
        "/b.xml",
        body=rss([FeedItem(story + " - Outlet B", "", "https://b.example.org/9")]),
    )
    for path in ("/a.xml", "/b.xml"):
        source_pull(source_id=_source(server.url(path), name=path).pk)
    prints = set(Item.objects.values_list("fingerprint", flat=True))
    assert len(prints) == 1


# --- Matching and alerts --------------------------------------------------------------


def test_new_items_of_a_high_priority_topic_alert_on_commit(
    server, monkeypatch, django_capture_on_commit_callbacks
):
    topic = Topic.objects.create(
        name="Public Defender", include_terms="damtsvel*", priority="high"
    )
    monkeypatch.setattr(matching, "items_match", MatchSpy(topic, "damtsvel"))
    sent = []
    monkeypatch.setattr(tasks.alerts_send, "delay", lambda ids: sent.append(ids))
    url = server.add("/ka.xml", body=RSS_KA)
    source = _source(url)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        source_pull(source_id=source.pk)
        assert sent == []  # never inside the transaction

    for callback in callbacks:
        callback()
    matched = Item.objects.get(external_id="news.example.ge-1001")
    assert sent == [[matched.pk]]


def test_normal_topics_do_not_alert(
    server, monkeypatch, django_capture_on_commit_callbacks
):
    topic = Topic.objects.create(
        name="Budget", include_terms="budget", priority="normal"
    )
    monkeypatch.setattr(matching, "items_match", MatchSpy(topic, "budget"))
    sent = []
    monkeypatch.setattr(tasks.alerts_send, "delay", lambda ids: sent.append(ids))
    source = _source(server.add("/en.xml", body=ATOM_EN))
    with django_capture_on_commit_callbacks(execute=True):
        source_pull(source_id=source.pk)
    assert ItemTopic.objects.filter(topic=topic).count() == 1
    assert sent == []


def test_pull_with_the_real_matcher(
    server, monkeypatch, django_capture_on_commit_callbacks
):
    pensions = Topic.objects.create(
        name="Pensions", include_terms="pension*\nპენსი*\nկենսաթոշակ*", priority="high"
    )
    Topic.objects.create(name="Weather", include_terms="weather")
    sent = []
    monkeypatch.setattr(tasks.alerts_send, "delay", lambda ids: sent.append(ids))
    sources = [
        _source(server.add("/ka.xml", body=RSS_KA), name="ka"),
        _source(server.add("/hy.xml", body=RSS_HY), name="hy"),
        _source(server.add("/en.xml", body=ATOM_EN), name="en"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for source in sources:
            source_pull(source_id=source.pk)
    matched = set(
        ItemTopic.objects.filter(topic=pensions).values_list(
            "item__external_id", flat=True
        )
    )
    assert matched == {
        "news.example.ge-1001",
        "lur.example.am-2001",
        "https://civil.example.org/en/2026/03/public-defender-pensions",
    }
    assert sorted(id_ for ids in sent for id_ in ids) == sorted(
        Item.objects.filter(external_id__in=matched).values_list("pk", flat=True)
    )


# --- Bad input: readable error, backoff, nothing stored, no exception -----------------


def _bad(server, path, **route):
    return server.add(path, **route)


BAD_INPUT = [
    ("garbage", {"body": GARBAGE}, "broken and holds no readable entry"),
    ("truncated", {"body": TRUNCATED_EARLY}, "broken and holds no readable entry"),
    ("undecodable", {"body": UNDECODABLE}, "text encoding is wrong or unknown"),
    ("billion-laughs", {"body": BILLION_LAUGHS}, "declares XML entities"),
    ("xxe", {"body": XXE}, "declares XML entities"),
    ("huge", {"body": huge(600 * 1024)}, "larger than 512.0"),
    (
        "gzip-bomb",
        {"body": gzip_bomb(8 * 1024 * 1024), "encoding": "gzip"},
        "once decompressed",
    ),
    ("error-500", {"status": 500, "body": b"oops"}, "HTTP 500 (Internal Server Error)"),
    ("error-404", {"status": 404, "body": b"gone"}, "HTTP 404 (Not Found)"),
    (
        "web-page",
        {"body": LISTING_PAGE, "content_type": "text/html"},
        "web page, not a feed",
    ),
    ("empty", {"body": b""}, "empty document"),
]


@pytest.mark.parametrize(
    ("name", "route", "words"), BAD_INPUT, ids=[b[0] for b in BAD_INPUT]
)
def test_bad_input_leaves_a_readable_error_and_backoff(server, spy, name, route, words):
    source = _source(_bad(server, f"/{name}", **route))
    before = timezone.now()

    result = source_pull(source_id=source.pk)

    assert words in result.error
    source = _fresh(source)
    assert words in source.last_error
    assert source.consecutive_failures == 1
    assert source.last_success_at is None
    assert source.pulling_since is None
    wait = source.next_attempt_at - before
    assert timedelta(minutes=5) <= wait <= timedelta(minutes=5.5, seconds=5)
    assert Item.objects.count() == 0
    assert spy.calls == []


def test_redirect_loop(server, spy):
    server.redirect("/a", "/b")
    server.redirect("/b", "/a")
    source = _source(server.url("/a"))
    result = source_pull(source_id=source.pk)
    assert "go round in a circle" in result.error
    assert _fresh(source).consecutive_failures == 1


def test_too_many_redirects(server, spy):
    for n in range(6):
        server.redirect(f"/r{n}", f"/r{n + 1}")
    source = _source(server.url("/r0"))
    assert "Too many redirects" in source_pull(source_id=source.pk).error


def test_timeout(server, spy, settings):
    settings.MONITORING_READ_TIMEOUT = 0.1
    source = _source(server.add("/slow", body=RSS_KA, delay=0.4))
    result = source_pull(source_id=source.pk)
    assert "stopped answering" in result.error
    assert _fresh(source).consecutive_failures == 1
    assert Item.objects.count() == 0


def test_private_address_refused_when_not_allowed(server, spy, settings):
    settings.MONITORING_ALLOW_PRIVATE_ADDRESSES = False
    source = _source(server.add("/ka.xml", body=RSS_KA))
    result = source_pull(source_id=source.pk)
    assert "local or private network address (127.0.0.1)" in result.error
    assert server.hits("/ka.xml") == 0
    assert Item.objects.count() == 0


def test_backoff_doubles_up_to_the_cap(server, spy):
    source = _source(server.add("/500", status=500, body=b""))
    waits = []
    for _ in range(6):
        before = timezone.now()
        source_pull(source_id=source.pk)
        waits.append((_fresh(source).next_attempt_at - before).total_seconds() / 60)
    expected = [5, 10, 20, 40, 60, 60]
    for wait, minutes in zip(waits, expected, strict=True):
        assert minutes <= wait <= minutes * 1.1 + 0.1
    assert _fresh(source).consecutive_failures == 6


def test_success_after_failures_resets_the_health(server, spy):
    source = _source(server.add("/flaky", status=503, body=b""))
    source_pull(source_id=source.pk)
    source_pull(source_id=source.pk)
    assert _fresh(source).consecutive_failures == 2
    server.add("/flaky", body=RSS_KA)
    result = source_pull(source_id=source.pk)
    assert result.new == 3
    source = _fresh(source)
    assert source.consecutive_failures == 0
    assert source.last_error == ""


def test_database_error_stores_nothing_half(server, monkeypatch):
    def broken(*, items, topics=None, fresh=False):
        raise DatabaseError("disk I/O error")

    monkeypatch.setattr(matching, "items_match", broken)
    source = _source(server.add("/ka.xml", body=RSS_KA, etag='"v1"'))

    result = source_pull(source_id=source.pk)

    assert "could not be stored: disk I/O error" in result.error
    assert Item.objects.count() == 0  # the items went back with the matching
    source = _fresh(source)
    assert source.consecutive_failures == 1
    assert source.etag == ""  # not saved: the next pull must fetch in full
    assert source.pulling_since is None


def test_unexpected_error_is_recorded_not_raised(server, monkeypatch):
    def buggy(*, items, topics=None, fresh=False):
        raise RuntimeError("a bug")

    monkeypatch.setattr(matching, "items_match", buggy)
    source = _source(server.add("/ka.xml", body=RSS_KA))
    result = source_pull(source_id=source.pk)
    assert result.error == "The pull failed unexpectedly: RuntimeError: a bug"
    assert Item.objects.count() == 0
    assert _fresh(source).consecutive_failures == 1


def test_disabled_or_deleted_source_returns_quietly(server, spy):
    url = server.add("/ka.xml", body=RSS_KA)
    source = _source(url, enabled=False, pulling_since=timezone.now())
    assert source_pull(source_id=source.pk) == PullResult()
    assert _fresh(source).pulling_since is None
    assert source_pull(source_id=source.pk + 1000) == PullResult()
    assert server.hits("/ka.xml") == 0
    assert _fresh(source).consecutive_failures == 0


# --- Claiming -------------------------------------------------------------------------


def test_claim_takes_due_enabled_sources_once():
    now = timezone.now()
    due = _source(
        "https://a.example.org/rss", next_attempt_at=now - timedelta(minutes=1)
    )
    later = _source(
        "https://b.example.org/rss", next_attempt_at=now + timedelta(minutes=5)
    )
    disabled = _source(
        "https://c.example.org/rss",
        enabled=False,
        next_attempt_at=now - timedelta(hours=1),
    )
    busy = _source(
        "https://d.example.org/rss",
        next_attempt_at=now - timedelta(minutes=1),
        pulling_since=now - timedelta(minutes=2),
    )
    stale = _source(
        "https://e.example.org/rss",
        next_attempt_at=now - timedelta(minutes=1),
        pulling_since=now - timedelta(minutes=11),
    )

    claimed = sources_claim_due(now=now)

    assert sorted(claimed) == sorted([due.pk, stale.pk])
    assert _fresh(due).pulling_since == now
    assert _fresh(stale).pulling_since == now
    assert _fresh(later).pulling_since is None
    assert _fresh(disabled).pulling_since is None
    assert _fresh(busy).pulling_since == now - timedelta(minutes=2)
    assert sources_claim_due(now=now + timedelta(seconds=30)) == []


def test_beat_task_pulls_what_is_due(server, spy):
    source = _source(server.add("/ka.xml", body=RSS_KA))
    assert tasks.sources_pull_due() == 1  # Celery is eager in tests
    assert Item.objects.filter(source=source).count() == 3
    source = _fresh(source)
    assert source.pulling_since is None
    assert source.next_attempt_at > timezone.now()
    assert tasks.sources_pull_due() == 0


def test_source_disabled_while_fetching_stores_nothing(server, spy, monkeypatch):
    source = _source(server.add("/ka.xml", body=RSS_KA))
    real_fetch = pulling.fetching.fetch

    def fetch_then_disable(url, **kwargs):
        result = real_fetch(url, **kwargs)
        Source.objects.filter(pk=source.pk).update(enabled=False)
        return result

    monkeypatch.setattr(pulling.fetching, "fetch", fetch_then_disable)
    assert source_pull(source_id=source.pk) == PullResult()
    assert Item.objects.count() == 0
    assert _fresh(source).pulling_since is None


def test_address_changed_while_fetching_keeps_no_old_validators(
    server, spy, monkeypatch
):
    source = _source(server.add("/ka.xml", body=RSS_KA, etag='"old"'))
    real_fetch = pulling.fetching.fetch

    def fetch_then_move(url, **kwargs):
        result = real_fetch(url, **kwargs)
        Source.objects.filter(pk=source.pk).update(url=server.url("/new.xml"), etag="")
        return result

    monkeypatch.setattr(pulling.fetching, "fetch", fetch_then_move)
    assert source_pull(source_id=source.pk).new == 3
    source = _fresh(source)
    assert source.etag == ""
    assert source.last_success_at is not None
