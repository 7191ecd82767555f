"""Pulling sources: claim the due ones, fetch, parse, store new items, match.

A pull is fetch → parse → store, and the store is one transaction: the new
items, their topic matches and the source's health go in together or not at
all. The network part runs outside any transaction. A problem with a source
(network, HTTP, malformed or hostile feed, a database error on one item) never
leaves the function: it is recorded on the source as a readable error with an
exponential backoff, so the worker and the beat schedule keep running.

Automatic pulls write no audit entries (nobody acted); "pull now" is audited
by services.source_pull_request.
"""

import hashlib
import logging
import random
import re
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from media_monitoring import fetching, matching, parsing
from media_monitoring.models import Item, Source, Topic
from prapp.db import insert_ignoring_conflicts
from prapp.text import search_key

logger = logging.getLogger(__name__)

# A pull that started longer ago than this is taken for dead (worker killed).
STALE_AFTER = timedelta(minutes=10)
# The newest entries kept from one document: a hostile feed cannot flood the
# inbox with tens of thousands of rows.
MAX_ENTRIES = 1000
ERROR_MAX = 1000
BATCH = 500
# "Title – Outlet" / "Title | Outlet": the outlet's name is not the story.
_OUTLET_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{1,40}$")


@dataclass
class PullResult:
    """What one pull did.

    ``new``: items stored by this pull; ``seen``: entries of the document that
    were stored before; ``not_modified``: the server answered 304; ``error``:
    the readable reason of a failure (also saved on the source).
    """

    new: int = 0
    seen: int = 0
    not_modified: bool = False
    error: str = ""


def fingerprint(title: str, fallback: str = "") -> str:
    """The same story from several outlets gets the same 40-character fingerprint.

    The title's search key (so scripts and case do not matter), without an
    outlet's name after a dash or bar, as a set of its words longer than two
    letters (numbers kept): reordered or re-punctuated headlines agree.
    """
    words = search_key(title).split()
    trimmed = _OUTLET_SUFFIX.sub("", title.strip())
    if trimmed != title.strip() and len(search_key(trimmed).split()) >= 4:
        words = search_key(trimmed).split()
    kept = sorted({word for word in words if len(word) > 2 or word.isdigit()})
    basis = " ".join(kept) if len(kept) >= 2 else "url " + (fallback or title)
    return hashlib.sha1(basis.encode(), usedforsecurity=False).hexdigest()


def sources_claim_due(*, now=None) -> list[int]:
    """Mark the enabled sources that are due and not being pulled; return their ids.

    One transaction: the rows are locked (PostgreSQL skips rows another
    claimer holds; SQLite serialises writers), and the update repeats the
    conditions, so two beats never claim the same source.
    """
    now = now or timezone.now()
    free = Q(pulling_since__isnull=True) | Q(pulling_since__lt=now - STALE_AFTER)
    with transaction.atomic():
        ids = list(
            Source.objects.select_for_update(skip_locked=True)
            .filter(free, enabled=True, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)
        )
        claimed = []
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            Source.objects.filter(free, pk__in=chunk, enabled=True).update(
                pulling_since=now
            )
            claimed += chunk
    return claimed


def source_pull(*, source_id: int) -> PullResult:
    """Pull one source now; returns what happened and never raises for the source.

    A deleted or disabled source returns quietly (an empty result).
    """
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return PullResult()
    if not source.enabled:
        Source.objects.filter(pk=source_id).update(pulling_since=None)
        return PullResult()
    started = timezone.now()
    Source.objects.filter(pk=source_id).update(
        pulling_since=started, last_attempt_at=started
    )
    try:
        try:
            return _pull(source, started)
        except (fetching.FetchError, parsing.ParseError) as exc:
            message = exc.message
        except DatabaseError as exc:
            logger.exception("Storing the items of source %s failed", source_id)
            message = _("The new items could not be stored: %(reason)s") % {
                "reason": str(exc)[:300]
            }
        except Exception as exc:
            # A bug met on one source's data must not stop the worker or the beat.
            logger.exception("Pulling source %s failed", source_id)
            message = _("The pull failed unexpectedly: %(reason)s") % {
                "reason": f"{type(exc).__name__}: {exc}"[:300]
            }
        # The backoff is set before the source is free again, so that beat
        # cannot claim it in between.
        _record_failure(source_id, message)
        return PullResult(error=message)
    finally:
        # Whatever happened (even a failure to record the failure), the
        # source is free for the next pull.
        Source.objects.filter(pk=source_id, pulling_since=started).update(
            pulling_since=None
        )


