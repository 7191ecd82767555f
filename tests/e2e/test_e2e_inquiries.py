"""The inquiry desk issue's browser scenario, from the Georgian interface.

A citizen, not logged in, sends a public-information request through the public
form (too fast at first: the time trap refuses it), sees the registration
number, and sending the same form again registers nothing new. The Georgian
confirmation email carries the number and a status link: the link shows the
request as registered, a forged access code (or number) the one not-found
answer. An editor finds the request in the queue with its "due soon" badge,
takes it, asks the finance unit a question and records its answer, and drafts
the answer; a manager rewords the draft and so may not approve it (four eyes);
another manager approves; the editor emails it. The requester gets the answer in
Georgian and the status page shows it. The month's statistics, on the page and
in the CSV export, count one request received and answered on time. Every page
on the way is checked for its language, with axe and for Mtavruli.
"""

import csv
import email
import html
import re
import time
from datetime import timedelta
from email.utils import parseaddr
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from inquiries import deadlines, forms, selectors
from inquiries.holidays import holidays_seed
from inquiries.law_profiles import law_profiles_seed
from inquiries.models import InternalQuestion, Request, Unit
from prapp.models import AuditEntry, CapturedEmail
from prapp.roles import EDITOR, MANAGER

from .browser import assert_accessible, assert_no_mtavruli, html_lang, login
from .conftest import TIMEOUT_MS

CITIZEN = {
    "name": "ლევან გოგიჩაიშვილი",
    "email": "levan.gogichaishvili@example.ge",
    "subject": "სკოლების რემონტის ხარჯები 2026 წელს",
    "text": (
        "გთხოვთ, მომაწოდოთ ინფორმაცია: რა თანხა დაიხარჯა 2026 წელს "
        "მუნიციპალიტეტის სკოლების რემონტზე და რომელმა კომპანიებმა შეასრულეს "
        "სამუშაოები?"
    ),
}
UNIT = {"ka": "ფინანსური სამსახური", "en": "Finance unit"}
UNIT_EMAIL = "finance@example.ge"
QUESTION = "რა თანხა დაიხარჯა სკოლების რემონტზე 2026 წელს და ვინ იყო შემსრულებელი?"
UNIT_ANSWER = "სულ 1 240 000 ლარი; შემსრულებელი — შპს „სამშენებლო ჯგუფი“."
DRAFT = "2026 წელს სკოლების რემონტზე დაიხარჯა 1 240 000 ლარი."
ANSWER = (
    "2026 წელს მუნიციპალიტეტის სკოლების რემონტზე დაიხარჯა 1 240 000 ლარი. "
    "სამუშაოები შეასრულა შპს „სამშენებლო ჯგუფმა“."
)

# axe's findings, gathered over the scenario and asserted at its end: one run
# then reports every page's problems, and the steps after a page with a problem
# are still exercised.
AXE_FINDINGS: list[str] = []


def check_page(page, language="ka"):
    """What every page must pass: its language, no Mtavruli, accessible."""
    assert html_lang(page) == language, page.url
    assert_no_mtavruli(page)
    try:
        assert_accessible(page)
    except AssertionError as problem:
        AXE_FINDINGS.append(str(problem))


def translated(text, **values):
    with translation.override("ka"):
        message = gettext(text)
    return message % values if values else message


def click_and_wait(page, selector):
    with page.expect_navigation():
        page.click(selector)


def csrf_token(page) -> str:
    return page.input_value("input[name=csrfmiddlewaretoken] >> nth=0")


def submission_key(page) -> str:
    """The public form's submission key, unsigned (its signature is renewed)."""
    token = page.input_value("main form input[name=submission_key]")
    return signing.loads(token, salt=forms.KEY_SALT)


def mails_to(address) -> list[CapturedEmail]:
    return [
        m
        for m in CapturedEmail.objects.order_by("pk")
        if parseaddr(m.to[0])[1] == address
    ]


