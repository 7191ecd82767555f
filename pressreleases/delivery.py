"""Sending a distribution from its delivery ledger; the reads and decisions around it.

The worker's side of the press releases app (services and selectors of
sending). ``distribution_run`` is what the Celery task runs:

- One runner per distribution: it writes its name into Distribution.runner and
  refreshes runner_seen_at while it works; a second task finding a fresh runner
  leaves. A redelivered task (same Celery task id) takes over at once.
- A batch of due rows is claimed ("sending") and committed *before* any message
  leaves; each outcome is written after the batch. A row still "sending" when a
  runner starts was left by one that died in the middle of a batch: whether it
  arrived is unknown, so it becomes "unknown" for a person to decide — it is
  never sent again automatically.
- One SMTP connection serves the whole run, at most PRESSRELEASES_MAX_PER_SECOND
  messages a second. Temporary errors (4xx, lost connection) come back later
  with exponential backoff; permanent ones (5xx) fail that recipient, and a 5xx
  refusal of the address marks it bounced in the contacts.
- After a time budget the runner hands over to a fresh task, so no task comes
  near Celery's time limits (see pressreleases/tasks.py and prapp/celery.py).

SMTP itself cannot rule out one duplicate: a connection lost after the server
took the message but before it said so looks like a temporary error and is
retried (RFC 1047). Everything this application controls sends a message once.
"""

import logging
import random
import smtplib
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import ClassVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import (
    BooleanField,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contacts.models import Interaction, Person, PersonEmail
from contacts.services import email_mark_bounced, interaction_record, person_opt_out
from prapp.audit import audit_record
from pressreleases import mailing
from pressreleases.models import Delivery, Distribution, PressRelease

logger = logging.getLogger(__name__)

ACTIVE = (Distribution.Status.QUEUED, Distribution.Status.SENDING)
# A runner that has shown no life for this long is taken to be dead. A live one
# refreshes runner_seen_at every batch and every LIFE_SIGN_SECONDS inside one,
# and no task lives longer than its hard time limit (six minutes).
RUNNER_STALE = timedelta(minutes=10)
LIFE_SIGN_SECONDS = 20
# A run stops claiming after this long and hands over to a new task, well
# before the task's soft time limit (pressreleases/tasks.py).
TIME_BUDGET_SECONDS = 4 * 60

S = Delivery.Status


def _require(actor, perm: str) -> None:
    if actor is None or not actor.has_perm(perm):
        raise PermissionDenied(perm)


def _office_language():
    """History entries and notes for staff are written in the office's language."""
    return translation.override(settings.LANGUAGE_CODE)


def history_summary(release: PressRelease, language: str) -> str:
    """The line a sent release leaves in a contact's history (office language)."""
    with _office_language():
        title = (
            getattr(release, f"title_{settings.LANGUAGE_CODE}", "")
            or getattr(release, f"title_{language}", "")
            or str(release)
        )
        version = str(dict(settings.LANGUAGES).get(language, language))
        return _("Press release “%(title)s” sent (version: %(language)s).") % {
            "title": title,
            "language": version,
        }


# --- Pacing and SMTP errors -----------------------------------------------------


class Throttle:
    """Spaces messages to at most ``per_second`` a second (0: as fast as possible).

    The clock and the sleep are injected so that tests need not wait.
    """

    def __init__(self, per_second: float, *, clock=time.monotonic, sleep=time.sleep):
        self.interval = 1.0 / per_second if per_second and per_second > 0 else 0.0
        self.clock = clock
        self.sleep = sleep
        self.next_at: float | None = None

    def wait(self) -> float:
        """Sleep until the next message may go; return the seconds slept."""
        if not self.interval:
            return 0.0
        now = self.clock()
        if self.next_at is None or self.next_at < now:
            self.next_at = now  # idle time is not saved up for a burst
        pause = self.next_at - now
        if pause > 0:
            self.sleep(pause)
        self.next_at += self.interval
        return pause


def retry_delay(attempts: int, *, rng=random.random) -> float:
    """Seconds before the next try after ``attempts`` failed ones: doubling, +0–25 %."""
    base = settings.PRESSRELEASES_RETRY_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0)
    return base * (1 + rng() / 4)


