"""The media monitoring issue's browser scenario, from the Georgian interface.

A monitor adds a Georgian and an Armenian feed (served on loopback) through the
source form and a topic with terms in both scripts through the topic form,
previewing it; an Armenian-speaking colleague follows it from a page in
Armenian. "Pull now" runs the real pull (Celery is eager): the inbox lists the
matched items under the topic. The monitor triages one item with the keyboard,
flags it as misinformation, assigns it to the colleague (who is told in
Armenian), adds a note and records the response; logs a citizen's Facebook
message whose answer is already late, which the dashboard shows as overdue.
The daily digest reaches the colleague in Armenian, grouped by topic, once.
A second pull of the unchanged feed is answered 304 and stores nothing.
Every page on the way is checked for its language, with axe and for Mtavruli.
"""

import email
from datetime import timedelta
from email.utils import parseaddr

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from media_monitoring import digests, services, tasks
from media_monitoring.models import (
    DigestEntry,
    DigestRun,
    Item,
    ItemNote,
    ItemTopic,
    Source,
    Subscription,
    Topic,
)
from prapp.models import AuditEntry, CapturedEmail
from prapp.roles import MONITOR
from tests.media_monitoring.feedserver import (
    HY_ITEMS,
    KA_ITEMS,
    RSS_HY,
    RSS_KA,
    FeedServer,
)

from .browser import assert_accessible, assert_no_mtavruli, html_lang, login
from .conftest import TIMEOUT_MS

KA_ETAG = '"ka-feed-1"'
HY_ETAG = '"hy-feed-1"'
SOURCES = {
    "ka": ("ახალი ამბები — ქართული არხი", "/ka.xml", RSS_KA, KA_ETAG),
    "hy": ("Լուրեր — հայկական լրահոս", "/hy.xml", RSS_HY, HY_ETAG),
}
# The topic typed into the form: a word beginning in each script, so that
# every inflected form is found (პენსიების, პენსიის, կենսաթոշակների).
PENSIONS = "პენსიები"
PENSION_TERMS = ["პენსი*", "կենսաթոշակ*"]
# A second topic, made by the service, so that the digest has two groups.
BUDGET = "ბიუჯეტი"
BUDGET_TERMS = ["ბიუჯეტ*", "բյուջե*"]

KA_PENSION, KA_KINDERGARTENS, KA_TRANSPORT = (item.title for item in KA_ITEMS)
HY_PENSION, HY_BUDGET = (item.title for item in HY_ITEMS)

NOTE = "განცხადება ციფრებს ამახინჯებს: სამინისტრო წერილობით უპასუხებს."
RESPONSE = "სამინისტროს განმარტება გამოქვეყნდა ოფიციალურ გვერდზე, 14:00 საათზე."
FACEBOOK_MESSAGE = (
    "გამარჯობა, რატომ შემიმცირდა პენსია ამ თვეში? "
    "ორი კვირაა პასუხს ველოდები ცხელ ხაზზე."
)
FACEBOOK_AUTHOR = "მარიამ ჯაფარიძე"


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


def translated(language, text):
    with translation.override(language):
        return gettext(text)


def goto(page, live_server, path):
    page.goto(live_server.url + path)
    assert page.url == live_server.url + path, f"{path} redirected to {page.url}"


def click_and_wait(page, selector):
    with page.expect_navigation():
        page.click(selector)


def inbox_rows(page) -> list[int]:
    """The item ids of the inbox table's rows, in order."""
    return [
        int(pk)
        for pk in page.eval_on_selector_all(
            "[data-inbox] tbody tr[data-item]",
            "rows => rows.map(r => r.getAttribute('data-item'))",
        )
    ]


def row_topics(page, item) -> list[str]:
    chips = page.locator(f"#item-{item.pk} .monitoring-topic")
    return [text.strip() for text in chips.all_inner_texts()]


def mails_to(address) -> list[CapturedEmail]:
    return [
        m
        for m in CapturedEmail.objects.order_by("pk")
        if parseaddr(m.to[0])[1] == address
    ]


def digest_sections(text: str) -> dict[str, str]:
    """The plain-text digest cut at its "=== topic ===" headings."""
    sections = {}
    for part in text.split("\n=== ")[1:]:
        heading, _sep, body = part.partition(" ===\n")
        sections[heading] = body
    return sections


