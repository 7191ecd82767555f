"""The sending engine: ledger claims, one runner, SMTP errors, unknown fates."""

import email
import logging
import smtplib
import socket
from datetime import timedelta
from email import policy
from email.utils import parseaddr

import pytest
from aiosmtpd.controller import Controller
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone, translation
from django.utils.translation import gettext

from contacts.models import Interaction, PersonEmail
from prapp.models import AuditEntry, CapturedEmail
from pressreleases import delivery, selectors, tasks
from pressreleases.models import Delivery, Distribution, PressRelease
from tests.pressreleases.test_mailing import (
    EN_TITLE,
    HY_TITLE,
    KA_TITLE,
    fake_pdf,  # noqa: F401 (a fixture)
    make_delivery,
    make_distribution,
    make_person,
    make_release,
)

pytestmark = pytest.mark.django_db

S = Delivery.Status
BACKEND = "tests.pressreleases.test_delivery.ScriptedBackend"


class ScriptedBackend(BaseEmailBackend):
    """A mail server stand-in: records what it takes, raises what it is told to.

    ``script`` maps an address to the exceptions its next sends raise, in turn.
    """

    script: dict[str, list[BaseException]] = {}
    sent: list[str] = []
    opened = 0
    closed = 0

    @classmethod
    def reset(cls):
        cls.script, cls.sent, cls.opened, cls.closed = {}, [], 0, 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_open = False

    def open(self):
        if self.is_open:
            return False
        failures = type(self).script.get("*open*")
        if failures:
            raise failures.pop(0)
        type(self).opened += 1
        self.is_open = True
        return True

    def close(self):
        if self.is_open:
            type(self).closed += 1
        self.is_open = False

    def send_messages(self, messages):
        assert self.is_open, "the engine sends over a connection it opened"
        for message in messages:
            message.message()  # build it as the SMTP backend would
            address = parseaddr(message.to[0])[1]
            failures = type(self).script.get(address)
            if failures:
                raise failures.pop(0)
            type(self).sent.append(address)
        return len(messages)


@pytest.fixture
def backend(settings):
    settings.EMAIL_BACKEND = BACKEND
    ScriptedBackend.reset()
    yield ScriptedBackend
    ScriptedBackend.reset()


@pytest.fixture
def sending(settings):
    settings.PRESSRELEASES_MAX_PER_SECOND = 0
    settings.PRESSRELEASES_BATCH_SIZE = 2
    settings.PRESSRELEASES_MAX_ATTEMPTS = 3
    settings.PRESSRELEASES_RETRY_BACKOFF_SECONDS = 60
    return settings


@pytest.fixture
def author(make_user):
    return make_user("author", role="Editor")


@pytest.fixture
def release(author):
    return make_release(author)


@pytest.fixture
def distribution(release, author):
    return make_distribution(release, author)


def _rows(distribution, count, language="ka"):
    return [
        make_delivery(
            distribution,
            make_person(language, email=f"r{n}@example.ge", name=(f"ნინო{n}", "")),
        )
        for n in range(count)
    ]


def _run(distribution, **kwargs):
    return delivery.distribution_run(
        distribution_id=distribution.pk, runner=kwargs.pop("runner", "task-1"), **kwargs
    )


def _statuses(distribution):
    return dict(distribution.deliveries.values_list("email", "status"))


# --- The happy path --------------------------------------------------------------


def test_sends_every_pending_row_once_over_one_connection(
    sending, backend, distribution, release
):
    _rows(distribution, 5)
    result = _run(distribution)

    assert result.status == "done" and result.sent == 5
    assert sorted(backend.sent) == [f"r{n}@example.ge" for n in range(5)]
    assert backend.opened == 1 and backend.closed == 1  # batches of 2 share it
    rows = list(distribution.deliveries.all())
    assert {row.status for row in rows} == {S.SENT}
    assert all(row.sent_at and row.message_id.startswith("<") for row in rows)
    assert len({row.message_id for row in rows}) == 5
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.DONE
    assert distribution.finished_at and distribution.started_at
    assert distribution.runner == ""
    release.refresh_from_db()
    assert release.status == PressRelease.Status.SENT and release.sent_at
    assert AuditEntry.objects.filter(
        action="pressreleases.release.sent", actor=None
    ).exists()

    again = _run(distribution, runner="task-2")
    assert again.status == "gone" and again.sent == 0
    distribution.status = Distribution.Status.SENDING  # even if reopened by hand
    distribution.save()
    assert _run(distribution, runner="task-3").sent == 0
    assert len(backend.sent) == 5


