"""The monthly summary email to managers, and the Celery task that sends it.

On the first of each month every active manager gets the previous month's
headline figures (reports.activity), next to the month before, in their own
language, with a link to the full report. A MonthlySummary row per manager and
month is written in the transaction that sends the mail: a redelivered task or
a second run sends nobody anything twice, and a failed send records nothing, so
running the task again retries exactly those who did not get it.
"""

import logging
from datetime import date, timedelta

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode

from inquiries.statistics import month_period, period_choice, period_label
from prapp.roles import MANAGER
from reports.activity import activity_compare
from reports.models import MonthlySummary

logger = logging.getLogger(__name__)

__all__ = [
    "manager_summary_send",
    "monthly_summaries_send",
    "monthly_summary_send",
    "previous_month",
]

# The lines of the activity report a manager reads in the email, in its order;
# the rest (event types, topics, sizes by kind…) is one click away.
HEADLINES = (
    "releases.drafted",
    "releases.sent",
    "releases.reached",
    "releases.bounce_rate",
    "events.total",
    "events.people_received",
    "invitations.invited",
    "invitations.attended",
    "accreditations.received",
    "monitoring.mentions",
    "messages.messages",
    "messages.on_time",
    "messages.late",
    "inquiries.received",
    "inquiries.on_time",
    "inquiries.late",
    "archive.files",
    "archive.gigabytes",
    "contacts.people_added",
    "contacts.verified",
)


def previous_month(today: date) -> tuple[date, date]:
    """The first and last day of the calendar month before ``today``'s."""
    last_of_previous = today.replace(day=1) - timedelta(days=1)
    return month_period(last_of_previous.year, last_of_previous.month)


def _managers():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=MANAGER)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def _headlines(start: date, end: date) -> list[dict]:
    """The report's headline lines by section, labelled in the active language."""
    sections = activity_compare(start=start, end=end)["sections"]
    chosen = []
    for section in sections:
        rows = [row for row in section.rows if row.key in HEADLINES]
        if rows:
            rows.sort(key=lambda row: HEADLINES.index(row.key))
            chosen.append({"key": section.key, "title": section.title, "rows": rows})
    return chosen


def _compose(*, language: str, start: date, end: date) -> dict:
    """What every manager reading ``language`` is told about start…end."""
    site_root = settings.PRAPP_SITE_URL.rstrip("/")
    with translation.override(language):
        return {
            "language": language,
            "start": start,
            "end": end,
            "period": period_label(start, end),
            "sections": _headlines(start, end),
            "report_url": (
                f"{site_root}{reverse('reports:activity')}?"
                f"{urlencode(period_choice(start, end))}"
            ),
            "dashboard_url": site_root + reverse("reports:dashboard"),
        }


def manager_summary_send(*, user, start: date, end: date, content: dict) -> bool:
    """Email ``user`` the summary of the month start…end once; False if already sent.

    ``content`` is _compose's for the user's language. The record and the mail
    share a transaction: a send that raises leaves no record behind.
    """
    with transaction.atomic():
        # Serialise this person's summaries: two overlapping runs cannot both
        # find no record and both send.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if MonthlySummary.objects.filter(user=user, month=start).exists():
            return False
        try:
            with transaction.atomic():
                MonthlySummary.objects.create(user=user, month=start)
        except IntegrityError:
            return False
        language = content["language"]
        with translation.override(language):
            context = {**content, "user": user}
            subject = render_to_string("reports/email/summary_subject.txt", context)
            text = render_to_string("reports/email/summary.txt", context)
            html = render_to_string("reports/email/summary.html", context)
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()),
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
            headers={"Content-Language": language},
        )
        message.attach_alternative(html, "text/html")
        message.send()
    return True


def monthly_summaries_send(*, now=None) -> int:
    """Send last month's summary to every active manager who has not had it.

    The figures are computed once per language the managers read. One person's
    failure (a bad address, the mail server) stops nobody else's. Returns how
    many emails went out.
    """
    today = timezone.localdate(now or timezone.now())
    start, end = previous_month(today)
    contents: dict[str, dict] = {}
    sent = 0
    for user in _managers().exclude(monthly_summaries__month=start):
        language = user.language or settings.LANGUAGE_CODE
        try:
            if language not in contents:
                contents[language] = _compose(language=language, start=start, end=end)
            if manager_summary_send(
                user=user, start=start, end=end, content=contents[language]
            ):
                sent += 1
        except Exception:
            logger.exception("Monthly summary for user %s failed", user.pk)
    return sent


@shared_task(name="reports.monthly_summary_send", ignore_result=True)
def monthly_summary_send() -> int:
    """Beat, the 1st of each month at 07:00: last month's summary to the managers."""
    return monthly_summaries_send()
