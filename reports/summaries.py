"""The monthly summary email to managers (the service reports.tasks runs).

On the first of each month every active manager gets the previous month's
headline figures (reports.activity), next to the month before, in their own
language, with a link to the full report. A MonthlySummary row per manager and
month is written in the transaction that sends the mail: a redelivered task or
a second run sends nobody anything twice, and a failed send records nothing, so
running it again retries exactly those who did not get it.
"""

import logging
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode

from inquiries.statistics import period_choice, period_label
from prapp.roles import MANAGER
from reports.activity import activity_compare, last_full_month
from reports.models import MonthlySummary

logger = logging.getLogger(__name__)

__all__ = [
    "manager_summary_send",
    "monthly_summaries_due",
    "monthly_summaries_send",
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


def _month(now) -> tuple[date, date]:
    """The month a summary sent at ``now`` reports on: the last one that is over."""
    return last_full_month(timezone.localdate(now or timezone.now()))


def _unsent(start: date):
    """Active managers with an address who have not had the summary of ``start``."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=MANAGER)
        .exclude(email="")
        .exclude(monthly_summaries__month=start)
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


def manager_summary_send(*, user, start: date, content: dict) -> bool:
    """Email ``user`` the summary of the month from ``start`` once; False if sent.

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
        # Not prapp.services.email_render_and_send: it sets no Content-Language.
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
    start, end = _month(now)
    contents: dict[str, dict] = {}
    sent = 0
    for user in _unsent(start):
        language = user.language or settings.LANGUAGE_CODE
        try:
            if language not in contents:
                contents[language] = _compose(language=language, start=start, end=end)
            if manager_summary_send(user=user, start=start, content=contents[language]):
                sent += 1
        except Exception:
            logger.exception("Monthly summary for user %s failed", user.pk)
    return sent


def monthly_summaries_due(*, now=None) -> bool:
    """Whether an active manager still lacks last month's summary."""
    start, _end = _month(now)
    return _unsent(start).exists()
