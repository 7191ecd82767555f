"""Celery tasks of the inquiry desk: thin, idempotent, ids only.

Each re-fetches what it needs, returns quietly when it is gone, and calls one
service; the services record every email they send, so a redelivered task
sends nothing twice. Only transient mail errors are retried.
"""

from smtplib import SMTPException

from celery import shared_task
from django.contrib.auth import get_user_model

from inquiries import services
from inquiries.models import InternalQuestion, Request

__all__ = ["assignment_mail", "question_mail", "reminders_send_due", "requester_mail"]

_RETRY = {
    "ignore_result": True,
    "autoretry_for": (ConnectionError, TimeoutError, SMTPException),
    "retry_backoff": True,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(name="inquiries.requester_mail", **_RETRY)
def requester_mail(request_id: int, kind: str):
    """Email the requester the answer, refusal, forwarding or extension notice."""
    request = Request.objects.filter(pk=request_id).first()
    if request is None:
        return
    services.requester_mail_send(request=request, kind=kind)


@shared_task(name="inquiries.assignment_mail", **_RETRY)
def assignment_mail(request_id: int, user_id: int, entry_id: int = 0):
    """Tell a colleague that a request was assigned to them."""
    request = Request.objects.filter(pk=request_id).first()
    user = get_user_model().objects.filter(pk=user_id).first()
    if request is None or user is None:
        return
    services.assignment_mail_send(request=request, user=user, entry_id=entry_id)


@shared_task(name="inquiries.question_mail", **_RETRY)
def question_mail(question_id: int):
    """Send an internal question to the person or unit asked."""
    question = (
        InternalQuestion.objects.select_related(
            "request", "unit", "unit__head", "assignee", "created_by"
        )
        .filter(pk=question_id)
        .first()
    )
    if question is None:
        return
    services.question_mail_send(question=question)


@shared_task(name="inquiries.reminders_send_due", ignore_result=True)
def reminders_send_due():
    """Hourly (beat): today's deadline reminders that have not gone out yet."""
    return services.reminders_send()
