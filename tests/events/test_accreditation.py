"""Media accreditation: the public form and its spam guards, decisions, contacts."""

import time
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contacts.models import Affiliation, Interaction, Organisation, Person, PersonPhone
from events import accreditation as services
from events.forms_accreditation import form_stamp
from events.models import Accreditation, Event, EventType
from prapp.models import AuditEntry, CapturedEmail
from tests.contacts.factories import (
    OrganisationFactory,
    PersonEmailFactory,
    PersonFactory,
)


def make_event(**extra) -> Event:
    """A press conference in three days, open for accreditation."""
    starts = timezone.now() + timedelta(days=3)
    values = {
        "event_type": EventType.objects.get(code="press-conference"),
        "title_ka": "სახალხო დამცველის ანგარიშის პრეზენტაცია",
        "title_hy": "Հանրային պաշտպանի զեկույցի ներկայացում",
        "title_en": "Presentation of the Public Defender's report",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=1),
        "accreditation_open": True,
    }
    values.update(extra)
    return Event.objects.create(**values)


def form_data(**extra) -> dict:
    data = {
        "full_name": "ნინო ბერიძე",
        "outlet": "ინტერპრესნიუსი",
        "role": "reporter",
        "press_card": "GE-1234",
        "email": "nino.beridze@example.ge",
        "phone": "599 12 34 56",
        "language": "ka",
        "website": "",
        # Rendered ten seconds ago: a person's pace.
        "stamp": form_stamp(now=time.time() - 10),
    }
    data.update(extra)
    return data


def make_request(event, **extra) -> Accreditation:
    values = {
        "event": event,
        "full_name": "Անի Պետրոսյան",
        "outlet": "Armenpress",
        "role": Accreditation.Role.PHOTO,
        "email": "ani.petrosyan@example.am",
        "phone": "+37491123456",
        "language": "hy",
    }
    values.update(extra)
    return Accreditation.objects.create(**values)


@pytest.fixture
def event(db):
    return make_event()


@pytest.fixture
def editor(make_user):
    return make_user("editor", role="Editor")


# --- The public form -------------------------------------------------------


