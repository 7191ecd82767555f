"""The contacts issue's browser scenario, from the Georgian interface.

An editor creates a person in Georgian (and is warned about a duplicate), finds
them by typing Latin, adds them to a list; a manager exports the list as CSV and
imports the file again, which must change nothing. Every contacts page on the
way is checked with axe and for Mtavruli capitals.
"""

import csv
import io
import re

import pytest
from django.urls import reverse

from contacts import services, tasks
from contacts.exporting import EXPORT_HEADERS, restore_neutralised
from contacts.models import ContactList, ImportJob, Organisation, Person
from prapp.roles import EDITOR, MANAGER

from .browser import assert_accessible, assert_no_mtavruli, html_lang, login
from .conftest import TIMEOUT_MS

FIRST_NAME, LAST_NAME = "ნინო", "ბერიძე"
FULL_NAME = f"{FIRST_NAME} {LAST_NAME}"
POSITION = "პრესსამსახურის უფროსი"
EMAIL = "nino.beridze@example.ge"
PHONE_TYPED, PHONE_E164 = "599 12 34 56", "+995599123456"
ROLE = "რედაქტორი"
# A bullet typed in the notes: a spreadsheet would read the leading "-" as a
# formula, so the export neutralises it and the import must undo that exactly.
NOTES = "- მხოლოდ ელფოსტით"
ORGANISATION = "საზოგადოებრივი მაუწყებელი"
LIST_NAME = "ჟურნალისტები — ეკონომიკა"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def check_page(page):
    """What every contacts page must pass: Georgian, accessible, no Mtavruli."""
    assert html_lang(page) == "ka", page.url
    assert_no_mtavruli(page)
    assert_accessible(page)


@pytest.fixture
def open_page(browser, live_server):
    """Another person at their own browser, logged in (same options as `page`).

    Needs live_server so that the browser is closed before the server stops.
    """
    contexts = []

    def open_as(user):
        context = browser.new_context(
            bypass_csp=True, locale="ka-GE", viewport={"width": 1280, "height": 900}
        )
        contexts.append(context)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        login(page, live_server, user)
        return page

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture
def worker_later(monkeypatch):
    """Hold confirmed imports back from the eager Celery, as a busy worker would.

    Celery is eager in the test settings, so the import would be finished before
    the browser ever saw the progress page. Held here, the page shows its bar,
    and `run_held_imports` runs them as the worker would when they come up.
    """
    held = []
    monkeypatch.setattr(tasks.import_job_run, "delay", held.append)
    return held


