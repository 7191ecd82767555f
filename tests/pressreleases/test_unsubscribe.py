"""The unsubscribe page and RFC 8058 one-click unsubscribe, in the mail's language."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from contacts.models import Person
from prapp.models import AuditEntry
from prapp.text import contains_mtavruli
from pressreleases import mailing
from pressreleases.models import Delivery
from pressreleases.views_unsubscribe import masked_address
from tests.pressreleases.test_mailing import (
    make_delivery,
    make_distribution,
    make_person,
    make_release,
)

pytestmark = pytest.mark.django_db

TITLE = "Unsubscribe from press releases"
DONE = "You are unsubscribed"
INVALID = "This unsubscribe link does not work"


@pytest.fixture
def row(make_user):
    release = make_release(make_user("author", role="Editor"))
    distribution = make_distribution(release, release.author)
    person = make_person("hy", email="ani.petrosyan@example.am", name=("Անի", "Պ"))
    return make_delivery(distribution, person, language="hy")


@pytest.fixture
def strict_client():
    """A browser-like client: Django checks its CSRF token."""
    return Client(enforce_csrf_checks=True)


def url(delivery):
    return reverse("unsubscribe:page", args=[mailing.unsubscribe_token(delivery)])


def translated(language, text):
    with translation.override(language):
        return gettext(text)


def test_page_in_the_delivery_language_with_a_masked_address(strict_client, row):
    response = strict_client.get(url(row), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.text
    assert 'lang="hy"' in html
    assert translated("hy", TITLE) in html
    assert "a•••@example.am" in html
    assert "ani.petrosyan" not in html
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    row.person.refresh_from_db()
    assert row.person.opted_out_at is None  # looking changes nothing


def test_georgian_page_has_no_mtavruli(strict_client, row):
    Delivery.objects.filter(pk=row.pk).update(language="ka")
    html = strict_client.get(url(row)).text
    assert 'lang="ka"' in html
    assert not contains_mtavruli(html)


def test_confirm_form_unsubscribes(strict_client, row):
    page = strict_client.get(url(row))
    token = page.context["csrf_token"]
    response = strict_client.post(url(row), {"csrfmiddlewaretoken": str(token)})
    assert response.status_code == 200
    assert translated("hy", DONE) in response.text
    assert 'lang="hy"' in response.text
    row.refresh_from_db()
    row.person.refresh_from_db()
    assert row.unsubscribed_at is not None
    assert row.person.opted_out_at is not None
    assert row.person.opted_out_source == f"unsubscribe link, release #{row.release_id}"
    assert AuditEntry.objects.filter(action="contacts.person.opted_out").count() == 1
    assert AuditEntry.objects.filter(
        action="pressreleases.delivery.unsubscribed"
    ).exists()


def test_confirm_form_without_csrf_token_is_refused(strict_client, row):
    response = strict_client.post(url(row), {})
    assert response.status_code == 403
    row.refresh_from_db()
    assert row.unsubscribed_at is None
    assert Person.objects.get(pk=row.person_id).opted_out_at is None


def test_one_click_post_from_a_mail_client(strict_client, row):
    # RFC 8058: no cookie, no CSRF token, just this body.
    response = strict_client.post(
        url(row),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.unsubscribed_at is not None
    assert Person.objects.get(pk=row.person_id).opted_out_at is not None


def test_one_click_as_multipart_form_data(strict_client, row):
    response = strict_client.post(url(row), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Person.objects.get(pk=row.person_id).opted_out_at is not None


def test_unsubscribing_twice_changes_nothing_more(strict_client, row):
    body = "List-Unsubscribe=One-Click"
    kind = "application/x-www-form-urlencoded"
    strict_client.post(url(row), body, content_type=kind)
    row.refresh_from_db()
    first = row.unsubscribed_at
    response = strict_client.post(url(row), body, content_type=kind)
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.unsubscribed_at == first
    assert AuditEntry.objects.filter(action="contacts.person.opted_out").count() == 1
    assert (
        AuditEntry.objects.filter(action="pressreleases.delivery.unsubscribed").count()
        == 1
    )
    page = strict_client.get(url(row))
    assert "a•••@example.am" in page.text
    assert "<form" not in page.text.split('id="main"', 1)[1]  # nothing left to do


def test_waiting_messages_to_that_address_are_cancelled(strict_client, row):
    next_release = make_release(row.release.author, slug="next")
    later = make_distribution(next_release, row.release.author)
    other = make_delivery(later, None, email="ANI.PETROSYAN@example.am", language="hy")
    strict_client.post(
        url(row),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    other.refresh_from_db()
    assert other.status == Delivery.Status.CANCELLED


def test_a_row_whose_person_was_deleted_opts_out_the_address_owner(strict_client, row):
    owner = make_person("ka", email="owner@example.ge")
    orphan = make_delivery(
        row.distribution, None, email="Owner@example.ge", language="ka"
    )
    strict_client.post(
        url(orphan),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    owner.refresh_from_db()
    assert owner.opted_out_at is not None


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-3] + "abc",  # altered signature
        lambda token: "9999:" + token.split(":", 1)[1],  # another row's number
        lambda token: "nonsense",
    ],
)
def test_forged_token_is_refused_and_changes_nothing(strict_client, row, mangle):
    bad = reverse("unsubscribe:page", args=[mangle(mailing.unsubscribe_token(row))])
    for response in (
        strict_client.get(bad),
        strict_client.post(
            bad,
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        ),
    ):
        assert response.status_code == 400
        assert gettext(INVALID) in response.text
    row.refresh_from_db()
    assert row.unsubscribed_at is None
    assert Person.objects.get(pk=row.person_id).opted_out_at is None
    assert not AuditEntry.objects.exists()


def test_the_link_in_the_email_is_the_page(row, settings):
    settings.PRAPP_SITE_URL = "https://press.example.ge"
    prepared = mailing.prepare(row.release, "hy", under_embargo=False, attach_pdf=False)
    message = mailing.message_for(prepared, row)
    header = message.extra_headers["List-Unsubscribe"]
    assert header == f"<https://press.example.ge{url(row)}>"
    response = Client().get(url(row))
    assert response.status_code == 200


def test_already_opted_out_person_sees_so(strict_client, row):
    Person.objects.filter(pk=row.person_id).update(opted_out_at=timezone.now())
    html = strict_client.get(url(row)).text
    assert "<form" not in html.split('id="main"', 1)[1]


def test_masked_address():
    assert masked_address("nino@example.ge") == "n•••@example.ge"
    assert masked_address("x@y.am") == "x•••@y.am"
    assert masked_address("broken") == "•••"