def _reply(code, text) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()


def classify_smtp_error(exc: Exception) -> tuple[str, str]:
    """What an SMTP error means for one message, and the error to keep.

    "bounced": the server refused the address for good (5xx on RCPT);
    "failed": it refused this message for good (other 5xx);
    "retry": a temporary refusal (4xx), try later on the same connection;
    "reconnect": the connection is gone or timed out, try later on a new one;
    "stop": the server refuses us, not the recipient (sender or login refused):
    nobody can be sent to now, so nothing is charged to the recipients.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()), (0, b""))
        if isinstance(code, int) and code >= 500:
            return "bounced", _reply(code, text)
        return ("reconnect" if code == 421 else "retry"), _reply(code, text)
    if isinstance(exc, smtplib.SMTPSenderRefused | smtplib.SMTPAuthenticationError):
        return "stop", _reply(exc.smtp_code, exc.smtp_error)
    if isinstance(exc, smtplib.SMTPResponseException):
        reply = _reply(exc.smtp_code, exc.smtp_error)
        if exc.smtp_code >= 500:
            return "failed", reply
        return ("reconnect" if exc.smtp_code == 421 else "retry"), reply
    return "reconnect", f"{type(exc).__name__}: {exc}"


# --- The run --------------------------------------------------------------------


@dataclass
class RunResult:
    """What one call of distribution_run did (for logs and tests)."""

    status: str  # done, waiting, again, busy, gone
    sent: int = 0
    failed: int = 0
    retried: int = 0
    cancelled: int = 0
    unknown: int = 0  # rows a dead runner left "sending", now "unknown"


@dataclass(slots=True, order=True)
class _Claimed:
    """A claimed ledger row: what sending it needs, lighter than a model instance."""

    pk: int
    email: str = field(compare=False)
    email_key: str = field(compare=False)
    name: str = field(compare=False)
    language: str = field(compare=False)
    under_embargo: bool = field(compare=False)
    person_id: int | None = field(compare=False)
    attempts: int = field(compare=False)
    not_before: object = field(compare=False)
    person_stopped: bool | None = field(compare=False)
    blocked: bool = field(default=False, compare=False)
    status: str = field(default=S.SENDING, compare=False)
    sent_at: object = field(default=None, compare=False)
    message_id: str = field(default="", compare=False)
    error: str = field(default="", compare=False)

    COLUMNS: ClassVar = (
        "pk",
        "email",
        "email_key",
        "name",
        "language",
        "under_embargo",
        "person_id",
        "attempts",
        "not_before",
        "person_stopped",
    )


@dataclass
class _Outcome:
    sent: list = field(default_factory=list)  # (row, message id, sent at)
    failed: list = field(default_factory=list)  # (row, error)
    retry: list = field(default_factory=list)  # (row, error)
    cancelled: list = field(default_factory=list)  # (row, note)
    bounced: list = field(default_factory=list)  # (address, reason)


class _Run:
    """The state of one runner: its lock, connection, pace and prepared versions."""

    def __init__(self, distribution: Distribution, lock: str, *, budget, clock, sleep):
        self.distribution = distribution
        self.release = distribution.release
        self.lock = lock
        self.budget = budget
        self.clock = clock
        self.started = clock()
        self.last_sign = self.started
        self.throttle = Throttle(
            settings.PRESSRELEASES_MAX_PER_SECOND, clock=clock, sleep=sleep
        )
        self.batch_size = max(int(settings.PRESSRELEASES_BATCH_SIZE), 1)
        self.connection = None
        self.raw_smtp = False
        self.bounced: set[str] | None = None
        self.versions: dict[tuple[str, bool], mailing.Prepared] = {}
        self.shared: dict = {}  # files and PDFs, read once for every version
        self.stopped = ""  # why the loop ended early: again, lost, unavailable
        self.result = RunResult(status="")
        self._summaries: dict[str, str] = {}

    # Lock and clock ------------------------------------------------------------

    def over_budget(self) -> bool:
        return self.clock() - self.started > self.budget

    def alive(self) -> bool:
        """Show life; False if another runner took over or the send was cancelled."""
        self.last_sign = self.clock()
        return bool(
            Distribution.objects.filter(
                pk=self.distribution.pk, runner=self.lock, status__in=ACTIVE
            ).update(runner_seen_at=timezone.now())
        )

    # Mail connection -------------------------------------------------------------

    def open(self) -> None:
        if self.connection is None:
            connection = get_connection()
            connection.open()
            self.connection = connection
            # Django's own SMTP backend is handed the prepared bytes (see send);
            # any other backend (captured mail, a subclass that signs) gets an
            # EmailMessage through send_messages as usual.
            self.raw_smtp = type(connection) is SMTPBackend

    def send(self, message) -> str | None:
        """Hand one message to the mail server; its Message-ID, None if not taken."""
        if self.raw_smtp:
            # Django's backend would build the MIME message again and parse both
            # addresses per message, three times the cost of the SMTP exchange
            # itself (benchmarks/pressreleases_send.py): send the bytes
            # mailing.message_bytes assembled over the backend's connection.
            self.connection.connection.sendmail(
                message.sender, [message.recipient], message.data
            )
            return message.message_id
        if not self.connection.send_messages([message]):
            return None
        return message.extra_headers["Message-ID"]

    def close(self) -> None:
        if self.connection is None:
            return
        try:
            self.connection.close()
        except Exception as exc:  # noqa: BLE001 — a broken connection is dropped anyway
            logger.info("Closing the SMTP connection: %s", exc)
        self.connection = None

    # Content -----------------------------------------------------------------

    def prepared(self, language: str, under_embargo: bool) -> mailing.Prepared:
        key = (language, under_embargo)
        if key not in self.versions:
            self.versions[key] = mailing.prepare(
                self.release,
                language,
                under_embargo=under_embargo,
                attach_pdf=self.distribution.attach_pdf,
                cache=self.shared,
            )
        return self.versions[key]

    def summary(self, language: str) -> str:
        if language not in self._summaries:
            self._summaries[language] = history_summary(self.release, language)
        return self._summaries[language]

    # Claiming and sending ---------------------------------------------------------

    def claim(self) -> list[_Claimed]:
        """Mark the next due rows "sending", in a short transaction of their own.

        Each row comes with ``blocked``: whether its person has opted out (or is
        not to be contacted) or its address bounced since the ledger was written.
        """
        if self.bounced is None:
            self.bounced = self.bounced_addresses()
        now = timezone.now()
        stopped = Q(person__opted_out_at__isnull=False) | Q(person__do_not_contact=True)
        # Ordered by not_before alone, so that the due index gives the order
        # (a tie-break on the id would sort every due row for each batch).
        due = (
            Delivery.objects.filter(
                distribution_id=self.distribution.pk,
                status=S.PENDING,
                not_before__lte=now,
            )
            .annotate(person_stopped=ExpressionWrapper(stopped, BooleanField()))
            .order_by("not_before")
            .values_list(*_Claimed.COLUMNS)
        )
        if db_connection.features.has_select_for_update_skip_locked:
            # Two runners (a slow one and the one that replaced it) never claim
            # the same row; OF: the person is joined, only the rows are locked.
            of = ("self",) if db_connection.features.has_select_for_update_of else ()
            due = due.select_for_update(skip_locked=True, of=of)
        with transaction.atomic():
            rows = sorted(_Claimed(*values) for values in due[: self.batch_size])
            if not rows:
                return []
            Delivery.objects.filter(
                pk__in=[row.pk for row in rows], status=S.PENDING
            ).update(status=S.SENDING, claimed_by=self.lock, claimed_at=now)
        for row in rows:
            row.blocked = row.person_stopped or row.email_key in self.bounced
        return rows

    def bounced_addresses(self) -> set[str]:
        """This distribution's waiting addresses that bounced since it was written.

        Read once a run (a run lasts minutes), not once a batch.
        """
        waiting = Delivery.objects.filter(
            distribution_id=self.distribution.pk, status=S.PENDING
        ).values("email_key")
        return set(
            PersonEmail.objects.filter(bounced_at__isnull=False)
            .annotate(key=Lower("email"))
            .filter(key__in=waiting)
            .values_list("key", flat=True)
        )

    def send_batch(self, rows: list[_Claimed]) -> None:
        outcome = _Outcome()
        untried = list(rows)
        blocked = {row.pk for row in rows if row.blocked}
        if blocked:
            with _office_language():
                note = _("Not sent: the person opted out or the address bounced.")
            for row in [r for r in untried if r.pk in blocked]:
                outcome.cancelled.append((row, note))
                untried.remove(row)
        try:
            while untried:
                if self.over_budget():
                    self.stopped = "again"
                    break
                if (
                    self.clock() - self.last_sign > LIFE_SIGN_SECONDS
                    and not self.alive()
                ):
                    self.stopped = "lost"
                    break
                row = untried[0]
                try:
                    self.open()
                except (OSError, smtplib.SMTPException) as exc:
                    logger.warning(
                        "Distribution %s: mail server unavailable: %s",
                        self.distribution.pk,
                        exc,
                    )
                    self.close()
                    self.stopped = "unavailable"
                    break
                embargo = row.under_embargo and self.release.under_embargo()
                prepared = self.prepared(row.language, embargo)
                try:
                    if self.raw_smtp:
                        message = mailing.message_bytes(prepared, row)
                    else:
                        message = mailing.message_for(prepared, row)
                except ValueError as exc:  # an address no server could be given
                    untried.pop(0)
                    outcome.failed.append((row, f"{type(exc).__name__}: {exc}"))
                    continue
                self.throttle.wait()
                # From here until the outcome is known the row's fate is open: an
                # exception other than the ones below (the worker's time limit)
                # leaves it "sending", and the next runner lists it as unknown.
                untried.pop(0)
                try:
                    message_id = self.send(message)
                except (OSError, smtplib.SMTPException) as exc:
                    kind, error = classify_smtp_error(exc)
                    if kind == "stop":
                        logger.error(
                            "Distribution %s: the mail server refuses us: %s",
                            self.distribution.pk,
                            error,
                        )
                        untried.insert(0, row)
                        self.close()
                        self.stopped = "unavailable"
                        break
                    if kind == "bounced":
                        outcome.failed.append((row, error))
                        outcome.bounced.append((row.email, error))
                    elif kind == "failed":
                        outcome.failed.append((row, error))
                    else:
                        outcome.retry.append((row, error))
                        if kind == "reconnect":
                            self.close()
                    continue
                if message_id is None:
                    outcome.failed.append((row, _("The mail backend did not send it.")))
                    continue
                outcome.sent.append((row, message_id, timezone.now()))
        finally:
            self.write(outcome, untried)

    def write(self, outcome: _Outcome, untried: list[_Claimed]) -> None:
        """Record a batch in a few statements: outcomes, history, bounces."""
        now = timezone.now()
        mine = Delivery.objects.filter(
            claimed_by=self.lock, status__in=[S.SENDING, S.UNKNOWN]
        )
        max_attempts = settings.PRESSRELEASES_MAX_ATTEMPTS
        sent_rows, other_rows = [], []
        for row, message_id, sent_at in outcome.sent:
            row.status, row.sent_at, row.error = S.SENT, sent_at, ""
            row.message_id = message_id[:250]
            sent_rows.append(row)
        for row, error in outcome.failed:
            row.status, row.error, row.attempts = (
                S.FAILED,
                error[:2000],
                row.attempts + 1,
            )
            other_rows.append(row)
        for row, error in outcome.retry:
            row.attempts += 1
            row.error = error[:2000]
            if row.attempts >= max_attempts:
                row.status = S.FAILED
            else:
                row.status = S.PENDING
                row.not_before = now + timedelta(seconds=retry_delay(row.attempts))
            other_rows.append(row)
        for row, note in outcome.cancelled:
            row.status, row.error = S.CANCELLED, note
            other_rows.append(row)
        with transaction.atomic():
            if untried:
                mine.filter(pk__in=[row.pk for row in untried]).update(status=S.PENDING)
            if sent_rows:
                self.write_sent(sent_rows)
                self.write_history(sent_rows)
            for row in other_rows:  # the few that failed, wait or were stopped
                mine.filter(pk=row.pk).update(
                    status=row.status,
                    error=row.error,
                    attempts=row.attempts,
                    not_before=row.not_before,
                )
            for address, reason in outcome.bounced:
                email_mark_bounced(email=address, reason=reason)
                if self.bounced is not None:
                    self.bounced.add(address.strip().lower())
        result = self.result
        result.sent += len(sent_rows)
        result.failed += sum(1 for row in other_rows if row.status == S.FAILED)
        result.retried += sum(1 for row in other_rows if row.status == S.PENDING)
        result.cancelled += len(outcome.cancelled)

    def write_sent(self, rows: list[_Claimed]) -> None:
        """Mark rows sent, each with its own time and Message-ID, in one statement.

        QuerySet.bulk_update builds a CASE expression per field and row through
        the ORM: 80 ms for a batch of 50, as long as sending it. Only rows this
        runner claimed are written ("unknown" too: a runner that took over
        while this one was slow marked them so, and this one knows better).
        """
        quote = db_connection.ops.quote_name
        table = quote(Delivery._meta.db_table)
        status, sent_at, message_id, error, pk, claimed_by = (
            quote(Delivery._meta.get_field(name).column)
            for name in ("status", "sent_at", "message_id", "error", "id", "claimed_by")
        )
        adapt = db_connection.ops.adapt_datetimefield_value
        values = [(row.pk, adapt(row.sent_at), row.message_id) for row in rows]
        mine = [self.lock, S.SENDING.value, S.UNKNOWN.value]
        with db_connection.cursor() as cursor:
            if db_connection.vendor == "postgresql":
                # One round trip: executemany would make one per row.
                rows_sql = ", ".join(["(%s, %s, %s)"] * len(values))
                cursor.execute(
                    f"UPDATE {table} SET {status} = %s, {sent_at} = v.sent_at, "  # noqa: S608 (names from the model, quoted)
                    f"{message_id} = v.message_id, {error} = '' "
                    f"FROM (VALUES {rows_sql}) AS v(id, sent_at, message_id) "
                    f"WHERE {table}.{pk} = v.id AND {claimed_by} = %s "
                    f"AND {status} IN (%s, %s)",
                    [S.SENT.value, *(v for row in values for v in row), *mine],
                )
            else:  # SQLite: no round trips, and UPDATE … FROM needs 3.33
                cursor.executemany(
                    f"UPDATE {table} SET {status} = %s, {sent_at} = %s, "  # noqa: S608 (names from the model, quoted)
                    f"{message_id} = %s, {error} = '' WHERE {pk} = %s "
                    f"AND {claimed_by} = %s AND {status} IN (%s, %s)",
                    [(S.SENT.value, at, mid, key, *mine) for key, at, mid in values],
                )

    def write_history(self, rows: list[_Claimed]) -> None:
        """One "press release sent" entry in each recipient's contact history.

        One multi-row INSERT, as contacts' own import writes its child rows
        with plain SQL (contacts.services._insert_plain): Interaction.objects.
        bulk_create prepares every value through its model field, which cost
        as much as building the messages. The values are plain: ids, a choice,
        texts and a datetime adapted by the backend.
        """
        adapt = db_connection.ops.adapt_datetimefield_value
        source = f"pressreleases.release:{self.release.pk}"
        values = [
            (
                row.person_id,
                Interaction.Kind.RELEASE_SENT.value,
                self.summary(row.language),
                adapt(row.sent_at),
                source,
            )
            for row in rows
            if row.person_id
        ]
        quote = db_connection.ops.quote_name
        fields = ("person", "kind", "summary", "happened_at", "source")
        columns = ", ".join(
            quote(Interaction._meta.get_field(name).column) for name in fields
        )
        row_sql = f"({', '.join(['%s'] * len(fields))})"
        with db_connection.cursor() as cursor:
            for start in range(0, len(values), 100):  # SQLite: ≤ 999 parameters
                chunk = values[start : start + 100]
                cursor.execute(
                    f"INSERT INTO {quote(Interaction._meta.db_table)} ({columns}) "  # noqa: S608 (names from the model, quoted)
                    f"VALUES {', '.join([row_sql] * len(chunk))}",
                    [value for row in chunk for value in row],
                )

    def loop(self) -> None:
        while not self.stopped:
            if self.over_budget():
                self.stopped = "again"
            elif not self.alive():
                self.stopped = "lost"
            else:
                rows = self.claim()
                if not rows:
                    return
                self.send_batch(rows)


def _acquire(distribution_id: int, runner: str, lock: str) -> bool:
    now = timezone.now()
    return bool(
        Distribution.objects.filter(pk=distribution_id, status__in=ACTIVE)
        .filter(
            Q(runner="")
            | Q(runner__startswith=f"{runner}/")
            | Q(runner_seen_at__isnull=True)
            | Q(runner_seen_at__lt=now - RUNNER_STALE)
        )
        .update(
            runner=lock,
            runner_seen_at=now,
            status=Distribution.Status.SENDING,
            started_at=Coalesce(F("started_at"), Value(now, DateTimeField())),
        )
    )


def _release_lock(distribution_id: int, lock: str) -> None:
    Distribution.objects.filter(pk=distribution_id, runner=lock).update(runner="")


def _mark_unknown(distribution: Distribution) -> int:
    """Rows a dead runner left "sending": they may have arrived; a person decides."""
    with _office_language():
        note = _(
            "The sending stopped while this message was being handed to the mail "
            "server: it may or may not have arrived. Decide whether to send it again."
        )
    count = Delivery.objects.filter(distribution=distribution, status=S.SENDING).update(
        status=S.UNKNOWN, error=note
    )
    if count:
        logger.warning(
            "Distribution %s: %s message(s) of unknown fate", distribution.pk, count
        )
        audit_record(
            actor=None,
            action="pressreleases.distribution.interrupted",
            target=distribution.release,
            changes={"unknown": [None, count]},
        )
    return count


@transaction.atomic
def _finish(distribution_id: int, lock: str) -> str:
    """Close a distribution with nothing left to send, or let go of it for later."""
    distribution = (
        Distribution.objects.select_for_update().filter(pk=distribution_id).first()
    )
    if distribution is None or distribution.runner != lock:
        return "busy"
    if distribution.status not in ACTIVE:
        distribution.runner = ""
        distribution.save(update_fields=["runner"])
        return "gone"
    left = distribution.deliveries.filter(status__in=[S.PENDING, S.SENDING])
    if left.exists():
        distribution.runner = ""
        distribution.save(update_fields=["runner"])
        return "waiting"
    now = timezone.now()
    distribution.status = Distribution.Status.DONE
    distribution.finished_at = now
    distribution.runner = ""
    distribution.save(update_fields=["status", "finished_at", "runner"])
    counts = distribution_progress(distribution)
    audit_record(
        actor=None,
        action="pressreleases.distribution.finished",
        target=distribution.release,
        changes={name: [None, value] for name, value in counts.items()},
    )
    release = PressRelease.objects.select_for_update().get(pk=distribution.release_id)
    others = release.distributions.filter(status__in=ACTIVE).exists()
    went_out = release.deliveries.filter(status__in=[S.SENT, S.UNKNOWN]).exists()
    fields, changes = [], {}
    if release.status == PressRelease.Status.SCHEDULED and not others:
        new = PressRelease.Status.SENT if went_out else PressRelease.Status.APPROVED
        changes["status"] = [release.status, new]
        release.status = new
        fields.append("status")
    if went_out and release.sent_at is None:
        release.sent_at = now
        changes["sent_at"] = [None, now.isoformat()]
        fields.append("sent_at")
    if fields:
        release.save(update_fields=[*fields, "updated_at"])
        audit_record(
            actor=None,
            action="pressreleases.release.sent"
            if went_out
            else "pressreleases.release.not_sent",
            target=release,
            changes=changes,
        )
    return "done"


def distribution_run(
    *,
    distribution_id: int,
    runner: str | None = None,
    time_budget: float = TIME_BUDGET_SECONDS,
    clock=time.monotonic,
    sleep=time.sleep,
) -> RunResult:
    """Send what is due of a distribution; safe to run twice, or after a crash.

    ``runner`` is the Celery task id: a redelivery of the same task takes over
    from the run it replaces at once; any other task leaves while that run is
    alive. Returns "done" (nothing left), "waiting" (rows wait for their time or
    for the mail server; the beat comes back), "again" (the time budget is spent
    and a new task continues), "busy" (another runner has it) or "gone".
    """
    from pressreleases import tasks

    runner = (runner or uuid.uuid4().hex)[:40]
    lock = f"{runner}/{uuid.uuid4().hex[:12]}"
    if not _acquire(distribution_id, runner, lock):
        exists = Distribution.objects.filter(pk=distribution_id, status__in=ACTIVE)
        return RunResult(status="busy" if exists.exists() else "gone")
    distribution = Distribution.objects.select_related("release").get(
        pk=distribution_id
    )
    run = _Run(distribution, lock, budget=time_budget, clock=clock, sleep=sleep)
    run.result.unknown = _mark_unknown(distribution)
    try:
        run.loop()
    except BaseException:
        # Alive but failing (a bug, the soft time limit): let the next task in
        # now rather than after RUNNER_STALE. A killed worker never gets here.
        _release_lock(distribution_id, lock)
        raise
    finally:
        run.close()
    if run.stopped == "lost":
        run.result.status = "busy"
    elif run.stopped == "again":
        _release_lock(distribution_id, lock)
        transaction.on_commit(partial(tasks.distribution_run.delay, distribution_id))
        run.result.status = "again"
    else:
        run.result.status = _finish(distribution_id, lock)
    logger.info(
        "Distribution %s: %s (sent %s, failed %s, retry %s, unknown %s)",
        distribution_id,
        run.result.status,
        run.result.sent,
        run.result.failed,
        run.result.retried,
        run.result.unknown,
    )
    return run.result


# --- The beat -------------------------------------------------------------------


def distributions_due(*, now=None) -> list[int]:
    """Distributions with work now and no live runner: due rows, rows left
    "sending" by a dead runner, or nothing left to wait for (to be closed)."""
    now = now or timezone.now()
    work = Delivery.objects.filter(distribution=OuterRef("pk")).filter(
        Q(status=S.PENDING, not_before__lte=now) | Q(status=S.SENDING)
    )
    waiting = Delivery.objects.filter(distribution=OuterRef("pk"), status=S.PENDING)
    return list(
        Distribution.objects.filter(status__in=ACTIVE)
        .filter(Exists(work) | ~Exists(waiting))
        .filter(
            Q(runner="")
            | Q(runner_seen_at__isnull=True)
            | Q(runner_seen_at__lt=now - RUNNER_STALE)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def distributions_kick() -> list[int]:
    """Queue a run for every distribution that has work and nobody doing it."""
    from pressreleases import tasks

    due = distributions_due()
    for distribution_id in due:
        tasks.distribution_run.delay(distribution_id)
    return due


# --- Reads for the release page ---------------------------------------------------


def distribution_progress(target: Distribution | PressRelease) -> dict[str, int]:
    """Counts of a distribution's (or all of a release's) messages, in one query."""
    if isinstance(target, Distribution):
        rows = Delivery.objects.filter(distribution=target)
    else:
        rows = Delivery.objects.filter(release=target)
    return rows.aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(status=S.SENT)),
        failed=Count("pk", filter=Q(status=S.FAILED)),
        waiting=Count("pk", filter=Q(status__in=[S.PENDING, S.SENDING])),
        unknown=Count("pk", filter=Q(status=S.UNKNOWN)),
        cancelled=Count("pk", filter=Q(status=S.CANCELLED)),
    )


def deliveries_list(release: PressRelease, *, status: str | None = None) -> QuerySet:
    """A release's messages, optionally of one status, in address order."""
    rows = Delivery.objects.filter(release=release).select_related("person")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("email_key", "pk")