def test_person_created_in_georgian_found_in_latin_listed_exported_reimported(
    page, live_server, make_user, open_page, worker_later, tmp_path
):
    editor = make_user("editor", EDITOR, language="ka", name="ეკა გელაშვილი")
    manager = make_user("manager", MANAGER, language="ka", name="თამარ კაპანაძე")
    organisation = services.organisation_create(
        data={
            "name_ka": ORGANISATION,
            "name_en": "Georgian Public Broadcaster",
            "kind": Organisation.Kind.MEDIA,
            "media_type": Organisation.MediaType.TV,
        },
        actor=manager,
    )
    contact_list = services.contact_list_create(name=LIST_NAME, actor=manager)
    assert contact_list.kind == ContactList.Kind.STATIC

    # --- The editor creates the person in Georgian ---------------------------
    login(page, live_server, editor)
    page.goto(live_server.url + reverse("contacts:index"))
    check_page(page)  # the empty list
    create_url = reverse("contacts:person_create")
    with page.expect_navigation():
        page.click(f"main a[href='{create_url}']")
    assert page.url == live_server.url + create_url
    check_page(page)

    page.fill("#id_first_name", FIRST_NAME)
    page.fill("#id_last_name", LAST_NAME)
    page.fill("#id_position", POSITION)
    page.select_option("#id_language", "hy")
    # The organisation box asks the server for suggestions as one types.
    box = page.locator("#id_organisation")
    box.press_sequentially(ORGANISATION[:6])
    suggestion = page.locator(
        f"datalist#{box.get_attribute('list')} option[value='{ORGANISATION}']"
    )
    suggestion.wait_for(state="attached")
    box.fill(ORGANISATION)
    page.fill("#id_role", ROLE)
    page.fill("#id_notes", NOTES)
    page.fill("input[name='emails-0-email']", EMAIL)
    page.fill("input[name='phones-0-number']", PHONE_TYPED)
    page.select_option("select[name='phones-0-kind']", "mobile")
    # Nobody like her yet: the live check finds nothing.
    assert page.locator("#duplicate-hint .alert").count() == 0
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    person = Person.objects.get()
    assert page.url == live_server.url + person.get_absolute_url()
    assert page.inner_text("main h1").strip() == FULL_NAME
    assert (person.first_name, person.last_name) == (FIRST_NAME, LAST_NAME)
    assert (person.position, person.language, person.notes) == (POSITION, "hy", NOTES)
    assert [e.email for e in person.emails.all()] == [EMAIL]
    assert [p.number for p in person.phones.all()] == [PHONE_E164]
    affiliation = person.affiliations.get()
    assert (affiliation.organisation, affiliation.role) == (organisation, ROLE)
    main = page.locator("main")
    assert main.locator(f"a[href='tel:{PHONE_E164}']").count() == 1
    assert main.locator(f"a[href='mailto:{EMAIL}']").count() == 1
    assert main.locator(f"a[href='{organisation.get_absolute_url()}']").count() == 1
    assert POSITION in page.inner_text("main")
    check_page(page)

    # --- The same person again, in Latin letters: a duplicate warning --------
    page.goto(live_server.url + create_url)
    page.fill("#id_first_name", "Nino")
    page.fill("#id_last_name", "Beridze")
    # Leaving the name box asks the server while typing goes on: the Latin name
    # alone already finds the Georgian record.
    page.locator("input[name='emails-0-email']").focus()
    hint = page.locator(f"#duplicate-hint a[href='{person.get_absolute_url()}']")
    hint.wait_for()
    assert hint.inner_text().strip() == FULL_NAME
    check_page(page)  # with the live warning in it
    page.fill("input[name='emails-0-email']", EMAIL)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    # Not created: the form comes back with the warning and asks to confirm.
    assert page.url == live_server.url + create_url
    assert Person.objects.count() == 1
    warning = page.locator("main form > .alert-warning[role=alert]")
    assert warning.locator(f"a[href='{person.get_absolute_url()}']").count() == 1
    confirm = page.locator("#id_confirm_duplicate")
    assert confirm.is_visible()
    assert not confirm.is_checked()
    assert page.input_value("#id_first_name") == "Nino"
    assert page.input_value("input[name='emails-0-email']") == EMAIL
    check_page(page)
    # It is the same person after all: leave without creating a second record.
    with page.expect_navigation():
        page.click(f"main form a[href='{reverse('contacts:index')}']")
    assert Person.objects.count() == 1

    # --- Found by typing Latin -----------------------------------------------
    page.fill("#id_q", "beridze")
    with page.expect_navigation():
        page.press("#id_q", "Enter")
    assert "q=beridze" in page.url
    rows = page.locator("main table.people-table tbody tr")
    assert rows.count() == 1
    assert page.get_attribute("main [data-total]", "data-total") == "1"
    name_link = rows.first.locator(f"a[href='{person.get_absolute_url()}']")
    assert name_link.inner_text().strip() == FULL_NAME
    assert rows.first.locator(f"a[href='tel:{PHONE_E164}']").count() == 1
    check_page(page)

    # --- Added to the list with the bulk action ------------------------------
    page.check(f"#select-{person.pk}")
    page.select_option("#id_action", "list_add")
    page.select_option("#id_contact_list", str(contact_list.pk))
    assert page.locator("#id_scope").input_value() == "selected"
    with page.expect_navigation():
        page.click("#bulk-form fieldset button[type=submit]")
    # Back to the same search (the filter is kept; sort and size are not).
    assert page.url == live_server.url + reverse("contacts:index") + "?q=beridze"
    assert page.locator("main .alert-success").count() == 1
    assert list(contact_list.members.all()) == [person]
    check_page(page)  # with the confirmation message

    with page.expect_navigation():
        page.click(f"main nav a[href='{reverse('contacts:list_list')}']")
    check_page(page)
    with page.expect_navigation():
        page.click(f"main a[href='{contact_list.get_absolute_url()}']")
    assert page.url == live_server.url + contact_list.get_absolute_url()
    members = page.locator("main table.people-table tbody tr")
    assert members.count() == 1
    assert members.first.locator(f"a[href='{person.get_absolute_url()}']").count()
    export_url = reverse("contacts:export")
    # Exporting is the manager's alone: the editor is offered no export.
    assert page.locator(f"main a[href^='{export_url}']").count() == 0
    check_page(page)

    # --- The manager exports the list as CSV ---------------------------------
    boss = open_page(manager)
    boss.goto(live_server.url + contact_list.get_absolute_url())
    check_page(boss)
    export = boss.locator(f"main a[href^='{export_url}'][href*='format=csv']")
    assert f"list={contact_list.pk}" in export.get_attribute("href")
    with boss.expect_download() as download_info:
        export.click()
    download = download_info.value
    assert re.fullmatch(r"contacts-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    # The importer goes by the file's name too: keep the one the server gave.
    exported = tmp_path / download.suggested_filename
    download.save_as(exported)
    raw = exported.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark
    table = list(csv.reader(io.StringIO(raw.decode("utf-8").removeprefix("\ufeff"))))
    assert table[0] == list(EXPORT_HEADERS)
    assert len(table) == 2, table  # the list's one member
    row = dict(zip(table[0], table[1], strict=True))
    assert (row["First Name"], row["Last Name"]) == (FIRST_NAME, LAST_NAME)
    assert row["Job Title"] == POSITION
    assert (row["Company"], row["Role"]) == (ORGANISATION, ROLE)
    assert row["E-mail Address"] == EMAIL
    assert row["Language"] == "hy"
    # No cell reaches a spreadsheet as a formula, and the quote that stops it
    # leaves the number itself whole: E.164 in its own column.
    for header, cell in row.items():
        assert not cell.startswith(FORMULA_STARTS), (header, cell)
    assert row["Mobile Phone"] == "'" + PHONE_E164
    assert restore_neutralised(row["Mobile Phone"]) == PHONE_E164
    assert restore_neutralised(row["Notes"]) == NOTES

    # --- ... and imports the file again: nothing changes ---------------------
    boss.goto(live_server.url + reverse("contacts:index"))
    upload_url = reverse("contacts:import_upload")
    with boss.expect_navigation():
        boss.click(f"main a[href='{upload_url}']")
    assert boss.url == live_server.url + upload_url
    check_page(boss)
    boss.set_input_files("main form input[type=file]", str(exported))
    with boss.expect_navigation():
        boss.click("main form [type=submit][name=upload]")
    job = ImportJob.objects.get()
    assert boss.url == live_server.url + job.get_absolute_url()
    assert job.status == ImportJob.Status.MAPPING

    # The columns are mapped by their names, without help.
    mapping = {
        header: boss.input_value(f"#id_column_{index}")
        for index, header in enumerate(EXPORT_HEADERS)
    }
    assert mapping["First Name"] == "first_name"
    assert mapping["Last Name"] == "last_name"
    assert mapping["Job Title"] == "position"
    assert mapping["Company"] == "organisation"
    assert mapping["Role"] == "role"
    assert mapping["E-mail Address"] == "email"
    assert mapping["Mobile Phone"] == "phone"
    assert mapping["Language"] == "language"
    assert mapping["Notes"] == "notes"
    # The preview: her one row, read back as it was, and known already.
    preview = boss.locator("main section[aria-labelledby=preview-title] tbody tr")
    assert preview.count() == 1
    cells = preview.first.locator("td")
    assert cells.nth(0).inner_text().strip() == FULL_NAME
    assert cells.nth(1).inner_text().strip() == EMAIL
    assert cells.nth(2).inner_text().strip() == PHONE_E164
    assert cells.nth(3).inner_text().strip().startswith(ORGANISATION)
    assert cells.nth(5).locator(f"a[href='{person.get_absolute_url()}']").count()
    assert "table-danger" not in (preview.first.get_attribute("class") or "")
    check_page(boss)

    boss.check(f"input[name=on_match][value='{ImportJob.OnMatch.UPDATE}']")
    with boss.expect_navigation():
        boss.click("main form [type=submit][name=start]")
    assert boss.url == live_server.url + job.get_absolute_url()
    assert worker_later == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.on_match) == (ImportJob.Status.QUEUED, "update")
    progress = boss.locator("main [data-import-progress]")
    assert progress.locator("progress").count() == 1
    check_page(boss)

    # The worker takes the job when the page first asks how far it is: while the
    # request waits here, the server has nothing else to do (one SQLite
    # connection for every thread), and the answer is that it has finished.
    progress_url = reverse("contacts:import_progress", args=[job.pk])

    def run_held_imports(route):
        while worker_later:
            tasks.import_job_run(worker_later.pop(0))
        route.continue_()

    boss.route(f"**{progress_url}", run_held_imports)
    # static/contacts/import.js reloads the page, which now shows the result.
    result = boss.locator("main .import-result")
    result.wait_for()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert boss.locator("main [data-import-progress]").count() == 0
    assert result.locator("[data-created]").inner_text().strip() == "0"
    assert result.locator("[data-updated]").inner_text().strip() == "0"
    assert result.locator("[data-skipped]").inner_text().strip() == "1"
    assert result.locator("[data-errors]").inner_text().strip() == "0"
    report_url = reverse("contacts:import_report", args=[job.pk])
    assert boss.locator(f"main a[href='{report_url}']").count() == 1
    check_page(boss)

    # And the database agrees: the same one person, exactly as she was.
    assert Person.objects.count() == 1
    person.refresh_from_db()
    assert (person.first_name, person.last_name, person.notes) == (
        FIRST_NAME,
        LAST_NAME,
        NOTES,
    )
    assert [p.number for p in person.phones.all()] == [PHONE_E164]
    assert [e.email for e in person.emails.all()] == [EMAIL]
    assert person.affiliations.count() == 1
    assert list(contact_list.members.all()) == [person]
