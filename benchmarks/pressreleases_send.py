"""Sending a press release to 10,000 recipients, next to a plain smtplib loop.

Run: .venv/bin/python benchmarks/pressreleases_send.py [--recipients 10000]
     [--pdf] [--postgres] [--profile]

An SMTP sink (aiosmtpd in a separate process on 127.0.0.1) accepts and counts
every message. A release with Georgian, Armenian and English versions goes to
recipients whose languages alternate ka / hy / en; no PDF is attached unless
--pdf is given (then each version's PDF, rendered once by WeasyPrint, goes with
every message). Two sends are timed in the same run:

- baseline: the same messages, built beforehand with pressreleases.mailing
  (message_for, then as bytes), sent by smtplib.sendmail in a loop over one
  connection — nothing but the SMTP exchange;
- ours: pressreleases.delivery.distribution_run, exactly as the Celery task
  runs it (PRESSRELEASES_MAX_PER_SECOND=0): claiming ledger rows in batches,
  building each message, sending over one reused connection, writing outcomes,
  contact history and progress.

The database is SQLite in a temporary folder (the embedded mode's WAL file)
unless --postgres starts a throwaway PostgreSQL server as the integration
suite does. Prints messages per second of both and the ratio (target: ours at
least 70 % of the baseline). Both run --rounds times (3), alternating, and
the medians are compared: a shared machine's other work then weighs on both.
"""

import argparse
import asyncio
import os
import signal
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import benchdb  # noqa: E402  (benchmarks/, the script's own folder)

FIRST = {
    "ka": ["ნინო", "გიორგი", "თამარ", "ლევან", "ეკა", "დავით"],
    "hy": ["Անի", "Արամ", "Լիլիթ", "Դավիթ", "Գայանե", "Արման"],
    "en": ["John", "Sarah", "Marco", "Anna", "Peter", "Olga"],
}
LAST = {
    "ka": ["ბერიძე", "მაისურაძე", "გელაშვილი", "წიკლაური"],
    "hy": ["Պետրոսյան", "Գրիգորյան", "Սարգսյան", "Հակոբյան"],
    "en": ["Smith", "Rossi", "Müller", "Novak"],
}
PARAGRAPHS = {
    "ka": "თბილისის საკრებულომ დღეს დაამტკიცა 2027 წლის ბიუჯეტი, რომლის "
    "მიხედვითაც განათლებისა და სოციალური პროგრამების დაფინანსება "
    "<strong>12 პროცენტით</strong> იზრდება. ახალი საბავშვო ბაღები "
    "ექვს რაიონში გაიხსნება, ხოლო საზოგადოებრივი ტრანსპორტის "
    "განახლებაზე 40 მილიონი ლარი დაიხარჯება.",
    "hy": "Երևանի ավագանին այսօր հաստատեց 2027 թվականի բյուջեն, որով "
    "կրթության և սոցիալական ծրագրերի ֆինանսավորումն աճում է "
    "<strong>12 տոկոսով</strong>։ Նոր մանկապարտեզներ կբացվեն վեց "
    "համայնքում, իսկ հասարակական տրանսպորտի նորացման վրա կծախսվի "
    "40 միլիոն դրամ։",
    "en": "The city council today approved the 2027 budget, which raises "
    "spending on education and social programmes by <strong>12 per "
    "cent</strong>. New kindergartens will open in six districts, and 40 "
    "million lari will be spent on renewing public transport.",
}
TITLES = {
    "ka": "საკრებულომ 2027 წლის ბიუჯეტი დაამტკიცა",
    "hy": "Ավագանին հաստատեց 2027 թվականի բյուջեն",
    "en": "The council approved the 2027 budget",
}


# --- The SMTP sink (runs in its own process) -------------------------------------


