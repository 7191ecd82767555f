"""Topic matching: across scripts, word beginnings, excludes, languages, re-apply."""

import time
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from media_monitoring import matching
from media_monitoring.models import Item, ItemTopic, Source, Topic
from prapp.models import AuditEntry
from prapp.text import search_key

pytestmark = pytest.mark.django_db


def make_source(**extra) -> Source:
    values = {
        "name": "Civil.ge",
        "url": f"https://civil.ge/feed/{Source.objects.count()}",
    }
    values.update(extra)
    return Source.objects.create(**values)


def make_item(title, summary="", language="", source=None, **extra) -> Item:
    return Item.objects.create(
        source=source,
        external_id=f"guid-{Item.objects.count()}" if source else "",
        title=title,
        summary=summary,
        language=language,
        search_text=search_key(title, summary),
        **extra,
    )


def make_topic(include, exclude="", **extra) -> Topic:
    return Topic.objects.create(
        name=extra.pop("name", include.splitlines()[0]),
        include_terms=include,
        exclude_terms=exclude,
        **extra,
    )


def found(text, topic, language=""):
    """The include terms of ``topic`` found in ``text`` (None: no match)."""
    return matching.match_text(text, topics=[topic], language=language).get(topic.pk)


# Terms ----------------------------------------------------------------------


def test_latin_term_finds_georgian_and_armenian_text():
    tbilisi = make_topic("Tbilisi")
    yerevan = make_topic("Yerevan*")
    assert found("თბილისის მერიამ განაცხადა", make_topic("Tbilisi*")) == ["Tbilisi*"]
    assert found("დედაქალაქი თბილისი", tbilisi) == ["Tbilisi"]
    assert found("Երևանի քաղաքապետարանը", yerevan) == ["Yerevan*"]
    assert found("Երևան", yerevan) == ["Yerevan*"]


def test_georgian_term_finds_its_romanised_form():
    topic = make_topic("სახალხო დამცველი")
    assert found("Sakhalkho Damtsveli said on Monday", topic) == ["სახალხო დამცველი"]


def test_georgian_stem_with_asterisk_finds_inflections_at_word_start_only():
    topic = make_topic("დამცველ*")
    for word in ("დამცველი", "დამცველის", "დამცველმა", "დამცველებს"):
        assert found(f"სახალხო {word} განცხადება", topic) == ["დამცველ*"], word
    # Inside a word is not a word beginning.
    assert found("უდამცველო ბავშვები", topic) is None


def test_armenian_stem_with_asterisk_finds_case_endings():
    topic = make_topic("պաշտպան*")
    for word in ("պաշտպան", "պաշտպանի", "պաշտպանը", "պաշտպանին", "պաշտպանից"):
        assert found(f"Մարդու իրավունքների {word}", topic) == ["պաշտպան*"], word


def test_term_without_asterisk_matches_whole_words_only():
    topic = make_topic("pension")
    assert found("A PENSION reform, again.", topic) == ["pension"]
    assert found("pension", topic) == ["pension"]
    assert found("The pensioner complained", topic) is None
    assert found("a suspension", topic) is None


def test_phrase_matches_the_words_in_order():
    topic = make_topic("public defender")
    assert found("The Public  Defender — said", topic) == ["public defender"]
    assert found("public and defender", topic) is None
    assert found("defender public", topic) is None


def test_every_include_term_found_is_reported_in_the_order_typed():
    topic = make_topic("ombudsman\nდამცველ*\nreport*")
    text = "Reports by the ombudsman: სახალხო დამცველმა"
    assert found(text, topic) == ["ombudsman", "დამცველ*", "report*"]


def test_exclude_term_vetoes_the_topic():
    topic = make_topic("დამცველ*", exclude="ფეხბურთ*\nfootball")
    assert found("დამცველმა გოლი გაიტანა ფეხბურთის მატჩში", topic) is None
    assert found("The defender (damtsveli) in football", topic) is None
    assert found("სახალხო დამცველმა", topic) == ["დამცველ*"]


def test_terms_without_letters_are_ignored():
    topic = make_topic("!!\n*\nombudsman")
    assert found("!! ombudsman", topic) == ["ombudsman"]
    assert matching.term_pattern("  *  ") == ""
    assert matching.term_pattern("Pension*") == " pension"
    assert matching.term_pattern("pension") == " pension "


