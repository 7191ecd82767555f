"""The events issue's browser scenario, from the Georgian interface.

An editor plans a press conference from the type's template, invites a contact
list, an Armenian invitee accepts through the link in the captured invitation,
a journalist asks for accreditation through the public form and is approved,
guests are checked in at the door by their Latin names, and the outcome is
recorded. Every events page on the way is checked with axe and for Mtavruli.
"""

import importlib
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from contacts import services as contacts
from contacts.models import Person
from events.models import Accreditation, Event, EventType, Invitation
from prapp.models import CapturedEmail
from prapp.roles import EDITOR

from .browser import assert_accessible, assert_no_mtavruli, html_lang, login
from .conftest import TIMEOUT_MS

TITLE_KA = "პრესკონფერენცია ბიუჯეტის შესახებ"
TITLE_HY = "Մամուլի ասուլիս բյուջեի մասին"
TITLE_EN = "Press conference on the budget"
VENUE = "საკრებულოს სხდომათა დარბაზი"
LIST_NAME = "ბიუჯეტის მოწვეულები"
OUTCOME = "ბიუჯეტის პროექტი წარედგინა მედიას; 12 კითხვა."
OUTCOME_NOTES = "დარბაზი სავსე იყო."
JOURNALIST = "Անի Պետրոսյան"
JOURNALIST_EMAIL = "ani.petrosyan@example.am"
OUTLET = "Ջավախք ինֆո"
PRESS_CARD = "PC-2024-117"

# The invitees: (first, last, Latin first, Latin last, email, language).
GUESTS = [
    ("ნინო", "ბერიძე", "Nino", "Beridze", "nino.beridze@example.ge", "ka"),
    ("გიორგი", "კაპანაძე", "Giorgi", "Kapanadze", "g.kapanadze@example.ge", "ka"),
    ("Արմեն", "Սարգսյան", "Armen", "Sargsyan", "armen.sargsyan@example.am", "hy"),
]


def check_page(page, language="ka"):
    """What every events page must pass: its language, accessible, no Mtavruli."""
    assert html_lang(page) == language, page.url
    assert_no_mtavruli(page)
    assert_accessible(page)


def email_subject(template, language, context):
    """A subject as the mail code renders it, in ``language``."""
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context)
    return " ".join(subject.split())


@pytest.fixture
def press_conference(transactional_db):
    """The event types of the data migration (the live server's DB is flushed)."""
    migration = importlib.import_module("events.migrations.0003_event_types")
    migration.add_types(apps, None)
    event_type = EventType.objects.get(code="press-conference")
    assert event_type.checklist_items.count() >= 5
    return event_type


