"""The monthly summary email: every active manager, their language, once a month."""

import re
from datetime import datetime, time

import pytest
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode

from inquiries.statistics import period_choice, period_label
from media_monitoring.models import Item
from prapp.models import CapturedEmail
from reports import summaries, tasks
from reports.activity import last_full_month
from reports.models import MonthlySummary

pytestmark = pytest.mark.django_db

# The summary goes out on 1 March: it reports on February, next to January.
NOW = datetime(2026, 3, 1, 7, 0)
FEBRUARY = (datetime(2026, 2, 1).date(), datetime(2026, 2, 28).date())


def _at(day: int, month: int) -> datetime:
    return timezone.make_aware(datetime.combine(datetime(2026, month, day), time(12)))


def _mention(title, *, month, day=15, **extra):
    return Item.objects.create(title=title, fetched_at=_at(day, month), **extra)


@pytest.fixture
def site(settings):
    settings.PRAPP_SITE_URL = "https://press.example.ge/"
    settings.DEFAULT_FROM_EMAIL = "Press Office <press@example.ge>"
    return settings


@pytest.fixture
def managers(make_user):
    return {
        "ka": make_user("nino", role="Manager", language="ka"),
        "hy": make_user("anna", role="Manager", language="hy"),
        "en": make_user("john", role="Manager", language="en"),
    }


@pytest.fixture
def figures():
    """Three mentions in February (one set aside as irrelevant), one in January."""
    _mention("თებერვლის სტატია 1", month=2, day=3, sentiment="positive")
    _mention("თებერვლის სტატია 2", month=2, day=27, sentiment="negative")
    _mention("უადგილო", month=2, status=Item.Status.IRRELEVANT)
    _mention("იანვრის სტატია", month=1)
    _mention("მარტის სტატია", month=3, day=1)


def _send(now=NOW):
    return summaries.monthly_summaries_send(now=timezone.make_aware(now))


def _mail_to(user) -> CapturedEmail:
    (mail,) = CapturedEmail.objects.filter(to=[user.email])
    return mail


def _figure_cells(html: str, key: str) -> list[str]:
    row = html.split(f'data-figure="{key}"', 1)[1].split("</tr>", 1)[0]
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)
    ]


def test_every_active_manager_gets_last_month_in_their_language(
    site, managers, figures, make_user
):
    make_user("retired", role="Manager", is_active=False)
    nobody = make_user("no-address", role="Manager")
    type(nobody).objects.filter(pk=nobody.pk).update(email="")
    make_user("viewer", role="Viewer")
    make_user("editor", role="Editor")

    assert _send() == 3
    assert CapturedEmail.objects.count() == 3
    query = urlencode(period_choice(*FEBRUARY))
    link = f"https://press.example.ge{reverse('reports:activity')}?{query}"
    assert "period=month" in query and "year=2026" in query and "month=2" in query
    for language, user in managers.items():
        mail = _mail_to(user)
        with translation.override(language):
            february = period_label(*FEBRUARY)
        assert february in mail.subject
        assert f"Content-Language: {language}" in mail.raw
        assert "multipart/alternative" in mail.raw
        assert mail.from_email == "Press Office <press@example.ge>"
        # Both parts say the same: the period, the figures, the link.
        assert f'<html lang="{language}">' in mail.body_html
        assert february in mail.body_text and february in mail.body_html
        assert link in mail.body_text
        assert f'href="{link.replace("&", "&amp;")}"' in mail.body_html
        # February's mentions (the irrelevant one left out), January's, the change.
        assert _figure_cells(mail.body_html, "monitoring.mentions") == ["2", "1", "+1"]
        assert _figure_cells(mail.body_html, "releases.drafted") == ["0", "0", "0"]
    # Each in their own language: the Armenian month is not the Georgian one.
    assert _mail_to(managers["ka"]).subject != _mail_to(managers["hy"]).subject
    with translation.override("en"):
        assert "February 2026" in _mail_to(managers["en"]).subject


def test_the_text_part_lists_the_headline_figures(site, managers, figures):
    _send()
    text = _mail_to(managers["en"]).body_text
    with translation.override("en"):
        from reports.activity import activity_compare

        sections = activity_compare(start=FEBRUARY[0], end=FEBRUARY[1])["sections"]
    mentions = next(
        row for s in sections for row in s.rows if row.key == "monitoring.mentions"
    )
    assert f"- {mentions.label}: 2 (" in text
    assert "; change: +1)" in text
    # Headlines only: the lines by topic and event type stay on the report page.
    assert "events.type:" not in _mail_to(managers["en"]).body_html
    assert "monitoring.topic:" not in _mail_to(managers["en"]).body_html


def test_a_month_is_sent_once_however_often_the_task_runs(site, managers, figures):
    assert _send() == 3
    assert _send() == 0
    assert _send(datetime(2026, 3, 20, 9, 0)) == 0  # still February's summary
    assert CapturedEmail.objects.count() == 3
    assert set(MonthlySummary.objects.values_list("user_id", "month")) == {
        (user.pk, FEBRUARY[0]) for user in managers.values()
    }
    # April brings March's summary.
    assert _send(datetime(2026, 4, 1, 7, 0)) == 3
    assert CapturedEmail.objects.count() == 6
    hy = CapturedEmail.objects.filter(to=[managers["hy"].email]).order_by("pk")
    with translation.override("hy"):
        march = period_label(datetime(2026, 3, 1).date(), datetime(2026, 3, 31).date())
    assert march in hy.last().subject


