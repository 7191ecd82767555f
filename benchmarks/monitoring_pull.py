"""Pulling 500 feeds × 50 items with 300 topics, next to plain feedparser.

Run: .venv/bin/python benchmarks/monitoring_pull.py [--feeds 500] [--items 50]
     [--topics 300] [--postgres] [--profile] [--rounds 3]

A feed server (tests/media_monitoring/feedserver.py, in a separate process so
that it does not share our interpreter lock) serves the feeds on 127.0.0.1,
with an ETag and Last-Modified each. The feeds are RSS 2.0 in Georgian,
Armenian and English by turns, with realistic titles and summaries; 300
topics (include and exclude terms, prefix terms, some limited to a language,
a few of high priority) are in the database. Measured in one run:

- ours, end to end: sources_claim_due, then pulling.source_pull of each source
  in turn, exactly as the worker runs it (fetch with every limit and the SSRF
  check, defusedxml check, feedparser, plain text with nh3, storing, search
  keys and fingerprints, topic matching, health) — items per second;
- baseline: plain ``feedparser.parse`` of the same bytes, already in memory
  (its defaults: HTML sanitising on) — items per second, and the ratio of the
  times (target: ours at most 2× the baseline's time). Median of --rounds;
- matching: matching.items_match over every stored item (the automaton, the
  look-up of stored matches; nothing new to write), and the bare automaton
  pass (Matcher.match_key) — megabytes of search key per second;
- the second pull of the unchanged feeds: the share answered 304 (target
  ≥ 95 %) and the new items (target 0).

The database is SQLite in a temporary folder (the embedded mode's WAL file)
unless --postgres starts a throwaway PostgreSQL server as the integration
suite does.
"""

import argparse
import cProfile
import hashlib
import os
import pstats
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import benchdb  # noqa: E402  (benchmarks/, the script's own folder)

# --- Words of the news, by language ---------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


WORDS = {
    "ka": _words(
        "სახალხო დამცველი დამცველმა დამცველის პენსია პენსიების პენსიის "
        "ინდექსაცია მთავრობა მთავრობის პარლამენტი პარლამენტმა ბიუჯეტი "
        "ბიუჯეტის მერია მერიამ თბილისის ქუთაისის ბათუმის საბავშვო ბაღები "
        "ტრანსპორტი ავტობუსები განათლება განათლების ჯანდაცვა საავადმყოფო "
        "მინისტრი მინისტრმა განცხადება გაავრცელა დაამტკიცა გახსნა "
        "რეფორმა რეგიონი რეგიონებში სოფლის მეურნეობა ტურიზმი ტურისტები "
        "არჩევნები კანდიდატი ოპოზიცია კოალიცია სასამართლო სასამართლომ "
        "პროკურატურა პოლიცია უსაფრთხოება ენერგეტიკა ელექტროენერგია "
        "ფასები ინფლაცია ლარი კურსი ეკონომიკა ინვესტიციები გზები მშენებლობა"
    ),
    "hy": _words(
        "Մարդու իրավունքների պաշտպան պաշտպանը պաշտպանի կենսաթոշակ "
        "կենսաթոշակների կառավարություն կառավարությունը Ազգային ժողով "
        "բյուջե բյուջեն քաղաքապետարան Երևանի Գյումրու մանկապարտեզներ "
        "տրանսպորտ ավտոբուսներ կրթություն առողջապահություն հիվանդանոց "
        "նախարար նախարարը հայտարարություն հաստատեց բացվեց բարեփոխում "
        "մարզ մարզերում գյուղատնտեսություն զբոսաշրջություն ընտրություններ "
        "ընդդիմություն դատարան դատախազություն ոստիկանություն անվտանգություն "
        "էներգետիկա գներ գնաճ դրամ տնտեսություն ներդրումներ ճանապարհներ "
        "շինարարություն"
    ),
    "en": _words(
        "Public Defender pension pensions indexation government parliament "
        "budget city hall Tbilisi Yerevan Batumi kindergartens transport "
        "buses education health hospital minister statement approved opened "
        "reform region regions agriculture tourism tourists elections "
        "candidate opposition coalition court prosecutor police security "
        "energy electricity prices inflation lari dram economy investment "
        "roads construction"
    ),
}
LANGUAGES = ("ka", "hy", "en")
# Names of people, places and bodies: the words topics are really about. Each
# text holds a few of them, so that a topic's term is found in a small share
# of the items (as in real news), not in every one.
LETTERS = {
    "ka": ("ბგდვზთკლმნპრსტფქღყშჩცძწჭხჯჰ", "აეიოუ"),
    "hy": ("բգդզթժլխծկհձղճմյնշչպջռսվտրցփքֆ", "աեէըիոօ"),
    "en": ("bcdfghjklmnprstvz", "aeiou"),
}