def test_real_messages_reach_the_configured_backend(sending, distribution, fake_pdf):  # noqa: F811
    Distribution.objects.filter(pk=distribution.pk).update(attach_pdf=True)
    distribution.refresh_from_db()
    georgian = make_delivery(distribution, make_person("ka", email="ka@example.ge"))
    armenian = make_delivery(
        distribution, make_person("hy", email="hy@example.am", name=("Անի", "Պ"))
    )
    english = make_delivery(distribution, make_person("en", email="en@example.org"))
    assert _run(distribution).sent == 3
    subjects = {
        mail.to[0].rsplit("<", 1)[-1].rstrip(">"): mail.subject
        for mail in CapturedEmail.objects.all()
    }
    assert subjects == {
        georgian.email: KA_TITLE,
        armenian.email: HY_TITLE,
        english.email: EN_TITLE,
    }
    assert sorted(fake_pdf) == ["en", "hy", "ka"]  # one PDF per version, not per person
    mail = CapturedEmail.objects.get(to__icontains="ka@example.ge")
    assert mail.attachment_names == ["press-release-ka.pdf"]
    assert "ნინო ბერიძე" in mail.body_text


def test_each_sent_message_enters_the_contact_history(
    sending, backend, distribution, release
):
    rows = _rows(distribution, 3)
    nameless = make_delivery(distribution, None, email="desk@example.org")
    _run(distribution)
    history = Interaction.objects.filter(kind=Interaction.Kind.RELEASE_SENT)
    assert sorted(history.values_list("person_id", flat=True)) == sorted(
        row.person_id for row in rows
    )
    entry = history.first()
    assert entry.source == f"pressreleases.release:{release.pk}"
    assert KA_TITLE in entry.summary  # the office's language (ka in tests)
    assert Delivery.objects.get(pk=nameless.pk).status == S.SENT


def test_fallback_language_rows_get_their_version(sending, backend, author):
    release = make_release(author, title_hy="", lead_hy="", body_hy="")
    distribution = make_distribution(release, author)
    row = make_delivery(distribution, make_person("hy", email="hy@example.am"))
    assert row.language == "en"
    _run(distribution)
    assert Delivery.objects.get(pk=row.pk).status == S.SENT


def test_rows_not_yet_due_wait_and_the_distribution_stays_open(
    sending, backend, distribution
):
    now = timezone.now()
    make_delivery(distribution, make_person(email="now@example.ge"))
    later = make_delivery(
        distribution,
        make_person(email="later@example.ge"),
        not_before=now + timedelta(hours=2),
    )
    result = _run(distribution)
    assert result.status == "waiting" and backend.sent == ["now@example.ge"]
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.SENDING
    assert distribution.runner == ""  # the beat may start the next run
    assert Delivery.objects.get(pk=later.pk).status == S.PENDING
    assert delivery.distributions_due() == []
    assert delivery.distributions_due(now=now + timedelta(hours=3)) == [distribution.pk]


def test_embargo_notice_only_for_rows_sent_under_embargo(sending, author):
    release = make_release(author, embargo_until=timezone.now() + timedelta(days=1))
    distribution = make_distribution(release, author)
    make_delivery(
        distribution, make_person("en", email="trusted@example.org"), under_embargo=True
    )
    make_delivery(
        distribution,
        make_person("en", email="later@example.org"),
        not_before=timezone.now() - timedelta(seconds=1),
    )
    _run(distribution)
    trusted = CapturedEmail.objects.get(to__icontains="trusted@")
    other = CapturedEmail.objects.get(to__icontains="later@")
    assert trusted.subject.startswith("EMBARGOED until ")
    assert "Under embargo" in trusted.body_text
    assert other.subject == EN_TITLE
    assert "embargo" not in other.body_text.lower()


