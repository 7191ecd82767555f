"""A real Celery worker consumes tasks from Redis and writes to PostgreSQL."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from prapp.models import CapturedEmail, User, WorkerHeartbeat
from prapp.tasks import send_test_email, worker_heartbeat
from tests.integration.conftest import wait_for
from tests.integration.worker_tasks import journal_slowly

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

TASK_TIMEOUT = 30
TEST_SUBJECT = "Test message from the PR office workspace"


def test_the_worker_records_its_heartbeat(start_worker):
    assert not WorkerHeartbeat.objects.exists()
    worker = start_worker()
    before = timezone.now()
    worker_heartbeat.delay()
    heartbeat = wait_for(
        lambda: WorkerHeartbeat.objects.filter(name="default").first(),
        TASK_TIMEOUT,
        "the heartbeat row",
    )
    assert heartbeat.last_seen >= before
    assert heartbeat.hostname
    assert "prapp.tasks.worker_heartbeat" in worker.output()


@pytest.mark.parametrize("language", ["ka", "hy", "en"])
def test_the_worker_sends_the_test_email_in_the_users_language(start_worker, language):
    user = User.objects.create_user(
        username=f"nino-{language}",
        email=f"nino-{language}@example.ge",
        first_name="ნინო",
        language=language,
    )
    start_worker()
    send_test_email.delay(user.pk)
    email = wait_for(
        lambda: CapturedEmail.objects.first(), TASK_TIMEOUT, "the captured email"
    )
    with translation.override(language):
        expected_subject = gettext(TEST_SUBJECT)
    assert email.subject == expected_subject
    assert (email.subject == TEST_SUBJECT) == (language == "en")
    assert email.to == [f"nino-{language}@example.ge"]
    assert "ნინო" in email.body_text
    # The date is written in the user's language and format (Georgian and
    # Armenian month names come from Django's own catalogues).
    sent = timezone.localtime(email.created_at)
    dates = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            dates[code] = date_format(sent, "DATE_FORMAT")
    assert len(set(dates.values())) == len(dates)
    assert dates[language] in email.body_text
    assert CapturedEmail.objects.count() == 1


def test_a_killed_worker_loses_no_task(start_worker, tmp_path):
    journal = tmp_path / "journal.txt"
    first = start_worker()
    journal_slowly.delay(str(journal), 600)
    wait_for(
        lambda: journal.exists() and "start" in journal.read_text(),
        TASK_TIMEOUT,
        "the first worker to start the task",
    )
    first.kill()
    assert first.process.returncode == -9
    assert journal.read_text().splitlines() == [f"start {first.process.pid}"]

    # The task was never acknowledged: Redis hands it out again once the
    # visibility timeout of prapp/settings/integration.py has passed.
    second = start_worker()
    wait_for(
        lambda: "done" in journal.read_text(),
        TASK_TIMEOUT + settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"],
        "the second worker to finish the redelivered task",
    )
    assert journal.read_text().splitlines() == [
        f"start {first.process.pid}",
        f"start {second.process.pid}",
        f"done {second.process.pid}",
    ]


def test_healthz_reports_the_real_services(start_worker):
    client = Client()
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == {"ok": True}
    assert body["broker"] == {"ok": True}
    assert body["worker"]["ok"] is False

    start_worker()
    worker_heartbeat.delay()
    wait_for(WorkerHeartbeat.objects.exists, TASK_TIMEOUT, "the heartbeat row")
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert body["worker"]["ok"] is True
    assert body["worker"]["age_seconds"] < TASK_TIMEOUT

    stale = timezone.now() - timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE + 60)
    WorkerHeartbeat.objects.update(last_seen=stale)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"] == {"ok": True}
    assert body["broker"] == {"ok": True}
    assert body["worker"]["ok"] is False
    assert body["worker"]["age_seconds"] >= settings.WORKER_HEARTBEAT_MAX_AGE
