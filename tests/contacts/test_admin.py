"""The contacts models in the admin: registered, searchable across scripts, audited."""

import pytest
from django.contrib import admin
from django.urls import reverse

from contacts.models import ImportJob, Organisation, Person
from prapp.admin_audit import AuditedModelAdmin
from prapp.models import AuditEntry
from prapp.text import contains_mtavruli

from .factories import OrganisationFactory, PersonFactory


def test_every_contacts_model_is_registered_and_audited():
    from django.apps import apps

    for model in apps.get_app_config("contacts").get_models():
        if not model._meta.managed:
            continue
        model_admin = admin.site._registry[model]
        assert model_admin.search_fields and model_admin.list_filter, model
        if model is not ImportJob:  # written by the import task only: read-only
            assert isinstance(model_admin, AuditedModelAdmin), model


@pytest.mark.django_db
def test_admin_search_finds_georgian_names_by_latin(client, manager):
    person = PersonFactory(first_name="ნინო", last_name="ბერიძე")
    client.force_login(manager)
    response = client.get(reverse("admin:contacts_person_changelist"), {"q": "beridze"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [person]
    assert not contains_mtavruli(response.text)


@pytest.mark.django_db
def test_admin_edit_recomputes_the_search_key_and_is_audited(client, manager):
    organisation = OrganisationFactory()
    client.force_login(manager)
    url = reverse("admin:contacts_organisation_change", args=[organisation.pk])
    data = {
        "name_ka": "ინტერპრესნიუსი",
        "name_hy": "",
        "name_en": "Interpressnews",
        "name_latin": "",
        "kind": "media",
        "media_type": "agency",
        "website": "",
        "email": "",
        "phone": "",
        "notes": "",
        "agreements-TOTAL_FORMS": "0",
        "agreements-INITIAL_FORMS": "0",
        "agreements-MIN_NUM_FORMS": "0",
        "agreements-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    organisation = Organisation.objects.get()
    assert "interpresniusi" in organisation.search_key
    assert AuditEntry.objects.filter(action="contacts.organisation.changed").exists()


@pytest.mark.django_db
def test_do_not_contact_is_read_only_for_editors_in_the_admin(rf, make_user):
    editor = make_user("editor", role="Editor")
    request = rf.get("/")
    request.user = editor
    fields = admin.site._registry[Person].get_readonly_fields(request)
    assert "do_not_contact" in fields
