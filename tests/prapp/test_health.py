from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from prapp import services, tasks
from prapp.models import WorkerHeartbeat


@pytest.mark.django_db
def test_healthz_reports_worker_down_without_heartbeat(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == {"ok": True}
    assert body["broker"] == {"ok": True}
    assert body["worker"]["ok"] is False
    assert body["status"] == "degraded"


@pytest.mark.django_db
def test_heartbeat_task_makes_healthz_green(client):
    tasks.worker_heartbeat.delay()
    assert WorkerHeartbeat.objects.get(name="default").hostname
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["worker"]["age_seconds"] < 5


@pytest.mark.django_db
def test_stale_heartbeat_counts_as_down(client, settings):
    beat = services.worker_heartbeat_record(name="default", hostname="h")
    WorkerHeartbeat.objects.filter(pk=beat.pk).update(
        last_seen=timezone.now()
        - timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE + 5)
    )
    body = client.get(reverse("healthz")).json()
    assert body["worker"]["ok"] is False


@pytest.mark.django_db
def test_heartbeat_is_one_row_however_often_it_runs():
    for _ in range(3):
        tasks.worker_heartbeat.delay()
    assert WorkerHeartbeat.objects.count() == 1


@pytest.mark.django_db
def test_healthz_reports_an_unreachable_broker(client, settings):
    from prapp.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        body = client.get(reverse("healthz")).json()
    finally:
        app.conf.broker_url = original
    assert body["broker"]["ok"] is False
    assert body["status"] == "degraded"
