"""Invitations: choosing invitees, sending in each language, answers, check-in."""

import re
from datetime import timedelta
from email import message_from_bytes
from urllib.parse import urlsplit

import icalendar
import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contacts.models import Interaction
from events import invitations as svc
from events.models import Event, EventType, Invitation, InvitationReminder, Venue
from prapp.models import AuditEntry, CapturedEmail
from tests.contacts.factories import (
    ContactGroupFactory,
    ContactListFactory,
    PersonEmailFactory,
    PersonFactory,
)


def make_event(**extra) -> Event:
    """A minimal event in three languages (the planning area has the real factory)."""
    event_type, _ = EventType.objects.get_or_create(
        code="press", defaults={"name": "Press conference"}
    )
    starts = extra.pop("starts_at", timezone.now() + timedelta(days=5))
    values = {
        "event_type": event_type,
        "title_ka": "პრესკონფერენცია ბიუჯეტის შესახებ",
        "title_hy": "Մամուլի ասուլիս բյուջեի մասին",
        "title_en": "Press conference on the budget",
        "description_ka": "მინისტრი წარადგენს ახალ ბიუჯეტს.",
        "description_hy": "Նախարարը կներկայացնի նոր բյուջեն։",
        "description_en": "The minister presents the new budget.",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=1),
        "venue": Venue.objects.create(
            name="სამინისტროს საკონფერენციო დარბაზი", address="თბილისი, რუსთაველის 12"
        ),
    }
    values.update(extra)
    return Event.objects.create(**values)


def make_person(language="ka", email=True, **extra):
    person = PersonFactory(language=language, **extra)
    if email:
        PersonEmailFactory(person=person)
    return person


def rsvp_link(mail: CapturedEmail) -> str:
    """The path of the RSVP link in an email's text body."""
    match = re.search(r"https?://\S+/events/rsvp/[^/\s]+/", mail.body_text)
    assert match, mail.body_text
    return urlsplit(match.group(0)).path


def ics_attachment(mail: CapturedEmail) -> icalendar.Calendar:
    message = message_from_bytes(mail.raw.encode())
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return icalendar.Calendar.from_ical(part.get_payload(decode=True))
    raise AssertionError("no .ics attachment")


@pytest.fixture
def editor(make_user):
    return make_user("editor", role="Editor")


@pytest.fixture
def event(db):
    return make_event()


# --- Inviting and sending ------------------------------------------------------


def test_mixed_language_list_gets_one_email_each_in_own_language(
    event, editor, client, django_capture_on_commit_callbacks
):
    georgian = make_person("ka", first_name="ნინო", last_name="ბერიძე")
    armenian = make_person("hy", first_name="Անի", last_name="Պետրոսյան")
    english = make_person("en", first_name="John", last_name="Smith")
    contact_list = ContactListFactory()
    contact_list.members.add(georgian, armenian, english)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = svc.invitations_create(event=event, lists=[contact_list], actor=editor)
    assert len(result.created) == 3
    assert len(callbacks) == 3
    assert CapturedEmail.objects.count() == 3
    by_person = {i.person_id: i for i in Invitation.objects.filter(event=event)}
    assert {i.delivery for i in by_person.values()} == {Invitation.Delivery.SENT}
    subjects = {
        georgian.pk: "პრესკონფერენცია ბიუჯეტის შესახებ",
        armenian.pk: "Մամուլի ասուլիս բյուջեի մասին",
        english.pk: "Press conference on the budget",
    }
    for person_id, title in subjects.items():
        invitation = by_person[person_id]
        mail = CapturedEmail.objects.get(to=[invitation.email])
        assert title in mail.subject
        calendar = ics_attachment(mail)
        vevent = calendar.walk("VEVENT")[0]
        assert str(vevent["SUMMARY"]) == title
        assert str(vevent["UID"]).startswith(str(event.uid))

    # Follow the Armenian invitee's link and accept.
    mail = CapturedEmail.objects.get(to=[by_person[armenian.pk].email])
    link = rsvp_link(mail)
    page = client.get(link)
    assert page.status_code == 200
    assert "Մամուլի ասուլիս" in page.content.decode()
    response = client.post(link, {"response": "accepted"})
    assert response.status_code == 302
    invitation = Invitation.objects.get(pk=by_person[armenian.pk].pk)
    assert invitation.response == Invitation.Response.ACCEPTED
    assert invitation.response_channel == Invitation.Channel.LINK
    history = Interaction.objects.filter(
        person=armenian, source=f"events.event:{event.pk}"
    )
    assert history.filter(kind=Interaction.Kind.INVITED).count() == 2  # invite + answer
    # Changing the answer is allowed before the event.
    client.post(link, {"response": "declined"})
    invitation.refresh_from_db()
    assert invitation.response == Invitation.Response.DECLINED