@pytest.mark.django_db
def test_form_page_opens_without_login_in_the_visitors_language(client, event):
    client.cookies["prapp_language"] = "hy"
    response = client.get(reverse("events:accreditation_apply", args=[event.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="hy"' in page
    assert event.title_hy in page
    # The honeypot is out of reach of people, keyboards and screen readers.
    assert 'aria-hidden="true"' in page
    assert 'tabindex="-1"' in page


@pytest.mark.django_db
def test_public_list_shows_open_events_only(client, event):
    closed = make_event(title_en="Closed briefing", accreditation_open=False)
    response = client.get(reverse("events:accreditation_public"))
    assert response.status_code == 200
    assert reverse("events:accreditation_apply", args=[event.pk]) in (
        response.content.decode()
    )
    assert reverse("events:accreditation_apply", args=[closed.pk]) not in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_valid_request_is_stored_once_and_answered_in_the_chosen_language(
    client, event, django_capture_on_commit_callbacks
):
    url = reverse("events:accreditation_apply", args=[event.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_data(language="hy"))
    assert response.status_code == 302
    assert response["Location"] == reverse("events:accreditation_thanks")
    accreditation = Accreditation.objects.get()
    assert accreditation.status == Accreditation.Status.PENDING
    assert accreditation.phone == "+995599123456"
    assert accreditation.language == "hy"
    assert accreditation.source_hash == services.source_hash("127.0.0.1")
    assert "127.0.0.1" not in accreditation.source_hash
    mail = CapturedEmail.objects.get()
    assert mail.to == ["nino.beridze@example.ge"]
    assert event.title_hy in mail.subject
    assert 'lang="hy"' in mail.body_html
    assert AuditEntry.objects.filter(action="events.accreditation.submitted").exists()
    thanks = client.get(response["Location"])
    assert "nino.beridze@example.ge" in thanks.content.decode()


@pytest.mark.django_db
def test_received_mail_is_sent_once_even_if_the_task_runs_twice(event):
    from events.tasks_accreditation import accreditation_mail

    accreditation = make_request(event)
    accreditation_mail(accreditation.pk, "received")
    accreditation_mail(accreditation.pk, "received")
    accreditation_mail(accreditation.pk + 1000, "received")  # gone: quietly nothing
    assert CapturedEmail.objects.count() == 1


@pytest.mark.django_db
def test_filled_honeypot_is_refused_and_nothing_stored(client, event):
    url = reverse("events:accreditation_apply", args=[event.pk])
    response = client.post(url, form_data(website="http://spam.example"))
    assert response.status_code == 400
    assert Accreditation.objects.count() == 0
    assert CapturedEmail.objects.count() == 0


@pytest.mark.django_db
def test_form_sent_too_fast_is_refused(client, event):
    url = reverse("events:accreditation_apply", args=[event.pk])
    response = client.post(url, form_data(stamp=form_stamp()))
    assert response.status_code == 400
    assert Accreditation.objects.count() == 0
    # The refused form carries a new stamp, so a person can simply send again.
    assert 'name="stamp"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "stamp",
    [
        "",
        "forged",
        form_stamp(now=time.time() - 2 * 24 * 60 * 60),
    ],
)
def test_missing_forged_or_old_stamp_is_refused(client, event, stamp):
    url = reverse("events:accreditation_apply", args=[event.pk])
    response = client.post(url, form_data(stamp=stamp))
    assert response.status_code == 400
    assert Accreditation.objects.count() == 0


@pytest.mark.django_db
def test_sixth_request_from_one_address_within_an_hour_gets_429(client, event):
    url = reverse("events:accreditation_apply", args=[event.pk])
    for number in range(5):
        response = client.post(url, form_data(email=f"j{number}@example.ge"))
        assert response.status_code == 302
    response = client.post(url, form_data(email="j6@example.ge"))
    assert response.status_code == 429
    assert response.templates[0].name == "events/accreditation_rate_limited.html"
    assert Accreditation.objects.count() == 5
    # Another address is not held back.
    response = client.post(
        url, form_data(email="j7@example.ge"), REMOTE_ADDR="192.0.2.7"
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_limit_forgets_requests_older_than_an_hour(client, event):
    url = reverse("events:accreditation_apply", args=[event.pk])
    for number in range(5):
        client.post(url, form_data(email=f"j{number}@example.ge"))
    Accreditation.objects.update(submitted_at=timezone.now() - timedelta(hours=2))
    response = client.post(url, form_data(email="j6@example.ge"))
    assert response.status_code == 302


@pytest.mark.django_db
def test_same_email_twice_is_one_request(client, event):
    url = reverse("events:accreditation_apply", args=[event.pk])
    client.post(url, form_data())
    response = client.post(url, form_data(email="Nino.Beridze@example.ge"))
    assert response.status_code == 302
    assert Accreditation.objects.count() == 1
    thanks = client.get(response["Location"])
    assert thanks.context["created"] is False


@pytest.mark.django_db
def test_same_email_for_another_event_is_a_new_request(client, event):
    other = make_event(title_en="Briefing")
    client.post(reverse("events:accreditation_apply", args=[event.pk]), form_data())
    client.post(reverse("events:accreditation_apply", args=[other.pk]), form_data())
    assert Accreditation.objects.count() == 2


@pytest.mark.django_db
def test_invalid_phone_is_an_error_on_the_form(client, event):
    url = reverse("events:accreditation_apply", args=[event.pk])
    response = client.post(url, form_data(phone="12"))
    assert response.status_code == 400
    assert response.context["form"].has_error("phone")
    assert Accreditation.objects.count() == 0


@pytest.mark.django_db
def test_closed_past_cancelled_or_unknown_event_is_404(client):
    closed = make_event(accreditation_open=False)
    past = make_event(
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=1),
    )
    cancelled = make_event(status=Event.Status.CANCELLED)
    for pk in (closed.pk, past.pk, cancelled.pk, 999_999):
        url = reverse("events:accreditation_apply", args=[pk])
        assert client.get(url).status_code == 404
        assert client.post(url, form_data()).status_code == 404
    assert Accreditation.objects.count() == 0


@pytest.mark.django_db
def test_period_form_is_404_unless_open(client, settings):
    url = reverse("events:accreditation_apply_period")
    settings.EVENTS_ACCREDITATION_PERIOD_OPEN = False
    assert client.get(url).status_code == 404
    settings.EVENTS_ACCREDITATION_PERIOD_OPEN = True
    assert client.get(url).status_code == 200
    response = client.post(url, form_data())
    assert response.status_code == 302
    accreditation = Accreditation.objects.get()
    assert accreditation.event is None
    assert (accreditation.valid_from, accreditation.valid_until) == (
        services.current_period()
    )
    client.post(url, form_data())
    assert Accreditation.objects.count() == 1


def test_current_period_is_the_calendar_quarter():
    from datetime import date

    assert services.current_period(date(2026, 2, 10)) == (
        date(2026, 1, 1),
        date(2026, 3, 31),
    )
    assert services.current_period(date(2026, 11, 30)) == (
        date(2026, 10, 1),
        date(2026, 12, 31),
    )


# --- Staff decisions ---------------------------------------------------------


@pytest.mark.django_db
def test_approve_adds_a_new_contact_with_the_outlet_and_mails_the_badge(
    client, editor, event, django_capture_on_commit_callbacks
):
    outlet = Organisation.objects.create(
        name="Armenpress",
        name_en="Armenpress",
        name_hy="Արմենպրես",
        kind=Organisation.Kind.MEDIA,
        search_key="armenpress armenpres",
    )
    accreditation = make_request(event)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("events:accreditation_approve", args=[accreditation.pk])
        )
    assert response.status_code == 302
    accreditation.refresh_from_db()
    assert accreditation.status == Accreditation.Status.APPROVED
    assert accreditation.decided_by == editor
    assert accreditation.badge_number
    person = accreditation.person
    assert (person.first_name, person.last_name) == ("Անի", "Պետրոսյան")
    assert person.language == "hy"
    assert list(person.emails.values_list("email", flat=True)) == [
        "ani.petrosyan@example.am"
    ]
    assert list(person.phones.values_list("number", flat=True)) == ["+37491123456"]
    affiliation = Affiliation.objects.get(person=person)
    assert affiliation.organisation == outlet
    assert affiliation.role == "photo"
    history = Interaction.objects.get(person=person)
    assert history.kind == Interaction.Kind.ACCREDITED
    assert history.source == f"events.event:{event.pk}"
    assert AuditEntry.objects.filter(action="events.accreditation.approved").exists()
    mail = CapturedEmail.objects.get()
    assert mail.to == ["ani.petrosyan@example.am"]
    assert accreditation.badge_number in mail.body_text
    assert event.title_hy in mail.subject


@pytest.mark.django_db
def test_approve_creates_the_outlet_as_a_media_organisation(editor, event):
    accreditation = make_request(event, outlet="ბათუმელები")
    services.accreditation_approve(accreditation=accreditation, actor=editor)
    organisation = Organisation.objects.get()
    assert organisation.kind == Organisation.Kind.MEDIA
    assert organisation.name_ka == "ბათუმელები"
    assert Affiliation.objects.get().organisation == organisation


@pytest.mark.django_db
def test_approve_links_an_existing_contact_by_email(editor, event):
    known = PersonEmailFactory(email="Ani.Petrosyan@example.am").person
    accreditation = make_request(event)
    services.accreditation_approve(accreditation=accreditation, actor=editor)
    accreditation.refresh_from_db()
    assert accreditation.person == known
    assert Person.objects.count() == 1
    assert Interaction.objects.get().person == known


@pytest.mark.django_db
def test_approve_links_an_existing_contact_by_phone(editor, event):
    known = PersonFactory()
    PersonPhone.objects.create(person=known, number="+37491123456")
    OrganisationFactory()
    accreditation = make_request(event, email="new.address@example.am")
    services.accreditation_approve(accreditation=accreditation, actor=editor)
    accreditation.refresh_from_db()
    assert accreditation.person == known
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_reject_needs_a_reason_and_mails_it(
    client, editor, event, django_capture_on_commit_callbacks
):
    accreditation = make_request(event, language="ka")
    client.force_login(editor)
    url = reverse("events:accreditation_reject", args=[accreditation.pk])
    client.post(url, {"reject-reason": ""})
    accreditation.refresh_from_db()
    assert accreditation.status == Accreditation.Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reject-reason": "დარბაზი სავსეა"})
    accreditation.refresh_from_db()
    assert accreditation.status == Accreditation.Status.REJECTED
    assert accreditation.decision_note == "დარბაზი სავსეა"
    assert accreditation.person is None
    assert Person.objects.count() == 0
    assert "დარბაზი სავსეა" in CapturedEmail.objects.get().body_text
    assert AuditEntry.objects.filter(action="events.accreditation.rejected").exists()


@pytest.mark.django_db
def test_revoke_an_approved_accreditation(
    client, editor, event, django_capture_on_commit_callbacks
):
    accreditation = make_request(event)
    services.accreditation_approve(accreditation=accreditation, actor=editor)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("events:accreditation_revoke", args=[accreditation.pk]),
            {"revoke-reason": "Badge passed to another person"},
        )
    accreditation.refresh_from_db()
    assert accreditation.status == Accreditation.Status.REVOKED
    assert AuditEntry.objects.filter(action="events.accreditation.revoked").exists()
    assert Interaction.objects.filter(person=accreditation.person).count() == 2
    mail = CapturedEmail.objects.get()
    assert "Badge passed to another person" in mail.body_text
    # A revoked accreditation is off the printed list and the badges.
    assert accreditation not in services.accreditations_approved(event=event)


@pytest.mark.django_db
def test_decisions_follow_the_states(editor, event):
    from django.core.exceptions import ValidationError

    accreditation = make_request(event)
    with pytest.raises(ValidationError):
        services.accreditation_revoke(
            accreditation=accreditation, reason="x", actor=editor
        )
    services.accreditation_reject(accreditation=accreditation, reason="x", actor=editor)
    with pytest.raises(ValidationError):
        services.accreditation_approve(accreditation=accreditation, actor=editor)


@pytest.mark.django_db
def test_viewer_cannot_decide_in_view_or_service(client, viewer, event):
    accreditation = make_request(event)
    client.force_login(viewer)
    for name, data in [
        ("events:accreditation_approve", {}),
        ("events:accreditation_reject", {"reject-reason": "no"}),
        ("events:accreditation_revoke", {"revoke-reason": "no"}),
    ]:
        response = client.post(reverse(name, args=[accreditation.pk]), data)
        assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.accreditation_approve(accreditation=accreditation, actor=viewer)
    with pytest.raises(PermissionDenied):
        services.accreditation_reject(
            accreditation=accreditation, reason="no", actor=viewer
        )
    accreditation.refresh_from_db()
    assert accreditation.status == Accreditation.Status.PENDING
    assert accreditation.decided_by is None
    assert Person.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="events.accreditation")
    assert CapturedEmail.objects.count() == 0


