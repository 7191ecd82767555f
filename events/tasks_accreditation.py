"""Celery tasks of the events app (accreditation): thin, idempotent, ids only."""

from smtplib import SMTPException

from celery import shared_task

from events import accreditation as services
from events.models import Accreditation

__all__ = ["accreditation_mail"]


@shared_task(
    name="events.accreditation_mail",
    ignore_result=True,
    autoretry_for=(ConnectionError, TimeoutError, SMTPException),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
)
def accreditation_mail(accreditation_id: int, kind: str):
    """Send a journalist's "received" or decision email (once; see the service)."""
    accreditation = (
        Accreditation.objects.select_related("event")
        .filter(pk=accreditation_id)
        .first()
    )
    if accreditation is None:
        return
    services.accreditation_mail_send(accreditation=accreditation, kind=kind)