# --- Decisions by staff and recipients ------------------------------------------------


RESOLUTIONS = ("sent", "resend")


@transaction.atomic
def delivery_resolve(*, delivery: Delivery, actor, outcome: str) -> Delivery:
    """Decide on a message of unknown fate: it arrived ("sent") or send it again."""
    _require(actor, "pressreleases.send_pressrelease")
    from pressreleases import tasks

    if outcome not in RESOLUTIONS:
        raise ValidationError(
            _("Choose whether the message arrived or is to be resent.")
        )
    delivery = (
        Delivery.objects.select_for_update()
        .select_related("release", "distribution", "person")
        .get(pk=delivery.pk)
    )
    if delivery.status != S.UNKNOWN:
        raise ValidationError(_("Only a message whose fate is unknown can be decided."))
    release, distribution = delivery.release, delivery.distribution
    now = timezone.now()
    if outcome == "sent":
        delivery.status = S.SENT
        delivery.sent_at = delivery.claimed_at or now
        delivery.save(update_fields=["status", "sent_at"])
        if delivery.person_id:
            interaction_record(
                kind=Interaction.Kind.RELEASE_SENT,
                summary=history_summary(release, delivery.language),
                person=delivery.person,
                happened_at=delivery.sent_at,
                source=f"pressreleases.release:{release.pk}",
            )
    else:
        if (
            release.status == PressRelease.Status.WITHDRAWN
            or distribution.status == Distribution.Status.CANCELLED
        ):
            raise ValidationError(
                _("The sending was cancelled or the release withdrawn.")
            )
        delivery.status = S.PENDING
        delivery.not_before = now
        delivery.claimed_by = ""
        delivery.save(update_fields=["status", "not_before", "claimed_by"])
        if distribution.status == Distribution.Status.DONE:
            distribution.status = Distribution.Status.QUEUED
            distribution.finished_at = None
            distribution.save(update_fields=["status", "finished_at"])
        transaction.on_commit(partial(tasks.distribution_run.delay, distribution.pk))
    audit_record(
        actor=actor,
        action="pressreleases.delivery.resolved",
        target=release,
        changes={
            "email": [None, delivery.email],
            "status": [S.UNKNOWN.value, delivery.status],
        },
    )
    return delivery


