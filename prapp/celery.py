"""The project's Celery app: JSON only, one beat schedule for the whole project."""

import os
from pathlib import Path

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prapp.settings.local")

app = Celery("prapp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    task_ignore_result=True,
    # A task is acknowledged only when it has finished, and a task whose worker
    # died is put back: work is never silently lost.
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    # A worker holds no task it has not started: a killed worker takes back only
    # the one it was running, and nothing waits behind a long send.
    worker_prefetch_multiplier=1,
    # Below the Redis visibility timeout (an hour, _configure_transport below):
    # Redis redelivers an unacknowledged task only after that timeout, so a task
    # still running is never handed to a second worker. Press-release sending
    # (pressreleases.distribution_run) has its own limits of 5/6 minutes and
    # hands over to a new task after 4; what makes a redelivered send safe is the
    # delivery ledger (pressreleases/delivery.py): rows a dead run left "sending"
    # become "unknown" and are never resent automatically.
    task_soft_time_limit=50 * 60,
    task_time_limit=55 * 60,
    broker_connection_retry_on_startup=True,
    worker_send_task_events=False,
    timezone=None,  # follows Django's TIME_ZONE
    beat_schedule={
        "worker-heartbeat": {
            "task": "prapp.tasks.worker_heartbeat",
            "schedule": 30.0,
            "options": {"expires": 25},
        },
        "events-invitation-reminders": {
            "task": "events.invitations_remind_due",
            "schedule": 15 * 60.0,
            "options": {"expires": 10 * 60},
        },
        # Restarts press-release sends that have due messages and no live
        # runner: scheduled sends, retries after temporary SMTP errors, embargo
        # holds, and runs that died without a redelivery.
        "pressreleases-distributions-kick": {
            "task": "pressreleases.distributions_kick",
            "schedule": 60.0,
            "options": {"expires": 50},
        },
        # Media monitoring: each source decides when it is due (interval,
        # backoff); each subscriber's digest time is checked every five minutes,
        # so a digest missed during an outage goes out when the worker is back.
        "media-monitoring-pull-due": {
            "task": "media_monitoring.sources_pull_due",
            "schedule": 60.0,
            "options": {"expires": 50},
        },
        "media-monitoring-digests": {
            "task": "media_monitoring.digests_send_due",
            "schedule": 5 * 60.0,
            "options": {"expires": 4 * 60},
        },
        # Each assignee's overdue and today's checklist tasks, once a morning.
        "events-task-digest": {
            "task": "events.tasks.dispatch_task_digests",
            "schedule": crontab(hour=8, minute=0),
            "options": {"expires": 6 * 60 * 60},
        },
        # Inquiry desk: deadline reminders to assignees, managers and units.
        # Hourly, so a worker that was down catches up; the Reminder table
        # sends each once per person, request, kind and day.
        "inquiries-reminders": {
            "task": "inquiries.reminders_send_due",
            "schedule": 60 * 60.0,
            "options": {"expires": 50 * 60},
        },
        # Last month's summary to every manager, in their language. A
        # MonthlySummary row per manager and month makes a rerun send only to
        # those who did not get it (reports/summaries.py).
        "reports-monthly-summary": {
            "task": "reports.monthly_summary_send",
            "schedule": crontab(day_of_month=1, hour=7, minute=0),
            "options": {"expires": 23 * 60 * 60},
        },
    },
)


@app.on_after_configure.connect
def _configure_transport(sender, **kwargs):
    """Point the filesystem broker at folders under var/ and make sure they exist."""
    from django.conf import settings

    if sender.conf.broker_url.startswith("filesystem"):
        folder = Path(settings.CELERY_BROKER_DIR)
        for sub in ("queue", "processed"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        sender.conf.broker_transport_options = {
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "processed_folder": str(folder / "processed"),
            "store_processed": False,
        }
    else:
        # Longer than the hard time limit, so Redis never redelivers a running
        # task; a settings module may override it (the integration suite does).
        sender.conf.broker_transport_options = getattr(
            settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {"visibility_timeout": 60 * 60}
        )
    sender.conf.timezone = settings.TIME_ZONE
    sender.conf.beat_schedule_filename = str(settings.CELERY_BEAT_SCHEDULE_FILE)


app.autodiscover_tasks()
