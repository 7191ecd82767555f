"""Factories of the events app, with Georgian and Armenian titles."""

from datetime import timedelta

import factory
from django.utils import timezone

from events.models import ChecklistTask, Event, EventType, Venue
from prapp.text import search_key


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"საკონფერენციო დარბაზი {n}")
    address = "რუსთაველის გამზ. 8, თბილისი"
    capacity = 80


def press_conference() -> EventType:
    """The press-conference type that migration 0003 creates, with its template."""
    return EventType.objects.get(code="press-conference")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    event_type = factory.LazyFunction(press_conference)
    title_ka = factory.Sequence(lambda n: f"პრესკონფერენცია {n}")
    title_hy = factory.Sequence(lambda n: f"Մամուլի ասուլիս {n}")
    title_en = factory.Sequence(lambda n: f"Press conference {n}")
    title = factory.SelfAttribute("title_en")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + timedelta(hours=1))
    search_key = factory.LazyAttribute(
        lambda e: search_key(e.title_ka, e.title_hy, e.title_en)
    )


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistTask

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"დავალება {n}")
