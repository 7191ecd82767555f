"""The events admin: every model registered, searchable, and audited."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from events.models import Event, EventType
from prapp.models import AuditEntry

from .factories import EventFactory


def test_every_events_model_is_registered_with_search_and_filters():
    for model in apps.get_app_config("events").get_models():
        if not model._meta.managed:
            continue
        model_admin = admin.site._registry.get(model)
        assert model_admin is not None, model
        assert model_admin.search_fields and model_admin.list_filter, model


@pytest.mark.django_db
def test_event_changelist_and_change_page_open_for_a_manager(client, manager):
    event = EventFactory()
    client.force_login(manager)
    url = reverse("admin:events_event_changelist")
    assert client.get(url, {"q": "პრესკონფერენცია"}).status_code == 200
    change = reverse("admin:events_event_change", args=[event.pk])
    assert client.get(change).status_code == 200
    assert client.get(reverse("admin:events_eventtype_add")).status_code == 200


@pytest.mark.django_db
def test_a_manager_adds_an_event_type_in_the_admin_audited(client, manager):
    client.force_login(manager)
    response = client.post(
        reverse("admin:events_eventtype_add"),
        {
            "name_ka": "ფორუმი",
            "name_hy": "Ֆորում",
            "name_en": "Forum",
            "code": "forum",
            "position": 20,
            "checklist_items-TOTAL_FORMS": 0,
            "checklist_items-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.text[:2000]
    assert EventType.objects.filter(code="forum").exists()
    assert AuditEntry.objects.filter(action="events.eventtype.created").exists()
    assert Event.objects.count() == 0
