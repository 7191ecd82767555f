"""Headless Chromium against pytest-django's live server.

Chromium comes from Debian (package ``chromium``); Playwright never downloads a
browser here. axe-core comes from npm (``npm ci`` at the repository root).
"""

import os
import tempfile
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# refuses to run in a thread with a running loop unless told it is safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from django.contrib.auth.models import Group, Permission

from prapp.models import User
from prapp.roles import MANAGER, VIEWER, sync_roles

from .browser import AXE_JS, CHROMIUM, CHROMIUM_ARGS, PASSWORD

# Chromium's first start and a full axe run on the admin take a few seconds.
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run; a missing browser fails, never skips."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: the browser tests need Debian's Chromium. "
            "Install the Debian package `chromium` (apt-get install chromium); "
            "Playwright must not download a browser of its own here.",
            pytrace=False,
        )
    if not AXE_JS.exists():
        pytest.fail(
            f"{AXE_JS} not found: run `npm ci` at the repository root.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    # The app's CSP allows only same-origin scripts; bypassing it in this context
    # lets the tests inject axe.
    context = browser.new_context(
        bypass_csp=True, locale="ka-GE", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshot_dir():
    """Outside the repository; PRAPP_E2E_SCREENSHOTS overrides the place."""
    default = Path(tempfile.gettempdir()) / "prapp-e2e"
    path = Path(os.environ.get("PRAPP_E2E_SCREENSHOTS", default))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def roles(transactional_db):
    """The role groups: the live server's database is flushed between tests."""
    sync_roles(group_model=Group, permission_model=Permission)


@pytest.fixture
def make_user(roles):
    def make(username, role, *, language="", is_staff=False, name=""):
        first_name, _space, last_name = (name or username.capitalize()).partition(" ")
        user = User.objects.create_user(
            username=username,
            password=PASSWORD,
            email=f"{username}@example.org",
            first_name=first_name,
            last_name=last_name,
            language=language,
            is_staff=is_staff,
        )
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def manager(make_user):
    # A Georgian name: it shows in the header and the greeting, so the pages
    # carry Georgian text (and the Mtavruli scan has something to catch) even
    # where the interface strings are not translated yet.
    return make_user("manager", MANAGER, is_staff=True, name="ნინო ბერიძე")


@pytest.fixture
def viewer(make_user):
    return make_user("viewer", VIEWER)
