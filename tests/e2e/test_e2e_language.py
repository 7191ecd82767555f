"""The header's language switcher: ka → hy → en, kept across reloads and logins."""

from django.urls import reverse

from .browser import html_lang, login, selected_language

# Django's own names of the languages, each in itself.
NAMES = {"ka": "ქართული", "hy": "հայերեն", "en": "English"}


def assert_interface_in(page, user, code):
    assert html_lang(page) == code
    assert selected_language(page) == (code, NAMES[code])
    user.refresh_from_db()
    assert user.language == code


def test_language_switch_is_saved_to_the_profile(page, live_server, manager):
    login(page, live_server, manager)
    dashboard = live_server.url + reverse("reports:dashboard")

    # Nobody chose yet: the office's default, Georgian.
    assert html_lang(page) == "ka"
    assert selected_language(page) == ("ka", "ქართული")
    assert "ქართული" in page.inner_text("header")
    manager.refresh_from_db()
    assert manager.language == ""

    # Picking a language submits the form at once (static/prapp/js/app.js).
    with page.expect_navigation():
        page.select_option("#language-select", "hy")
    assert page.url == dashboard
    assert_interface_in(page, manager, "hy")
    page.reload()
    assert_interface_in(page, manager, "hy")

    # Without the script, the "Switch" button does the same.
    page.eval_on_selector("#language-select", "select => { select.value = 'en'; }")
    with page.expect_navigation():
        page.click("form.language-switcher button[type=submit]")
    assert page.url == dashboard
    assert_interface_in(page, manager, "en")
    page.reload()
    assert_interface_in(page, manager, "en")

    # The choice belongs to the person, not to the browser: a fresh browser
    # that asks for Georgian still gets English after logging in.
    page.context.clear_cookies()
    login(page, live_server, manager)
    assert_interface_in(page, manager, "en")

    # Back to Georgian, from another page: the switcher returns to that page.
    page.goto(live_server.url + reverse("profile"))
    with page.expect_navigation():
        page.select_option("#language-select", "ka")
    assert page.url == live_server.url + reverse("profile")
    assert_interface_in(page, manager, "ka")
