"""Celery adapters of the contacts app: thin, idempotent, ids only."""

from celery import shared_task
from django.utils import translation

from contacts import services
from contacts.models import ImportJob


@shared_task(name="contacts.tasks.import_job_run", ignore_result=True)
def import_job_run(job_id: int):
    """Run a confirmed contacts import in the background.

    Safe to run twice: a finished or failed job is left alone, and a job left
    RUNNING by a worker that died is run again from the start (its transaction
    was rolled back, so nothing of it was written). No automatic retry: a
    failure is recorded on the job with its reason.
    """
    job = ImportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or job.status not in (
        ImportJob.Status.QUEUED,
        ImportJob.Status.RUNNING,
    ):
        return
    language = getattr(job.created_by, "language", None) or translation.get_language()
    with translation.override(language):
        services.import_job_run(job=job, actor=job.created_by)