class CountingHandler:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def run_sink(port: int) -> None:
    """Accept and count messages until SIGTERM; print the count on the way out."""
    from aiosmtpd.controller import Controller

    handler = CountingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    stop = asyncio.Event()

    def finish(*_args):
        controller.stop()
        print(handler.count, flush=True)
        os._exit(0)

    signal.signal(signal.SIGTERM, finish)
    while not stop.is_set():
        time.sleep(3600)


class Sink:
    def __init__(self):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--sink", str(self.port)],
            stdout=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        raise RuntimeError("the SMTP sink did not start")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        out, _err = self.process.communicate(timeout=30)
        return int(out.strip() or 0)


# --- Set-up ----------------------------------------------------------------------


def setup(folder: Path, sink_port: int, postgres_url: str | None) -> None:
    settings = benchdb.configure(folder, postgres_url)
    settings.MEDIA_ROOT = str(folder / "media")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink_port
    settings.PRESSRELEASES_MAX_PER_SECOND = 0
    settings.PRAPP_SITE_URL = "https://press.example.ge"
    settings.PRAPP_ORGANISATION_NAME = "თბილისის მერია"
    settings.DEFAULT_FROM_EMAIL = "Press Office <press@example.ge>"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill(recipients: int, attach_pdf: bool):
    from django.utils import timezone

    from contacts.models import Person, PersonEmail
    from prapp.models import User
    from pressreleases.models import Delivery, Distribution, PressRelease

    author = User.objects.create_user("bench", email="bench@example.ge")
    content = {}
    for code in ("ka", "hy", "en"):
        content[f"title_{code}"] = TITLES[code]
        content[f"lead_{code}"] = PARAGRAPHS[code].split(",")[0] + "."
        content[f"body_{code}"] = "".join(
            f"<p>{PARAGRAPHS[code]}</p>" for _ in range(4)
        )
    release = PressRelease.objects.create(
        author=author,
        status=PressRelease.Status.SCHEDULED,
        version=1,
        approved_version=1,
        slug="budget-2027",
        published_at=timezone.now(),
        **content,
    )
    distribution = Distribution.objects.create(
        release=release,
        created_by=author,
        scheduled_for=timezone.now(),
        attach_pdf=attach_pdf,
        total=recipients,
    )
    languages = ["ka", "hy", "en"]
    people = []
    for n in range(recipients):
        code = languages[n % 3]
        people.append(
            Person(
                first_name=FIRST[code][n % 6],
                last_name=LAST[code][n % 4],
                language=code,
            )
        )
    people = Person.objects.bulk_create(people, batch_size=2000)
    PersonEmail.objects.bulk_create(
        [
            PersonEmail(person=p, email=f"reader{n}@example.org", is_primary=True)
            for n, p in enumerate(people)
        ],
        batch_size=2000,
    )
    now = timezone.now()
    Delivery.objects.bulk_create(
        [
            Delivery(
                distribution=distribution,
                release=release,
                person=p,
                email=f"reader{n}@example.org",
                email_key=f"reader{n}@example.org",
                name=f"{p.first_name} {p.last_name}",
                language=p.language,
                not_before=now,
            )
            for n, p in enumerate(people)
        ],
        batch_size=2000,
    )
    return distribution


# --- The two sends -----------------------------------------------------------------


def build_messages(distribution) -> list[tuple[str, str, bytes]]:
    """Every recipient's message as bytes, with envelope sender and recipient."""
    from django.core.mail.message import sanitize_address

    from pressreleases import mailing

    release = distribution.release
    shared, versions, built = {}, {}, []
    for row in distribution.deliveries.order_by("pk"):
        if row.language not in versions:
            versions[row.language] = mailing.prepare(
                release,
                row.language,
                under_embargo=False,
                attach_pdf=distribution.attach_pdf,
                cache=shared,
            )
        message = mailing.message_for(versions[row.language], row)
        built.append(
            (
                sanitize_address(message.from_email, "utf-8"),
                row.email,
                message.message().as_bytes(linesep="\r\n"),
            )
        )
    return built