def test_opted_out_do_not_contact_and_addressless_are_left_out(event, editor):
    fine = make_person()
    opted = make_person(opted_out_at=timezone.now())
    dnc = make_person(do_not_contact=True)
    no_address = make_person(email=False)
    bounced = make_person(email=False)
    PersonEmailFactory(person=bounced, bounced_at=timezone.now())
    group = ContactGroupFactory()
    group.people.add(fine, opted, dnc, no_address, bounced)

    preview = svc.invitation_candidates(event=event, groups=[group])
    assert preview.to_invite == [fine]
    assert preview.opted_out == [opted]
    assert preview.do_not_contact == [dnc]
    assert set(preview.no_address) == {no_address, bounced}

    result = svc.invitations_create(event=event, groups=[group], actor=editor)
    assert result.left_out == 4
    assert list(Invitation.objects.values_list("person_id", flat=True)) == [fine.pk]


def test_smart_list_is_evaluated_at_use(event, editor):
    from contacts.models import ContactList

    armenian = make_person("hy")
    make_person("ka")
    smart = ContactListFactory(
        kind=ContactList.Kind.SMART, criteria={"language": ["hy"]}
    )
    preview = svc.invitation_candidates(event=event, lists=[smart])
    assert preview.to_invite == [armenian]


def test_same_person_invited_twice_is_one_invitation(
    event, editor, django_capture_on_commit_callbacks
):
    person = make_person()
    contact_list = ContactListFactory()
    contact_list.members.add(person)
    with django_capture_on_commit_callbacks(execute=True):
        first = svc.invitations_create(
            event=event, lists=[contact_list], people=[person], actor=editor
        )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = svc.invitations_create(event=event, people=[person], actor=editor)
    assert len(first.created) == 1
    assert second.created == []
    assert second.already_invited == 1
    assert callbacks == []
    assert Invitation.objects.count() == 1
    assert CapturedEmail.objects.count() == 1
    assert Interaction.objects.filter(person=person).count() == 1


def test_send_task_twice_sends_once(event, editor, django_capture_on_commit_callbacks):
    from events.tasks_invitations import invitation_send_task

    person = make_person()
    with django_capture_on_commit_callbacks(execute=True):
        result = svc.invitations_create(event=event, people=[person], actor=editor)
    invitation_send_task(result.created[0])
    assert CapturedEmail.objects.count() == 1


