"""The press releases issue's browser scenario, from the Georgian interface.

A manager writes a release in Georgian and Armenian (the text typed into the
rich-text editor) with an embargo, submits it and is refused the approval of
her own release; a second manager approves it; an editor sends it to a contact
list of mixed languages and publishes it. Before the embargo lifts only the
journalist trusted with embargoed releases gets it (with the embargo notice)
and the newsroom shows nothing; after it, everyone gets their own version (the
English reader the configured fallback), the Armenian reader unsubscribes on a
page in Armenian, another reader with the one-click POST of RFC 8058, and the
release is on the newsroom and in its feeds. Every page on the way is checked
for its language, with axe and for Mtavruli.
"""

import email
from datetime import timedelta
from email.utils import parseaddr

import feedparser
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from contacts import services as contacts
from contacts.models import Interaction, Person
from prapp.models import CapturedEmail
from prapp.roles import EDITOR, MANAGER
from pressreleases import mailing, newsroom, tasks
from pressreleases.models import Delivery, Distribution, PressRelease

from .browser import assert_accessible, assert_no_mtavruli, html_lang, login
from .conftest import TIMEOUT_MS

TITLE = {
    "ka": "ახალქალაქის საავადმყოფოს ახალი კორპუსი გაიხსნა",
    "hy": "Ախալքալաքի հիվանդանոցի նոր մասնաշենքը բացվեց",
}
LEAD = {
    "ka": "მუნიციპალიტეტმა 120 საწოლიანი კორპუსი ექვს თვეში ააშენა.",
    "hy": "Համայնքը 120 մահճակալով մասնաշենքը կառուցեց վեց ամսում։",
}
# The body: a paragraph, a bold word in a second one (typed with Ctrl+B).
BODY = {
    "ka": ("კორპუსში ოთხი განყოფილებაა.", "გახსნა", "შაბათს, 11 საათზე."),
    "hy": ("Մասնաշենքում չորս բաժանմունք կա։", "Բացումը", "շաբաթ օրը, ժամը 11-ին։"),
}
LIST_NAME = "სამცხე-ჯავახეთის მედია"
# (first, last, language, email, trusted with embargoed releases)
READERS = {
    "levan": ("ლევან", "კაპანაძე", "ka", "levan@example.ge", True),
    "tamar": ("თამარ", "ლომიძე", "ka", "tamar@example.ge", False),
    "armen": ("Արմեն", "Սարգսյան", "hy", "armen@example.am", False),
    "john": ("John", "Miller", "en", "john.miller@example.com", False),
}
# On the list, but opted out long ago: left out of every sending.
OPTED_OUT = ("ნანა", "ბერიძე", "ka", "nana@example.ge")


def check_page(page, language="ka"):
    """What every page must pass: its language, no Mtavruli, accessible."""
    assert html_lang(page) == language, page.url
    assert_no_mtavruli(page)
    assert_accessible(page)


def translated(language, text):
    with translation.override(language):
        return gettext(text)


def type_body(page, code, paragraphs):
    """Type into the rich-text editor (ProseMirror) of the ``code`` version."""
    first, bold, rest = paragraphs
    wrapper = page.locator(".prose-editor", has=page.locator(f"#id_body_{code}"))
    editable = wrapper.locator("[contenteditable=true]")
    editable.click()
    page.keyboard.type(first)
    page.keyboard.press("Enter")
    page.keyboard.press("Control+b")
    page.keyboard.type(bold)
    page.keyboard.press("Control+b")
    page.keyboard.type(" " + rest)


def csrf_token(page) -> str:
    return page.input_value("input[name=csrfmiddlewaretoken] >> nth=0")


def progress(page) -> dict[str, str]:
    """The release page's sending counters (sent, waiting … of total)."""
    region = page.locator("#distributions [data-progress-region]")
    return {
        key: region.locator(f"[data-progress-count={key}]").inner_text().strip()
        for key in ("sent", "failed", "waiting", "unknown", "total")
    }


def mail_to(address) -> CapturedEmail:
    mails = [m for m in CapturedEmail.objects.all() if parseaddr(m.to[0])[1] == address]
    assert len(mails) == 1, (address, [m.to for m in mails])
    return mails[0]


def feed_titles(context, url) -> list[str]:
    response = context.request.get(url)
    assert response.ok, (url, response.status)
    feed = feedparser.parse(response.body())
    assert not feed.bozo, (url, feed.bozo_exception)
    return [entry.title for entry in feed.entries]


@pytest.fixture
def new_page(browser):
    """Another browser (another member of staff, or someone not logged in)."""
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


