"""Daily digests and alerts: the right items, once, in the subscriber's language."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.mail import EmailMultiAlternatives
from django.core.management import CommandError, call_command
from django.urls import reverse

from media_monitoring import digests, tasks
from media_monitoring.models import (
    DigestEntry,
    DigestRun,
    Item,
    ItemTopic,
    Source,
    Subscription,
    Topic,
)
from prapp.models import CapturedEmail
from prapp.text import search_key

pytestmark = pytest.mark.django_db

TBILISI = ZoneInfo("Asia/Tbilisi")
# 14 May 2025, 08:30 in Tbilisi: past the default digest time (08:00).
NOW = datetime(2025, 5, 14, 8, 30, tzinfo=TBILISI)


def make_item(title, *, source=None, status=Item.Status.NEW, **extra) -> Item:
    values = {
        "source": source,
        "external_id": f"guid-{Item.objects.count()}" if source else "",
        "title": title,
        "url": f"https://news.example.ge/{Item.objects.count()}",
        "language": "ka",
        "status": status,
        "fetched_at": NOW - timedelta(hours=2),
    }
    values.update(extra)
    values["search_text"] = search_key(values["title"])
    return Item.objects.create(**values)


def match(item, topic, *, at=None, terms="დამცველ*") -> ItemTopic:
    return ItemTopic.objects.create(
        item=item, topic=topic, matched_at=at or NOW - timedelta(hours=1), terms=terms
    )


def follow(user, *topics):
    for topic in topics:
        Subscription.objects.create(user=user, topic=topic)
    # Followed for a while already (created_at is set on insert).
    Subscription.objects.filter(user=user).update(created_at=NOW - timedelta(days=7))


@pytest.fixture
def source(db):
    return Source.objects.create(
        name="ინტერპრესნიუსი", url="https://ipn.example.ge/rss"
    )


@pytest.fixture
def defender(db):
    return Topic.objects.create(name="სახალხო დამცველი", include_terms="დამცველ*")


@pytest.fixture
def pensions(db):
    return Topic.objects.create(name="Pensions", include_terms="pension*")


@pytest.fixture
def urgent(db):
    return Topic.objects.create(
        name="Misinformation", include_terms="fake*", priority=Topic.Priority.HIGH
    )


@pytest.fixture
def ka_user(make_user):
    return make_user("nino", language="ka", first_name="ნინო")


@pytest.fixture
def hy_user(make_user):
    return make_user("anna", language="hy", first_name="Աննա")


def mails_to(user):
    return list(CapturedEmail.objects.filter(to=[user.email]).order_by("pk"))


# The digest -------------------------------------------------------------------


def test_digest_holds_the_matched_items_in_the_subscribers_language(
    ka_user, hy_user, source, defender, settings
):
    settings.PRAPP_SITE_URL = "https://pr.example.ge/"
    site = "https://pr.example.ge"
    follow(ka_user, defender)
    follow(hy_user, defender)
    item = make_item("სახალხო დამცველის ანგარიში", source=source)
    match(item, defender)

    assert digests.digest_send(user=ka_user, now=NOW) == 1
    assert digests.digest_send(user=hy_user, now=NOW) == 1

    [ka_mail] = mails_to(ka_user)
    # The date is formatted in the recipient's language (Django's catalogues).
    assert "მაისი" in ka_mail.subject and "1" in ka_mail.subject
    assert "Content-Language: ka" in ka_mail.raw
    assert '<html lang="ka">' in ka_mail.body_html
    [hy_mail] = mails_to(hy_user)
    assert "Մայիս" in hy_mail.subject
    assert "Content-Language: hy" in hy_mail.raw
    assert '<html lang="hy">' in hy_mail.body_html

    for mail in (ka_mail, hy_mail):
        for body in (mail.body_text, mail.body_html):
            assert "სახალხო დამცველის ანგარიში" in body
            assert "ინტერპრესნიუსი" in body  # the source
            assert "დამცველ*" in body  # the terms found
            assert f"{site}{item.get_absolute_url()}" in body
            assert f"{site}{reverse('media_monitoring:subscriptions')}" in body
        assert f'href="{item.url}"' in mail.body_html
    assert DigestEntry.objects.filter(kind=DigestEntry.Kind.DIGEST).count() == 2
    run = DigestRun.objects.get(user=ka_user)
    assert (run.run_on, run.covered_until, run.items) == (NOW.date(), NOW, 1)


def test_digest_groups_by_topic_and_counts_an_item_once(
    ka_user, source, defender, pensions
):
    follow(ka_user, defender, pensions)
    both = make_item("დამცველი on pension reform", source=source)
    only = make_item("Pensioners protest", source=source)
    match(both, defender)
    match(both, pensions, terms="pension*")
    match(only, pensions, terms="pension*")

    assert digests.digest_send(user=ka_user, now=NOW) == 2
    [mail] = mails_to(ka_user)
    text = mail.body_text
    # Topics by name; the item in two topics is listed under each.
    assert text.index("=== Pensions ===") < text.index("=== სახალხო დამცველი ===")
    assert text.count("დამცველი on pension reform") == 2
    assert text.count("Pensioners protest") == 1
    assert mail.body_html.count("<h2") == 2
    assert DigestEntry.objects.filter(user=ka_user).count() == 2
    assert " 2 " in f" {mail.subject} "


def test_nothing_is_sent_twice_across_runs(ka_user, source, defender):
    follow(ka_user, defender)
    first = make_item("დამცველი 1", source=source)
    match(first, defender, at=NOW - timedelta(minutes=5))
    assert digests.digest_send(user=ka_user, now=NOW) == 1

    second = make_item("დამცველი 2", source=source)
    match(second, defender, at=NOW + timedelta(hours=3))
    tomorrow = NOW + timedelta(days=1)
    assert digests.digest_send(user=ka_user, now=tomorrow) == 1
    mails = mails_to(ka_user)
    assert len(mails) == 2
    assert "დამცველი 2" in mails[1].body_text
    assert "დამცველი 1" not in mails[1].body_text

    # A third run has nothing: no email, but the run is recorded.
    assert digests.digest_send(user=ka_user, now=tomorrow + timedelta(days=1)) == 0
    assert len(mails_to(ka_user)) == 2
    assert DigestRun.objects.filter(user=ka_user).count() == 3


def test_no_email_when_nothing_matched(ka_user, source, defender, pensions):
    follow(ka_user, defender)
    # A match of a topic not followed, and one from before the first subscription.
    match(make_item("Pension", source=source), pensions)
    match(
        make_item("დამცველი old", source=source), defender, at=NOW - timedelta(days=8)
    )
    assert digests.digest_send(user=ka_user, now=NOW) == 0
    assert CapturedEmail.objects.count() == 0
    run = DigestRun.objects.get(user=ka_user)
    assert (run.items, run.covered_until) == (0, NOW)
    assert not DigestEntry.objects.exists()


def test_first_digest_reaches_back_a_day_at_most(ka_user, source, defender):
    follow(ka_user, defender)
    match(
        make_item("two days ago", source=source), defender, at=NOW - timedelta(days=2)
    )
    match(make_item("this morning", source=source), defender)
    assert digests.digest_send(user=ka_user, now=NOW) == 1
    [mail] = mails_to(ka_user)
    assert "this morning" in mail.body_text
    assert "two days ago" not in mail.body_text


def test_irrelevant_and_archived_items_are_left_out(ka_user, source, defender):
    follow(ka_user, defender)
    for status in (Item.Status.IRRELEVANT, Item.Status.ARCHIVED):
        match(make_item(f"დამცველი {status}", source=source, status=status), defender)
    match(make_item("დამცველი kept", source=source, status="relevant"), defender)
    assert digests.digest_send(user=ka_user, now=NOW) == 1
    [mail] = mails_to(ka_user)
    assert "დამცველი kept" in mail.body_text
    assert "irrelevant" not in mail.body_text and "archived" not in mail.body_text


def test_hostile_title_is_escaped_and_only_web_links_are_linked(
    ka_user, source, defender
):
    follow(ka_user, defender)
    title = '<script>alert("x")</script><img src=x onerror=alert(1)> დამცველი'
    match(make_item(title, source=source, url="javascript:alert(1)"), defender)
    digests.digest_send(user=ka_user, now=NOW)
    [mail] = mails_to(ka_user)
    assert "<script>" not in mail.body_html and "<img" not in mail.body_html
    assert "&lt;script&gt;" in mail.body_html
    assert "javascript:" not in mail.body_html
    # The text part is plain text: the title as it is, no link to the script.
    assert title in mail.body_text
    assert "javascript:" not in mail.body_text


def test_inactive_users_and_users_without_email_get_nothing(
    make_user, source, defender
):
    gone = make_user("gone", is_active=False)
    silent = make_user("silent")
    silent.email = ""
    silent.save()
    follow(gone, defender)
    follow(silent, defender)
    match(make_item("დამცველი", source=source), defender)
    assert digests.digest_send(user=gone, now=NOW) == 0
    assert digests.digest_send(user=silent, now=NOW) == 0
    assert digests.digests_send_due(now=NOW) == 0
    assert CapturedEmail.objects.count() == 0


def test_a_failed_send_records_nothing(ka_user, source, defender, monkeypatch):
    follow(ka_user, defender)
    match(make_item("დამცველი", source=source), defender)

    def broken(self, fail_silently=False):
        raise OSError("mail server down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", broken)
    with pytest.raises(OSError):
        digests.digest_send(user=ka_user, now=NOW)
    # The scheduled run logs it and carries on; the next beat tries again.
    assert digests.digests_send_due(now=NOW) == 0
    assert not DigestRun.objects.exists()
    assert not DigestEntry.objects.exists()

    monkeypatch.undo()
    assert digests.digests_send_due(now=NOW + timedelta(minutes=5)) == 1
    assert DigestEntry.objects.count() == 1


# Scheduling -------------------------------------------------------------------


def test_digests_are_due_after_the_local_digest_time_once_a_day(
    ka_user, hy_user, make_user, source, defender, settings
):
    settings.MONITORING_DIGEST_TIME = "08:00"
    follow(ka_user, defender)
    follow(hy_user, defender)
    make_user("nobody")  # follows nothing
    match(make_item("დამცველი", source=source), defender, at=NOW - timedelta(hours=3))

    early = NOW.replace(hour=7, minute=59)
    assert digests.digests_send_due(now=early) == 0
    assert not DigestRun.objects.exists()

    on_time = NOW.replace(hour=8, minute=0)
    assert digests.digests_send_due(now=on_time) == 2
    assert DigestRun.objects.filter(run_on=NOW.date()).count() == 2
    # Five minutes later (and a second beat at the same moment): nothing more.
    assert digests.digests_send_due(now=on_time + timedelta(minutes=5)) == 0
    assert digests.digests_send_due(now=on_time) == 0
    assert CapturedEmail.objects.count() == 2

    # The next morning: due again, with nothing new, so runs but no emails.
    next_day = on_time + timedelta(days=1)
    assert digests.digests_send_due(now=next_day) == 0
    assert DigestRun.objects.filter(run_on=next_day.date()).count() == 2
    assert CapturedEmail.objects.count() == 2


def test_digest_time_is_local_time(ka_user, source, defender, settings):
    settings.MONITORING_DIGEST_TIME = "08:00"
    follow(ka_user, defender)
    match(make_item("დამცველი", source=source), defender, at=NOW - timedelta(hours=4))
    # 04:10 UTC is 08:10 in Tbilisi.
    utc = datetime(2025, 5, 14, 4, 10, tzinfo=ZoneInfo("UTC"))
    assert digests.digests_send_due(now=utc) == 1
    assert DigestRun.objects.get().run_on == NOW.date()


def test_force_ignores_the_time_but_not_the_no_duplicates_rule(
    ka_user, source, defender
):
    follow(ka_user, defender)
    match(make_item("დამცველი 1", source=source), defender, at=NOW - timedelta(hours=3))
    early = NOW.replace(hour=6)
    assert digests.digests_send_due(now=early, force=True) == 1
    assert digests.digests_send_due(now=early, force=True) == 0
    # A new match later the same day: the forced run of the day is extended.
    match(make_item("დამცველი 2", source=source), defender, at=NOW)
    assert digests.digests_send_due(now=NOW + timedelta(minutes=1), force=True) == 1
    run = DigestRun.objects.get()
    assert run.items == 2
    assert DigestEntry.objects.count() == 2
    mails = mails_to(ka_user)
    assert "დამცველი 1" not in mails[1].body_text


def test_send_digests_command(ka_user, source, defender):
    follow(ka_user, defender)
    Subscription.objects.update(created_at=datetime(2020, 1, 1, tzinfo=TBILISI))
    match(make_item("დამცველი", source=source), defender, at=None)
    ItemTopic.objects.update(matched_at=datetime.now(TBILISI) - timedelta(minutes=30))

    with pytest.raises(CommandError):
        call_command("send_digests", "--user", "nobody-here")
    call_command("send_digests", "--user", "nino")
    assert len(mails_to(ka_user)) == 1
    # Forced for everyone: the item is not sent again.
    call_command("send_digests", "--force")
    assert len(mails_to(ka_user)) == 1
    assert DigestEntry.objects.count() == 1


# Alerts -------------------------------------------------------------------------


def test_alert_goes_once_to_followers_of_a_high_priority_topic(
    ka_user, hy_user, make_user, source, defender, urgent
):
    follow(ka_user, urgent)
    follow(hy_user, defender)  # a normal topic: no alert
    make_user("nobody")
    fake = make_item("A fake letter about the ministry", source=source)
    match(fake, urgent, terms="fake*")
    match(fake, defender)

    assert tasks.alerts_send.delay([fake.pk]).get() == 1
    [mail] = mails_to(ka_user)
    assert "Misinformation" in mail.subject
    assert "Content-Language: ka" in mail.raw
    assert "A fake letter about the ministry" in mail.body_html
    assert fake.get_absolute_url() in mail.body_text
    assert CapturedEmail.objects.count() == 1
    assert DigestEntry.objects.get().kind == DigestEntry.Kind.ALERT

    # A redelivered task sends nothing; the digest does not repeat the item.
    assert digests.alerts_send(item_ids=[fake.pk]) == 0
    follow(ka_user, defender)
    assert digests.digest_send(user=ka_user, now=NOW) == 0
    assert CapturedEmail.objects.filter(to=[ka_user.email]).count() == 1
    # The normal-topic follower gets the item in their digest.
    assert digests.digest_send(user=hy_user, now=NOW) == 1


def test_alert_lists_new_items_in_one_email_and_skips_irrelevant(
    ka_user, source, urgent
):
    follow(ka_user, urgent)
    items = [make_item(f"fake news {n}", source=source) for n in range(3)]
    items[2].status = Item.Status.IRRELEVANT
    items[2].save()
    for item in items:
        match(item, urgent, terms="fake*")
    assert digests.alerts_send(item_ids=[i.pk for i in items]) == 1
    [mail] = mails_to(ka_user)
    assert "fake news 0" in mail.body_text and "fake news 1" in mail.body_text
    assert "fake news 2" not in mail.body_text
    assert DigestEntry.objects.count() == 2


def test_no_alert_for_an_inactive_topic(ka_user, source, urgent):
    follow(ka_user, urgent)
    item = make_item("fake", source=source)
    match(item, urgent, terms="fake*")
    Topic.objects.filter(pk=urgent.pk).update(active=False)
    assert digests.alerts_send(item_ids=[item.pk]) == 0
    assert CapturedEmail.objects.count() == 0
