"""Celery tasks of the events app (planning): the daily task digest."""

from datetime import date

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import OperationalError

from events import services


@shared_task(name="events.tasks.dispatch_task_digests", ignore_result=True)
def dispatch_task_digests():
    """Queue today's task digest for every assignee (beat runs it each morning)."""
    services.task_digests_dispatch()


@shared_task(
    name="events.tasks.send_task_digest",
    ignore_result=True,
    autoretry_for=(ConnectionError, TimeoutError, OperationalError),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
)
def send_task_digest(user_id: int, day: str):
    """Send one assignee their digest of ``day``; a second run sends nothing."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    services.task_digest_send(user=user, day=date.fromisoformat(day))
