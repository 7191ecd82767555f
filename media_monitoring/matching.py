"""Topic matching: one Aho-Corasick automaton over the terms of all active topics.

Terms and texts are compared on their search keys (prapp.text.search_key):
case-folded, romanized, words of ``[0-9a-z]`` separated by single spaces. So a
Latin term finds Georgian and Armenian text, and a Georgian term finds the same
word written in Latin letters. With the key padded by a space at both ends,
the pattern ``" term "`` is a whole word (or phrase) and ``" term"`` a word
beginning: a term ending in ``*`` finds inflected forms (დამცველ* finds
დამცველი, დამცველის, დამცველმა; պաշտպան* finds պաշտպանի, պաշտպանը).

One automaton holds every include and exclude term of every topic; an item's
key is read once, whatever the number of topics. The automaton is built once
per set of topics and kept until a topic changes.
"""

import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator

import ahocorasick
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, CharField, Count, Max, Sum, Value, When
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from media_monitoring.models import Item, ItemTopic, Topic
from media_monitoring.services import require
from prapp.audit import audit_record
from prapp.db import insert_ignoring_conflicts
from prapp.text import search_key

__all__ = [
    "Matcher",
    "items_match",
    "match_text",
    "matcher_for",
    "term_pattern",
    "topic_preview",
    "topic_reapply",
]

# A preview answers while the person waits: it reads the newest items only.
PREVIEW_SCAN = 20_000
# Rows read from the database at a time while scanning stored items.
SCAN_CHUNK = 2_000
# Rows written (or listed in an IN clause) at a time.
WRITE_BATCH = 500
# Compiled matchers kept per process (active topics, and a few explicit sets).
CACHE_SIZE = 8


def term_pattern(term: str) -> str:
    """The automaton pattern of one term as typed; "" when it has no letter or digit.

    ``pension*`` gives ``" pension"`` (word beginnings), ``pension`` gives
    ``" pension "`` (whole word), ``public defender`` a whole phrase.
    """
    term = term.strip()
    prefix = term.endswith("*")
    key = search_key(term.rstrip("*"))
    if not key:
        return ""
    return f" {key}" if prefix else f" {key} "


class Matcher:
    """Topics compiled into one automaton; matches one search key in one pass.

    Results name topics by their index in ``topics``, so that a cached matcher
    serves any list of the same topics in the same order.
    """

    def __init__(self, topics: Iterable[Topic]):
        self.topics = list(topics)
        self.languages = [topic.language or "" for topic in self.topics]
        # For each topic, its include terms as typed, in the order typed.
        self.terms: list[list[str]] = []
        self.usable = [False] * len(self.topics)
        # pattern -> ((topic index, include term index or -1 for exclude), ...)
        entries: dict[str, list[tuple[int, int]]] = {}
        for index, topic in enumerate(self.topics):
            includes = []
            for term in topic.includes:
                pattern = term_pattern(term)
                if not pattern or any(
                    i == index and t >= 0 for i, t in entries.get(pattern, ())
                ):
                    continue  # typed twice (or the same key): counted once
                entries.setdefault(pattern, []).append((index, len(includes)))
                includes.append(term.strip())
                self.usable[index] = True
            self.terms.append(includes)
            for term in topic.excludes:
                pattern = term_pattern(term)
                if pattern and (index, -1) not in entries.get(pattern, ()):
                    entries.setdefault(pattern, []).append((index, -1))
        self._automaton = None
        if entries:
            automaton = ahocorasick.Automaton()
            for pattern, value in entries.items():
                automaton.add_word(pattern, tuple(value))
            automaton.make_automaton()
            self._automaton = automaton

    def match_key(self, key: str, language: str = "") -> dict[int, list[str]]:
        """``{topic index: include terms found}`` for one item's search key.

        An exclude term vetoes its topic; a topic limited to a language skips
        items in another language (items of unknown language are matched).
        """
        if not key or self._automaton is None:
            return {}
        found: dict[int, set[int]] = {}
        vetoed: set[int] = set()
        for _end, hits in self._automaton.iter(f" {key} "):
            for index, term in hits:
                if term < 0:
                    vetoed.add(index)
                else:
                    found.setdefault(index, set()).add(term)
        result = {}
        for index, terms in found.items():
            if index in vetoed:
                continue
            wanted = self.languages[index]
            if wanted and language and wanted != language:
                continue
            result[index] = [self.terms[index][term] for term in sorted(terms)]
        return result