def test_language_restricts_the_topic_but_items_without_language_match():
    topic = make_topic("Tbilisi", language="ka")
    assert found("Tbilisi", topic, language="ka") == ["Tbilisi"]
    assert found("Tbilisi", topic, language="") == ["Tbilisi"]
    assert found("Tbilisi", topic, language="en") is None


# Storing matches --------------------------------------------------------------


def test_items_match_stores_new_matches_with_terms_and_is_idempotent():
    defender = make_topic("დამცველ*\nombudsman", name="Public Defender")
    pensions = make_topic("pension*", name="Pensions", language="en")
    make_topic("ombudsman", name="Off", active=False)
    source = make_source()
    georgian = make_item("სახალხო დამცველის ანგარიში", language="ka", source=source)
    english = make_item("Ombudsman on pensions", language="en", source=source)
    other = make_item("Weather", "Sunny.", language="en", source=source)

    new = matching.items_match(items=[georgian, english, other])
    pairs = sorted((m.item.title, m.topic.name, m.terms) for m in new)
    assert pairs == [
        ("Ombudsman on pensions", "Pensions", "pension*"),
        ("Ombudsman on pensions", "Public Defender", "ombudsman"),
        ("სახალხო დამცველის ანგარიში", "Public Defender", "დამცველ*"),
    ]
    stored = sorted(
        ItemTopic.objects.values_list("item__title", "topic__name", "terms")
    )
    assert stored == pairs
    assert defender.matches.count() == 2 and pensions.matches.count() == 1

    # Twice: nothing new, nothing doubled.
    assert matching.items_match(items=[georgian, english, other]) == []
    assert ItemTopic.objects.count() == 3


def test_items_match_keeps_a_match_filed_by_hand():
    topic = make_topic("ombudsman")
    item = make_item("Ombudsman speaks")
    ItemTopic.objects.create(item=item, topic=topic, terms="")
    assert matching.items_match(items=[item]) == []
    assert list(ItemTopic.objects.values_list("terms", flat=True)) == [""]


def test_items_match_with_explicit_topics_and_unkeyed_items():
    wanted = make_topic("ombudsman")
    make_topic("report*")
    item = Item.objects.create(title="Ombudsman report", search_text="")
    new = matching.items_match(items=[item], topics=[wanted])
    assert [(m.topic, m.terms) for m in new] == [(wanted, "ombudsman")]
    assert ItemTopic.objects.count() == 1


def test_stored_terms_are_capped_to_the_column():
    terms = [f"{chr(97 + i % 26) * 3}word{i}" for i in range(80)]
    topic = make_topic("\n".join(terms))
    item = make_item(" ".join(terms))
    [match] = matching.items_match(items=[item])
    assert 0 < len(match.terms) <= 500
    assert match.terms.startswith(f"{terms[0]}, {terms[1]}")
    assert ItemTopic.objects.get(topic=topic).terms == match.terms


def test_matcher_is_cached_until_a_topic_changes():
    topic = make_topic("ombudsman")
    first = matching.matcher_for([topic])
    assert matching.matcher_for(Topic.objects.filter(pk=topic.pk)) is first
    topic.include_terms = "pension"
    topic.save()
    second = matching.matcher_for([topic])
    assert second is not first
    # A queryset update leaves updated_at alone; the terms still count.
    Topic.objects.filter(pk=topic.pk).update(include_terms="defender")
    third = matching.matcher_for(Topic.objects.filter(pk=topic.pk))
    assert third is not second
    assert matching.match_text("the defender", topics=[Topic.objects.get()]) == {
        topic.pk: ["defender"]
    }