def test_people_who_opted_out_or_bounced_since_are_not_sent_to(
    sending, backend, distribution
):
    rows = _rows(distribution, 3)
    rows[0].person.opted_out_at = timezone.now()
    rows[0].person.save()
    PersonEmail.objects.filter(email=rows[1].email).update(bounced_at=timezone.now())
    result = _run(distribution)
    assert backend.sent == [rows[2].email]
    assert result.cancelled == 2
    statuses = _statuses(distribution)
    assert statuses[rows[0].email] == statuses[rows[1].email] == S.CANCELLED


# --- SMTP errors ------------------------------------------------------------------


def _refused(code):
    return smtplib.SMTPRecipientsRefused({"x@example.ge": (code, b"mailbox busy")})


def test_temporary_error_retries_with_backoff_then_fails(
    sending, backend, distribution
):
    row, good = _rows(distribution, 2)
    backend.script[row.email] = [_refused(450), _refused(451), _refused(452)]
    before = timezone.now()
    result = _run(distribution)
    assert result.status == "waiting" and result.retried == 1
    assert backend.sent == [good.email]
    row.refresh_from_db()
    assert row.status == S.PENDING and row.attempts == 1
    assert "450" in row.error
    wait = (row.not_before - before).total_seconds()
    assert 60 <= wait <= 60 * 1.25 + 5  # base delay plus up to 25 % jitter

    Delivery.objects.filter(pk=row.pk).update(not_before=timezone.now())
    _run(distribution)
    row.refresh_from_db()
    assert row.status == S.PENDING and row.attempts == 2
    assert (row.not_before - timezone.now()).total_seconds() >= 119  # doubled

    Delivery.objects.filter(pk=row.pk).update(not_before=timezone.now())
    result = _run(distribution)
    row.refresh_from_db()
    assert row.status == S.FAILED and row.attempts == 3  # PRESSRELEASES_MAX_ATTEMPTS
    assert result.status == "done"
    assert not PersonEmail.objects.get(email=row.email).bounced_at


def test_retry_delay_doubles_with_jitter(settings):
    settings.PRESSRELEASES_RETRY_BACKOFF_SECONDS = 60
    assert delivery.retry_delay(1, rng=lambda: 0) == 60
    assert delivery.retry_delay(2, rng=lambda: 0) == 120
    assert delivery.retry_delay(3, rng=lambda: 0) == 240
    assert delivery.retry_delay(3, rng=lambda: 0.999) == pytest.approx(240 * 1.25, 0.01)


def test_permanent_refusal_fails_the_row_and_bounces_the_address(
    sending, backend, distribution
):
    row, good = _rows(distribution, 2)
    backend.script[row.email] = [_refused(550)]
    result = _run(distribution)
    assert result.status == "done" and result.failed == 1
    row.refresh_from_db()
    assert row.status == S.FAILED and "550" in row.error
    address = PersonEmail.objects.get(email=row.email)
    assert address.bounced_at and "550" in address.bounce_reason
    assert AuditEntry.objects.filter(action="contacts.email.bounced").count() == 1
    assert backend.sent == [good.email]


def test_permanent_rejection_of_the_message_does_not_bounce_the_address(
    sending, backend, distribution
):
    (row,) = _rows(distribution, 1)
    backend.script[row.email] = [smtplib.SMTPDataError(554, b"content rejected")]
    _run(distribution)
    row.refresh_from_db()
    assert row.status == S.FAILED and "554" in row.error
    assert not PersonEmail.objects.get(email=row.email).bounced_at


def test_lost_connection_retries_that_row_on_a_new_connection(
    sending, backend, distribution
):
    first, second, third = _rows(distribution, 3)
    backend.script[second.email] = [smtplib.SMTPServerDisconnected("gone")]
    result = _run(distribution)
    assert backend.sent == [first.email, third.email]
    assert backend.opened == 2  # reconnected after the loss
    assert result.retried == 1
    second.refresh_from_db()
    assert second.status == S.PENDING and second.attempts == 1