def test_a_failed_send_does_not_stop_the_others(
    event, editor, settings, monkeypatch, django_capture_on_commit_callbacks
):
    first, second = make_person(), make_person()
    bad_address = first.emails.get().email
    from prapp.mail import CapturedEmailBackend

    real = CapturedEmailBackend.send_messages

    def flaky(self, messages):
        if messages[0].to == [bad_address]:
            raise OSError("connection refused")
        return real(self, messages)

    monkeypatch.setattr(CapturedEmailBackend, "send_messages", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        svc.invitations_create(event=event, people=[first, second], actor=editor)
    states = dict(Invitation.objects.values_list("person_id", "delivery"))
    assert states == {
        first.pk: Invitation.Delivery.FAILED,
        second.pk: Invitation.Delivery.SENT,
    }
    assert Invitation.objects.get(person=first).delivery_error == "connection refused"


def test_cancelled_event_cannot_invite(editor):
    from django.core.exceptions import ValidationError

    event = make_event(status=Event.Status.CANCELLED)
    with pytest.raises(ValidationError):
        svc.invitations_create(event=event, people=[make_person()], actor=editor)


def test_service_refuses_without_permission(event, viewer):
    with pytest.raises(PermissionDenied):
        svc.invitations_create(event=event, people=[make_person()], actor=viewer)
    assert not Invitation.objects.exists()


def test_invite_page_preview_and_invite(event, editor, client):
    client.force_login(editor)
    person = make_person(first_name="ნინო", last_name="ბერიძე")
    opted = make_person(opted_out_at=timezone.now(), first_name="გიორგი")
    # Typed in Latin, found in Georgian.
    page = client.get(reverse("events:invite", args=[event.pk]), {"q": "nino berid"})
    assert page.status_code == 200
    assert f'value="{person.pk}"' in page.content.decode()
    url = reverse("events:invite", args=[event.pk])
    preview = client.post(
        url, {"people": [person.pk, opted.pk], "role": "guest", "preview": "1"}
    )
    assert preview.status_code == 200
    assert preview.context["preview"].opted_out == [opted]
    assert not Invitation.objects.exists()
    done = client.post(
        url, {"people": [person.pk, opted.pk], "role": "guest", "invite": "1"}
    )
    assert done.status_code == 302
    assert list(Invitation.objects.values_list("person_id", flat=True)) == [person.pk]
    again = client.post(
        url, {"people": [person.pk], "role": "guest", "invite": "1"}, follow=True
    )
    assert any("1" in str(m) for m in again.context["messages"])
    assert Invitation.objects.count() == 1


def test_empty_choice_is_refused(event, editor, client):
    client.force_login(editor)
    response = client.post(
        reverse("events:invite", args=[event.pk]), {"role": "guest", "invite": "1"}
    )
    assert response.status_code == 400


# --- Staff-recorded answers ----------------------------------------------------


def _invitation(event, person=None, **extra):
    return Invitation.objects.create(
        event=event, person=person or make_person(), delivery="sent", **extra
    )


def test_staff_record_answer_by_phone(event, editor, client):
    invitation = _invitation(event)
    client.force_login(editor)
    response = client.post(
        reverse("events:invitation_answer", args=[invitation.pk]),
        {"response": "declined", "channel": "phone", "note": "ავადაა"},
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert (invitation.response, invitation.response_channel) == ("declined", "phone")
    assert invitation.response_note == "ავადაა"
    entry = Interaction.objects.get(person=invitation.person)
    assert entry.kind == Interaction.Kind.INVITED
    assert entry.actor == editor
    assert AuditEntry.objects.filter(action="events.invitation.answered").exists()


def test_viewer_cannot_record_answer_or_check_in(event, viewer, client):
    invitation = _invitation(event)
    client.force_login(viewer)
    for name, data in (
        ("events:invitation_answer", {"response": "accepted", "channel": "phone"}),
        ("events:checkin_mark", {}),
    ):
        response = client.post(reverse(name, args=[invitation.pk]), data)
        assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.response == "" and invitation.attended_at is None
    assert not Interaction.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="events.").exists()


# --- Check-in ------------------------------------------------------------------


def test_checkin_search_across_scripts(event, editor, client):
    nino = _invitation(event, make_person(first_name="ნინო", last_name="ბერიძე"))
    ani = _invitation(event, make_person(first_name="Անի", last_name="Պետրոսյան"))
    client.force_login(editor)
    url = reverse("events:checkin", args=[event.pk])
    found = client.get(url, {"q": "beridze"}).context["invitations"]
    assert list(found) == [nino]
    found = client.get(url, {"q": "Petrosyan"}).context["invitations"]
    assert list(found) == [ani]
    found = client.get(url, {"q": "ნინო"}).context["invitations"]
    assert list(found) == [nino]


def test_checkin_is_idempotent_and_recorded(event, editor, client):
    invitation = _invitation(event)
    client.force_login(editor)
    url = reverse("events:checkin_mark", args=[invitation.pk])
    assert client.post(url, {"q": "x"}).status_code == 302
    first = Invitation.objects.get(pk=invitation.pk).attended_at
    assert first
    client.post(url)
    assert Invitation.objects.get(pk=invitation.pk).attended_at == first
    assert (
        Interaction.objects.filter(
            person=invitation.person, kind=Interaction.Kind.ATTENDED
        ).count()
        == 1
    )
    assert AuditEntry.objects.filter(action="events.invitation.checked_in").count() == 1
    as_json = client.post(url, HTTP_ACCEPT="application/json")
    assert as_json.json()["ok"] is True


# --- Guest list and query counts ----------------------------------------------


def _fill(event, n):
    for i in range(n):
        _invitation(
            event,
            response=["", "accepted", "declined", "maybe"][i % 4],
            attended_at=timezone.now() if i % 3 == 0 else None,
        )


def test_guest_counts(event):
    _fill(event, 8)
    counts = svc.guest_counts(event)
    assert counts["invited"] == 8
    assert counts["sent"] == 8
    assert (counts["accepted"], counts["declined"], counts["maybe"]) == (2, 2, 2)
    assert counts["no_answer"] == 2
    assert counts["attended"] == 3


@pytest.mark.parametrize(
    "name", ["events:guest_list", "events:guest_list_print", "events:checkin"]
)
def test_pinned_query_counts(event, editor, client, name):
    client.force_login(editor)
    url = reverse(name, args=[event.pk])
    _fill(event, 3)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _fill(event, 20)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(few) == len(many)
    assert len(many) <= 12


# --- Reminders -----------------------------------------------------------------


def test_reminders_once_per_offset(
    settings, editor, django_capture_on_commit_callbacks
):
    from events.tasks_invitations import invitations_remind_due

    settings.EVENTS_REMINDER_HOURS = ["72", "24"]
    event = make_event(starts_at=timezone.now() + timedelta(hours=20))
    sent_long_ago = timezone.now() - timedelta(days=10)
    waiting = _invitation(event, email="a@example.ge", sent_at=sent_long_ago)
    accepted = _invitation(
        event, email="b@example.ge", sent_at=sent_long_ago, response="accepted"
    )
    declined = _invitation(
        event, email="c@example.ge", sent_at=sent_long_ago, response="declined"
    )
    late = _invitation(event, email="d@example.ge", sent_at=timezone.now())
    for invitation in (waiting, accepted, declined, late):
        invitation.person.emails.update(email=invitation.email)

    invitations_remind_due()
    invitations_remind_due()
    mails = CapturedEmail.objects.order_by("pk")
    assert sorted(m.to[0] for m in mails) == ["a@example.ge", "b@example.ge"]
    # Only the nearest offset was sent; the 72-hour one is marked done with it.
    assert set(
        InvitationReminder.objects.filter(invitation=waiting).values_list(
            "hours_before", flat=True
        )
    ) == {24, 72}
    assert not InvitationReminder.objects.filter(invitation=declined).exists()
    assert not InvitationReminder.objects.filter(invitation=late).exists()
    # The service itself refuses a second send of the same offset.
    assert svc.invitation_remind(invitation_id=waiting.pk, hours_before=24) is False
    assert CapturedEmail.objects.count() == 2
    assert all(m.attachment_names == ["event.ics"] for m in mails)


def test_reminder_at_72_then_24(db, settings):
    settings.EVENTS_REMINDER_HOURS = ["72", "24"]
    event = make_event(starts_at=timezone.now() + timedelta(hours=60))
    invitation = _invitation(
        event, email="a@example.ge", sent_at=timezone.now() - timedelta(days=10)
    )
    invitation.person.emails.update(email="a@example.ge")
    assert svc.reminders_due() == [(invitation.pk, 72)]
    assert svc.invitation_remind(invitation_id=invitation.pk, hours_before=72)
    assert svc.reminders_due() == []
    later = timezone.now() + timedelta(hours=40)
    assert svc.reminders_due(now=later) == [(invitation.pk, 24)]


# --- Access ----------------------------------------------------------------------

STAFF_PAGES = {
    "events:guest_list": "Viewer",
    "events:guest_list_print": "Viewer",
    "events:event_ics": "Viewer",
    "events:invite": "Editor",
    "events:checkin": "Editor",
}


@pytest.mark.parametrize("name", sorted(STAFF_PAGES))
def test_anonymous_is_sent_to_login(event, client, name):
    response = client.get(reverse(name, args=[event.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("name", ["events:invite", "events:checkin"])
def test_viewer_refused_editor_pages(event, viewer, client, name):
    client.force_login(viewer)
    assert client.get(reverse(name, args=[event.pk])).status_code == 403
    response = client.post(
        reverse(name, args=[event.pk]),
        {"people": [make_person().pk], "role": "guest", "invite": "1"},
    )
    assert response.status_code in (403, 405)
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("name", sorted(STAFF_PAGES))
def test_permitted_roles_open_pages(event, make_user, client, name):
    user = make_user("someone", role=STAFF_PAGES[name])
    client.force_login(user)
    assert client.get(reverse(name, args=[event.pk])).status_code == 200


def test_a_temporary_mail_error_leaves_the_invitation_waiting_for_a_retry(
    event, monkeypatch
):
    import smtplib

    from prapp.mail import CapturedEmailBackend

    invitation = Invitation.objects.create(event=event, person=make_person())
    real = CapturedEmailBackend.send_messages
    answers = [smtplib.SMTPResponseException(421, b"try again later")]

    def busy_once(self, messages):
        if answers:
            raise answers.pop()
        return real(self, messages)

    monkeypatch.setattr(CapturedEmailBackend, "send_messages", busy_once)
    with pytest.raises(svc.TransientMailError):
        svc.invitation_send(invitation_id=invitation.pk)
    invitation.refresh_from_db()
    assert invitation.delivery == Invitation.Delivery.PENDING
    assert invitation.sent_at is None
    assert CapturedEmail.objects.count() == 0
    # The task's retry sends it.
    assert svc.invitation_send(invitation_id=invitation.pk) == "sent"
    assert CapturedEmail.objects.count() == 1
    assert not svc._is_transient(smtplib.SMTPResponseException(550, b"no such user"))
