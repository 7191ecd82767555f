"""Celery tasks of the press releases app: thin adapters of pressreleases.delivery."""

from smtplib import SMTPServerDisconnected

from celery import shared_task

from pressreleases import delivery

__all__ = ["distribution_run", "distributions_kick", "release_test_send"]


# Time limits well below the broker's visibility timeout (an hour, see
# prapp/celery.py): Redis must never hand a running send to a second worker.
# The run itself stops claiming after delivery.TIME_BUDGET_SECONDS (4 min) and
# continues in a new task, so these limits are only ever reached by a hang.
@shared_task(
    bind=True,
    name="pressreleases.distribution_run",
    ignore_result=True,
    soft_time_limit=5 * 60,
    time_limit=6 * 60,
)
def distribution_run(self, distribution_id: int) -> str:
    """Send what is due of one distribution; a redelivery resumes, never resends.

    The task id names the runner: a redelivered task (same id, after its worker
    died) takes over from the dead run at once.
    """
    return delivery.distribution_run(
        distribution_id=distribution_id, runner=self.request.id
    ).status


@shared_task(name="pressreleases.distributions_kick", ignore_result=True)
def distributions_kick() -> int:
    """Beat, every minute: restart distributions that have work and no live runner."""
    return len(delivery.distributions_kick())


@shared_task(
    name="pressreleases.release_test_send",
    ignore_result=True,
    autoretry_for=(ConnectionError, TimeoutError, SMTPServerDisconnected),
    retry_backoff=30,
    retry_jitter=True,
    max_retries=3,
)
def release_test_send(release_id: int, user_id: int) -> int:
    """Mail each language version of a release to the member of staff who asked."""
    return delivery.release_test_send(release_id=release_id, user_id=user_id)