@pytest.mark.django_db
def test_decision_urls_refuse_get(client, editor, event):
    accreditation = make_request(event)
    client.force_login(editor)
    url = reverse("events:accreditation_approve", args=[accreditation.pk])
    assert client.get(url).status_code == 405


# --- Lists, print and badges --------------------------------------------------


@pytest.mark.django_db
def test_badges_page_shows_approved_journalists_only(client, editor, event):
    approved = make_request(event, full_name="ლევან ლომიძე", outlet="რუსთავი 2")
    make_request(event, email="pending@example.ge", full_name="მოლოდინში მყოფი")
    services.accreditation_approve(accreditation=approved, actor=editor)
    approved.refresh_from_db()
    client.force_login(editor)
    response = client.get(reverse("events:accreditation_badges", args=[event.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "ლევან ლომიძე" in page
    assert "რუსთავი 2" in page
    assert approved.badge_number in page
    assert "events/accreditation.css" in page
    assert "მოლოდინში მყოფი" not in page
    assert "style=" not in page.split("<body", 1)[1]
    printed = client.get(reverse("events:accreditation_print", args=[event.pk]))
    assert "ლევან ლომიძე" in printed.content.decode()


@pytest.mark.django_db
def test_list_filters_by_event_and_status(client, editor, event):
    other = make_event(title_en="Other")
    make_request(event, full_name="პირველი")
    make_request(other, full_name="მეორე", status=Accreditation.Status.APPROVED)
    client.force_login(editor)
    url = reverse("events:accreditation_list")
    page = client.get(url, {"event": event.pk}).content.decode()
    assert "პირველი" in page and "მეორე" not in page
    page = client.get(url, {"status": "approved"}).content.decode()
    assert "პირველი" not in page and "მეორე" in page


# Session, user, two of permissions, filter choices, count, page.
LIST_QUERIES = 7


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [2, 12])
def test_list_query_count_is_pinned(client, editor, event, rows):
    for number in range(rows):
        make_request(event, email=f"j{number}@example.am")
    for accreditation in Accreditation.objects.all()[: rows // 2]:
        services.accreditation_approve(accreditation=accreditation, actor=None)
    client.force_login(editor)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("events:accreditation_list"))
    assert response.status_code == 200
    assert len(queries) == LIST_QUERIES, [q["sql"] for q in queries]


@pytest.mark.django_db
def test_panel_counts_requests(rf, editor, event, make_user):
    from django.template.loader import render_to_string

    make_request(event)
    make_request(event, email="x@example.ge", status=Accreditation.Status.APPROVED)
    request = rf.get("/")
    request.user = editor
    html = render_to_string(
        "events/includes/_accreditation_panel.html", {"event": event}, request
    )
    assert reverse("events:accreditation_badges", args=[event.pk]) in html
    assert reverse("events:accreditation_print", args=[event.pk]) in html
    assert services.accreditation_counts(event)["pending"] == 1
    request.user = make_user("nobody")
    html = render_to_string(
        "events/includes/_accreditation_panel.html", {"event": event}, request
    )
    assert "accreditation_badges" not in html and not html.strip()


# --- Who may open what ---------------------------------------------------------

READ_PAGES = ["accreditation_list", "accreditation_period_print"]
READ_PK_PAGES = ["accreditation_detail"]
EVENT_PAGES = ["accreditation_print"]
DECIDE_PAGES = ["accreditation_period_badges"]
DECIDE_EVENT_PAGES = ["accreditation_badges"]


@pytest.mark.django_db
def test_permission_matrix(client, role_user, event):
    accreditation = make_request(event)
    can_decide = role_user.groups.filter(name__in=["Manager", "Editor"]).exists()
    urls = {
        **{name: (reverse(f"events:{name}"), True) for name in READ_PAGES},
        **{
            name: (reverse(f"events:{name}", args=[accreditation.pk]), True)
            for name in READ_PK_PAGES
        },
        **{
            name: (reverse(f"events:{name}", args=[event.pk]), True)
            for name in EVENT_PAGES
        },
        **{name: (reverse(f"events:{name}"), can_decide) for name in DECIDE_PAGES},
        **{
            name: (reverse(f"events:{name}", args=[event.pk]), can_decide)
            for name in DECIDE_EVENT_PAGES
        },
    }
    for name, (url, _allowed) in urls.items():
        assert client.get(url).status_code == 302, name  # anonymous: to the login
    client.force_login(role_user)
    for name, (url, allowed) in urls.items():
        assert client.get(url).status_code == (200 if allowed else 403), name
    approve = reverse("events:accreditation_approve", args=[accreditation.pk])
    response = client.post(approve)
    assert response.status_code == (302 if can_decide else 403)


@pytest.mark.django_db
def test_public_pages_need_no_login(client, event):
    for url in [
        reverse("events:accreditation_public"),
        reverse("events:accreditation_apply", args=[event.pk]),
        reverse("events:accreditation_thanks"),
    ]:
        assert client.get(url).status_code == 200, url
