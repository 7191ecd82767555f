"""The background-job path seen from the browser: a test email into the outbox."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from prapp.models import CapturedEmail

from .browser import assert_accessible, html_lang, login


def test_test_email_arrives_in_the_outbox_in_the_users_language(
    page, live_server, make_user
):
    # Armenian, not the office's default: the email must follow the person.
    manager = make_user("manager", "Manager", language="hy")
    with translation.override("hy"):
        subject = render_to_string("prapp/email/test_email_subject.txt").strip()

    login(page, live_server, manager)
    page.click("#user-menu")
    with page.expect_navigation():
        page.click(f"header a[href='{reverse('outbox')}']")
    assert page.url == live_server.url + reverse("outbox")
    assert html_lang(page) == "hy"
    assert page.locator("main table").count() == 0  # nothing sent yet

    # Celery is eager in the test settings: the task runs once the request's
    # transaction commits, before the redirect back to the outbox.
    with page.expect_navigation():
        page.click(f"form[action='{reverse('outbox_test')}'] button[type=submit]")
    assert page.url == live_server.url + reverse("outbox")
    assert page.locator("main .messages .alert-success").count() == 1
    email = CapturedEmail.objects.get()
    assert email.subject == subject
    assert email.to == [manager.email]

    link = page.locator("main table tbody tr a")
    assert link.count() == 1
    assert link.inner_text().strip() == subject
    assert manager.email in page.inner_text("main table tbody tr")

    with page.expect_navigation():
        link.click()
    assert page.url == live_server.url + email.get_absolute_url()
    assert page.inner_text("main h1").strip() == subject
    assert manager.email in page.inner_text("main dl")
    assert page.inner_text("main pre.email-text").strip()
    assert_accessible(page)
