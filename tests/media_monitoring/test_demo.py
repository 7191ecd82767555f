"""The demo media monitoring: realistic, consistent, matched, and seeded only once."""

import re
from datetime import timedelta
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.db.models import Count
from django.utils import timezone

from contacts.demo import seed_contacts
from events.demo import seed_events
from media_monitoring import digests
from media_monitoring.demo import seed_monitoring
from media_monitoring.models import (
    DigestEntry,
    Item,
    ItemNote,
    ItemTopic,
    Source,
    Subscription,
    Topic,
)
from media_monitoring.pulling import fingerprint, sources_claim_due
from media_monitoring.selectors import overdue_q
from prapp.demo import seed_staff
from prapp.models import CapturedEmail, User
from prapp.text import contains_mtavruli

MODELS = (Source, Topic, Item, ItemTopic, ItemNote, Subscription)
GEORGIAN = re.compile("[\u10d0-\u10ff]")
ARMENIAN = re.compile("[\u0531-\u058f]")
CYRILLIC = re.compile("[\u0400-\u04ff]")


def _counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def seeded(db):
    seed_staff()
    seed_contacts(people=3)
    out = StringIO()
    created = seed_monitoring(stdout=out)
    return created, out.getvalue()


def _texts() -> list[str]:
    texts = []
    for item in Item.objects.all():
        texts += [item.title, item.summary, item.response_text, item.author]
        texts += [item.programme]
    for topic in Topic.objects.all():
        texts += [topic.name, topic.include_terms, topic.exclude_terms]
    texts += list(Source.objects.values_list("name", flat=True))
    texts += list(Source.objects.values_list("last_error", flat=True))
    texts += list(ItemNote.objects.values_list("text", flat=True))
    return texts


def test_seeds_once_in_the_expected_ranges(seeded):
    created, output = seeded
    assert created == Item.objects.count()
    assert 550 <= created <= 650
    assert 10 <= Source.objects.count() <= 15
    assert 8 <= Topic.objects.count() <= 14
    assert 1 <= Topic.objects.filter(priority=Topic.Priority.HIGH).count() <= 2
    assert f"{created} new items" in output

    before = _counts()
    assert seed_monitoring() == 0
    assert _counts() == before


def test_items_are_in_three_languages_and_over_ninety_days(seeded):
    languages = dict(
        Item.objects.values_list("language").annotate(n=Count("pk")).order_by()
    )
    assert set(languages) == {"ka", "hy", "en"}
    assert languages["hy"] >= 60 and languages["en"] >= 60
    for item in Item.objects.filter(language="ka"):
        assert GEORGIAN.search(item.title), item.title
        assert not ARMENIAN.search(item.title + item.summary), item.title
    for item in Item.objects.filter(language="hy"):
        assert ARMENIAN.search(item.title), item.title
        assert not GEORGIAN.search(item.title + item.summary), item.title
    for item in Item.objects.filter(language="en"):
        assert not GEORGIAN.search(item.title + item.summary), item.title
        assert not ARMENIAN.search(item.title + item.summary), item.title

    now = timezone.now()
    oldest = Item.objects.order_by("fetched_at").first().fetched_at
    assert now - timedelta(days=91) <= oldest <= now - timedelta(days=80)
    assert not Item.objects.filter(fetched_at__gt=now).exists()
    assert Item.objects.filter(fetched_at__gte=now - timedelta(days=1)).count() >= 5


def test_no_mtavruli_and_no_word_mixes_scripts(seeded):
    for text in _texts():
        assert not contains_mtavruli(text or ""), text
        for word in re.findall(r"\w+", text or ""):
            scripts = [
                bool(pattern.search(word))
                for pattern in (GEORGIAN, ARMENIAN, CYRILLIC, re.compile("[a-zA-Z]"))
            ]
            assert sum(scripts) <= 1, word


def test_sources_are_invented_disabled_and_some_failing(seeded):
    for source in Source.objects.all():
        assert urlsplit(source.url).hostname.endswith(".example"), source.url
        assert not source.enabled
        assert source.last_success_at is not None
    assert Source.objects.filter(outlet__isnull=False).count() == Source.objects.count()
    assert {"ka", "hy", "en"} <= set(Source.objects.values_list("language", flat=True))
    assert Source.objects.filter(kind=Source.Kind.PAGE).exists()
    failing = Source.objects.filter(consecutive_failures__gt=0)
    assert 2 <= failing.count() <= 4
    assert all(source.last_error for source in failing)
    # Never pulled by beat: the demo addresses do not exist.
    assert sources_claim_due(now=timezone.now() + timedelta(days=365)) == []
    for item in Item.objects.exclude(url=""):
        assert urlsplit(item.url).hostname.endswith(".example"), item.url


