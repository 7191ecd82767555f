"""The yearly activity report over the benchmark data set, on PostgreSQL.

Run: .venv/bin/python benchmarks/reports_yearly.py [--year 2025] [--scale 1]
     [--rounds 5] [--explain 5] [--seed 8] [--fill-only]

Starts a throwaway PostgreSQL server on loopback (as the integration suite
does), migrates, fills it with benchmarks/reports_data.py (100,000 contacts,
200,000 monitoring items, 10,000 events, 100,000 archive assets and the rest,
at scale 1), then measures in one run, each the median of --rounds after a
warm-up:

- the page: reports:activity for the whole year, rendered end to end through
  Django's test client, logged in as a manager (target: at most 1 s), and its
  number of queries;
- the figures alone: reports.activity.activity_report for the year (and
  activity_compare, the year and the year before, which the page shows);
- baseline, the floor every report pays: one plain SQL COUNT(*) per table over
  the year, on the date column the report filters by — and the ratios.

With --explain N (and whenever the page is slower than 1 s) the N slowest
queries of the page are shown with EXPLAIN (ANALYZE, BUFFERS).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import benchdb  # noqa: E402  (benchmarks/, the script's own folder)
import reports_data  # noqa: E402

TARGET_SECONDS = 1.0

# The baseline's tables, each with the date column a yearly report filters on.
BASELINE = [
    ("contacts_person", "created_at"),
    ("contacts_organisation", "created_at"),
    ("events_event", "starts_at"),
    ("events_invitation", "created_at"),
    ("events_accreditation", "submitted_at"),
    ("pressreleases_pressrelease", "created_at"),
    ("pressreleases_distribution", "created_at"),
    ("pressreleases_delivery", "sent_at"),
    ("media_monitoring_item", "fetched_at"),
    ("media_monitoring_itemtopic", "matched_at"),
    ("archive_asset", "uploaded_at"),
    ("inquiries_request", "received_at"),
]


def median_seconds(function, rounds: int) -> float:
    function()  # warm-up: templates, translations, caches, the plans
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def year_bounds(year: int):
    """The local year as an aware half-open range of moments."""
    from datetime import datetime
    from datetime import time as day_time

    from django.utils import timezone

    zone = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(date(year, 1, 1), day_time.min), zone),
        timezone.make_aware(datetime.combine(date(year + 1, 1, 1), day_time.min), zone),
    )


def baseline(year: int) -> int:
    """One COUNT(*) per table over the year; returns the sum of the counts."""
    from django.db import connection

    low, high = year_bounds(year)
    total = 0
    with connection.cursor() as cursor:
        for table, column in BASELINE:
            cursor.execute(
                f"SELECT COUNT(*) FROM {table} "  # noqa: S608 (our own names)
                f"WHERE {column} >= %s AND {column} < %s",
                [low, high],
            )
            total += cursor.fetchone()[0]
    return total


def sizes() -> list[tuple[str, int, int]]:
    """(table, estimated rows, bytes with indexes and TOAST) of the tables over
    1 MB, largest first."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.reltuples::bigint, pg_total_relation_size(c.oid) "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'r' AND n.nspname = current_schema() "
            "AND pg_total_relation_size(c.oid) > 1000000 ORDER BY 3 DESC"
        )
        return cursor.fetchall()