def _names(language: str, count: int) -> list[str]:
    rng = random.Random(language)
    consonants, vowels = LETTERS[language]
    names = set()
    while len(names) < count:
        syllables = rng.randint(2, 4)
        names.add(
            "".join(
                rng.choice(consonants) + rng.choice(vowels) for _ in range(syllables)
            )
            + rng.choice(consonants)
        )
    return sorted(names)


NAMES = {language: _names(language, 2000) for language in LANGUAGES}
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _sentence(rng: random.Random, language: str, count: int) -> str:
    words = [rng.choice(WORDS[language]) for _ in range(count)]
    for _ in range(max(1, count // 8)):
        words[rng.randrange(count)] = rng.choice(NAMES[language])
    return " ".join(words)


def make_feed(number: int, items: int) -> bytes:
    """One RSS 2.0 feed, deterministic for its number."""
    from xml.sax.saxutils import escape

    rng = random.Random(number)
    language = LANGUAGES[number % 3]
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>',
        f"<title>Outlet {number}</title><link>https://outlet{number}.example/</link>",
        f"<description>news</description><language>{language}</language>",
    ]
    for n in range(items):
        title = _sentence(rng, language, rng.randint(7, 12))
        summary = _sentence(rng, language, rng.randint(30, 60))
        published = START - timedelta(minutes=17 * n + number)
        parts.append(
            f"<item><title>{escape(title)}</title>"
            f"<link>https://outlet{number}.example/{language}/news/{n}</link>"
            f'<guid isPermaLink="false">outlet{number}-{n}</guid>'
            f"<description>{escape('<p>' + summary + '</p>')}</description>"
            f"<dc:creator>{escape(_sentence(rng, language, 2))}</dc:creator>"
            f"<pubDate>{format_datetime(published)}</pubDate></item>"
        )
    parts.append("</channel></rss>\n")
    return "".join(parts).encode()


# --- The feed server (runs in its own process) ----------------------------------------


def serve(folder: Path, port_file: Path) -> None:
    """Serve every feed in ``folder`` at /feed/<name>; write the port; wait."""
    from tests.media_monitoring.feedserver import FeedServer

    server = FeedServer().start()
    stamp = format_datetime(START, usegmt=True)
    for path in sorted(folder.glob("*.xml")):
        body = path.read_bytes()
        server.add(
            f"/feed/{path.name}",
            body=body,
            etag='"' + hashlib.sha1(body, usedforsecurity=False).hexdigest() + '"',
            last_modified=stamp,
        )
    port_file.write_text(str(server.port))

    def finish(*_args):
        server.stop()
        os._exit(0)

    signal.signal(signal.SIGTERM, finish)
    while True:
        time.sleep(3600)


class Server:
    def __init__(self, folder: Path):
        port_file = folder / "port"
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(folder), str(port_file)]
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if port_file.exists() and port_file.read_text().strip():
                self.port = int(port_file.read_text())
                with socket.socket() as sock:
                    if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                        return
            time.sleep(0.1)
        raise RuntimeError("the feed server did not start")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


# --- Set-up ---------------------------------------------------------------------------


def setup(folder: Path, postgres_url: str | None) -> None:
    settings = benchdb.configure(folder, postgres_url)
    settings.MONITORING_ALLOW_PRIVATE_ADDRESSES = True  # the server is on loopback
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_topics(count: int) -> None:
    from media_monitoring.models import Topic

    rng = random.Random(300)
    topics = []
    for n in range(count):
        language = LANGUAGES[n % 3]
        includes = []
        for _ in range(rng.randint(1, 4)):
            kind = rng.random()
            if kind < 0.6:
                term = rng.choice(NAMES[language])
            elif kind < 0.8:  # a word beginning, for the inflected forms
                term = rng.choice(NAMES[language])[:-1] + "*"
            else:  # a phrase: a name and a common word
                term = f"{rng.choice(WORDS[language])} {rng.choice(NAMES[language])}"
            includes.append(term)
        if n < 6:  # a few broad topics, as "pensions" is
            includes.append(rng.choice(WORDS[language])[:-1] + "*")
        excludes = [rng.choice(NAMES[language])] if rng.random() < 0.3 else []
        topics.append(
            Topic(
                name=f"Topic {n}",
                include_terms="\n".join(includes),
                exclude_terms="\n".join(excludes),
                language=language if rng.random() < 0.3 else "",
                priority="high" if n % 30 == 0 else "normal",
            )
        )
    Topic.objects.bulk_create(topics)


def make_sources(port: int, feeds: int) -> None:
    from media_monitoring.models import Source

    Source.objects.bulk_create(
        [
            Source(
                name=f"Outlet {n}",
                url=f"http://127.0.0.1:{port}/feed/{n:04d}.xml",
                language=LANGUAGES[n % 3],
                interval_minutes=30,
            )
            for n in range(feeds)
        ]
    )


# --- Measurements ---------------------------------------------------------------------


def baseline(bodies: list[bytes]) -> tuple[float, int]:
    import feedparser

    start = time.perf_counter()
    items = 0
    for body in bodies:
        items += len(feedparser.parse(body).entries)
    return time.perf_counter() - start, items


