"""Monitoring pulls through a real worker: Redis, PostgreSQL, a feed server on loopback.

The beat task claims the due sources and the worker pulls them; a worker
killed in the middle of a pull loses nothing and stores nothing twice, since
the pull is redelivered to the next worker and items are unique per source.
"""

import pytest
from django.db.models import Count

from media_monitoring import tasks
from media_monitoring.models import Item, ItemTopic, Source, Topic
from tests.integration.conftest import wait_for
from tests.media_monitoring.feedserver import HY_ITEMS, KA_ITEMS, FeedServer, rss

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

TASK_TIMEOUT = 60


@pytest.fixture
def feeds(monkeypatch):
    # Read by the worker's settings when it starts: the feed server is on loopback.
    monkeypatch.setenv("MONITORING_ALLOW_PRIVATE_ADDRESSES", "1")
    with FeedServer() as server:
        yield server


@pytest.fixture
def pension_topic():
    return Topic.objects.create(
        name="პენსიები", include_terms="პენსი*\nկենսաթոշակ*\npension*"
    )


def test_beat_claims_due_sources_and_the_worker_stores_and_matches_items(
    start_worker, feeds, pension_topic
):
    ka = Source.objects.create(
        name="ახალი ამბები",
        url=feeds.add("/ka.xml", body=rss(KA_ITEMS, language="ka"), etag='"v1"'),
        language="ka",
    )
    hy = Source.objects.create(
        name="Լուր",
        url=feeds.add("/hy.xml", body=rss(HY_ITEMS, language="hy"), etag='"v1"'),
        language="hy",
    )
    start_worker()

    assert tasks.sources_pull_due.delay() is not None
    wait_for(
        lambda: (
            Item.objects.count() == len(KA_ITEMS) + len(HY_ITEMS)
            and not Source.objects.filter(pulling_since__isnull=False).exists()
        ),
        TASK_TIMEOUT,
        "both sources to be pulled",
    )
    for source in (ka, hy):
        source.refresh_from_db()
        assert source.last_success_at is not None
        assert source.consecutive_failures == 0
        assert source.etag == '"v1"'
    matched = set(
        ItemTopic.objects.filter(topic=pension_topic).values_list(
            "item__external_id", flat=True
        )
    )
    assert matched == {"news.example.ge-1001", "lur.example.am-2001"}

    # Due again: the unchanged feeds answer 304 and nothing new is stored.
    Source.objects.update(next_attempt_at=ka.last_attempt_at)
    tasks.sources_pull_due.delay()
    wait_for(
        lambda: feeds.hits("/ka.xml") == 2 and feeds.hits("/hy.xml") == 2,
        TASK_TIMEOUT,
        "the second pull",
    )
    wait_for(
        lambda: not Source.objects.filter(pulling_since__isnull=False).exists(),
        TASK_TIMEOUT,
        "the second pull to finish",
    )
    assert feeds.last_headers("/ka.xml").get("If-None-Match") == '"v1"'
    assert Item.objects.count() == len(KA_ITEMS) + len(HY_ITEMS)


def test_a_worker_killed_in_the_middle_of_a_pull_loses_and_doubles_nothing(
    start_worker, feeds, pension_topic
):
    body = rss(KA_ITEMS, language="ka")
    # The body trickles out for about a minute: the worker is killed meanwhile.
    url = feeds.add("/slow.xml", body=body, drip=1.0, chunk=len(body) // 60 + 1)
    source = Source.objects.create(name="ნელი წყარო", url=url, language="ka")
    first = start_worker()
    tasks.source_pull.delay(source.pk)
    wait_for(lambda: feeds.hits("/slow.xml") == 1, TASK_TIMEOUT, "the first fetch")
    first.kill()
    assert Item.objects.count() == 0

    # The feed answers at once now; the redelivered pull runs on a new worker.
    feeds.add("/slow.xml", body=body)
    second = start_worker()
    wait_for(
        lambda: Item.objects.count() == len(KA_ITEMS),
        TASK_TIMEOUT,
        "the redelivered pull to store the items",
    )
    source.refresh_from_db()
    wait_for(
        lambda: Source.objects.get(pk=source.pk).last_success_at is not None,
        TASK_TIMEOUT,
        "the source to record its success",
    )
    assert "media_monitoring.source_pull" in second.output()
    twice = (
        Item.objects.values("source", "external_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not twice.exists()
    assert ItemTopic.objects.filter(topic=pension_topic).count() == 1
