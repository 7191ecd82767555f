"""Celery tasks of the archive: thin adapters of archive.processing."""

from celery import shared_task

from archive import processing

__all__ = ["asset_process"]


# Well below the broker's visibility timeout (an hour; prapp/celery.py): a long
# video's poster and probe are bounded by their own subprocess timeouts, an
# image by the pixel limit, so these limits are reached only by a hang. The
# soft limit marks the asset failed ("took too long"); acks_late (global) puts
# the task back if the worker dies.
@shared_task(
    name="archive.asset_process",
    ignore_result=True,
    soft_time_limit=15 * 60,
    time_limit=16 * 60,
)
def asset_process(asset_id: int) -> None:
    """Make an uploaded asset's renditions and read its facts; ready or failed."""
    processing.asset_process(asset_id)
