"""People list and search on PostgreSQL with 100,000 people and 10,000 organisations.

Run: .venv/bin/python benchmarks/contacts_list.py [--people 100000]

Starts its own PostgreSQL server on loopback (as the integration suite does),
fills it, then times the people list as a member of staff sees it — the whole
Django view with its template, through the test client — next to the same
rows fetched with one raw SQL query, the simplest baseline, in the same run.
Reports medians of repeated requests, and the ratio view / raw SQL.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.integration.servers import Servers  # noqa: E402

GEORGIAN = [
    ("ნინო", "ბერიძე"), ("გიორგი", "კაპანაძე"), ("თამარ", "გელაშვილი"),
    ("ლევან", "მაისურაძე"), ("ეკა", "ლომიძე"), ("დავით", "წიკლაური"),
    ("მარიამ", "ჩიქოვანი"), ("ირაკლი", "ხარაიშვილი"), ("სალომე", "ღლონტი"),
]  # fmt: skip
ARMENIAN = [
    ("Անի", "Պետրոսյան"), ("Արամ", "Գրիգորյան"), ("Լիլիթ", "Սարգսյան"),
    ("Դավիթ", "Հովհաննիսյան"), ("Նարինե", "Ղազարյան"), ("Տիգրան", "Մկրտչյան"),
]  # fmt: skip


def fill(people: int, organisations: int) -> None:
    from contacts.models import (
        Affiliation,
        Organisation,
        Person,
        PersonEmail,
        PersonPhone,
    )
    from prapp.text import search_key

    rng = random.Random(1)
    orgs = [
        Organisation(
            name=f"Outlet {n}",
            name_en=f"Outlet {n}",
            name_ka=f"მედია {n}",
            kind="media" if n % 3 else "ngo",
            media_type="online" if n % 3 else "",
            search_key=search_key(f"Outlet {n}", f"მედია {n}"),
        )
        for n in range(organisations)
    ]
    Organisation.objects.bulk_create(orgs, batch_size=5000)
    org_ids = list(Organisation.objects.values_list("pk", flat=True))
    batch = 10_000
    for start in range(0, people, batch):
        rows = []
        for n in range(start, min(start + batch, people)):
            first, last = rng.choice(ARMENIAN if n % 3 == 2 else GEORGIAN)
            last = f"{last}{n % 997}"
            key = search_key(first, last)
            rows.append(
                Person(
                    first_name=first,
                    last_name=last,
                    language="hy" if n % 3 == 2 else "ka",
                    search_key=f"{key} person{n}@example.ge",
                    name_key=key,
                )
            )
        created = Person.objects.bulk_create(rows, batch_size=5000)
        PersonEmail.objects.bulk_create(
            [
                PersonEmail(person=p, email=f"person{p.pk}@example.ge", is_primary=True)
                for p in created
            ],
            batch_size=5000,
        )
        PersonPhone.objects.bulk_create(
            [
                PersonPhone(person=p, number=f"+99559{p.pk:07d}", is_primary=True)
                for p in created
            ],
            batch_size=5000,
        )
        Affiliation.objects.bulk_create(
            [
                Affiliation(
                    person=p, organisation_id=rng.choice(org_ids), role="editor"
                )
                for p in created
            ],
            batch_size=5000,
        )


def median_ms(function, repeat: int) -> float:
    function()  # warm caches and connections
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--organisations", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--profile", action="store_true", help="profile a search and stop"
    )
    args = parser.parse_args()

    servers = Servers()
    servers.start()
    try:
        os.environ["DATABASE_URL"] = servers.database_url
        os.environ["DJANGO_SETTINGS_MODULE"] = "prapp.settings.test"
        import django

        django.setup()
        from django.contrib.auth.models import Group
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        from contacts import selectors
        from contacts.models import Person
        from prapp.models import User

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        fill(args.people, args.organisations)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(
            f"filled {args.people:,} people, {args.organisations:,} organisations "
            f"in {time.perf_counter() - started:.0f} s"
        )

        manager = User.objects.create_user("bench", password="x" * 12, language="ka")
        manager.groups.add(Group.objects.get(name="Manager"))
        client = Client()
        client.force_login(manager)
        url = reverse("contacts:index")

        ordering = ["last_name", "first_name", "id"]
        deep_row = Person.objects.order_by(*ordering)[int(args.people * 0.9)]
        deep_cursor = selectors._cursor_encode(deep_row, ordering)
        columns = (
            "p.id, p.first_name, p.last_name, p.first_name_latin, p.last_name_latin, "
            "p.language, p.opted_out_at, p.do_not_contact, p.last_verified_at"
        )

        def raw(where: str, params: list):
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {columns} FROM contacts_person p {where} "  # noqa: S608
                    "ORDER BY p.last_name, p.first_name, p.id LIMIT 51",
                    params,
                )
                ids = [row[0] for row in cursor.fetchall()]
                cursor.execute(
                    "SELECT person_id, email FROM contacts_personemail "
                    "WHERE person_id = ANY(%s)",
                    [ids],
                )
                cursor.fetchall()

        def view(params: dict):
            response = client.get(url, params)
            assert response.status_code == 200, response.status_code

        scenarios = [
            ("first page", {}, ("", [])),
            (
                "page at 90% of the list",
                {"after": deep_cursor},
                (
                    "WHERE (p.last_name, p.first_name, p.id) > (%s, %s, %s)",
                    [deep_row.last_name, deep_row.first_name, deep_row.pk],
                ),
            ),
            (
                "search 'beridze' (Latin finds Georgian)",
                {"q": "beridze"},
                ("WHERE p.search_key LIKE %s", ["%beridze%"]),
            ),
            (
                "search 'ՍԱՐԳՍՅԱՆ' (upper-case Armenian)",
                {"q": "ՍԱՐԳՍՅԱՆ"},
                ("WHERE p.search_key LIKE %s", ["%sargsyan%"]),
            ),
            (
                "search a rare name 'ghlonti5'",
                {"q": "ghlonti5"},
                ("WHERE p.search_key LIKE %s", ["%ghlonti5%"]),
            ),
        ]
        if args.profile:
            import cProfile
            import pstats

            from django.db import reset_queries
            from django.test.utils import CaptureQueriesContext

            view({"q": "ghlonti5"})
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                profile = cProfile.Profile()
                profile.enable()
                view({"q": "ghlonti5"})
                profile.disable()
            for query in queries.captured_queries:
                print(query["time"], query["sql"][:300])
                if float(query["time"]) > 0.005:
                    with connection.cursor() as cursor:
                        cursor.execute("EXPLAIN ANALYZE " + query["sql"])
                        print("\n".join(row[0] for row in cursor.fetchall()))
            pstats.Stats(profile).sort_stats("tottime").print_stats(20)
            return
        print(f"\n{'scenario':44} {'view ms':>8} {'raw SQL ms':>11} {'ratio':>6}")
        for name, params, (where, sql_params) in scenarios:
            ours = median_ms(lambda p=params: view(p), args.repeat)
            base = median_ms(lambda w=where, s=sql_params: raw(w, s), args.repeat)
            print(f"{name:44} {ours:8.1f} {base:11.2f} {ours / base:6.1f}")
    finally:
        servers.stop()


if __name__ == "__main__":
    main()
