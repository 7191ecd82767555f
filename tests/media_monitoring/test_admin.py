"""The media monitoring admin: registered, searchable, writing through services."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from media_monitoring.models import Item, ItemNote, ItemTopic, Source, Topic
from prapp.models import AuditEntry

from .test_inbox_services import make_item, make_source, make_topic


def test_every_monitoring_model_is_registered_with_search_and_filters():
    for model in apps.get_app_config("media_monitoring").get_models():
        if not model._meta.managed:
            continue
        model_admin = admin.site._registry.get(model)
        assert model_admin is not None, model
        assert model_admin.search_fields and model_admin.list_filter, model


@pytest.mark.django_db
def test_changelists_and_change_pages_open_for_a_manager(client, manager):
    source = make_source()
    item = make_item(source=source)
    topic = make_topic()
    ItemTopic.objects.create(item=item, topic=topic, terms="damtsvel")
    ItemNote.objects.create(item=item, author=manager, text="შენიშვნა")
    client.force_login(manager)
    for name in (
        "source",
        "topic",
        "item",
        "subscription",
        "itemtopic",
        "itemnote",
        "digestentry",
        "digestrun",
    ):
        url = reverse(f"admin:media_monitoring_{name}_changelist")
        assert client.get(url, {"q": "დამცველ"}).status_code == 200, name
    page = client.get(reverse("admin:media_monitoring_item_change", args=[item.pk]))
    assert page.status_code == 200
    assert "შენიშვნა" in page.text and topic.name in page.text
    page = client.get(reverse("admin:media_monitoring_source_change", args=[source.pk]))
    assert page.status_code == 200
    # Pull health is shown, not edited.
    assert 'name="consecutive_failures"' not in page.text
    assert 'name="etag"' not in page.text
    assert client.get(reverse("admin:media_monitoring_item_add")).status_code == 403


def _source_form(**extra):
    data = {
        "name": "Civil.ge",
        "kind": "feed",
        "url": "https://civil.ge/feed",
        "outlet": "",
        "language": "en",
        "interval_minutes": 30,
        "enabled": "on",
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_a_source_added_and_changed_in_the_admin_goes_through_the_services(
    client, manager
):
    client.force_login(manager)
    response = client.post(reverse("admin:media_monitoring_source_add"), _source_form())
    assert response.status_code == 302, response.text[:2000]
    source = Source.objects.get()
    assert source.created_by == manager
    assert AuditEntry.objects.filter(action="media_monitoring.source.created").exists()
    Source.objects.filter(pk=source.pk).update(etag='"abc"', last_modified="x")
    response = client.post(
        reverse("admin:media_monitoring_source_change", args=[source.pk]),
        _source_form(url="https://civil.ge/feed/new"),
    )
    assert response.status_code == 302, response.text[:2000]
    source.refresh_from_db()
    # A new address forgets the old validators (the service's rule).
    assert (source.url, source.etag, source.last_modified) == (
        "https://civil.ge/feed/new",
        "",
        "",
    )
    assert AuditEntry.objects.filter(action="media_monitoring.source.changed").exists()
    response = client.post(
        reverse("admin:media_monitoring_source_delete", args=[source.pk]),
        {"post": "yes"},
    )
    assert response.status_code == 302
    assert not Source.objects.exists()
    assert AuditEntry.objects.filter(action="media_monitoring.source.deleted").exists()


@pytest.mark.django_db
def test_a_topic_of_only_asterisks_is_refused_in_the_admin(client, manager):
    client.force_login(manager)
    url = reverse("admin:media_monitoring_topic_add")
    data = {
        "name": "პენსიები",
        "include_terms": "*",
        "exclude_terms": "",
        "language": "",
        "priority": "normal",
        "active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and not Topic.objects.exists()
    response = client.post(url, {**data, "include_terms": "პენსი*\npensi*"})
    assert response.status_code == 302
    assert Topic.objects.get().created_by == manager
    assert AuditEntry.objects.filter(action="media_monitoring.topic.created").exists()


@pytest.mark.django_db
def test_item_triage_in_the_admin_is_audited_by_the_service(client, manager):
    item = make_item(title="სტატია")
    client.force_login(manager)
    response = client.post(
        reverse("admin:media_monitoring_item_change", args=[item.pk]),
        {
            "status": "relevant",
            "sentiment": "negative",
            "assignee": manager.pk,
            "release": "",
            "event": "",
            "matches-TOTAL_FORMS": 0,
            "matches-INITIAL_FORMS": 0,
            "notes-TOTAL_FORMS": 0,
            "notes-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.text[:3000]
    item.refresh_from_db()
    assert (item.status, item.sentiment, item.assignee) == (
        "relevant",
        "negative",
        manager,
    )
    assert item.title == "სტატია"
    entry = AuditEntry.objects.get(action="media_monitoring.item.changed")
    assert entry.changes["status"] == ["new", "relevant"]
    assert Item.objects.count() == 1