def baseline(port: int, messages) -> float:
    start = time.perf_counter()
    smtp = smtplib.SMTP("127.0.0.1", port)
    for sender, recipient, data in messages:
        smtp.sendmail(sender, [recipient], data)
    smtp.quit()
    return time.perf_counter() - start


def ours(distribution, profile: bool) -> tuple[float, object]:
    from pressreleases import delivery

    def run():
        return delivery.distribution_run(
            distribution_id=distribution.pk, runner="benchmark", time_budget=3600
        )

    start = time.perf_counter()
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        result = profiler.runcall(run)
        elapsed = time.perf_counter() - start
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    else:
        result = run()
        elapsed = time.perf_counter() - start
    return elapsed, result


def reset(distribution) -> None:
    """Make the ledger pending again for another round (history rows removed)."""
    from contacts.models import Interaction
    from pressreleases.models import Delivery, PressRelease

    Delivery.objects.filter(distribution=distribution).update(
        status="pending", sent_at=None, message_id="", claimed_by="", claimed_at=None
    )
    Interaction.objects.all().delete()
    type(distribution).objects.filter(pk=distribution.pk).update(
        status="queued", runner="", finished_at=None
    )
    PressRelease.objects.filter(pk=distribution.release_id).update(
        status="scheduled", sent_at=None
    )


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--sink":
        run_sink(int(sys.argv[2]))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--pdf", action="store_true", help="attach each version's PDF")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--profile", action="store_true", help="profile our send")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--batch", type=int, help="PRESSRELEASES_BATCH_SIZE (default: the setting)"
    )
    args = parser.parse_args()

    servers = None
    if args.postgres:
        from tests.integration.servers import Servers

        servers = Servers()
        servers.start()
    sink = Sink()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            setup(Path(tmp), sink.port, servers.database_url if servers else None)
            from django.conf import settings
            from django.db import connection

            if args.batch:
                settings.PRESSRELEASES_BATCH_SIZE = args.batch

            distribution = fill(args.recipients, args.pdf)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # as autovacuum would, after a bulk load
            messages = build_messages(distribution)
            size = sum(len(data) for _s, _r, data in messages) / len(messages)
            print(
                f"{args.recipients:,} recipients (ka/hy/en), "
                f"{'with' if args.pdf else 'no'} PDF, average message "
                f"{size / 1024:.1f} kB, database {connection.vendor}, batch "
                f"{settings.PRESSRELEASES_BATCH_SIZE}"
            )

            base_rates, our_rates = [], []
            for round_number in range(1, args.rounds + 1):
                # Alternating, so that a busy moment of the machine (or the
                # sink) does not fall on one side only; medians are compared.
                base = baseline(sink.port, messages)
                base_rates.append(len(messages) / base)
                if round_number > 1:
                    reset(distribution)
                elapsed, result = ours(distribution, args.profile)
                assert result.status == "done", result
                assert result.sent == args.recipients, result
                our_rates.append(result.sent / elapsed)
                print(
                    f"round {round_number}: baseline {base:.1f} s "
                    f"({base_rates[-1]:,.0f}/s), ours {elapsed:.1f} s "
                    f"({our_rates[-1]:,.0f}/s)"
                )
            base_rate = statistics.median(base_rates)
            rate = statistics.median(our_rates)
            print(
                f"baseline (smtplib loop, pre-built bytes, one connection): "
                f"{base_rate:,.0f} messages/s (median of {args.rounds})"
            )
            print(
                f"ours (distribution_run: ledger, build, send, history): "
                f"{rate:,.0f} messages/s (median of {args.rounds})"
            )
            print(f"ratio ours / baseline: {rate / base_rate:.0%} (target ≥ 70 %)")
            connection.close()
    finally:
        received = sink.stop()
        if servers is not None:
            servers.stop()
    print(f"the sink received {received:,} messages")
    expected = 2 * args.rounds * args.recipients
    assert received == expected, (received, expected)


if __name__ == "__main__":
    main()