@transaction.atomic
def delivery_unsubscribe(*, delivery: Delivery) -> Delivery:
    """The recipient's own opt-out from a release's link (idempotent).

    The person receives no more mailings of any kind; messages still waiting for
    that address are cancelled.
    """
    delivery = (
        Delivery.objects.select_for_update()
        .select_related("person")
        .get(pk=delivery.pk)
    )
    source = f"unsubscribe link, release #{delivery.release_id}"
    if delivery.person is not None:
        people = [delivery.person]
    else:
        people = list(
            Person.objects.filter(emails__email__iexact=delivery.email).distinct()
        )
    for person in people:
        person_opt_out(person=person, source=source)
    with _office_language():
        note = _("Not sent: the recipient unsubscribed.")
    Delivery.objects.filter(email_key=delivery.email_key, status=S.PENDING).update(
        status=S.CANCELLED, error=note
    )
    if delivery.unsubscribed_at is None:
        delivery.unsubscribed_at = timezone.now()
        delivery.save(update_fields=["unsubscribed_at"])
        audit_record(
            actor=None,
            action="pressreleases.delivery.unsubscribed",
            target=delivery.release,
            changes={"unsubscribed": [None, delivery.email]},
        )
    return delivery


# --- Test send -------------------------------------------------------------------


def release_test_send(*, release_id: int, user_id: int) -> int:
    """Mail every language version of a release to a member of staff (no ledger row).

    The subject says [TEST]; under embargo the embargo notice shows as a
    trusted journalist would see it.
    """
    release = (
        PressRelease.objects.select_related("contact_person")
        .filter(pk=release_id)
        .first()
    )
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if release is None or user is None or not user.email:
        return 0
    embargo = release.under_embargo()
    shared: dict = {}
    messages = []
    for language in release.languages:
        prepared = mailing.prepare(
            release,
            language,
            under_embargo=embargo,
            attach_pdf=True,
            test=True,
            cache=shared,
        )
        stand_in = Delivery(
            release=release,
            email=user.email,
            name=user.get_full_name(),
            language=language,
            under_embargo=embargo,
        )
        messages.append(mailing.message_for(prepared, stand_in))
    if not messages:
        return 0
    return get_connection().send_messages(messages)