_cache: OrderedDict[tuple, Matcher] = OrderedDict()
_cache_lock = threading.Lock()


def _signature(topics: list[Topic]) -> tuple:
    # The id and updated_at say when a topic changed; the terms themselves are
    # part of the key too, so a queryset .update() (no updated_at) or an edited
    # but unsaved instance can never be matched with stale terms.
    return tuple(
        (t.pk, t.updated_at, t.include_terms, t.exclude_terms, t.language)
        for t in topics
    )


def matcher_for(topics: Iterable[Topic]) -> Matcher:
    """The compiled matcher of ``topics``, from the cache when they are unchanged."""
    topics = list(topics)
    if any(topic.pk is None for topic in topics):
        return Matcher(topics)  # a preview of an unsaved topic: never cached
    signature = _signature(topics)
    with _cache_lock:
        matcher = _cache.get(signature)
        if matcher is not None:
            _cache.move_to_end(signature)
            return matcher
    matcher = Matcher(topics)
    with _cache_lock:
        _cache[signature] = matcher
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return matcher


_active: tuple[tuple, list[Topic]] = ((), [])


def _active_topics() -> list[Topic]:
    """The active topics, reloaded only when a cheap summary of them changes.

    A pull matches every new batch of items; reading three hundred topics for
    each batch would cost more than the matching itself.
    """
    global _active
    summary = Topic.objects.filter(active=True).aggregate(
        count=Count("pk"), ids=Sum("pk"), changed=Max("updated_at")
    )
    signature = (summary["count"], summary["ids"], summary["changed"])
    cached_signature, topics = _active
    if signature != cached_signature:
        topics = list(Topic.objects.filter(active=True).order_by("pk"))
        _active = (signature, topics)
    return list(topics)


def match_text(text: str, *, topics=None, language: str = "") -> dict:
    """``{topic id: include terms found}`` for a raw text (tests, the benchmark).

    Pure, apart from loading the active topics when ``topics`` is None.
    """
    topics = _active_topics() if topics is None else list(topics)
    found = matcher_for(topics).match_key(search_key(text), language)
    return {topics[index].pk: terms for index, terms in found.items()}


def _terms_field(terms: list[str]) -> str:
    """The terms found, comma-separated, within the column's length."""
    limit = ItemTopic._meta.get_field("terms").max_length
    text = ""
    for term in terms:
        candidate = f"{text}, {term}" if text else term
        if len(candidate) > limit:
            break
        text = candidate
    return text or (terms[0][:limit] if terms else "")


def _chunks(values: list, size: int) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _item_key(item: Item) -> str:
    return item.search_text or search_key(item.title, item.summary)


@transaction.atomic
def items_match(*, items, topics=None, fresh: bool = False) -> list[ItemTopic]:
    """Match items against topics (all active ones by default); store new matches.

    Idempotent: a match already stored (automatic or filed by hand) is kept as
    it is. Returns the new ItemTopic rows (``topic`` and ``item`` set; no pk,
    since conflicting inserts of a concurrent run are ignored). ``fresh`` says
    the items were inserted by the caller's own transaction, so none can have
    a stored match yet and the look-up is skipped.
    """
    items = [item for item in items if item.pk]
    topics = _active_topics() if topics is None else [t for t in topics if t.pk]
    if not items or not topics:
        return []
    matcher = matcher_for(topics)
    now = timezone.now()
    wanted = []
    for item in items:
        for index, terms in matcher.match_key(_item_key(item), item.language).items():
            wanted.append(
                ItemTopic(
                    item=item,
                    topic=topics[index],
                    matched_at=now,
                    terms=_terms_field(terms),
                )
            )
    if not wanted:
        return []
    existing = set()
    # Items inserted by the caller's own transaction (fresh) have no matches yet.
    item_ids = [] if fresh else sorted({match.item_id for match in wanted})
    for chunk in _chunks(item_ids, WRITE_BATCH):
        existing.update(
            ItemTopic.objects.filter(item_id__in=chunk).values_list(
                "item_id", "topic_id"
            )
        )
    new = [m for m in wanted if (m.item_id, m.topic_id) not in existing]
    insert_ignoring_conflicts(new)
    return new


