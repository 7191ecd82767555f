"""The demo month of events: realistic content, and a second run adds nothing."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from contacts.demo import seed_contacts
from contacts.models import Interaction
from events.demo import EVENTS, seed_events
from events.models import (
    Accreditation,
    AgendaItem,
    ChecklistTask,
    Event,
    FollowUp,
    Invitation,
    Venue,
)
from prapp.demo import seed_staff

MODELS = (
    Event,
    Venue,
    ChecklistTask,
    AgendaItem,
    FollowUp,
    Invitation,
    Accreditation,
    Interaction,
)


def _counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.mark.django_db
def test_demo_month_is_realistic_and_idempotent():
    seed_staff()
    seed_contacts(people=40)
    assert seed_events() == len(EVENTS)
    before = _counts()
    assert seed_events() == 0
    assert _counts() == before

    today = timezone.localdate()
    events = Event.objects.all()
    for event in events:
        assert event.title_ka and event.title_hy and event.title_en
        assert event.venue is not None
        assert abs((timezone.localtime(event.starts_at).date() - today).days) <= 16
        assert event.search_key
    assert events.filter(starts_at__lt=timezone.now()).exists()
    assert events.filter(starts_at__gt=timezone.now() + timedelta(days=7)).exists()
    held = events.filter(status=Event.Status.HELD)
    assert held.exists() and not held.filter(starts_at__gt=timezone.now())
    assert held.filter(people_received__gt=0).exists()
    assert ChecklistTask.objects.filter(state=ChecklistTask.State.DONE).exists()
    assert ChecklistTask.objects.filter(state=ChecklistTask.State.OPEN).exists()
    assert Event.objects.filter(key_participants__isnull=False).exists()
    session = held.get(event_type__code="council-session")
    assert session.agenda.exclude(decision="").count() >= 3
    assert AgendaItem.objects.filter(event__event_type__code="public-hearing")
    responses = set(Invitation.objects.values_list("response", flat=True))
    assert {"accepted", "declined"} <= responses
    assert Invitation.objects.filter(attended_at__isnull=False).exists()
    assert not Invitation.objects.exclude(delivery=Invitation.Delivery.SENT).exists()
    statuses = set(Accreditation.objects.values_list("status", flat=True))
    assert {"pending", "approved"} <= statuses
    approved = Accreditation.objects.filter(status="approved")
    assert not approved.filter(badge_number="").exists()
    assert not approved.filter(person__isnull=True).exists()
    assert Event.objects.filter(
        accreditation_open=True, starts_at__gt=timezone.now()
    ).exists()
    assert Interaction.objects.filter(kind=Interaction.Kind.ACCREDITED).exists()


@pytest.mark.django_db
def test_seed_demo_command_runs_twice():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert f"new events: {len(EVENTS)}" in out.getvalue()
    before = _counts()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "new events: 0" in out.getvalue()
    assert _counts() == before


@pytest.mark.django_db
def test_demo_events_without_contacts_still_work():
    assert seed_events() == len(EVENTS)
    assert Invitation.objects.count() == 0
