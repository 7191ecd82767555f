"""Celery adapters of the project package."""

import socket

from celery import shared_task

from prapp import services
from prapp.models import User


@shared_task(name="prapp.tasks.worker_heartbeat", ignore_result=True)
def worker_heartbeat():
    """Record that a worker is alive (beat runs it every 30 seconds)."""
    services.worker_heartbeat_record(name="default", hostname=socket.gethostname())


@shared_task(
    name="prapp.tasks.send_test_email",
    ignore_result=True,
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
)
def send_test_email(user_id: int, request_id: int | None = None):
    """Send the test email a member of staff asked for (once per request)."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return
    services.test_email_send(user=user, request_id=request_id)