def _scan(queryset, limit: int | None = None) -> Iterator[tuple]:
    """``(id, search key, language, fetched_at)`` of stored items, newest first.

    Read in chunks; an item stored without a key is keyed on the fly.
    """
    rows = (
        queryset.order_by("-fetched_at", "-id")
        .annotate(
            raw=Case(
                When(search_text="", then=Concat("title", Value(" "), "summary")),
                default=Value(""),
                output_field=CharField(),
            )
        )
        .values_list("id", "search_text", "language", "fetched_at", "raw")
    )
    if limit is not None:
        rows = rows[:limit]
    for pk, key, language, fetched_at, raw in rows.iterator(chunk_size=SCAN_CHUNK):
        yield pk, key or search_key(raw), language, fetched_at


def topic_preview(*, topic: Topic, limit: int = 50) -> tuple[list[Item], int]:
    """The stored items a topic would match, newest first, and how many; no writes.

    ``topic`` may be unsaved (the set-up form previews what is typed). The
    newest PREVIEW_SCAN items are read, so the answer stays quick on a large
    archive. Each item returned carries ``matched_terms``.
    """
    matcher = Matcher([topic])
    found: list[tuple[int, list[str]]] = []
    if any(matcher.usable):
        for pk, key, language, _fetched in _scan(Item.objects.all(), PREVIEW_SCAN):
            result = matcher.match_key(key, language)
            if result:
                found.append((pk, result[0]))
    shown = dict(found[:limit])
    items = Item.objects.filter(pk__in=list(shown)).select_related("source", "outlet")
    by_pk = {item.pk: item for item in items}
    ordered = []
    for pk, terms in found[:limit]:
        item = by_pk.get(pk)
        if item is not None:
            item.matched_terms = terms
            ordered.append(item)
    return ordered, len(found)


@transaction.atomic
def topic_reapply(*, topic: Topic, actor) -> int:
    """Match a topic against every stored item again; returns how many newly match.

    Adds the matches of items that match now, removes automatic matches that no
    longer do (the items stay), refreshes the terms found; matches filed by a
    person (no terms) are never removed. A new match is dated by its item's
    arrival, so re-applying does not fill the next digest with old news.
    """
    require(actor, "media_monitoring.change_topic")
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if not topic.active:
        raise ValidationError(_("The topic is inactive: make it active first."))
    matcher = Matcher([topic])
    if not any(matcher.usable):
        raise ValidationError(
            _("None of the include terms has a letter or a digit to look for.")
        )
    found: dict[int, tuple[str, object]] = {}
    for pk, key, language, fetched_at in _scan(Item.objects.all()):
        result = matcher.match_key(key, language)
        if result:
            found[pk] = (_terms_field(result[0]), fetched_at)

    existing = {
        item_id: (pk, terms)
        for pk, item_id, terms in ItemTopic.objects.filter(topic=topic).values_list(
            "pk", "item_id", "terms"
        )
    }
    added = [
        ItemTopic(item_id=item_id, topic=topic, matched_at=fetched_at, terms=terms)
        for item_id, (terms, fetched_at) in found.items()
        if item_id not in existing
    ]
    removed = [
        pk
        for item_id, (pk, terms) in existing.items()
        if terms and item_id not in found
    ]
    refreshed = [
        ItemTopic(pk=pk, terms=found[item_id][0])
        for item_id, (pk, terms) in existing.items()
        if terms and item_id in found and found[item_id][0] != terms
    ]
    insert_ignoring_conflicts(added)
    for chunk in _chunks(removed, WRITE_BATCH):
        ItemTopic.objects.filter(pk__in=chunk).delete()
    ItemTopic.objects.bulk_update(refreshed, ["terms"], batch_size=WRITE_BATCH)
    audit_record(
        actor=actor,
        action="media_monitoring.topic.reapplied",
        target=topic,
        changes={
            "matched": len(found),
            "added": len(added),
            "removed": len(removed),
            "terms_refreshed": len(refreshed),
        },
    )
    return len(added)