def pull_all(profile: bool = False):
    """Claim what is due and pull it, one source after another, as the worker does."""
    from media_monitoring import pulling

    def run():
        return [
            pulling.source_pull(source_id=source_id)
            for source_id in pulling.sources_claim_due()
        ]

    start = time.perf_counter()
    if profile:
        profiler = cProfile.Profile()
        results = profiler.runcall(run)
        elapsed = time.perf_counter() - start
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
    else:
        results = run()
        elapsed = time.perf_counter() - start
    return elapsed, results


def make_due() -> None:
    from django.utils import timezone

    from media_monitoring.models import Source

    Source.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def matching_throughput() -> tuple[float, float, int, float]:
    """(items_match MB/s, automaton MB/s, items, MB) over every stored item."""
    from media_monitoring import matching
    from media_monitoring.models import Item, Topic

    items = list(Item.objects.only("id", "search_text", "language", "title"))
    topics = list(Topic.objects.filter(active=True).order_by("pk"))
    size = sum(len(item.search_text.encode()) for item in items) / 1e6
    start = time.perf_counter()
    matching.items_match(items=items, topics=topics)
    stored = time.perf_counter() - start
    matcher = matching.matcher_for(topics)
    start = time.perf_counter()
    for item in items:
        matcher.match_key(item.search_text, item.language)
    bare = time.perf_counter() - start
    return size / stored, size / bare, len(items), size


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--serve":
        serve(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--topics", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3, help="baseline rounds")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--profile", action="store_true", help="profile our pull")
    args = parser.parse_args()

    servers = None
    if args.postgres:
        from tests.integration.servers import Servers

        servers = Servers()
        servers.start()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        feeds = folder / "feeds"
        feeds.mkdir()
        bodies = []
        for n in range(args.feeds):
            body = make_feed(n, args.items)
            (feeds / f"{n:04d}.xml").write_bytes(body)
            bodies.append(body)
        server = Server(feeds)
        try:
            setup(folder, servers.database_url if servers else None)
            from django.db import connection

            from media_monitoring import tasks
            from media_monitoring.models import Item, ItemTopic

            alerts = []
            # The alert mails are the digest work's to measure; count them here.
            tasks.alerts_send.delay = lambda ids: alerts.append(len(ids))
            make_topics(args.topics)
            make_sources(server.port, args.feeds)
            megabytes = sum(len(body) for body in bodies) / 1e6
            print(
                f"{args.feeds} feeds × {args.items} items ({megabytes:.1f} MB of "
                f"RSS, ka/hy/en), {args.topics} topics, database {connection.vendor}"
            )

            base_times = []
            for _ in range(args.rounds):
                elapsed, base_items = baseline(bodies)
                base_times.append(elapsed)
            base = statistics.median(base_times)

            ours, results = pull_all(args.profile)
            new = sum(result.new for result in results)
            errors = [result.error for result in results if result.error]
            assert not errors, errors[:3]
            assert new == args.feeds * args.items == Item.objects.count(), new

            make_due()
            second, again = pull_all()
            unchanged = sum(result.not_modified for result in again)
            second_new = sum(result.new for result in again)

            match_rate, bare_rate, matched_items, size = matching_throughput()

            rows = [
                (
                    "baseline: feedparser.parse of the bytes in memory "
                    f"(median of {args.rounds})",
                    f"{base:.1f} s",
                    f"{base_items / base:,.0f} items/s",
                ),
                (
                    "ours: claim + source_pull (HTTP, checks, parse, store, match)",
                    f"{ours:.1f} s",
                    f"{new / ours:,.0f} items/s",
                ),
                (
                    "ratio of times, ours / baseline (target ≤ 2×)",
                    "",
                    f"{ours / base:.2f}×",
                ),
                (
                    f"matching.items_match over {matched_items:,} stored items "
                    f"({size:.1f} MB of keys)",
                    "",
                    f"{match_rate:.1f} MB/s",
                ),
                (
                    "  the bare automaton pass (Matcher.match_key)",
                    "",
                    f"{bare_rate:.1f} MB/s",
                ),
                (
                    "second pull of unchanged feeds: answered 304 (target ≥ 95 %)",
                    f"{second:.1f} s",
                    f"{unchanged}/{len(again)} = {unchanged / max(len(again), 1):.0%}",
                ),
                ("second pull: new items (target 0)", "", f"{second_new}"),
                (
                    "topic matches stored / alerts dispatched (items)",
                    "",
                    f"{ItemTopic.objects.count():,} / {sum(alerts):,}",
                ),
            ]
            width = max(len(row[0]) for row in rows)
            for label, seconds, figure in rows:
                print(f"{label:<{width}}  {seconds:>8}  {figure}")
            assert second_new == 0
            assert unchanged / max(len(again), 1) >= 0.95
            connection.close()
        finally:
            server.stop()
            if servers is not None:
                servers.stop()


if __name__ == "__main__":
    main()
