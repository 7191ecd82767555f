"""How fast a big CSV goes through the contacts import, next to the simplest load.

Run: .venv/bin/python benchmarks/contacts_import.py [ROWS]   (default 100,000)

Everything happens in a temporary folder: an SQLite file database (WAL, as in
the embedded mode), migrated first, and a generated CSV of mixed Georgian,
Armenian and Latin names, emails and +995/+374 phones. Two loads are timed:

- baseline: csv.reader + bulk_create of bare Person rows (first and last name
  only), no checks, no matching, no children;
- ours: the web import's own services (upload check with row count, then the
  run: validation, E.164, search keys, matching, emails, phones, organisations,
  groups, audit entries, report), exactly as the Celery task runs them.

Peak RSS (resource.getrusage) is printed after a small import and after the big
one: if memory grew with the file, the second figure would be far higher.
"""

import csv
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FIRST = {
    "ka": [("ნინო", "Nino"), ("გიორგი", "Giorgi"), ("თამარ", "Tamar"),
           ("ლევან", "Levan"), ("ეკა", "Eka"), ("დავით", "Davit")],
    "hy": [("Անի", "Ani"), ("Արամ", "Aram"), ("Լիլիթ", "Lilit"),
           ("Դավիթ", "Davit"), ("Գայանե", "Gayane"), ("Արման", "Arman")],
    "en": [("John", "John"), ("Sarah", "Sarah"), ("Marco", "Marco"),
           ("Anna", "Anna"), ("Peter", "Peter"), ("Olga", "Olga")],
}  # fmt: skip
LAST = {
    "ka": [("ბერიძე", "Beridze"), ("მაისურაძე", "Maisuradze"),
           ("გელაშვილი", "Gelashvili"), ("წიკლაური", "Tsiklauri")],
    "hy": [("Պետրոսյան", "Petrosyan"), ("Գրիգորյան", "Grigoryan"),
           ("Սարգսյան", "Sargsyan"), ("Հակոբյան", "Hakobyan")],
    "en": [("Smith", "Smith"), ("Rossi", "Rossi"), ("Müller", "Muller"),
           ("Novak", "Novak")],
}  # fmt: skip
COMPANIES = [
    "რუსთავი 2", "იმედი", "ინტერპრესნიუსი", "საზოგადოებრივი მაუწყებელი",
    "Հանրային հեռուստաընկերություն", "Արմենպրես", "Ազատություն", "CivilNet",
    "EU Delegation", "UNDP", "OSCE", "Transparency International",
]  # fmt: skip
GROUPS = ["მედია", "პოლიტიკა", "Մեդիա", "Economy", "რეგიონები", "Human rights"]
GE_MOBILE = ["555", "557", "558", "577", "591", "593", "595", "597", "598", "599"]
AM_MOBILE = ["91", "93", "94", "95", "96", "98", "99", "77", "55"]
HEADERS = [
    "First Name",
    "Last Name",
    "First Name (Latin)",
    "Last Name (Latin)",
    "Job Title",
    "Company",
    "E-mail Address",
    "Mobile Phone",
    "Language",
    "Groups",
]


def generate(path: Path, rows: int, tag: str, seed: int = 7) -> None:
    rng = random.Random(seed)
    offset = 500_000 if tag == "s" else 0  # the two files share no number
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for n in range(rows):
            language = rng.choice(["ka", "ka", "hy", "hy", "en"])
            first, first_latin = rng.choice(FIRST[language])
            last, last_latin = rng.choice(LAST[language])
            if language == "hy":
                phone = f"+374 {rng.choice(AM_MOBILE)} {n + offset:06d}"
            else:
                phone = f"+995 {rng.choice(GE_MOBILE)} {n + offset:06d}"
            writer.writerow(
                [
                    first,
                    last,
                    first_latin,
                    last_latin,
                    rng.choice(["ჟურნალისტი", "Լրագրող", "Editor", ""]),
                    rng.choice(COMPANIES),
                    f"{first_latin}.{last_latin}.{tag}{n}@example.org".lower(),
                    phone,
                    language,
                    ", ".join(rng.sample(GROUPS, rng.randrange(3))),
                ]
            )


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup(folder: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "prapp.settings.test"
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    from django.conf import settings

    # The test settings swap SQLite for :memory:; measure the embedded mode's
    # file database instead, with its options (prapp/settings/base.py).
    settings.DATABASES["default"] = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(folder / "bench.sqlite3"),
        "OPTIONS": {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }
    settings.MEDIA_ROOT = str(folder / "media")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def baseline(path: Path) -> float:
    from django.db import connection, transaction

    from contacts.models import Person

    start = time.perf_counter()
    with transaction.atomic(), path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        batch = []
        for record in reader:
            batch.append(Person(first_name=record[0], last_name=record[1]))
            if len(batch) == 1000:
                Person.objects.bulk_create(batch)
                batch = []
        Person.objects.bulk_create(batch)
    elapsed = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM contacts_person")
    return elapsed


def ours(path: Path, user) -> tuple[float, float, object]:
    from django.core.files import File

    from contacts import services

    start = time.perf_counter()
    with path.open("rb") as handle:
        job = services.import_job_create(
            upload=File(handle, name=path.name), actor=user
        )
    services.import_job_set_mapping(
        job=job, fields=job.mapping["fields"], on_match="update", actor=user
    )
    services.import_job_confirm(job=job, actor=user, dispatch=False)
    checked = time.perf_counter() - start
    job = services.import_job_run(job=job, actor=user)
    return checked, time.perf_counter() - start, job


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        setup(folder)
        from prapp.models import User

        user = User.objects.create_superuser("bench", "bench@example.org", "x" * 20)
        small, big = folder / "small.csv", folder / "contacts.csv"
        generate(small, rows // 10, "s", seed=3)
        generate(big, rows, "b")
        print(f"file: {rows:,} rows, {big.stat().st_size / 1024 / 1024:.1f} MB")
        print(f"peak RSS after set-up: {peak_rss_mb():.0f} MB")

        base = baseline(big)
        print(
            f"baseline (csv.reader + bulk_create, bare rows): {base:.1f} s, "
            f"{rows / base:,.0f} rows/s"
        )
        print(f"peak RSS after baseline: {peak_rss_mb():.0f} MB")

        _checked, _total, job = ours(small, user)
        print(
            f"ours, {rows // 10:,} rows first: {job.created_count:,} created; "
            f"peak RSS {peak_rss_mb():.0f} MB"
        )
        checked, total, job = ours(big, user)
        assert job.status == "done", job.failure
        print(
            f"ours (check {checked:.1f} s + run {total - checked:.1f} s): "
            f"{total:.1f} s, {rows / total:,.0f} rows/s; created "
            f"{job.created_count:,}, errors {len(job.errors)}"
        )
        print(f"peak RSS after {rows:,} rows: {peak_rss_mb():.0f} MB")
        print(f"ratio (ours / baseline time): {total / base:.1f}")


if __name__ == "__main__":
    main()