def test_a_mail_server_that_is_down_costs_no_attempt(sending, backend, distribution):
    rows = _rows(distribution, 3)
    backend.script["*open*"] = [ConnectionRefusedError("refused")]
    result = _run(distribution)
    assert result.status == "waiting" and backend.sent == []
    for row in rows:
        row.refresh_from_db()
        assert row.status == S.PENDING and row.attempts == 0
    assert _run(distribution).sent == 3


def test_an_address_no_server_could_take_fails_that_row_only(
    sending, backend, distribution
):
    bad = make_delivery(distribution, None, email="nobody-at-example.ge")
    (good,) = _rows(distribution, 1)
    result = _run(distribution)
    assert result.status == "done" and result.failed == 1
    bad.refresh_from_db()
    assert bad.status == S.FAILED and "Invalid address" in bad.error
    assert backend.sent == [good.email]


def test_a_refused_sender_stops_the_run_without_charging_anyone(
    sending, backend, distribution
):
    first, _second = _rows(distribution, 2)
    backend.script[first.email] = [smtplib.SMTPSenderRefused(550, b"no", "press@")]
    result = _run(distribution)
    assert result.status == "waiting" and backend.sent == []
    assert set(_statuses(distribution).values()) == {S.PENDING}
    assert set(distribution.deliveries.values_list("attempts", flat=True)) == {0}


# --- A run that dies --------------------------------------------------------------


def test_rows_left_sending_become_unknown_and_are_never_resent(
    sending, backend, distribution
):
    left, waiting = _rows(distribution, 2)
    Delivery.objects.filter(pk=left.pk).update(
        status=S.SENDING, claimed_by="dead-task/1", claimed_at=timezone.now()
    )
    Distribution.objects.filter(pk=distribution.pk).update(
        runner="dead-task/1",
        runner_seen_at=timezone.now() - delivery.RUNNER_STALE - timedelta(seconds=1),
    )
    result = _run(distribution)
    assert result.unknown == 1 and result.sent == 1
    assert backend.sent == [waiting.email]
    left.refresh_from_db()
    # The note is written in the office's language, whoever reads it later.
    assert left.status == S.UNKNOWN and "შესაძლოა" in left.error
    assert result.status == "done"  # unknown rows wait for a person, not the run
    assert delivery.distribution_progress(distribution)["unknown"] == 1
    assert list(selectors.release_unknown_deliveries(distribution.release)) == [left]
    assert _run(distribution, runner="task-9").sent == 0


def test_a_crash_in_the_middle_of_a_send_leaves_only_that_row_open(
    sending, settings, backend, distribution
):
    settings.PRESSRELEASES_BATCH_SIZE = 5
    first, second, third = _rows(distribution, 3)
    backend.script[second.email] = [KeyboardInterrupt()]  # the soft time limit, say
    with pytest.raises(KeyboardInterrupt):
        _run(distribution)
    statuses = _statuses(distribution)
    assert statuses == {
        first.email: S.SENT,  # written although the batch did not finish
        second.email: S.SENDING,  # nobody knows whether it left
        third.email: S.PENDING,  # never tried: back in the queue
    }
    distribution.refresh_from_db()
    assert distribution.runner == ""  # released: the next task need not wait

    result = _run(distribution, runner="task-2")
    assert result.unknown == 1 and result.sent == 1
    assert backend.sent == [first.email, third.email]
    assert _statuses(distribution)[second.email] == S.UNKNOWN


def test_one_runner_at_a_time(sending, backend, distribution):
    _rows(distribution, 2)
    Distribution.objects.filter(pk=distribution.pk).update(
        runner="other-task/abc", runner_seen_at=timezone.now()
    )
    assert _run(distribution).status == "busy"
    assert backend.sent == []
    assert set(_statuses(distribution).values()) == {S.PENDING}
    assert delivery.distributions_due() == []  # the beat leaves it alone too

    # The same task delivered again (its worker died): it takes over at once.
    result = _run(distribution, runner="other-task")
    assert result.status == "done" and result.sent == 2