@pytest.fixture
def feeds():
    with FeedServer() as server:
        for _name, path, body, etag in SOURCES.values():
            server.add(path, body=body, etag=etag)
        yield server


@pytest.fixture
def monitoring_settings(settings):
    # The feed server listens on 127.0.0.1, which production refuses to pull.
    settings.MONITORING_ALLOW_PRIVATE_ADDRESSES = True
    settings.MONITORING_CONNECT_TIMEOUT = 3
    settings.MONITORING_READ_TIMEOUT = 3
    # The beat's digest run counts as due at any hour of the test.
    settings.MONITORING_DIGEST_TIME = "00:00"
    return settings


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


def add_source(page, live_server, feeds, language):
    """Fill the source form as a person would; returns the saved source."""
    name, path, _body, _etag = SOURCES[language]
    goto(page, live_server, reverse("media_monitoring:source_create"))
    check_page(page)
    page.fill("#id_name", name)
    page.fill("#id_url", feeds.url(path))
    page.select_option("#id_language", language)
    assert page.is_checked("#id_enabled")
    click_and_wait(page, "main form button.btn-primary[type=submit]")
    source = Source.objects.get(name=name)
    assert page.url == live_server.url + source.get_absolute_url()
    assert source.url == feeds.url(path)
    assert source.language == language
    assert source.last_attempt_at is None
    assert page.locator("[data-source-items]").count() == 0  # nothing pulled yet
    check_page(page)
    return source


def pull_now(page, live_server, source):
    goto(page, live_server, source.get_absolute_url())
    pull = reverse("media_monitoring:source_pull", args=[source.pk])
    click_and_wait(page, f"main form[action='{pull}'] button[type=submit]")
    assert page.url == live_server.url + source.get_absolute_url()
    source.refresh_from_db()
    assert source.last_error == "", source.last_error
    assert source.consecutive_failures == 0
    assert source.last_success_at is not None
    check_page(page)