def test_a_failed_send_records_nothing_and_the_next_run_retries_it(
    site, managers, figures, monkeypatch
):
    real_send = EmailMultiAlternatives.send

    def send(message, *args, **kwargs):
        if message.to == [managers["hy"].email]:
            raise ConnectionRefusedError("the mail server is down")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", send)
    assert _send() == 2
    assert not MonthlySummary.objects.filter(user=managers["hy"]).exists()
    assert not CapturedEmail.objects.filter(to=[managers["hy"].email]).exists()

    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)
    assert _send() == 1
    assert CapturedEmail.objects.filter(to=[managers["hy"].email]).count() == 1
    assert CapturedEmail.objects.count() == 3


def test_a_manager_with_no_language_reads_the_office_default(site, make_user, settings):
    settings.LANGUAGE_CODE = "ka"
    user = make_user("default", role="Manager", language="")
    assert _send() == 1
    mail = _mail_to(user)
    assert "Content-Language: ka" in mail.raw
    with translation.override("ka"):
        assert period_label(*FEBRUARY) in mail.subject


def test_the_task_is_on_the_beat_on_the_first_of_the_month_at_seven(
    site, managers, monkeypatch
):
    from prapp.celery import app

    entry = app.conf.beat_schedule["reports-monthly-summary"]
    assert entry["task"] == "reports.monthly_summary_send"
    schedule = entry["schedule"]
    assert schedule.day_of_month == {1}
    assert schedule.hour == {7} and schedule.minute == {0}
    # It expires long before the next month's run, so runs never pile up.
    assert 0 < entry["options"]["expires"] < 28 * 24 * 60 * 60
    assert tasks.monthly_summary_send.name == "reports.monthly_summary_send"

    monkeypatch.setattr(timezone, "now", lambda: timezone.make_aware(NOW))
    assert tasks.monthly_summary_send() == 3
    assert MonthlySummary.objects.filter(month=FEBRUARY[0]).count() == 3


def test_the_month_reported_is_the_last_one_over():
    from datetime import date

    assert last_full_month(date(2026, 1, 1)) == (date(2025, 12, 1), date(2025, 12, 31))
    assert last_full_month(date(2024, 3, 31)) == (date(2024, 2, 1), date(2024, 2, 29))


def test_a_manager_already_recorded_is_not_sent_again(site, managers):
    """What a second worker finds once the first one's send has committed."""
    user = managers["en"]
    MonthlySummary.objects.create(user=user, month=FEBRUARY[0])
    content = summaries._compose(language="en", start=FEBRUARY[0], end=FEBRUARY[1])
    sent = summaries.manager_summary_send(user=user, start=FEBRUARY[0], content=content)
    assert sent is False
    assert not CapturedEmail.objects.exists()
    assert MonthlySummary.objects.filter(user=user).count() == 1


def test_the_task_run_twice_sends_each_manager_once(site, managers, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: timezone.make_aware(NOW))
    assert tasks.monthly_summary_send.apply().get() == 3
    assert tasks.monthly_summary_send.apply().get() == 0
    assert CapturedEmail.objects.count() == 3
    assert MonthlySummary.objects.filter(month=FEBRUARY[0]).count() == 3


def _mail_server_down_for(user, monkeypatch, *, times: int) -> list:
    """The first ``times`` sends to ``user`` fail; the list records every attempt."""
    real_send = EmailMultiAlternatives.send
    attempts = []

    def send(message, *args, **kwargs):
        if message.to == [user.email]:
            attempts.append(message)
            if len(attempts) <= times:
                raise ConnectionRefusedError("the mail server is down")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", send)
    return attempts


def test_the_task_retries_those_who_have_not_had_the_summary(
    site, managers, monkeypatch
):
    monkeypatch.setattr(timezone, "now", lambda: timezone.make_aware(NOW))
    attempts = _mail_server_down_for(managers["ka"], monkeypatch, times=1)
    result = tasks.monthly_summary_send.apply()
    assert result.successful()
    # The retry sent only to the one who missed it, and once.
    assert len(attempts) == 2
    assert CapturedEmail.objects.filter(to=[managers["ka"].email]).count() == 1
    assert CapturedEmail.objects.count() == 3
    assert MonthlySummary.objects.filter(month=FEBRUARY[0]).count() == 3


def test_the_task_gives_up_after_its_retries(site, managers, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: timezone.make_aware(NOW))
    attempts = _mail_server_down_for(managers["ka"], monkeypatch, times=99)
    result = tasks.monthly_summary_send.apply()
    assert result.state == "FAILURE"
    assert isinstance(result.result, tasks.SummariesUnsent)
    assert len(attempts) == 1 + tasks.monthly_summary_send.max_retries == 5
    assert not MonthlySummary.objects.filter(user=managers["ka"]).exists()
    assert CapturedEmail.objects.count() == 2