@pytest.fixture
def anonymous_page(browser, live_server):
    """A browser of someone who is not logged in (an invitee, a journalist)."""
    contexts = []

    def open_page():
        context = browser.new_context(
            bypass_csp=True, locale="ka-GE", viewport={"width": 1280, "height": 900}
        )
        contexts.append(context)
        context.set_default_timeout(TIMEOUT_MS)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def test_press_conference_planned_invited_answered_accredited_checked_in_recorded(
    page, live_server, make_user, press_conference, anonymous_page
):
    editor = make_user("editor", EDITOR, language="ka", name="ეკა გელაშვილი")
    guests = [
        contacts.person_create(
            data={
                "first_name": first,
                "last_name": last,
                "first_name_latin": first_latin,
                "last_name_latin": last_latin,
                "language": language,
            },
            emails=[{"email": email}],
            actor=editor,
        )
        for first, last, first_latin, last_latin, email, language in GUESTS
    ]
    nino, giorgi, armen = guests
    contact_list = contacts.contact_list_create(name=LIST_NAME, actor=editor)
    contacts.contact_list_add_people(
        contact_list=contact_list,
        people=Person.objects.filter(pk__in=[p.pk for p in guests]),
        actor=editor,
    )
    day = timezone.localdate() + timedelta(days=5)

    # --- 1. The editor plans the press conference ----------------------------
    login(page, live_server, editor)
    page.goto(live_server.url + reverse("events:index"))
    check_page(page)
    create_url = reverse("events:event_create")
    with page.expect_navigation():
        page.click(f"main a[href='{create_url}']")
    assert page.url == live_server.url + create_url
    check_page(page)
    page.select_option("#id_event_type", str(press_conference.pk))
    page.fill("#id_title_ka", TITLE_KA)
    page.fill("#id_title_hy", TITLE_HY)
    page.fill("#id_title_en", TITLE_EN)
    page.fill("#id_starts_at", f"{day.isoformat()}T11:00")
    page.fill("#id_ends_at", f"{day.isoformat()}T12:00")
    page.fill("#id_new_venue_name", VENUE)
    page.fill("#id_new_venue_capacity", "80")
    assert page.input_value("#id_responsible") == str(editor.pk)
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    event = Event.objects.get()
    assert page.url == live_server.url + event.get_absolute_url()
    assert (event.event_type, event.title_ka, event.title_hy) == (
        press_conference,
        TITLE_KA,
        TITLE_HY,
    )
    assert event.status == Event.Status.PLANNED
    assert timezone.localtime(event.starts_at).date() == day
    assert (event.venue.name, event.venue.capacity) == (VENUE, 80)
    assert event.responsible == editor
    assert page.inner_text("main h1").strip() == TITLE_KA
    # The checklist came from the type's template, in the office's language.
    with translation.override(settings.LANGUAGE_CODE):
        template_tasks = [i.title for i in press_conference.checklist_items.all()]
    rows = page.locator("#checklist tbody tr")
    assert rows.count() == len(template_tasks)
    shown = [
        rows.nth(i).locator("td").first.inner_text().strip()
        for i in range(rows.count())
    ]
    assert shown == template_tasks
    assert [t.title for t in event.tasks.all()] == template_tasks
    assert {t.assignee for t in event.tasks.all()} == {editor}
    check_page(page)

    # The event form has no accreditation switch: it is opened on the model.
    Event.objects.filter(pk=event.pk).update(accreditation_open=True)

    # --- 2. A contact list is invited ----------------------------------------
    invite_url = reverse("events:invite", args=[event.pk])
    with page.expect_navigation():
        page.click(f"main a[href='{invite_url}']")
    assert page.url == live_server.url + invite_url
    check_page(page)
    page.check(f"main input[name=lists][value='{contact_list.pk}']")
    with page.expect_navigation():
        page.click("main form button[name=preview]")
    check_page(page)  # with the preview
    assert page.is_checked(f"main input[name=lists][value='{contact_list.pk}']")
    assert CapturedEmail.objects.count() == 0  # a preview sends nothing
    with page.expect_navigation():
        page.click("main form button[name=invite]")
    guest_list_url = reverse("events:guest_list", args=[event.pk])
    assert page.url == live_server.url + guest_list_url
    invitations = {i.person: i for i in event.invitations.all()}
    assert set(invitations) == set(guests)
    assert {i.delivery for i in invitations.values()} == {Invitation.Delivery.SENT}
    rows = page.locator("main table tbody tr")
    assert rows.count() == len(guests)
    for person in guests:
        assert page.locator(f"main a[href='{person.get_absolute_url()}']").count() == 1
    check_page(page)

    # Celery is eager: the invitations went out inside the request, one each.
    mails = {tuple(m.to): m for m in CapturedEmail.objects.all()}
    assert set(mails) == {(email,) for *_rest, email, _lang in GUESTS}
    armen_mail = mails[(GUESTS[2][4],)]
    nino_mail = mails[(GUESTS[0][4],)]
    assert armen_mail.subject == email_subject(
        "events/email/invitation", "hy", {"event": event}
    )
    assert nino_mail.subject == email_subject(
        "events/email/invitation", "ka", {"event": event}
    )
    assert armen_mail.subject != nino_mail.subject
    assert TITLE_HY in armen_mail.subject
    assert "event.ics" in armen_mail.attachment_names

    # --- 3. The Armenian invitee answers through the emailed link ------------
    site = settings.PRAPP_SITE_URL.rstrip("/")
    links = re.findall(re.escape(site) + r"(/\S*/rsvp/[^\s/]+/)", armen_mail.body_text)
    assert len(links) == 1, armen_mail.body_text
    rsvp_path = links[0]
    invitee = anonymous_page()
    invitee.goto(live_server.url + rsvp_path)
    assert invitee.url == live_server.url + rsvp_path  # no login asked for
    assert invitee.inner_text("main h1").strip() == TITLE_HY
    check_page(invitee, "hy")
    with invitee.expect_navigation():
        invitee.click("main form button[name=response][value=accepted]")
    assert invitee.url == live_server.url + rsvp_path + "?answered=1"
    assert (
        invitee.get_attribute(
            "main form button[name=response][value=accepted]", "aria-pressed"
        )
        == "true"
    )
    check_page(invitee, "hy")
    answered = Invitation.objects.get(pk=invitations[armen].pk)
    assert answered.response == Invitation.Response.ACCEPTED
    assert answered.response_channel == Invitation.Channel.LINK
    assert answered.responded_at is not None

    page.reload()
    armen_row = page.locator("main table tbody tr").filter(
        has=page.locator(f"a[href='{armen.get_absolute_url()}']")
    )
    with translation.override("ka"):
        accepted_label = str(Invitation.Response.ACCEPTED.label)
        link_label = str(Invitation.Channel.LINK.label)
    answer_cell = armen_row.locator("td").nth(3).inner_text()
    assert accepted_label in answer_cell and link_label in answer_cell
    # The filter by answer shows him alone.
    page.select_option("#id_answer_filter", Invitation.Response.ACCEPTED)
    with page.expect_navigation():
        page.click("main form[method=get] button[type=submit]")
    assert "answer=accepted" in page.url
    rows = page.locator("main table tbody tr")
    assert rows.count() == 1
    assert rows.first.locator(f"a[href='{armen.get_absolute_url()}']").count() == 1
    check_page(page)

    # --- 4. A journalist asks for accreditation through the public form ------
    apply_url = reverse("events:accreditation_apply", args=[event.pk])
    journalist = anonymous_page()
    journalist.goto(live_server.url + reverse("events:accreditation_public"))
    assert journalist.locator(f"main a[href='{apply_url}']").count() >= 1
    check_page(journalist)
    with journalist.expect_navigation():
        journalist.locator(f"main a[href='{apply_url}']").first.click()
    assert journalist.url == live_server.url + apply_url
    check_page(journalist)
    journalist.fill("#id_full_name", JOURNALIST)
    journalist.fill("#id_outlet", OUTLET)
    journalist.check("main input[name=role][value=photo]")
    journalist.fill("#id_press_card", PRESS_CARD)
    journalist.fill("#id_email", JOURNALIST_EMAIL)
    journalist.select_option("#id_language", "hy")
    assert journalist.input_value("#id_website") == ""  # the honeypot
    # Out of sight and out of the screen reader's and the keyboard's way.
    honeypot = journalist.locator(".visually-hidden[aria-hidden=true] #id_website")
    assert honeypot.get_attribute("tabindex") == "-1"
    # The time trap refuses a form sent within 3 seconds of being rendered.
    journalist.wait_for_timeout(3100)
    with journalist.expect_navigation():
        journalist.click("main form [type=submit][name=send]")
    thanks_url = reverse("events:accreditation_thanks")
    assert journalist.url == live_server.url + thanks_url, journalist.inner_text("main")
    accreditation = Accreditation.objects.get()
    assert (accreditation.event, accreditation.status) == (
        event,
        Accreditation.Status.PENDING,
    )
    assert (accreditation.full_name, accreditation.outlet) == (JOURNALIST, OUTLET)
    assert (accreditation.role, accreditation.press_card) == ("photo", PRESS_CARD)
    assert (accreditation.email, accreditation.language) == (JOURNALIST_EMAIL, "hy")
    assert JOURNALIST_EMAIL in journalist.inner_text("main")
    check_page(journalist)
    received = list(CapturedEmail.objects.filter(to=[JOURNALIST_EMAIL]))
    assert [m.subject for m in received] == [
        email_subject(
            "events/email/accreditation_received",
            "hy",
            {"accreditation": accreditation, "event": event},
        )
    ]

    # ... and the editor approves it.
    page.goto(live_server.url + event.get_absolute_url())
    list_url = reverse("events:accreditation_list") + f"?event={event.pk}"
    with page.expect_navigation():
        page.click(f"main a[href='{list_url}']")
    check_page(page)
    detail_url = reverse("events:accreditation_detail", args=[accreditation.pk])
    rows = page.locator("main table tbody tr")
    assert rows.count() == 1
    with page.expect_navigation():
        rows.first.locator(f"a[href='{detail_url}']").click()
    assert page.url == live_server.url + detail_url
    check_page(page)
    approve_url = reverse("events:accreditation_approve", args=[accreditation.pk])
    with page.expect_navigation():
        page.click(f"main form[action='{approve_url}'] button[type=submit]")
    assert page.url == live_server.url + detail_url
    accreditation.refresh_from_db()
    assert accreditation.status == Accreditation.Status.APPROVED
    assert accreditation.decided_by == editor
    assert accreditation.badge_number
    assert accreditation.badge_number in page.inner_text("main")
    assert accreditation.person is not None  # added to contacts
    assert accreditation.person.language == "hy"
    person_url = reverse("contacts:person_detail", args=[accreditation.person.pk])
    assert page.locator(f"main a[href='{person_url}']").count() == 1
    assert page.locator(f"main form[action='{approve_url}']").count() == 0
    check_page(page)
    approved = CapturedEmail.objects.filter(to=[JOURNALIST_EMAIL]).exclude(
        pk__in=[m.pk for m in received]
    )
    approved_subject = email_subject(
        "events/email/accreditation_decision",
        "hy",
        {"accreditation": accreditation, "event": event, "decision": "approved"},
    )
    assert [m.subject for m in approved] == [approved_subject]
    assert approved_subject != email_subject(
        "events/email/accreditation_decision",
        "ka",
        {"accreditation": accreditation, "event": event, "decision": "approved"},
    )
    assert accreditation.badge_number in approved.get().body_text

    # --- 5. At the door: found by the Latin name, checked in with one click --
    checkin_url = reverse("events:checkin", args=[event.pk])
    page.goto(live_server.url + event.get_absolute_url())
    with page.expect_navigation():
        page.click(f"main a[href='{checkin_url}']")
    assert page.url == live_server.url + checkin_url
    check_page(page)
    page.fill("#id_q", "beridze")
    with page.expect_navigation():
        page.press("#id_q", "Enter")
    assert page.url == live_server.url + checkin_url + "?q=beridze"
    results = page.locator("#checkin-results > li")
    assert results.count() == 1
    assert results.first.locator("strong").inner_text().strip() == str(nino)
    mark_url = reverse("events:checkin_mark", args=[invitations[nino].pk])
    check_page(page)
    # static/events/checkin.js marks without reloading the page.
    results.first.locator(f"form[action='{mark_url}'] button").click()
    results.first.locator("[role=status]").wait_for()
    assert results.first.locator("form").count() == 0
    assert page.url == live_server.url + checkin_url + "?q=beridze"
    check_page(page)
    # The Armenian guest, found by his Latin name too.
    page.fill("#id_q", "Sargsyan")
    with page.expect_navigation():
        page.press("#id_q", "Enter")
    results = page.locator("#checkin-results > li")
    assert results.count() == 1
    results.first.locator("form[data-checkin-mark] button").click()
    results.first.locator("[role=status]").wait_for()
    attended = {i.person: i.attended_at for i in Invitation.objects.filter(event=event)}
    assert attended[nino] is not None and attended[armen] is not None
    assert attended[giorgi] is None

    with page.expect_navigation():
        page.click(f"main nav a[href='{guest_list_url}']")
    for person in guests:
        row = page.locator("main table tbody tr").filter(
            has=page.locator(f"a[href='{person.get_absolute_url()}']")
        )
        cell = row.locator("td").nth(4).inner_text().strip()
        if attended[person]:
            expected = timezone.localtime(attended[person]).strftime("%H:%M")
            assert cell == expected, (person, cell)
        else:
            assert cell == "—", (person, cell)
    check_page(page)

    # --- 6. After the event: the outcome --------------------------------------
    outcome_url = reverse("events:outcome_edit", args=[event.pk])
    page.goto(live_server.url + event.get_absolute_url())
    with page.expect_navigation():
        page.click(f"main a[href='{outcome_url}']")
    assert page.url == live_server.url + outcome_url
    check_page(page)
    page.fill("#id_outcome", OUTCOME)
    page.select_option("#id_effectiveness", "4")
    page.fill("#id_effectiveness_notes", OUTCOME_NOTES)
    page.check("#id_mark_held")
    with page.expect_navigation():
        page.click("main form [type=submit][name=save]")
    assert page.url == live_server.url + event.get_absolute_url() + "#outcome"
    event.refresh_from_db()
    assert event.status == Event.Status.HELD
    assert (event.outcome, event.effectiveness) == (OUTCOME, 4)
    assert event.effectiveness_notes == OUTCOME_NOTES
    outcome = page.locator("#outcome")
    assert outcome.locator("[data-attendance]").get_attribute("data-attendance") == "2"
    assert outcome.locator("[data-attendance]").inner_text().strip() == "2"
    with translation.override("ka"):
        rating = gettext("%(rating)s of 5") % {"rating": 4}
    # The attendance, then the rating (a press conference counts nobody received).
    assert outcome.locator("dl dd").nth(1).inner_text().strip() == rating
    text = outcome.inner_text()
    assert OUTCOME in text and OUTCOME_NOTES in text
    assert page.input_value("#event-status") == Event.Status.HELD
    check_page(page)
