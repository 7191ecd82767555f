import pytest
from django.urls import reverse
from django.utils import translation

from prapp.models import AuditEntry, CapturedEmail
from prapp.tasks import send_test_email


def _subject(language):
    with translation.override(language):
        return translation.gettext("Test message from the PR office workspace")


@pytest.mark.django_db
def test_test_email_goes_through_the_task_after_commit(
    client, make_user, django_capture_on_commit_callbacks
):
    user = make_user("anna", role="Editor", language="hy")
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("outbox_test"))
    assert response.status_code == 302
    # Nothing is sent inside the request's transaction…
    assert CapturedEmail.objects.count() == 0
    assert len(callbacks) == 1
    # …only once it has committed.
    callbacks[0]()
    email = CapturedEmail.objects.get()
    assert email.to == ["anna@example.ge"]
    assert email.subject == _subject("hy")
    assert "anna" in email.body_text
    assert "<p>" in email.body_html
    assert AuditEntry.objects.filter(action="prapp.test_email.requested").count() == 1


@pytest.mark.django_db
def test_each_email_is_rendered_in_the_recipients_language(make_user):
    georgian = make_user("nino", language="ka")
    armenian = make_user("armen", language="hy")
    with translation.override("en"):
        send_test_email.delay(georgian.pk)
        send_test_email.delay(armenian.pk)
    emails = list(CapturedEmail.objects.order_by("pk"))
    assert [(e.to, e.subject) for e in emails] == [
        (["nino@example.ge"], _subject("ka")),
        (["armen@example.ge"], _subject("hy")),
    ]
    # Georgian and Armenian subjects are encoded (RFC 2047) and decode intact.
    from email import message_from_string
    from email.header import decode_header, make_header

    raw = emails[1].raw
    assert "=?utf-8?" in raw
    subject = str(make_header(decode_header(message_from_string(raw)["Subject"])))
    assert subject == _subject("hy") != _subject("en")


@pytest.mark.django_db
def test_task_for_a_deleted_user_does_nothing(make_user):
    user = make_user("gone")
    pk = user.pk
    user.delete()
    send_test_email.delay(pk)
    assert CapturedEmail.objects.count() == 0


@pytest.mark.django_db
def test_outbox_lists_and_shows_messages_with_pinned_queries(
    client, manager, django_assert_num_queries
):
    for number in range(20):
        CapturedEmail.objects.create(
            subject=f"პრესრელიზი {number}", from_email="a@b.ge", to=["x@y.ge"], raw="r"
        )
    client.force_login(manager)
    # session, user, permissions (2), count, one page of messages
    with django_assert_num_queries(6):
        page = client.get(reverse("outbox"))
    assert "პრესრელიზი 19" in page.text
    found = client.get(reverse("outbox"), {"q": "პრესრელიზი 7"})
    assert "პრესრელიზი 7" in found.text and "პრესრელიზი 19" not in found.text


@pytest.mark.django_db
def test_html_part_is_served_sandboxed(client, manager):
    email = CapturedEmail.objects.create(
        subject="s",
        from_email="a@b.ge",
        to=["x@y.ge"],
        raw="r",
        body_html="<script>alert(1)</script><p>გამარჯობა</p>",
    )
    client.force_login(manager)
    response = client.get(reverse("outbox_html", args=[email.pk]))
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert "გამარჯობა" in response.text


@pytest.mark.django_db
def test_a_redelivered_test_email_task_sends_once(
    client, make_user, django_capture_on_commit_callbacks
):
    user = make_user("nino", role="Editor")
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("outbox_test"))
    request = AuditEntry.objects.get(action="prapp.test_email.requested")
    # The broker hands the same task out again (a worker died before the ack).
    send_test_email.delay(user.pk, request.pk)
    assert CapturedEmail.objects.count() == 1
    assert AuditEntry.objects.filter(action="prapp.test_email.sent").count() == 1