def test_hundreds_of_topics_over_thousands_of_items_stay_fast():
    words = [f"topicword{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(300)]
    topics = Topic.objects.bulk_create(
        [
            Topic(name=f"T{i}", include_terms=f"{word}*\nphrase {word}")
            for i, word in enumerate(words)
        ]
    )
    filler = " ".join(["სახალხო დამცველის ანგარიში Երևան pension"] * 20)
    items = Item.objects.bulk_create(
        [
            Item(
                title=f"Item {n}",
                summary=f"{filler} {words[n % 300]}s {words[(n * 7) % 300]}",
                search_text=search_key(
                    f"Item {n}", f"{filler} {words[n % 300]}s {words[(n * 7) % 300]}"
                ),
            )
            for n in range(1000)
        ]
    )
    started = time.perf_counter()
    new = matching.items_match(items=items, topics=topics)
    elapsed = time.perf_counter() - started
    expected = {(item.pk, topics[n % 300].pk) for n, item in enumerate(items)} | {
        (item.pk, topics[(n * 7) % 300].pk) for n, item in enumerate(items)
    }
    assert {(m.item_id, m.topic_id) for m in new} == expected
    assert ItemTopic.objects.count() == len(expected)
    assert elapsed < 5, elapsed


# Preview ----------------------------------------------------------------------


def test_preview_of_an_unsaved_topic_writes_nothing():
    now = timezone.now()
    older = make_item("Ombudsman, older", fetched_at=now - timedelta(hours=2))
    newer = make_item("სახალხო დამცველი, newer", fetched_at=now - timedelta(hours=1))
    make_item("Weather", fetched_at=now)
    make_item("Ombudsman football", fetched_at=now)
    topic = Topic(
        name="Defender", include_terms="ombudsman\nდამცველ*", exclude_terms="football"
    )
    topics_before, matches_before = Topic.objects.count(), ItemTopic.objects.count()

    items, total = matching.topic_preview(topic=topic)
    assert items == [newer, older]
    assert total == 2
    assert items[0].matched_terms == ["დამცველ*"]
    assert (Topic.objects.count(), ItemTopic.objects.count()) == (
        topics_before,
        matches_before,
    )
    # The limit cuts the list, not the count.
    items, total = matching.topic_preview(topic=topic, limit=1)
    assert items == [newer] and total == 2


def test_preview_of_a_saved_topic_uses_the_terms_as_edited():
    topic = make_topic("ombudsman")
    make_item("Pension reform")
    topic.include_terms = "pension"
    items, total = matching.topic_preview(topic=topic)
    assert [i.title for i in items] == ["Pension reform"] and total == 1
    assert ItemTopic.objects.count() == 0


# Re-apply ---------------------------------------------------------------------


@pytest.fixture
def monitor(make_user):
    return make_user("monitor", role="Monitor")


def test_reapply_adds_and_removes_automatic_matches_only(monitor, viewer):
    topic = make_topic("ombudsman")
    kept = make_item("Ombudsman again")
    stale = make_item("Pension reform")
    by_hand = make_item("Weather")
    now_matching = make_item(
        "Ombudsman report", fetched_at=timezone.now() - timedelta(days=3)
    )
    ItemTopic.objects.create(item=kept, topic=topic, terms="ombudsman")
    ItemTopic.objects.create(item=stale, topic=topic, terms="pension")
    ItemTopic.objects.create(item=by_hand, topic=topic, terms="")

    with pytest.raises(PermissionDenied):
        matching.topic_reapply(topic=topic, actor=viewer)
    assert ItemTopic.objects.count() == 3

    assert matching.topic_reapply(topic=topic, actor=monitor) == 1
    assert set(topic.matches.values_list("item__title", "terms")) == {
        ("Ombudsman again", "ombudsman"),
        ("Weather", ""),
        ("Ombudsman report", "ombudsman"),
    }
    # The item itself stays; the new match is dated by the item's arrival.
    assert Item.objects.filter(pk=stale.pk).exists()
    added = ItemTopic.objects.get(item=now_matching)
    assert added.matched_at == now_matching.fetched_at
    entry = AuditEntry.objects.get(action="media_monitoring.topic.reapplied")
    assert entry.actor == monitor and entry.target_id == str(topic.pk)
    assert entry.changes == {
        "matched": 2,
        "added": 1,
        "removed": 1,
        "terms_refreshed": 0,
    }
    # Again: nothing changes.
    assert matching.topic_reapply(topic=topic, actor=monitor) == 0
    assert topic.matches.count() == 3


def test_reapply_refuses_an_inactive_topic(monitor):
    topic = make_topic("ombudsman", active=False)
    make_item("Ombudsman")
    with pytest.raises(ValidationError):
        matching.topic_reapply(topic=topic, actor=monitor)
    assert ItemTopic.objects.count() == 0
