"""Celery tasks of the events app (invitations): thin adapters, ids only."""

from celery import shared_task

from events import invitations

__all__ = [
    "invitation_remind_task",
    "invitation_send_task",
    "invitations_remind_due",
]


@shared_task(
    name="events.invitation_send",
    autoretry_for=(invitations.TransientMailError,),
    retry_backoff=30,
    retry_jitter=True,
    max_retries=6,
)
def invitation_send_task(invitation_id: int) -> str:
    """Send one invitation email (with its .ics); a sent one is not sent again."""
    return invitations.invitation_send(invitation_id=invitation_id)


@shared_task(name="events.invitation_remind")
def invitation_remind_task(invitation_id: int, hours_before: int) -> bool:
    """Send one reminder; the reminder row guards against a second send."""
    return invitations.invitation_remind(
        invitation_id=invitation_id, hours_before=hours_before
    )


@shared_task(name="events.invitations_remind_due")
def invitations_remind_due() -> int:
    """Beat: queue every reminder that is due now, one task per reminder."""
    due = invitations.reminders_due()
    for invitation_id, hours_before in due:
        invitation_remind_task.delay(invitation_id, hours_before)
    return len(due)