def test_a_stale_runner_is_replaced(sending, backend, distribution):
    _rows(distribution, 1)
    stale = timezone.now() - delivery.RUNNER_STALE - timedelta(seconds=5)
    Distribution.objects.filter(pk=distribution.pk).update(
        runner="other-task/abc", runner_seen_at=stale
    )
    assert delivery.distributions_due() == [distribution.pk]
    assert _run(distribution).sent == 1


def test_a_cancelled_distribution_is_not_sent(sending, backend, distribution):
    _rows(distribution, 2)
    Distribution.objects.filter(pk=distribution.pk).update(
        status=Distribution.Status.CANCELLED
    )
    assert _run(distribution).status == "gone"
    assert backend.sent == []


def test_the_time_budget_hands_over_to_a_new_task(
    sending, backend, distribution, django_capture_on_commit_callbacks, monkeypatch
):
    _rows(distribution, 4)
    queued = []
    monkeypatch.setattr(tasks.distribution_run, "delay", queued.append)
    ticks = iter(range(100))
    with django_capture_on_commit_callbacks(execute=True):
        result = _run(distribution, time_budget=7, clock=lambda: next(ticks))
    assert result.status == "again"
    assert 0 < result.sent < 4
    assert queued == [distribution.pk]
    distribution.refresh_from_db()
    assert distribution.runner == "" and distribution.status == "sending"
    assert S.PENDING in _statuses(distribution).values()


# --- Pace -----------------------------------------------------------------------------


class FakeClock:
    def __init__(self):
        self.now = 100.0
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(round(seconds, 6))
        self.now += seconds


def test_throttle_spaces_messages_without_real_sleeping():
    clock = FakeClock()
    throttle = delivery.Throttle(4, clock=clock, sleep=clock.sleep)
    for _ in range(5):
        throttle.wait()
    assert clock.slept == [0.25, 0.25, 0.25, 0.25]
    assert clock.now == pytest.approx(101.0)
    clock.now += 10  # idle time is not saved up for a burst
    throttle.wait()
    throttle.wait()
    assert clock.slept[-1] == 0.25 and len(clock.slept) == 5


def test_throttle_counts_time_spent_sending():
    clock = FakeClock()
    throttle = delivery.Throttle(2, clock=clock, sleep=clock.sleep)
    throttle.wait()
    clock.now += 0.3  # the SMTP exchange took 0.3 s
    throttle.wait()
    assert clock.slept == [0.2]


def test_no_limit_never_sleeps():
    clock = FakeClock()
    throttle = delivery.Throttle(0, clock=clock, sleep=clock.sleep)
    for _ in range(100):
        throttle.wait()
    assert clock.slept == []


def test_the_engine_uses_the_configured_rate(sending, backend, distribution):
    sending.PRESSRELEASES_MAX_PER_SECOND = 10
    _rows(distribution, 3)
    clock = FakeClock()
    _run(distribution, clock=clock, sleep=clock.sleep)
    assert clock.slept == [0.1, 0.1]


# --- Progress, the beat, tasks ---------------------------------------------------


def test_progress_counts_in_one_query(
    sending, distribution, release, author, django_assert_num_queries
):
    other = make_distribution(release, author)
    statuses = [S.SENT, S.SENT, S.FAILED, S.PENDING, S.SENDING, S.UNKNOWN, S.CANCELLED]
    for n, status in enumerate(statuses):
        make_delivery(
            distribution if n % 2 else other,
            None,
            email=f"x{n}@example.ge",
            status=status,
            sent_at=timezone.now() if status == S.SENT else None,
        )
    with django_assert_num_queries(1):
        counts = delivery.distribution_progress(release)
    assert counts == {
        "total": 7,
        "sent": 2,
        "failed": 1,
        "waiting": 2,
        "unknown": 1,
        "cancelled": 1,
    }
    assert delivery.distribution_progress(distribution)["total"] == 3


def test_kick_queues_distributions_with_work_and_no_runner(
    sending, distribution, release, author, monkeypatch
):
    make_delivery(distribution, make_person(email="due@example.ge"))
    future = make_distribution(release, author)
    make_delivery(
        future,
        make_person(email="future@example.ge"),
        not_before=timezone.now() + timedelta(hours=1),
    )
    finished = make_distribution(release, author, status=Distribution.Status.DONE)
    make_delivery(finished, make_person(email="done@example.ge"), status=S.FAILED)
    queued = []
    monkeypatch.setattr(tasks.distribution_run, "delay", queued.append)
    assert tasks.distributions_kick.delay().get() == 1
    assert queued == [distribution.pk]


