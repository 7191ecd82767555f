"""Celery tasks of the reports app: the monthly summary email (reports.summaries)."""

from celery import shared_task

from reports import summaries


class SummariesUnsent(Exception):
    """Someone's summary failed (most likely the mail server): try them again."""


@shared_task(
    name="reports.monthly_summary_send",
    ignore_result=True,
    # The beat runs once a month: without these, a mail server down at seven
    # on the 1st would cost the managers the month's summary. A retry sends
    # only to those who have not had it.
    autoretry_for=(SummariesUnsent,),
    retry_backoff=15 * 60,
    retry_backoff_max=2 * 60 * 60,
    retry_jitter=True,
    max_retries=4,
)
def monthly_summary_send() -> int:
    """Beat, the 1st of each month at 07:00: last month's summary to the managers."""
    sent = summaries.monthly_summaries_send()
    if summaries.monthly_summaries_due():
        raise SummariesUnsent
    return sent