def _pull(source: Source, started) -> PullResult:
    fetched = fetching.fetch(
        source.url, etag=source.etag, last_modified=source.last_modified
    )
    entries = []
    if not fetched.not_modified:
        parse = (
            parsing.parse_page
            if source.kind == Source.Kind.PAGE
            else parsing.parse_feed
        )
        entries = parse(
            fetched.body,
            content_type=fetched.content_type,
            charset=fetched.charset,
            base_url=fetched.final_url,
        )[:MAX_ENTRIES]
    with transaction.atomic():
        locked = Source.objects.select_for_update().filter(pk=source.pk).first()
        if locked is None or not locked.enabled:
            return PullResult()  # deleted or disabled while we were fetching
        if locked.url != source.url:
            fetched.etag = fetched.last_modified = ""  # validators of the old address
        if fetched.not_modified:
            _record_success(locked, fetched, started)
            return PullResult(not_modified=True)
        new_items = _store(locked, entries, started)
        matches = matching.items_match(items=new_items, fresh=True) if new_items else []
        _record_success(locked, fetched, started)
        alert_ids = _high_priority(matches)
        if alert_ids:
            from media_monitoring import tasks  # tasks imports this module

            transaction.on_commit(partial(tasks.alerts_send.delay, alert_ids))
    return PullResult(new=len(new_items), seen=len(entries) - len(new_items))


def _store(source: Source, entries: list, started) -> list[Item]:
    """Insert the entries not stored yet; return the rows this pull created.

    The unique constraint (source, external_id) decides: when another pull
    inserted some of the rows meanwhile, the database skips them.
    """
    if not entries:
        return []
    known = set()
    identifiers = [entry.external_id for entry in entries]
    for start in range(0, len(identifiers), BATCH):
        known.update(
            Item.objects.filter(
                source=source, external_id__in=identifiers[start : start + BATCH]
            ).values_list("external_id", flat=True)
        )
    rows = []
    # The feed lists the newest first; inserting the oldest first gives the
    # newest the highest id, so the inbox (newest first) keeps the feed's order.
    for entry in reversed(entries):
        if entry.external_id in known:
            continue
        rows.append(
            Item(
                kind=Item.Kind.ONLINE,
                source=source,
                outlet_id=source.outlet_id,
                external_id=entry.external_id,
                url=entry.url,
                title=entry.title,
                summary=entry.summary,
                author=entry.author,
                language=entry.language or source.language,
                published_at=entry.published_at,
                fetched_at=started,
                search_text=search_key(entry.title, entry.summary),
                fingerprint=fingerprint(entry.title, entry.url or entry.external_id),
                status=Item.Status.NEW,
            )
        )
    if not rows:
        return []
    # Rows another pull stored meanwhile are skipped by the unique constraint;
    # the rows of this pull are then known by their exact ``fetched_at``.
    insert_ignoring_conflicts(rows)
    ids = dict(
        Item.objects.filter(source=source, fetched_at=started).values_list(
            "external_id", "pk"
        )
    )
    created = []
    for row in rows:
        row.pk = ids.get(row.external_id)
        if row.pk is not None:
            row._state.adding = False
            created.append(row)
    return created


def _high_priority(matches) -> list[int]:
    """Ids of the items matched to an active high-priority topic."""
    topic_ids = {match.topic_id for match in matches}
    if not topic_ids:
        return []
    high = set(
        Topic.objects.filter(
            pk__in=topic_ids, active=True, priority=Topic.Priority.HIGH
        ).values_list("pk", flat=True)
    )
    return sorted({match.item_id for match in matches if match.topic_id in high})


def _record_success(source: Source, fetched, started) -> None:
    Source.objects.filter(pk=source.pk).update(
        last_success_at=timezone.now(),
        consecutive_failures=0,
        last_error="",
        etag=fetched.etag,
        last_modified=fetched.last_modified,
        next_attempt_at=started + timedelta(minutes=source.interval_minutes),
        pulling_since=None,
    )


def backoff(failures: int) -> timedelta:
    """How long a source waits after ``failures`` failures in a row (with jitter)."""
    base = float(settings.MONITORING_BACKOFF_MINUTES)
    cap = float(settings.MONITORING_BACKOFF_MAX_MINUTES)
    minutes = min(base * 2 ** min(max(failures, 1) - 1, 30), cap)
    # Up to a tenth more, so that sources failing together do not retry together.
    return timedelta(minutes=minutes * (1 + random.uniform(0, 0.1)))  # noqa: S311


def _record_failure(source_id: int, message: str) -> None:
    with transaction.atomic():
        source = Source.objects.select_for_update().filter(pk=source_id).first()
        if source is None:
            return
        failures = source.consecutive_failures + 1
        Source.objects.filter(pk=source_id).update(
            consecutive_failures=failures,
            last_error=message[:ERROR_MAX],
            next_attempt_at=timezone.now() + backoff(failures),
            pulling_since=None,
        )
    logger.info("Source %s failed (%s in a row): %s", source_id, failures, message)
