"""The public RSVP page: the emailed link, forged, altered and expired tokens."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from contacts.models import Interaction
from events import invitations as svc
from events.models import Event, Invitation
from tests.events.test_invitations import make_event, make_person


@pytest.fixture
def invitation(db):
    return Invitation.objects.create(
        event=make_event(),
        person=make_person("hy"),
        language="hy",
        delivery=Invitation.Delivery.SENT,
    )


def _url(invitation):
    return reverse("events:rsvp", args=[svc.rsvp_token(invitation)])


def _nothing_changed(invitation):
    invitation.refresh_from_db()
    assert invitation.response == ""
    assert not Interaction.objects.exists()


def test_page_in_invitation_language_and_answer(client, invitation):
    url = _url(invitation)
    page = client.get(url)
    assert page.status_code == 200
    assert "Մամուլի ասուլիս բյուջեի մասին" in page.content.decode()
    assert '<html lang="hy">' in page.content.decode()
    response = client.post(url, {"response": "maybe"}, follow=True)
    assert response.status_code == 200
    invitation.refresh_from_db()
    assert invitation.response == Invitation.Response.MAYBE
    assert invitation.responded_at
    entry = Interaction.objects.get(person=invitation.person)
    assert entry.kind == Interaction.Kind.INVITED
    assert entry.source == f"events.event:{invitation.event_id}"


def test_rsvp_is_csrf_protected(invitation):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(_url(invitation), {"response": "accepted"})
    assert response.status_code == 403
    _nothing_changed(invitation)


def test_forged_token_is_refused(client, invitation):
    forged = signing.dumps(
        {"i": invitation.pk, "s": invitation.secret, "x": 9999999999},
        salt="another.salt",
    )
    for token in (forged, "nonsense", svc.rsvp_token(invitation)[:-2] + "xx"):
        url = reverse("events:rsvp", args=[token])
        assert client.get(url).status_code == 400
        assert client.post(url, {"response": "accepted"}).status_code == 400
    _nothing_changed(invitation)


def test_altered_invitation_id_is_refused(client, invitation):
    other = Invitation.objects.create(event=invitation.event, person=make_person())
    token = svc.rsvp_token(invitation)
    _payload, rest = token.split(":", 1)
    altered = signing.dumps(
        {"i": other.pk, "s": invitation.secret, "x": 9999999999}, salt=svc.RSVP_SALT
    ).split(":", 1)[0]
    url = reverse("events:rsvp", args=[f"{altered}:{rest}"])
    assert client.post(url, {"response": "accepted"}).status_code == 400
    other.refresh_from_db()
    assert other.response == ""


def test_replaced_secret_is_gone(client, invitation):
    url = _url(invitation)
    Invitation.objects.filter(pk=invitation.pk).update(secret="new-secret")
    response = client.post(url, {"response": "accepted"})
    assert response.status_code == 410
    _nothing_changed(invitation)


def test_expired_token_gets_410_in_invitation_language(client, invitation, settings):
    settings.EVENTS_RSVP_MAX_AGE_DAYS = 3
    url = _url(invitation)
    later = (invitation.event.ends_at + timedelta(days=4)).timestamp()
    with mock.patch("django.core.signing.time.time", return_value=later):
        get = client.get(url)
        post = client.post(url, {"response": "accepted"})
    assert get.status_code == 410
    assert '<html lang="hy">' in get.content.decode()
    assert post.status_code == 410
    _nothing_changed(invitation)


def test_no_answer_after_the_event_started(client, invitation):
    url = _url(invitation)
    Event.objects.filter(pk=invitation.event_id).update(
        starts_at=timezone.now() - timedelta(minutes=5),
        ends_at=timezone.now() + timedelta(hours=1),
    )
    assert client.post(url, {"response": "accepted"}).status_code == 400
    _nothing_changed(invitation)


def test_cancelled_event_says_so(client, invitation):
    url = _url(invitation)
    Event.objects.filter(pk=invitation.event_id).update(status=Event.Status.CANCELLED)
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["cancelled"] is True
    assert 'name="response"' not in page.content.decode()
    assert client.post(url, {"response": "accepted"}).status_code == 400
    _nothing_changed(invitation)


def test_unknown_answer_is_refused(client, invitation):
    assert client.post(_url(invitation), {"response": "yes!"}).status_code == 400
    _nothing_changed(invitation)