def test_feeds_pulled_matched_triaged_answered_and_digested(
    page, live_server, make_user, new_page, feeds, monitoring_settings
):
    AXE_FINDINGS.clear()
    monitor = make_user("tamar", MONITOR, language="ka", name="თამარ ლომიძე")
    colleague = make_user("anush", MONITOR, language="hy", name="Անուշ Հակոբյան")
    budget = services.topic_create(
        data={"name": BUDGET, "include_terms": "\n".join(BUDGET_TERMS)}, actor=monitor
    )

    # --- 1. Two sources added through the form ------------------------------
    login(page, live_server, monitor)
    check_page(page)
    goto(page, live_server, reverse("media_monitoring:index"))
    check_page(page)  # the empty inbox
    sources_url = reverse("media_monitoring:source_list")
    click_and_wait(page, f"main nav a[href='{sources_url}']")
    check_page(page)  # no sources yet
    ka_source = add_source(page, live_server, feeds, "ka")
    hy_source = add_source(page, live_server, feeds, "hy")
    goto(page, live_server, sources_url)
    assert page.locator("[data-source-list] tbody tr").count() == 2
    check_page(page)

    # --- 2. A topic in both scripts, previewed, then saved ------------------
    topics_url = reverse("media_monitoring:topic_list")
    click_and_wait(page, f"main nav a[href='{topics_url}']")
    check_page(page)
    create_url = reverse("media_monitoring:topic_create")
    click_and_wait(page, f"main a[href='{create_url}']")
    assert page.url == live_server.url + create_url
    check_page(page)
    page.fill("#id_name", PENSIONS)
    page.fill("#id_include_terms", "\n".join(PENSION_TERMS))
    click_and_wait(page, "main form button[name=preview]")
    # Nothing is stored yet, so nothing would match; and nothing was saved.
    preview = page.locator("[data-preview]")
    assert preview.count() == 1
    assert preview.locator("li").count() == 0
    assert not Topic.objects.filter(name=PENSIONS).exists()
    assert page.input_value("#id_include_terms") == "\n".join(PENSION_TERMS)
    check_page(page)
    click_and_wait(page, "main form button[name=save]")
    pensions = Topic.objects.get(name=PENSIONS)
    assert page.url == live_server.url + pensions.get_absolute_url()
    assert pensions.includes == PENSION_TERMS
    assert pensions.created_by == monitor
    shown_terms = page.locator("[data-include-terms] code").all_inner_texts()
    assert [term.strip() for term in shown_terms] == PENSION_TERMS
    check_page(page)

    # The Armenian colleague follows both topics, from a page in Armenian.
    anush = new_page()
    login(anush, live_server, colleague)
    check_page(anush, "hy")
    goto(anush, live_server, reverse("media_monitoring:subscriptions"))
    check_page(anush, "hy")
    for topic in (pensions, budget):
        anush.check(f"main input[name=topics][value='{topic.pk}']")
    click_and_wait(anush, "main form button.btn-primary[type=submit]")
    assert anush.url == live_server.url + reverse("media_monitoring:subscriptions")
    assert set(
        Subscription.objects.filter(user=colleague).values_list("topic", flat=True)
    ) == {pensions.pk, budget.pk}
    for topic in (pensions, budget):
        assert anush.is_checked(f"main input[name=topics][value='{topic.pk}']")
    check_page(anush, "hy")

    # --- 3. "Pull now": the real pull, matched as it is stored --------------
    pull_now(page, live_server, ka_source)
    assert feeds.hits("/ka.xml") == 1
    ka_source.refresh_from_db()
    assert ka_source.etag == KA_ETAG
    assert page.locator("[data-source-items] tbody tr").count() == len(KA_ITEMS)
    pull_now(page, live_server, hy_source)
    assert feeds.hits("/hy.xml") == 1
    assert page.locator("[data-source-items] tbody tr").count() == len(HY_ITEMS)

    items = {item.title: item for item in Item.objects.all()}
    assert set(items) == {item.title for item in KA_ITEMS + HY_ITEMS}
    assert all(item.status == Item.Status.NEW for item in items.values())
    assert {(m.item.title, m.topic_id) for m in ItemTopic.objects.all()} == {
        (KA_PENSION, pensions.pk),
        (HY_PENSION, pensions.pk),
        (HY_BUDGET, budget.pk),
    }
    ka_pension, hy_pension = items[KA_PENSION], items[HY_PENSION]
    assert ka_pension.source == ka_source and ka_pension.language == "ka"
    assert hy_pension.source == hy_source and hy_pension.language == "hy"

    # The topic's preview now finds the two stored pension items (still saving
    # nothing: the matches above were made by the pull).
    goto(
        page, live_server, reverse("media_monitoring:topic_update", args=[pensions.pk])
    )
    check_page(page)
    click_and_wait(page, "main form button[name=preview]")
    previewed = [
        text.strip() for text in page.locator("[data-preview] li a").all_inner_texts()
    ]
    assert sorted(previewed) == sorted([KA_PENSION, HY_PENSION])
    check_page(page)

    # --- 4. The inbox lists them with the topic; the filter keeps only them --
    goto(page, live_server, reverse("media_monitoring:index"))
    assert set(inbox_rows(page)) == {item.pk for item in items.values()}
    assert page.get_attribute("[data-inbox-count]", "data-inbox-count") == "5"
    assert row_topics(page, ka_pension) == [PENSIONS]
    assert row_topics(page, hy_pension) == [PENSIONS]
    assert row_topics(page, items[HY_BUDGET]) == [BUDGET]
    for title in (KA_KINDERGARTENS, KA_TRANSPORT):
        assert row_topics(page, items[title]) == []
    check_page(page)
    page.select_option("#id_topic", str(pensions.pk))
    click_and_wait(page, "main form[role=search] button[type=submit]")
    assert f"topic={pensions.pk}" in page.url
    rows = inbox_rows(page)
    # Newest first: the Armenian feed was pulled last.
    assert rows == [hy_pension.pk, ka_pension.pk]
    check_page(page)

    # --- 5. Keyboard triage: j moves, n marks "needs response", o opens -----
    for _ in range(rows.index(ka_pension.pk) + 1):
        page.keyboard.press("j")
    assert page.evaluate("document.activeElement.id") == f"item-{ka_pension.pk}"
    page.keyboard.press("n")
    badge = f"#item-{ka_pension.pk} [data-status]"
    page.wait_for_selector(f"#item-{ka_pension.pk} [data-status=needs_response]")
    assert page.inner_text(badge).strip() == translated(
        "ka", str(Item.Status.NEEDS_RESPONSE.label)
    )
    assert page.inner_text("#inbox-live").strip()  # said to screen readers
    ka_pension.refresh_from_db()
    assert ka_pension.status == Item.Status.NEEDS_RESPONSE
    assert AuditEntry.objects.filter(
        action="media_monitoring.item.changed", target_id=str(ka_pension.pk)
    ).exists()
    check_page(page)  # with the keyboard's highlighted row
    page.focus(f"#item-{ka_pension.pk}")
    with page.expect_navigation():
        page.keyboard.press("o")
    assert page.url == live_server.url + ka_pension.get_absolute_url()
    check_page(page)

    # --- 6. On the item: flag, assign, note, response -----------------------
    item_url = ka_pension.get_absolute_url()
    assert page.input_value("#triage_status") == Item.Status.NEEDS_RESPONSE
    page.check("#triage_misinformation")
    page.select_option("#triage_assignee", str(colleague.pk))
    assert page.is_checked(f"#triage input[name=topics][value='{pensions.pk}']")
    click_and_wait(page, "#triage [name=save_triage]")
    assert page.url == live_server.url + item_url + "#triage"
    ka_pension.refresh_from_db()
    assert ka_pension.misinformation is True
    assert ka_pension.assignee == colleague
    assert ka_pension.status == Item.Status.NEEDS_RESPONSE
    assert list(ka_pension.matches.values_list("topic", flat=True)) == [pensions.pk]
    assert page.locator("article .monitoring-flag").count() == 1
    check_page(page)

    # The colleague is told, in her own language (Armenian), not the page's.
    (assigned,) = mails_to(colleague.email)
    with translation.override("hy"):
        subject = gettext("Assigned to you: %(title)s") % {"title": KA_PENSION}
        greeting = gettext("Hello, %(name)s.") % {"name": str(colleague)}
    assert assigned.subject == subject
    assert greeting in assigned.body_text
    assert '<html lang="hy">' in assigned.body_html
    assert f'lang="ka">{KA_PENSION}</a>' in assigned.body_html
    assert settings.PRAPP_SITE_URL.rstrip("/") + item_url in assigned.body_text

    page.fill("#note_text", NOTE)
    click_and_wait(page, "#notes [name=save_note]")
    assert page.url == live_server.url + item_url + "#notes"
    assert NOTE in page.inner_text("[data-notes]")
    assert ItemNote.objects.get(item=ka_pension).author == monitor
    check_page(page)

    # A pulled item has no due time: the response form starts folded.
    page.click("#response details > summary")
    page.fill("#response_text", RESPONSE)
    click_and_wait(page, "#response [name=save_response]")
    assert page.url == live_server.url + item_url + "#response"
    assert RESPONSE in page.inner_text("[data-response]")
    assert page.get_attribute("article [data-status]", "data-status") == (
        Item.Status.RESPONDED
    )
    ka_pension.refresh_from_db()
    assert ka_pension.status == Item.Status.RESPONDED
    assert ka_pension.response_text == RESPONSE
    assert ka_pension.responded_by == monitor
    assert ka_pension.responded_at is not None
    check_page(page)

    # --- 7. A citizen's Facebook message, already late ----------------------
    goto(page, live_server, reverse("media_monitoring:index"))
    log_url = reverse("media_monitoring:item_create")
    click_and_wait(page, f"main a[href='{log_url}']")
    check_page(page)
    assert page.input_value("#id_kind") == Item.Kind.SOCIAL
    due = timezone.localtime(timezone.now() - timedelta(hours=2)).replace(
        second=0, microsecond=0
    )
    page.select_option("#id_channel", Item.Channel.FACEBOOK)
    page.select_option("#id_language", "ka")
    page.fill("#id_summary", FACEBOOK_MESSAGE)
    page.fill("#id_author", FACEBOOK_AUTHOR)
    page.fill("#id_response_due_at", due.strftime("%Y-%m-%dT%H:%M"))
    click_and_wait(page, "main form [name=save_item]")
    message = Item.objects.get(kind=Item.Kind.SOCIAL)
    assert page.url == live_server.url + message.get_absolute_url()
    assert message.channel == Item.Channel.FACEBOOK
    assert message.status == Item.Status.NEEDS_RESPONSE
    assert message.response_due_at == due
    assert message.created_by == monitor
    assert message.title.startswith("გამარჯობა, რატომ შემიმცირდა პენსია")
    # Matched at once: it speaks of a pension.
    assert list(message.matches.values_list("topic", flat=True)) == [pensions.pk]
    assert page.locator("[data-response-due].monitoring-due-overdue").count() == 1
    check_page(page)

    dashboard = reverse("reports:dashboard")
    goto(page, live_server, dashboard)
    overdue = page.locator("[data-overdue-responses]")
    assert overdue.locator(f"a[href='{message.get_absolute_url()}']").count() == 1
    assert overdue.locator(f"a[href='{item_url}']").count() == 0  # answered
    assert page.get_attribute("[data-count-overdue]", "data-count-overdue") == "1"
    assert page.get_attribute(
        "[data-count-needs-response]", "data-count-needs-response"
    ) == ("1")
    # The pulled items not triaged yet.
    assert page.get_attribute("[data-count-new]", "data-count-new") == "4"
    check_page(page)

    # --- 8. The daily digest, in Armenian, grouped by topic, once -----------
    before = CapturedEmail.objects.count()
    assert tasks.digests_send_due.delay().get() == 1
    assert CapturedEmail.objects.count() == before + 1
    digest = mails_to(colleague.email)[-1]
    raw = email.message_from_string(digest.raw)
    assert raw["Content-Language"] == "hy"
    assert '<html lang="hy">' in digest.body_html
    with translation.override("hy"):
        greeting = gettext("Hello, %(name)s.") % {"name": str(colleague)}
    assert greeting in digest.body_text
    sections = digest_sections(digest.body_text)
    assert list(sections) == sorted([PENSIONS, BUDGET], key=str.casefold)
    assert HY_BUDGET in sections[BUDGET]
    for title in (KA_PENSION, HY_PENSION, message.title):
        assert title in sections[PENSIONS], title
        assert title not in sections[BUDGET], title
    for title in (KA_KINDERGARTENS, KA_TRANSPORT):
        assert title not in digest.body_text
    site = settings.PRAPP_SITE_URL.rstrip("/")
    assert site + hy_pension.get_absolute_url() in sections[PENSIONS]
    sent = {ka_pension.pk, hy_pension.pk, items[HY_BUDGET].pk, message.pk}
    assert (
        set(DigestEntry.objects.filter(user=colleague).values_list("item", flat=True))
        == sent
    )
    assert DigestRun.objects.get(user=colleague).items == len(sent)
    # The monitor follows nothing, and gets no digest.
    assert not mails_to(monitor.email)

    # Again: today's digest is done; even forced, nothing is sent twice.
    assert tasks.digests_send_due.delay().get() == 0
    assert digests.digests_send_due(force=True) == 0
    assert CapturedEmail.objects.count() == before + 1

    # --- 9. The unchanged feed again: 304, nothing new stored ---------------
    count = Item.objects.count()
    pull_now(page, live_server, ka_source)
    assert feeds.hits("/ka.xml") == 2
    assert feeds.last_headers("/ka.xml").get("If-None-Match") == KA_ETAG
    assert Item.objects.count() == count
    assert Item.objects.filter(source=ka_source).count() == len(KA_ITEMS)
    ka_source.refresh_from_db()
    assert ka_source.etag == KA_ETAG
    assert page.locator("[data-source-items] tbody tr").count() == len(KA_ITEMS)

    # --- 10. Every page on the way was accessible ---------------------------
    # Fails until static/media_monitoring/monitoring.css gives links enough
    # contrast (4.5:1) on two tinted backgrounds: the title link of the row the
    # keyboard highlights (.inbox-current, 3.4:1) and the topic link inside a
    # topic chip on an item's page (.monitoring-topic, 4.3:1).
    assert not AXE_FINDINGS, "\n\n".join(AXE_FINDINGS)
