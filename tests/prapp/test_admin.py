import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from prapp.text import contains_mtavruli

PROJECT_APPS = {
    "prapp",
    "contacts",
    "events",
    "pressreleases",
    "media_monitoring",
    "archive",
    "inquiries",
    "reports",
}


def _project_models():
    for model in apps.get_models():
        if model._meta.app_label in PROJECT_APPS and model._meta.managed:
            yield model


def test_every_project_model_is_in_the_admin_with_search_and_filters():
    missing = []
    for model in _project_models():
        model_admin = admin.site._registry.get(model)
        if model_admin is None:
            missing.append(f"{model._meta.label}: not registered")
            continue
        if not model_admin.search_fields:
            missing.append(f"{model._meta.label}: no search_fields")
        if not model_admin.list_filter:
            missing.append(f"{model._meta.label}: no list_filter")
    assert not missing, missing


@pytest.mark.django_db
def test_every_admin_changelist_opens_for_a_manager_in_georgian(client, manager):
    client.force_login(manager)
    for model in _project_models():
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        response = client.get(url, {"q": "თბილისი"})
        assert response.status_code == 200, url
        assert not contains_mtavruli(response.text), url
