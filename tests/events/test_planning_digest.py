"""The daily task digest: one per person per day, in the person's language."""

from datetime import date, timedelta

import pytest

from events import services
from events.models import ChecklistTask
from prapp.models import AuditEntry, CapturedEmail

from .factories import EventFactory, TaskFactory

DAY = date(2025, 3, 14)


@pytest.fixture
def assignees(make_user):
    georgian = make_user("nino", role="Editor", language="ka")
    armenian = make_user("anna", role="Editor", language="hy")
    event = EventFactory(title_ka="საჯარო განხილვა", title_hy="Հանրային լսում")
    TaskFactory(event=event, assignee=georgian, due_on=DAY - timedelta(days=2))
    TaskFactory(event=event, assignee=georgian, due_on=DAY)
    TaskFactory(event=event, assignee=armenian, due_on=DAY)
    # Not in any digest: done, due later, nobody's.
    TaskFactory(event=event, assignee=armenian, due_on=DAY, state="done")
    TaskFactory(event=event, assignee=armenian, due_on=DAY + timedelta(days=1))
    TaskFactory(event=event, due_on=DAY)
    return georgian, armenian


@pytest.mark.django_db
def test_digest_goes_on_commit_in_each_language_once_a_day(
    assignees, django_capture_on_commit_callbacks
):
    georgian, armenian = assignees
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.task_digests_dispatch(day=DAY) == 2
        assert CapturedEmail.objects.count() == 0  # nothing before the commit
    assert len(callbacks) == 2
    mails = {m.to[0]: m for m in CapturedEmail.objects.all()}
    assert set(mails) == {georgian.email, armenian.email}
    ka, hy = mails[georgian.email], mails[armenian.email]
    assert ka.body_text.count("დავალება") == 2
    assert hy.body_text.count("დავალება") == 1
    # The same run again (a redelivered beat job, a second worker) sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        services.task_digests_dispatch(day=DAY)
    assert CapturedEmail.objects.count() == 2
    assert AuditEntry.objects.filter(action="events.task_digest.sent").count() == 2
    # The next day is a new digest.
    services.task_digest_send(user=georgian, day=DAY + timedelta(days=1))
    assert CapturedEmail.objects.count() == 3


@pytest.mark.django_db
def test_digest_is_rendered_in_the_recipients_language(assignees, settings):
    from django.utils import translation

    georgian, armenian = assignees
    with translation.override("en"):
        services.task_digest_send(user=armenian, day=DAY)
        services.task_digest_send(user=georgian, day=DAY)
    hy = CapturedEmail.objects.get(to=[armenian.email])
    ka = CapturedEmail.objects.get(to=[georgian.email])
    # Each in its own language, whatever language the sender's code ran in.
    hello = "Hello, %(name)s."  # already in the catalogues (the test email)
    with translation.override("hy"):
        expected_hy = translation.gettext(hello) % {"name": armenian}
    with translation.override("ka"):
        expected_ka = translation.gettext(hello) % {"name": georgian}
    assert expected_hy != expected_ka
    assert expected_hy in hy.body_text
    assert expected_ka in ka.body_text


@pytest.mark.django_db
def test_nothing_to_do_sends_nothing(make_user):
    user = make_user("idle", role="Editor")
    TaskFactory(assignee=user, due_on=DAY, state=ChecklistTask.State.SKIPPED)
    assert services.task_digest_send(user=user, day=DAY) is False
    assert CapturedEmail.objects.count() == 0