def test_the_task_runs_the_engine_with_its_task_id(sending, backend, distribution):
    _rows(distribution, 2)
    tasks.distribution_run.delay(distribution.pk)
    assert len(backend.sent) == 2
    assert tasks.distribution_run.name == "pressreleases.distribution_run"
    assert tasks.distribution_run.soft_time_limit < tasks.distribution_run.time_limit
    assert tasks.distribution_run.time_limit <= 10 * 60


def test_celery_settings_that_make_a_killed_worker_safe():
    from django.conf import settings as django_settings

    from prapp.celery import app

    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    visibility = getattr(
        django_settings,
        "CELERY_BROKER_TRANSPORT_OPTIONS",
        {"visibility_timeout": 60 * 60},
    ).get("visibility_timeout", 60 * 60)
    if not django_settings.CELERY_BROKER_URL.startswith("redis"):
        visibility = 60 * 60  # production's value (prapp/celery.py)
    assert tasks.distribution_run.time_limit < visibility
    assert app.conf.task_time_limit < visibility
    assert tasks.distribution_run.soft_time_limit > delivery.TIME_BUDGET_SECONDS
    assert delivery.RUNNER_STALE.total_seconds() > tasks.distribution_run.time_limit
    kick = app.conf.beat_schedule["pressreleases-distributions-kick"]
    assert kick["task"] == "pressreleases.distributions_kick"
    assert kick["options"]["expires"] < kick["schedule"]


# --- Decisions by staff ---------------------------------------------------------------


@pytest.fixture
def unknown_row(distribution):
    row = make_delivery(distribution, make_person(email="unknown@example.ge"))
    claimed = timezone.now() - timedelta(minutes=5)
    Delivery.objects.filter(pk=row.pk).update(status=S.UNKNOWN, claimed_at=claimed)
    Distribution.objects.filter(pk=distribution.pk).update(
        status=Distribution.Status.DONE, finished_at=timezone.now()
    )
    row.refresh_from_db()
    return row


def test_only_senders_decide_on_unknown_rows(unknown_row, viewer):
    with pytest.raises(PermissionDenied):
        delivery.delivery_resolve(delivery=unknown_row, actor=viewer, outcome="sent")
    unknown_row.refresh_from_db()
    assert unknown_row.status == S.UNKNOWN
    assert not AuditEntry.objects.filter(
        action="pressreleases.delivery.resolved"
    ).exists()


def test_marking_an_unknown_row_sent(unknown_row, manager):
    delivery.delivery_resolve(delivery=unknown_row, actor=manager, outcome="sent")
    unknown_row.refresh_from_db()
    assert unknown_row.status == S.SENT
    assert unknown_row.sent_at == unknown_row.claimed_at
    assert Interaction.objects.filter(
        person=unknown_row.person, kind=Interaction.Kind.RELEASE_SENT
    ).exists()
    entry = AuditEntry.objects.get(action="pressreleases.delivery.resolved")
    assert entry.actor == manager
    assert entry.changes["status"] == ["unknown", "sent"]


