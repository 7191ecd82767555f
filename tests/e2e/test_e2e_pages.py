"""Every page of the header and user menu: accessible, and no Mtavruli in Georgian."""

from django.urls import reverse

from prapp import services
from prapp.models import CapturedEmail

from .browser import (
    APPS,
    assert_accessible,
    assert_no_mtavruli,
    header_links,
    html_lang,
    login,
)


def test_login_page_is_accessible_and_has_no_mtavruli(
    page, live_server, transactional_db
):
    page.goto(live_server.url + reverse("login"))
    assert html_lang(page) == "ka"
    assert page.locator("#id_username").is_visible()
    assert page.locator("#id_password").is_visible()
    assert_accessible(page)
    assert_no_mtavruli(page)


def test_every_page_in_the_header_in_georgian(
    page, live_server, manager, screenshot_dir
):
    # Something in the audit trail and the outbox, so that their tables (and the
    # dashboard's recent changes) are checked too, not only the empty states.
    services.user_update_profile(
        user=manager, changes={"last_name": "ბერიძე-კაპანაძე"}, actor=manager
    )
    services.test_email_send(user=manager)
    email = CapturedEmail.objects.get()

    login(page, live_server, manager)
    pages = [
        reverse("reports:dashboard"),
        *(reverse(f"{app}:index") for app in APPS),
        reverse("profile"),
        reverse("password_change"),
        reverse("outbox"),
        reverse("audit"),
        reverse("admin:index"),
    ]
    missing = set(pages) - header_links(page)
    assert not missing, f"not reachable from the header: {sorted(missing)}"

    for path in [*pages, email.get_absolute_url()]:
        page.goto(live_server.url + path)
        assert page.url == live_server.url + path, f"{path} redirected to {page.url}"
        assert html_lang(page) == "ka", path
        heading = page.locator("main h1, #content h1").first.inner_text().strip()
        assert heading, f"{path} has no heading"
        assert_no_mtavruli(page)
        assert_accessible(page)

    # A picture of the Georgian dashboard, for a human to look at.
    page.goto(live_server.url + reverse("reports:dashboard"))
    page.screenshot(path=screenshot_dir / "dashboard-ka.png", full_page=True)