def explain(queries: list[dict], count: int) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) the ``count`` slowest of the captured queries."""
    from django.db import connection

    slowest = sorted(queries, key=lambda q: float(q["time"]), reverse=True)[:count]
    for number, query in enumerate(slowest, start=1):
        print(f"\n--- slow query {number}: {float(query['time']) * 1000:.0f} ms")
        print(query["sql"][:2000])
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            print("\n".join(row[0] for row in cursor.fetchall()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=date.today().year - 1)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument(
        "--explain", type=int, default=0, help="EXPLAIN the N slowest page queries"
    )
    parser.add_argument(
        "--fill-only", action="store_true", help="fill, show sizes and the baseline"
    )
    args = parser.parse_args()

    from tests.integration.servers import Servers

    # WhiteNoise's note that collectstatic has not run: the page needs no files.
    warnings.filterwarnings("ignore", message="No directory at")

    servers = Servers()
    servers.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            benchdb.configure(Path(tmp), servers.database_url)
            import django

            django.setup()
            run(args)
    finally:
        servers.stop()


def run(args) -> None:
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import (
        CaptureQueriesContext,
        setup_test_environment,
        teardown_test_environment,
    )
    from django.urls import reverse

    from inquiries.statistics import period_choice, year_period
    from prapp.models import User

    call_command("migrate", verbosity=0)
    print(f"filling the data set for {args.year} (scale {args.scale:g}) …")
    written = reports_data.fill(year=args.year, scale=args.scale, seed=args.seed)
    print(f"\n{'table':32} {'rows':>10} {'MB':>8}")
    for table, estimate, size in sizes():
        rows = written.get(table, estimate)
        print(f"{table:32} {rows:>10,} {size / 1e6:>8.1f}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        database_size = cursor.fetchone()[0]
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    print(f"{'database':32} {'':>10} {database_size / 1e6:>8.1f}  ({version})")
    if args.fill_only:
        base_time = median_seconds(lambda: baseline(args.year), args.rounds)
        print(f"baseline: {base_time * 1000:.0f} ms for {baseline(args.year):,} rows")
        return

    from reports import activity

    manager = User.objects.create_user(
        "bench-manager", password="x" * 12, language="ka"
    )
    manager.groups.add(Group.objects.get(name="Manager"))
    client = Client()
    client.force_login(manager)
    start, end = year_period(args.year)
    url = reverse("reports:activity")
    params = period_choice(start, end)

    def page():
        response = client.get(url, params)
        assert response.status_code == 200, response.status_code
        return response

    # Once with the test environment's template instrumentation, to see that
    # the page shows the year asked for (and not, say, the default month).
    setup_test_environment()
    try:
        figures = page().context["figures"]["current"]
        assert (figures["start"], figures["end"]) == (start, end), figures["start"]
    finally:
        teardown_test_environment()
    with CaptureQueriesContext(connection) as captured:
        page()
    page_queries = len(captured.captured_queries)

    page_time = median_seconds(page, args.rounds)
    report_time = median_seconds(
        lambda: activity.activity_report(start=start, end=end), args.rounds
    )
    compare_time = None
    if hasattr(activity, "activity_compare"):
        compare_time = median_seconds(
            lambda: activity.activity_compare(start=start, end=end), args.rounds
        )
    with CaptureQueriesContext(connection) as report_captured:
        activity.activity_report(start=start, end=end)
    base_time = median_seconds(lambda: baseline(args.year), args.rounds)
    counted = baseline(args.year)

    rows = [
        (
            f"baseline: {len(BASELINE)} plain COUNT(*) over the year "
            f"({counted:,} rows counted)",
            base_time,
            "1.0×",
        ),
        (
            f"activity_report alone ({len(report_captured.captured_queries)} queries)",
            report_time,
            f"{report_time / base_time:.1f}×",
        ),
    ]
    if compare_time is not None:
        rows.append(
            (
                "activity_compare (the year and the year before)",
                compare_time,
                f"{compare_time / base_time:.1f}×",
            )
        )
    rows.append(
        (
            f"page reports:activity, end to end ({page_queries} queries; "
            f"target ≤ {TARGET_SECONDS:g} s)",
            page_time,
            f"{page_time / base_time:.1f}×",
        )
    )
    # Other work on the machine shows in every figure: say how busy it was.
    load = os.getloadavg()[0]
    print(
        f"\nmedian of {args.rounds} after a warm-up; ratio to the baseline "
        f"(load average {load:.2f} on {os.cpu_count()} CPUs)"
    )
    width = max(len(label) for label, _t, _r in rows)
    for label, seconds, ratio in rows:
        print(f"{label:<{width}}  {seconds * 1000:>8.0f} ms  {ratio:>7}")
    verdict = "within" if page_time <= TARGET_SECONDS else "OVER"
    print(f"page: {page_time:.2f} s, {verdict} the {TARGET_SECONDS:g} s target")

    if args.explain or page_time > TARGET_SECONDS:
        explain(captured.captured_queries, args.explain or 5)
    connection.close()


if __name__ == "__main__":
    main()