def assert_georgian_mail(mail, subject):
    raw = email.message_from_string(mail.raw)
    assert raw["Content-Language"] == "ka"
    assert mail.subject == subject
    assert '<html lang="ka">' in mail.body_html
    greeting = translated("Dear %(name)s,", name=CITIZEN["name"])
    assert greeting in mail.body_text


def stats_row(page, key) -> str:
    return page.inner_text(f"[data-stats-table] tr[data-row='{key}'] [data-current]")


@pytest.fixture
def desk(transactional_db):
    """What the data migration gives a real database, and an empty rate limit."""
    law_profiles_seed()
    year = timezone.localdate().year
    holidays_seed(years=[year, year + 1])
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def new_page(browser):
    """Another browser, for another member of staff."""
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


def test_public_request_registered_answered_after_approval_and_counted(
    page, live_server, make_user, new_page, desk
):
    AXE_FINDINGS.clear()
    editor = make_user("eka", EDITOR, language="ka", name="ეკა გელაშვილი")
    drafter = make_user("nino", MANAGER, language="ka", name="ნინო ბერიძე")
    approver = make_user("giorgi", MANAGER, language="ka", name="გიორგი წიკლაური")
    with translation.override("ka"):
        unit = Unit.objects.create(
            name_ka=UNIT["ka"], name_en=UNIT["en"], email=UNIT_EMAIL
        )
    site = settings.PRAPP_SITE_URL.rstrip("/")
    today = timezone.localdate()

    # --- 1. The citizen's request, through the public form ------------------
    form_url = live_server.url + reverse("inquiries_public:form")
    page.goto(form_url)
    assert page.url == form_url  # no login asked
    check_page(page)
    # A fresh page for the stamp: sent at once, the time trap refuses it.
    page.goto(form_url)
    for name, value in CITIZEN.items():
        page.fill(f"#id_{name}", value)
    page.check("#id_consent")
    first_key = submission_key(page)
    click_and_wait(page, "main form [name=send]")
    rendered = time.monotonic()
    assert page.url == form_url
    too_fast = translated(
        "The form was sent too quickly. Please check it and send it again."
    )
    assert too_fast in page.inner_text("main form")
    assert not Request.objects.exists()
    # What was typed stays; the stamp is new, the submission key the same.
    assert page.input_value("#id_subject") == CITIZEN["subject"]
    assert page.is_checked("#id_consent")
    assert submission_key(page) == first_key
    check_page(page)  # with the error
    sent = {
        name: page.input_value(f"main form input[name={name}]")
        for name in ("csrfmiddlewaretoken", "stamp", "submission_key")
    }
    # A person takes a few seconds: wait out the trap, then send again.
    page.wait_for_timeout(
        max(0, forms.MIN_SECONDS + 0.5 - (time.monotonic() - rendered)) * 1000
    )
    click_and_wait(page, "main form [name=send]")

    thanks_url = live_server.url + reverse("inquiries_public:thanks")
    assert page.url == thanks_url
    request = Request.objects.get()
    number = request.number
    assert page.get_attribute("[data-number]", "data-number") == number
    assert number in page.inner_text("main")
    assert (request.kind, request.channel) == (
        Request.Kind.PUBLIC_INFORMATION,
        Request.Channel.WEB_FORM,
    )
    assert request.status == Request.Status.REGISTERED
    assert request.language == "ka"
    assert request.requester_name == CITIZEN["name"]
    assert request.requester_email == CITIZEN["email"]
    assert request.subject == CITIZEN["subject"]
    assert request.text == CITIZEN["text"]
    # The law's term: ten calendar days under the Georgian profile.
    assert request.due_on == deadlines.due_for(
        kind=request.kind, received_at=request.received_at, profile=request.law_profile
    )
    assert request.due_on >= today + timedelta(days=10)
    assert request.secret_hash and request.submission_key
    check_page(page)

    # The same form sent again (a reload, a double click): nothing new.
    assert len(mails_to(CITIZEN["email"])) == 1
    again = page.request.post(
        form_url, form={**sent, **CITIZEN, "consent": "on", "website": ""}
    )
    assert again.ok and again.url == thanks_url
    assert f'data-number="{number}"' in again.text()
    assert Request.objects.count() == 1
    assert len(mails_to(CITIZEN["email"])) == 1
    assert AuditEntry.objects.filter(action="inquiries.request.submitted").count() == 1

    # --- 2. The confirmation email and the status page -----------------------
    (confirmation,) = mails_to(CITIZEN["email"])
    assert_georgian_mail(
        confirmation,
        translated(
            "Your request has been registered under number %(number)s",
            number=number,
        ),
    )
    assert number in confirmation.body_text
    assert CITIZEN["subject"] in confirmation.body_text
    status_path = reverse("inquiries_public:status")
    links = re.findall(re.escape(site + status_path) + r"\?\S+", confirmation.body_text)
    assert len(links) == 1, confirmation.body_text
    status_link = links[0]
    assert html.escape(status_link) in confirmation.body_html
    status_page_url = live_server.url + status_link.removeprefix(site)

    citizen = page
    response = citizen.goto(status_page_url)
    assert response.status == 200
    assert response.headers["referrer-policy"] == "no-referrer"
    card = citizen.locator("main [data-status]")
    assert card.get_attribute("data-status") == "registered"
    assert number in card.inner_text()
    assert CITIZEN["subject"] in card.inner_text()
    assert translated("Registered; it will be assigned to a member of staff.") in (
        card.inner_text()
    )
    assert citizen.locator("[data-answer-text]").count() == 0
    check_page(citizen)

    # A forged access code, or a number that does not exist: the same answer.
    secret = dict(
        pair.split("=", 1) for pair in status_link.split("?", 1)[1].split("&")
    )["s"]
    forged = secret[:-4] + ("AAAA" if not secret.endswith("AAAA") else "BBBB")
    not_found = translated(
        "No request matches this number and access code. Check both against the "
        "confirmation email."
    )
    answers = []
    for n, s in ((number, forged), (f"{today.year}/9999", secret)):
        query = urlencode({"n": n, "s": s})
        response = citizen.goto(f"{live_server.url}{status_path}?{query}")
        assert response.status == 404
        assert citizen.inner_text("main [data-not-found]").strip() == not_found
        assert citizen.locator("main [data-status]").count() == 0
        assert CITIZEN["subject"] not in citizen.inner_text("body")
        answers.append(citizen.inner_text("main"))
        check_page(citizen)
    assert answers[0] == answers[1]

    # --- 3. The editor: queue, assignment, internal question, draft ----------
    # Ten days are too far for the "due soon" mark: the deadline is brought
    # close, as after a week of waiting (receipt stays in this month).
    soon = today + timedelta(days=selectors.SOON_DAYS)
    Request.objects.filter(pk=request.pk).update(due_on=soon, original_due_on=soon)
    request_url = request.get_absolute_url()

    desk_page = new_page()
    login(desk_page, live_server, editor)
    check_page(desk_page)
    desk_page.goto(live_server.url + reverse("inquiries:index"))
    check_page(desk_page)
    assert desk_page.get_attribute("[data-queue-count]", "data-queue-count") == "1"
    row = desk_page.locator(f"tr[data-request='{request.pk}']")
    assert "inquiry-row-soon" in row.get_attribute("class")
    badge = row.locator(".inquiry-deadline")
    assert "inquiry-deadline-soon" in badge.get_attribute("class")
    with translation.override("ka"):
        due_soon = ngettext(
            "due in %(counter)s day", "due in %(counter)s days", selectors.SOON_DAYS
        ) % {"counter": selectors.SOON_DAYS}
    assert badge.inner_text().strip() == due_soon
    # Coloured, besides the word: a tinted badge, and the row's first cell has
    # a thick border of the badge's colour.
    tint, badge_border = badge.evaluate(
        "el => [getComputedStyle(el).backgroundColor,"
        " getComputedStyle(el).borderLeftColor]"
    )
    assert tint not in ("rgba(0, 0, 0, 0)", "transparent"), tint
    width, row_border = row.locator("td").first.evaluate(
        "el => [getComputedStyle(el).borderLeftWidth,"
        " getComputedStyle(el).borderLeftColor]"
    )
    assert (width, row_border) == ("4px", badge_border)
    assert row.locator(".inquiry-status-registered").count() == 1
    click_and_wait(desk_page, f"tr[data-request='{request.pk}'] td a >> nth=0")
    assert desk_page.url == live_server.url + request_url
    assert desk_page.get_attribute("[data-days-left]", "data-days-left") == str(
        selectors.SOON_DAYS
    )
    check_page(desk_page)

    # She takes it herself: nobody needs to be told by email.
    desk_page.click("#assignment details > summary")
    desk_page.select_option("#assign_assignee", str(editor.pk))
    click_and_wait(desk_page, "#assignment [name=save_assign]")
    assert desk_page.url == live_server.url + request_url + "#assignment"
    request.refresh_from_db()
    assert request.assignee == editor
    assert request.status == Request.Status.ASSIGNED
    assert desk_page.locator("main h1 + p .inquiry-status-assigned").count() == 1
    assert not mails_to(editor.email)
    check_page(desk_page)

    # A question to the finance unit, which gets it by email.
    desk_page.click("#questions details:has(#question_question) > summary")
    desk_page.fill("#question_question", QUESTION)
    desk_page.select_option("#question_unit", str(unit.pk))
    assert desk_page.input_value("#question_due_on") >= today.isoformat()
    click_and_wait(desk_page, "#questions [name=save_question]")
    assert desk_page.url == live_server.url + request_url + "#questions"
    question = InternalQuestion.objects.get()
    assert (question.request, question.unit, question.created_by) == (
        request,
        unit,
        editor,
    )
    (asked,) = mails_to(UNIT_EMAIL)
    assert QUESTION in asked.body_text
    assert number in asked.subject
    assert site + request_url in asked.body_text
    check_page(desk_page)

    # The unit's answer, recorded under the question.
    item = f"#question-{question.pk}"
    desk_page.click(f"{item} details > summary")
    desk_page.fill(f"#question{question.pk}_answer", UNIT_ANSWER)
    click_and_wait(desk_page, f"{item} [name=save_question_answer]")
    question.refresh_from_db()
    assert question.answer == UNIT_ANSWER
    assert question.answered_by == editor
    assert UNIT_ANSWER in desk_page.inner_text(f"{item} .inquiry-question-answer")
    check_page(desk_page)

    # The draft: it waits for a manager.
    desk_page.fill("#draft_text", DRAFT)
    click_and_wait(desk_page, "#answer [name=save_draft]")
    assert desk_page.url == live_server.url + request_url + "#answer"
    request.refresh_from_db()
    assert request.status == Request.Status.DRAFTED
    assert (request.answer_text, request.drafted_by) == (DRAFT, editor)
    assert desk_page.inner_text("#answer [data-answer-text]").strip() == DRAFT
    # An editor approves nothing.
    assert desk_page.locator("#answer [data-review]").count() == 0
    check_page(desk_page)

    # --- 4. Four eyes: the manager who rewords may not approve ---------------
    approve_url = reverse("inquiries:answer_approve", args=[request.pk])
    manager_page = new_page()
    login(manager_page, live_server, drafter)
    manager_page.goto(live_server.url + request_url)
    assert manager_page.locator(f"form[action='{approve_url}']").count() == 1
    check_page(manager_page)
    manager_page.click("#answer details:has(#draft_text) > summary")
    manager_page.fill("#draft_text", ANSWER)
    click_and_wait(manager_page, "#answer [name=save_draft]")
    request.refresh_from_db()
    assert (request.answer_text, request.drafted_by) == (ANSWER, drafter)
    refusal = translated(
        "You drafted this answer: another manager must approve it (four eyes)."
    )
    assert manager_page.locator(f"form[action='{approve_url}']").count() == 0
    assert manager_page.inner_text("[data-approval-refusal]").strip() == refusal
    check_page(manager_page)
    # Without the button, a hand-made POST is refused with the same words.
    with manager_page.expect_navigation():
        manager_page.evaluate(
            """([action, token]) => {
              const form = document.createElement("form");
              form.method = "post";
              form.action = action;
              const input = document.createElement("input");
              input.type = "hidden";
              input.name = "csrfmiddlewaretoken";
              input.value = token;
              form.append(input);
              document.body.append(form);
              form.submit();
            }""",
            [approve_url, csrf_token(manager_page)],
        )
    assert manager_page.url == live_server.url + request_url + "#answer"
    assert manager_page.inner_text(".messages .alert-danger").strip() == refusal
    request.refresh_from_db()
    assert request.status == Request.Status.DRAFTED
    assert request.approved_by is None
    check_page(manager_page)

    approver_page = new_page()
    login(approver_page, live_server, approver)
    approver_page.goto(live_server.url + request_url)
    assert approver_page.locator("[data-approval-refusal]").count() == 0
    check_page(approver_page)
    click_and_wait(approver_page, f"form[action='{approve_url}'] button[type=submit]")
    request.refresh_from_db()
    assert request.status == Request.Status.APPROVED
    assert request.approved_by == approver
    assert request.approved_at is not None
    check_page(approver_page)

    # --- 5. The editor emails the approved answer ----------------------------
    desk_page.goto(live_server.url + request_url)
    send = desk_page.locator("[data-send-form]")
    assert send.locator("input[name=method][value=email]").is_checked()
    assert send.locator("input[name=send_email]").is_checked()
    check_page(desk_page)
    click_and_wait(desk_page, "[data-send-form] [name=save_send]")
    assert desk_page.url == live_server.url + request_url + "#answer"
    request.refresh_from_db()
    assert request.status == Request.Status.ANSWERED
    assert request.answer_method == Request.AnswerMethod.EMAIL
    assert request.answered_on_time is True
    assert desk_page.inner_text("#answer [data-answer-text]").strip() == ANSWER
    assert desk_page.locator("main h1 + p .inquiry-status-answered").count() == 1
    check_page(desk_page)

    confirmation_again, answer_mail = mails_to(CITIZEN["email"])
    assert confirmation_again.pk == confirmation.pk
    assert_georgian_mail(
        answer_mail,
        translated(
            "Answer to your request %(number)s: %(subject)s",
            number=number,
            subject=CITIZEN["subject"],
        ),
    )
    assert ANSWER in answer_mail.body_text
    assert ANSWER in answer_mail.body_html
    assert DRAFT not in answer_mail.body_text
    # Nobody else was written to: the unit once, the editor never.
    assert CapturedEmail.objects.count() == 3

    # The citizen's status page now shows the answer.
    citizen.goto(status_page_url)
    card = citizen.locator("main [data-status]")
    assert card.get_attribute("data-status") == "answered"
    assert card.locator("[data-answer-text]").inner_text().strip() == ANSWER
    assert translated("Answered.") in card.inner_text()
    check_page(citizen)

    # --- 6. The month's statistics and their CSV -----------------------------
    approver_page.goto(live_server.url + reverse("inquiries_stats:statistics"))
    month = today.strftime("%m").lstrip("0")
    assert approver_page.input_value("#id_period") == "month"
    assert approver_page.input_value("#id_month") == month
    figures = {
        "received": "1",
        f"kind:{Request.Kind.PUBLIC_INFORMATION}": "1",
        f"channel:{Request.Channel.WEB_FORM}": "1",
        "answered": "1",
        "on_time": "1",
        "late": "0",
        "refused": "0",
        "open": "0",
    }
    for key, value in figures.items():
        assert stats_row(approver_page, key).strip() == value, key
    check_page(approver_page)

    with approver_page.expect_download() as download:
        approver_page.click("[data-export=csv]")
    with open(download.value.path(), encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    current = {label.strip(): value for label, value, *_rest in table[1:]}
    assert current[translated("Requests received")] == "1"
    assert current[translated("Answered (fully or partly)")] == "1"
    assert current[translated("answered on time")] == "1"
    assert current[translated("answered late")] == "0"

    # --- 7. Every page on the way was accessible ------------------------------
    assert not AXE_FINDINGS, "\n\n".join(AXE_FINDINGS)
