"""Celery tasks of media monitoring: thin adapters of pulling, matching, digests."""

from celery import shared_task

from media_monitoring import digests, pulling

__all__ = ["alerts_send", "digests_send_due", "source_pull", "sources_pull_due"]


@shared_task(name="media_monitoring.sources_pull_due", ignore_result=True)
def sources_pull_due() -> int:
    """Beat, every minute: start a pull of each enabled source that is due."""
    due = pulling.sources_claim_due()
    for source_id in due:
        source_pull.delay(source_id)
    return len(due)


# Well below the broker's visibility timeout; one pull is bounded by the
# client's timeouts and size cap, so these limits are only reached by a hang.
@shared_task(
    name="media_monitoring.source_pull",
    ignore_result=True,
    soft_time_limit=3 * 60,
    time_limit=4 * 60,
)
def source_pull(source_id: int) -> int:
    """Pull one source now and store its new items; returns how many were new.

    Failures of the source (network, HTTP, malformed feed) are recorded on the
    source with backoff by pulling.source_pull; they are not task errors.
    """
    return pulling.source_pull(source_id=source_id).new


@shared_task(name="media_monitoring.digests_send_due", ignore_result=True)
def digests_send_due() -> int:
    """Beat, every five minutes: send the daily digests whose local time has come."""
    return digests.digests_send_due()


@shared_task(name="media_monitoring.alerts_send", ignore_result=True)
def alerts_send(item_ids: list[int]) -> int:
    """Alert the subscribers of high-priority topics these new items matched."""
    return digests.alerts_send(item_ids=item_ids)