def test_release_written_refused_to_author_approved_sent_unsubscribed_published(
    page, live_server, make_user, new_page
):
    author = make_user("nino", MANAGER, language="ka", name="ნინო ბერიძე")
    reviewer = make_user("giorgi", MANAGER, language="ka", name="გიორგი წიკლაური")
    editor = make_user("eka", EDITOR, language="ka", name="ეკა გელაშვილი")
    people = {
        key: contacts.person_create(
            data={
                "first_name": first,
                "last_name": last,
                "language": language,
                "receives_embargoed": trusted,
            },
            emails=[{"email": address}],
            actor=author,
        )
        for key, (first, last, language, address, trusted) in READERS.items()
    }
    first, last, language, address = OPTED_OUT
    opted_out = contacts.person_create(
        data={"first_name": first, "last_name": last, "language": language},
        emails=[{"email": address}],
        actor=author,
    )
    contacts.person_opt_out(person=opted_out, source="phone call", actor=author)
    contact_list = contacts.contact_list_create(name=LIST_NAME, actor=author)
    contacts.contact_list_add_people(
        contact_list=contact_list,
        people=Person.objects.filter(
            pk__in=[p.pk for p in [*people.values(), opted_out]]
        ),
        actor=author,
    )
    # The embargo is typed in whole minutes of local time: ten minutes ahead is
    # far enough that it cannot lift by itself while the test runs. The live
    # server's clock cannot be moved, so the embargo is made to pass later by
    # moving the stored moments that hold it back into the past (step 4).
    embargo = timezone.localtime(timezone.now() + timedelta(minutes=10)).replace(
        second=0, microsecond=0
    )

    # --- 1. The author writes the Georgian and Armenian versions ------------
    login(page, live_server, author)
    page.goto(live_server.url + reverse("pressreleases:index"))
    check_page(page)
    create_url = reverse("pressreleases:create")
    with page.expect_navigation():
        page.click(f"main a[href='{create_url}']")
    assert page.url == live_server.url + create_url
    page.locator(".prose-editor [contenteditable=true]").first.wait_for()
    check_page(page)
    for code in ("ka", "hy"):
        page.fill(f"#id_title_{code}", TITLE[code])
        page.fill(f"#id_lead_{code}", LEAD[code])
        type_body(page, code, BODY[code])
    page.fill("#id_embargo_until", embargo.strftime("%Y-%m-%dT%H:%M"))
    with page.expect_navigation():
        page.click("main form.release-form button[type=submit]")

    release = PressRelease.objects.get()
    assert page.url == live_server.url + release.get_absolute_url()
    assert release.status == PressRelease.Status.DRAFT
    assert release.author == author
    for code in ("ka", "hy"):
        first_paragraph, bold, rest = BODY[code]
        body = getattr(release, f"body_{code}")
        assert getattr(release, f"title_{code}") == TITLE[code]
        assert getattr(release, f"lead_{code}") == LEAD[code]
        assert f"<p>{first_paragraph}</p>" in body, body
        assert f"<strong>{bold}</strong> {rest}" in body, body
    assert not release.has_language("en")
    assert release.languages == ["ka", "hy"]
    assert release.embargo_until == embargo
    assert page.inner_text("main h1").strip() == TITLE["ka"]
    check_page(page)

    submit_url = reverse("pressreleases:submit", args=[release.pk])
    with page.expect_navigation():
        page.click(f"main form[action='{submit_url}'] button[type=submit]")
    release.refresh_from_db()
    assert release.status == PressRelease.Status.IN_REVIEW
    assert release.submitted_at is not None

    # --- 2. Four eyes: the author may not approve, another manager does -----
    approve_url = reverse("pressreleases:approve", args=[release.pk])
    refusal = translated(
        "ka",
        "You wrote or last changed this release: another manager must "
        "approve it (four eyes).",
    )
    assert page.locator(f"main form[action='{approve_url}']").count() == 0
    assert page.inner_text("[data-approval-refusal]").strip() == refusal
    check_page(page)
    # Without the button, a hand-made POST is refused all the same.
    response = page.request.post(
        live_server.url + approve_url, form={"csrfmiddlewaretoken": csrf_token(page)}
    )
    assert response.ok and response.url == page.url
    assert refusal in response.text()
    release.refresh_from_db()
    assert release.status == PressRelease.Status.IN_REVIEW
    assert release.approved_by is None

    reviewer_page = new_page()
    login(reviewer_page, live_server, reviewer)
    reviewer_page.goto(live_server.url + reverse("pressreleases:index"))
    assert reviewer_page.get_attribute("[data-review-count]", "data-review-count") == (
        "1"
    )
    check_page(reviewer_page)
    with reviewer_page.expect_navigation():
        reviewer_page.click(f"main a[href='{release.get_absolute_url()}']")
    assert reviewer_page.locator("[data-approval-refusal]").count() == 0
    check_page(reviewer_page)
    with reviewer_page.expect_navigation():
        reviewer_page.click(f"main form[action='{approve_url}'] button[type=submit]")
    release.refresh_from_db()
    assert release.status == PressRelease.Status.APPROVED
    assert release.approved_by == reviewer
    assert release.approved_version == release.version
    check_page(reviewer_page)

    # --- 3. The editor sends it to the list and publishes it ----------------
    sender = new_page()
    login(sender, live_server, editor)
    sender.goto(live_server.url + release.get_absolute_url())
    send_url = reverse("pressreleases:send", args=[release.pk])
    with sender.expect_navigation():
        sender.click(f"main a[href='{send_url}']")
    assert sender.url == live_server.url + send_url
    check_page(sender)
    sender.check(f"main input[name=lists][value='{contact_list.pk}']")
    with sender.expect_navigation():
        sender.click("main form button[name=preview]")
    preview = sender.locator("[data-preview]")
    counts = {
        key: preview.locator(f"[data-preview-count={key}]").inner_text().strip()
        for key in ("to_send", "left_out", "already_received", "chosen")
    }
    assert counts == {
        "to_send": "4",
        "left_out": "1",
        "already_received": "0",
        "chosen": "5",
    }
    # The English reader counts with the version they will get.
    fallback = next(
        code
        for code in settings.PRESSRELEASES_LANGUAGE_FALLBACKS
        if code in release.languages
    )
    by_language = {"ka": 2, "hy": 1}
    by_language[fallback] += 1
    for code, count in by_language.items():
        shown = preview.locator(f"[data-preview-language={code}]").inner_text()
        assert shown.strip().endswith(f": {count}"), shown
    assert preview.locator("[data-embargo-warning]").count() == 1
    check_page(sender)  # with the preview
    assert CapturedEmail.objects.count() == 0  # a preview sends nothing
    sender.check("#id_publish")
    assert sender.is_checked("#id_attach_pdf")
    with sender.expect_navigation():
        sender.click("main form button[name=send]")
    assert sender.url == live_server.url + release.get_absolute_url() + "#distributions"

    # Celery is eager: the send ran inside the request. Under embargo only the
    # trusted journalist got it, with the embargo notice; the others wait.
    distribution = Distribution.objects.get()
    assert distribution.total == 4 and distribution.left_out == 1
    deliveries = {d.person_id: d for d in distribution.deliveries.all()}
    assert set(deliveries) == {p.pk for p in people.values()}
    early = deliveries[people["levan"].pk]
    assert (early.status, early.under_embargo) == (Delivery.Status.SENT, True)
    for key in ("tamar", "armen", "john"):
        waiting = deliveries[people[key].pk]
        assert waiting.status == Delivery.Status.PENDING
        assert waiting.not_before == embargo
    with translation.override("ka"):
        notice = gettext("EMBARGOED until %(time)s") % {
            "time": mailing.embargo_time(release)
        }
    levan_mail = mail_to(READERS["levan"][3])
    assert CapturedEmail.objects.count() == 1
    assert levan_mail.subject == f"{notice}: {TITLE['ka']}"
    release.refresh_from_db()
    assert release.status == PressRelease.Status.SCHEDULED
    assert release.published_at is not None
    assert progress(sender) == {
        "sent": "1",
        "failed": "0",
        "waiting": "3",
        "unknown": "0",
        "total": "4",
    }
    check_page(sender)
    # The page polls the progress while messages wait; leave it, so that no
    # request shares the test database's connection with the steps below.
    sender.goto("about:blank")

    # Published, but not public before the embargo: not listed, no page, no feed.
    visitor = new_page()
    visitor.goto(live_server.url + reverse("newsroom:list", args=["ka"]))
    assert TITLE["ka"] not in visitor.inner_text("main")
    check_page(visitor)
    detail_path = newsroom.release_path(release, "ka")
    assert visitor.request.get(live_server.url + detail_path).status == 404
    rss_ka = live_server.url + reverse("newsroom:rss", args=["ka"])
    atom_hy = live_server.url + reverse("newsroom:atom", args=["hy"])
    assert feed_titles(visitor.context, rss_ka) == []
    assert feed_titles(visitor.context, atom_hy) == []

    # --- 4. The embargo lifts; the beat sends the rest ----------------------
    # Time passes: the embargo and the rows that wait for it move to a minute
    # ago together, and the beat's task runs as Celery beat does every minute.
    lifted = timezone.now() - timedelta(minutes=1)
    PressRelease.objects.filter(pk=release.pk).update(embargo_until=lifted)
    Delivery.objects.filter(release=release, status=Delivery.Status.PENDING).update(
        not_before=lifted
    )
    assert tasks.distributions_kick.delay().get() == 1

    assert CapturedEmail.objects.count() == len(READERS)
    expected = {
        "tamar": ("ka", TITLE["ka"]),
        "armen": ("hy", TITLE["hy"]),
        "john": (fallback, TITLE[fallback]),
    }
    mails = {}
    for key, (language, title) in expected.items():
        mail = mails[key] = mail_to(READERS[key][3])
        assert mail.subject == title, key
        raw = email.message_from_string(mail.raw)
        assert raw["Content-Language"] == language, key
        assert raw["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert raw["Message-ID"]
        first, last = READERS[key][:2]
        assert f"{first} {last}" in mail.body_text, key
        assert LEAD[language] in mail.body_text, key
        assert [n for n in mail.attachment_names if n.endswith(".pdf")], key
        delivery = Delivery.objects.get(pk=deliveries[people[key].pk].pk)
        assert (delivery.status, delivery.language) == (Delivery.Status.SENT, language)
        assert not delivery.under_embargo
    assert fallback != "en"  # the release has no English version
    assert mails["armen"].subject != mails["tamar"].subject
    assert len({m.subject for m in CapturedEmail.objects.all()}) == 3
    # Each delivery is in the recipient's contact history.
    for person in people.values():
        assert Interaction.objects.filter(
            person=person, kind=Interaction.Kind.RELEASE_SENT
        ).exists(), person
    assert not Interaction.objects.filter(person=opted_out).exists()
    release.refresh_from_db()
    assert release.status == PressRelease.Status.SENT
    assert release.sent_at is not None

    sender.goto(live_server.url + release.get_absolute_url())
    assert progress(sender) == {
        "sent": "4",
        "failed": "0",
        "waiting": "0",
        "unknown": "0",
        "total": "4",
    }
    row = sender.locator(f"[data-progress-distribution='{distribution.pk}']")
    assert row.locator("[data-progress-count=sent]").inner_text().strip() == "4"
    check_page(sender)

    # --- 5. The Armenian reader unsubscribes through the link -----------------
    site = settings.PRAPP_SITE_URL.rstrip("/")
    armen_raw = email.message_from_string(mails["armen"].raw)
    link = armen_raw["List-Unsubscribe"].strip().strip("<>")
    assert link.startswith(site + "/unsubscribe/"), link
    assert link in mails["armen"].body_text
    armen_page = new_page()
    armen_page.goto(live_server.url + link.removeprefix(site))
    check_page(armen_page, "hy")
    assert "a•••@example.am" in armen_page.inner_text("main")
    with armen_page.expect_navigation():
        armen_page.click("main form button[type=submit]")
    assert armen_page.inner_text("main h1").strip() == translated(
        "hy", "You are unsubscribed"
    )
    check_page(armen_page, "hy")
    people["armen"].refresh_from_db()
    assert people["armen"].opted_out_at is not None
    assert Delivery.objects.get(pk=deliveries[people["armen"].pk].pk).unsubscribed_at

    # RFC 8058: the mail client's one-click POST, with no cookie and no token.
    tamar_raw = email.message_from_string(mails["tamar"].raw)
    tamar_link = tamar_raw["List-Unsubscribe"].strip().strip("<>")
    mail_client = new_page().context
    response = mail_client.request.post(
        live_server.url + tamar_link.removeprefix(site),
        form={"List-Unsubscribe": "One-Click"},
    )
    assert response.status == 200, response.text()
    people["tamar"].refresh_from_db()
    assert people["tamar"].opted_out_at is not None
    people["john"].refresh_from_db()
    assert people["john"].opted_out_at is None

    # --- 6. On the newsroom and in its feeds, in each language ----------------
    visitor.goto(live_server.url + reverse("newsroom:index"))
    assert visitor.url == live_server.url + reverse("newsroom:list", args=["ka"])
    link = visitor.locator(f"main a[href='{detail_path}']")
    assert link.inner_text().strip() == TITLE["ka"]
    check_page(visitor)
    with visitor.expect_navigation():
        link.click()
    assert visitor.url == live_server.url + detail_path
    assert visitor.inner_text("main h1").strip() == TITLE["ka"]
    assert LEAD["ka"] in visitor.inner_text("main")
    check_page(visitor)
    visitor.goto(live_server.url + newsroom.release_path(release, "hy"))
    assert visitor.inner_text("main h1").strip() == TITLE["hy"]
    check_page(visitor, "hy")

    assert feed_titles(visitor.context, rss_ka) == [TITLE["ka"]]
    assert feed_titles(visitor.context, atom_hy) == [TITLE["hy"]]
    rss_en = live_server.url + reverse("newsroom:rss", args=["en"])
    assert feed_titles(visitor.context, rss_en) == [TITLE[fallback]]