def test_resending_an_unknown_row(
    sending, backend, unknown_row, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        delivery.delivery_resolve(delivery=unknown_row, actor=manager, outcome="resend")
    assert len(callbacks) == 1
    unknown_row.refresh_from_db()
    assert unknown_row.status == S.SENT  # the queued run (eager) sent it
    assert backend.sent == [unknown_row.email]
    assert unknown_row.distribution.status == Distribution.Status.DONE


def test_only_unknown_rows_and_known_outcomes_are_decided(
    unknown_row, distribution, manager
):
    with pytest.raises(ValidationError):
        delivery.delivery_resolve(delivery=unknown_row, actor=manager, outcome="lost")
    sent = make_delivery(
        distribution,
        None,
        email="sent@example.ge",
        status=S.SENT,
        sent_at=timezone.now(),
    )
    with pytest.raises(ValidationError):
        delivery.delivery_resolve(delivery=sent, actor=manager, outcome="resend")


def test_no_resend_for_a_withdrawn_release(unknown_row, manager):
    PressRelease.objects.filter(pk=unknown_row.release_id).update(
        status=PressRelease.Status.WITHDRAWN
    )
    with pytest.raises(ValidationError):
        delivery.delivery_resolve(delivery=unknown_row, actor=manager, outcome="resend")
    unknown_row.refresh_from_db()
    assert unknown_row.status == S.UNKNOWN


# --- Test send -------------------------------------------------------------------


def test_test_send_mails_every_version_to_the_user_only(
    release,
    make_user,
    fake_pdf,  # noqa: F811
):
    user = make_user("tester", role="Editor", first_name="ნინო", last_name="ბ")
    assert tasks.release_test_send.delay(release.pk, user.pk).get() == 3
    mails = list(CapturedEmail.objects.order_by("pk"))
    assert [mail.to for mail in mails] == [["ნინო ბ <tester@example.ge>"]] * 3
    expected = []
    for language, title in [("ka", KA_TITLE), ("hy", HY_TITLE), ("en", EN_TITLE)]:
        with translation.override(language):
            expected.append(gettext("[TEST] %(subject)s") % {"subject": title})
    assert [mail.subject for mail in mails] == expected
    assert mails[2].subject == f"[TEST] {EN_TITLE}"
    assert "This is a test message" in mails[2].body_text
    assert not Delivery.objects.exists()


# --- A real SMTP server (aiosmtpd) -------------------------------------------------


class SMTPRecorder:
    """aiosmtpd handler: answers RCPT with scripted codes, keeps what it accepts."""

    def __init__(self):
        self.refuse: dict[str, str] = {}
        self.received: list[tuple[list[str], bytes]] = []
        self.sessions = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Accepted"


@pytest.fixture
def smtp_server(settings, monkeypatch):
    # aiosmtpd logs every command at INFO.
    monkeypatch.setattr(logging.getLogger("mail.log"), "level", logging.WARNING)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    recorder = SMTPRecorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.PRAPP_SITE_URL = "https://press.example.ge"
    yield recorder
    controller.stop()


def test_over_real_smtp_codes_decide_each_row(sending, smtp_server, distribution):
    busy = make_delivery(distribution, make_person(email="busy@example.ge"))
    gone = make_delivery(distribution, make_person(email="gone@example.ge"))
    armenian = make_delivery(
        distribution,
        make_person("hy", email="ani@example.am", name=("Անի", "Պետրոսյան")),
    )
    others = _rows(distribution, 2)
    smtp_server.refuse = {
        "busy@example.ge": "450 4.2.1 Mailbox busy, try later",
        "gone@example.ge": "550 5.1.1 No such user",
    }
    result = _run(distribution)

    assert result.sent == 3 and result.failed == 1 and result.retried == 1
    assert smtp_server.sessions == 1  # one connection for all of them
    busy.refresh_from_db()
    assert busy.status == S.PENDING and busy.attempts == 1 and "450" in busy.error
    gone.refresh_from_db()
    assert gone.status == S.FAILED and "550" in gone.error
    assert PersonEmail.objects.get(email="gone@example.ge").bounced_at
    assert not PersonEmail.objects.get(email="busy@example.ge").bounced_at

    received = {rcpts[0]: raw for rcpts, raw in smtp_server.received}
    assert set(received) == {"ani@example.am", *(row.email for row in others)}
    message = email.message_from_bytes(
        received["ani@example.am"], policy=policy.default
    )
    armenian.refresh_from_db()
    assert message["Message-ID"] == armenian.message_id
    assert message["To"].addresses[0].display_name == "Անի Պետրոսյան"
    assert message["Subject"].strip() == HY_TITLE
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = message.get_body(("html",)).get_content()
    assert "Անի Պետրոսյան" in html and 'style="' in html
    assert received["ani@example.am"].split(b"\r\n\r\n", 1)[0].isascii()