def test_items_are_matched_by_the_automaton(seeded):
    matches = ItemTopic.objects.all()
    assert matches.count() > 200
    # Every topic found something; Latin, Georgian and Armenian items alike.
    assert not Topic.objects.annotate(n=Count("matches")).filter(n=0).exists()
    assert {"ka", "hy", "en"} <= set(
        matches.values_list("item__language", flat=True).distinct()
    )
    # Matches are dated by their item's arrival (the first digest stays short).
    for match in matches.select_related("item")[:50]:
        assert match.matched_at == match.item.fetched_at
    # Exclude terms work: the funded-pension news is not the pensions topic.
    pensions = Topic.objects.get(name="პენსიები")
    agency = Item.objects.filter(title__contains="Pension Agency")
    assert agency.exists()
    assert not ItemTopic.objects.filter(topic=pensions, item__in=agency).exists()
    # Topic limited to Armenian: no item in another language.
    javakhk = Topic.objects.get(language="hy")
    assert set(javakhk.items.values_list("language", flat=True)) == {"hy"}
    # A few filed by hand (no term found).
    assert matches.filter(terms="").exists()


def test_same_story_from_several_outlets_shares_a_fingerprint(seeded):
    groups = (
        Item.objects.exclude(fingerprint="")
        .values("fingerprint")
        .annotate(outlets=Count("source", distinct=True))
        .filter(outlets__gt=1)
    )
    assert groups.count() >= 40
    for item in Item.objects.filter(kind=Item.Kind.ONLINE)[:100]:
        assert item.fingerprint == fingerprint(item.title, item.url)


def test_triage_is_spread_and_the_newest_are_new(seeded):
    statuses = set(Item.objects.values_list("status", flat=True))
    assert statuses == set(Item.Status.values)
    now = timezone.now()
    online = Item.objects.filter(kind=Item.Kind.ONLINE)
    recent = online.filter(fetched_at__gte=now - timedelta(days=1))
    old = online.filter(fetched_at__lt=now - timedelta(days=10))
    assert recent.filter(status="new").count() >= 0.6 * recent.count()
    assert old.filter(status="new").count() <= 0.1 * old.count()
    assert set(Item.objects.values_list("sentiment", flat=True)) == {
        "",
        "positive",
        "neutral",
        "negative",
    }
    assignees = set(
        Item.objects.exclude(assignee=None).values_list("assignee__username", flat=True)
    )
    assert {"tamar.lomidze", "anna.hakobyan"} <= assignees


def test_manual_mentions_and_responses(seeded):
    manual = Item.objects.filter(kind__in=Item.MANUAL_KINDS)
    assert 20 <= manual.count() <= 30
    assert {"tv", "radio", "print", "social"} == set(
        manual.values_list("kind", flat=True)
    )
    assert not manual.filter(source__isnull=False).exists()
    social = manual.filter(kind=Item.Kind.SOCIAL)
    assert all(item.channel and item.author for item in social)
    answered = Item.objects.filter(responded_at__isnull=False)
    assert answered.count() >= 8
    for item in answered:
        assert item.response_text and item.responded_by_id
        assert item.status == Item.Status.RESPONDED
        assert item.responded_at <= timezone.now()
    overdue = Item.objects.filter(overdue_q())
    assert 2 <= overdue.count() <= 8
    assert Item.objects.filter(
        response_due_at__gt=timezone.now(), responded_at__isnull=True
    ).exists()
    flagged = Item.objects.filter(misinformation=True)
    assert flagged.count() >= 4
    assert flagged.filter(kind=Item.Kind.ONLINE).exists()
    assert flagged.filter(status=Item.Status.NEEDS_RESPONSE).exists()
    assert ItemNote.objects.count() >= 8
    for note in ItemNote.objects.select_related("item"):
        assert note.created_at >= note.item.fetched_at


def test_staff_follow_topics_and_the_first_digest_covers_one_day(seeded):
    tamar = User.objects.get(username="tamar.lomidze")
    assert tamar.monitoring_subscriptions.count() >= 4
    assert Subscription.objects.values("user").distinct().count() >= 4

    now = timezone.now()
    sent = digests.digest_send(user=tamar, now=now)
    assert 1 <= sent <= 40
    # Only what arrived since yesterday went out, once.
    entries = DigestEntry.objects.filter(user=tamar).select_related("item")
    assert entries.count() == sent
    assert all(entry.item.fetched_at > now - timedelta(hours=25) for entry in entries)
    mail = [m for m in CapturedEmail.objects.all() if tamar.email in m.to]
    assert len(mail) == 1
    assert entries[0].item.title in mail[0].body_text


def test_coverage_links_to_the_demo_events(db):
    seed_staff()
    seed_contacts(people=3)
    seed_events()
    seed_monitoring()
    covered = Item.objects.filter(event__isnull=False)
    assert covered.exists()
    for item in covered.select_related("event"):
        assert item.published_at >= item.event.starts_at
        if item.kind == Item.Kind.ONLINE:
            titles = (item.event.title_ka, item.event.title_hy, item.event.title_en)
            assert any(title and item.title.startswith(title) for title in titles)
