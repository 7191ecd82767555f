"""Reminders and the mail tasks: once per person, request, kind and day; ids only."""

from datetime import timedelta

import pytest
from django.utils import timezone

from inquiries import services, tasks
from inquiries.models import Reminder, Request
from prapp.celery import app
from prapp.models import CapturedEmail

from .conftest import approved, local


def due_in(request: Request, days: int) -> Request:
    """Move a request's deadline to ``days`` from today (test set-up only)."""
    day = timezone.localdate() + timedelta(days=days)
    Request.objects.filter(pk=request.pk).update(due_on=day, original_due_on=day)
    request.refresh_from_db()
    return request


def morning(days: int = 0, hour: int = 9):
    return local(timezone.localdate() + timedelta(days=days), hour)


@pytest.fixture
def colleague(make_user):
    return make_user("colleague", role="Editor", language="hy")


@pytest.mark.django_db
def test_assignees_hear_of_deadlines_once_a_day(make_request, colleague, editor):
    soon = due_in(make_request(assignee=colleague, subject="ავტობუსები"), 2)
    due_in(make_request(assignee=colleague, subject="სკოლები"), 0)
    due_in(make_request(assignee=colleague, subject="later"), 3)  # not yet
    due_in(make_request(assignee=editor, subject="others"), 1)
    CapturedEmail.objects.all().delete()  # the assignment emails

    assert services.reminders_send(now=morning()) == 2
    mine = CapturedEmail.objects.get(to=["colleague@example.ge"])
    assert "ავტობუსები" in mine.body_text and "სკოლები" in mine.body_text
    assert "later" not in mine.body_text
    assert "Content-Language: hy" in mine.raw
    assert soon.number in mine.body_text
    assert Reminder.objects.filter(user=colleague, kind="due_soon").count() == 2

    # The next hourly run the same day sends nothing again.
    assert services.reminders_send(now=morning(hour=10)) == 0
    assert tasks.reminders_send_due() == 0
    assert CapturedEmail.objects.count() == 2
    # The next morning they are reminded again.
    assert services.reminders_send(now=morning(days=1)) == 2


@pytest.mark.django_db
def test_nothing_goes_out_before_the_morning_unless_forced(make_request, colleague):
    due_in(make_request(assignee=colleague), 1)
    CapturedEmail.objects.all().delete()
    assert services.reminders_send(now=morning(hour=6)) == 0
    assert not Reminder.objects.exists()
    assert services.reminders_send(now=morning(hour=6), force=True) == 1


@pytest.mark.django_db
def test_managers_hear_of_overdue_requests(
    make_request, colleague, manager, manager2, make_user
):
    late = due_in(make_request(assignee=colleague, subject="overdue"), -3)
    make_user("inactive-manager", role="Manager", is_active=False)
    CapturedEmail.objects.all().delete()
    assert services.reminders_send(now=morning()) == 2
    to = sorted(m.to[0] for m in CapturedEmail.objects.all())
    assert to == ["manager2@example.ge", "manager@example.ge"]
    message = CapturedEmail.objects.get(to=["manager@example.ge"])
    assert late.number in message.body_text
    assert str(colleague) in message.body_text  # who it is assigned to
    assert Reminder.objects.filter(kind="overdue", request=late).count() == 2


@pytest.mark.django_db
def test_closed_requests_are_not_reminded(make_request, colleague, editor, manager):
    request = due_in(make_request(assignee=colleague), -1)
    approved(request, drafter=editor, approver=manager)
    services.request_answer(request=request, actor=editor, method="letter")
    CapturedEmail.objects.all().delete()
    assert services.reminders_send(now=morning()) == 0


@pytest.mark.django_db
def test_those_asked_internal_questions_are_reminded(make_request, editor, unit):
    request = make_request()
    services.question_ask(
        request=request,
        actor=editor,
        question="ბიუჯეტის ციფრები?",
        due_on=timezone.localdate() + timedelta(days=1),
        unit=unit,
    )
    CapturedEmail.objects.all().delete()
    assert services.reminders_send(now=morning()) == 1
    message = CapturedEmail.objects.get()
    assert message.to == [unit.head.email]
    assert "ბიუჯეტის ციფრები?" in message.body_text
    assert Reminder.objects.get().kind == Reminder.Kind.QUESTION_DUE
    assert services.reminders_send(now=morning(hour=11)) == 0


@pytest.mark.django_db
def test_one_failing_person_stops_nobody_else(
    make_request, colleague, editor, monkeypatch, caplog
):
    due_in(make_request(assignee=colleague), 1)
    due_in(make_request(assignee=editor), 1)
    CapturedEmail.objects.all().delete()
    real = services._mail

    def flaky(**kwargs):
        if kwargs["to"] == [colleague.email]:
            raise ConnectionError("mail server refused")
        return real(**kwargs)

    monkeypatch.setattr(services, "_mail", flaky)
    assert services.reminders_send(now=morning()) == 1
    assert "Inquiry reminder" in caplog.text
    # The failed one recorded nothing, so the next hour tries again.
    assert not Reminder.objects.filter(user=colleague).exists()
    monkeypatch.setattr(services, "_mail", real)
    assert services.reminders_send(now=morning(hour=10)) == 1


def test_the_beat_runs_reminders_hourly_and_expires_before_the_next_run():
    entry = app.conf.beat_schedule["inquiries-reminders"]
    assert entry["task"] == "inquiries.reminders_send_due"
    assert entry["task"] in app.tasks
    assert entry["options"]["expires"] < entry["schedule"]


@pytest.mark.django_db
def test_mail_is_dispatched_on_commit_with_ids_only(
    make_request, editor, manager, django_capture_on_commit_callbacks, monkeypatch
):
    request = approved(make_request(), drafter=editor, approver=manager)
    sent = []
    monkeypatch.setattr(tasks.requester_mail, "delay", lambda *args: sent.append(args))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.request_answer(request=request, actor=editor, method="email")
    assert sent == []
    for callback in callbacks:
        callback()
    assert sent == [(request.pk, "answer")]


@pytest.mark.django_db
def test_tasks_return_quietly_when_the_object_is_gone_or_moved_on(
    make_request, editor, manager, colleague
):
    tasks.requester_mail(999_999, "answer")
    tasks.assignment_mail(999_999, colleague.pk)
    tasks.question_mail(999_999)
    request = make_request()
    # A refusal email for a request that is not refused is not sent.
    tasks.requester_mail(request.pk, "refusal")
    # An assignment email for someone it is no longer assigned to neither.
    tasks.assignment_mail(request.pk, colleague.pk, 0)
    assert not CapturedEmail.objects.exists()
    with pytest.raises(ValueError):
        services.requester_mail_send(request=request, kind="spam")


@pytest.mark.django_db
def test_the_assignment_email_goes_once_per_assignment(make_request, editor, colleague):
    request = services.request_assign(
        request=make_request(), actor=editor, assignee=colleague
    )
    tasks.assignment_mail(request.pk, colleague.pk, 7)
    tasks.assignment_mail(request.pk, colleague.pk, 7)
    assert CapturedEmail.objects.count() == 1
    tasks.assignment_mail(request.pk, colleague.pk, 8)  # assigned again later
    assert CapturedEmail.objects.count() == 2
