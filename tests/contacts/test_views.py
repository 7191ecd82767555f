"""The contacts staff UI: people list, person form, bulk actions, lists, merge."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import ContactList, Interaction, Person, PersonEmail, PersonPhone
from prapp.models import AuditEntry

from .factories import (
    ContactGroupFactory,
    ContactListFactory,
    OrganisationFactory,
    PersonEmailFactory,
    PersonFactory,
)


@pytest.fixture
def editor(make_user):
    return make_user("editor", role="Editor")


def person_post(
    emails=(), phones=(), confirm=False, first="ნინო", last="ბერიძე", **fields
):
    """The POST of the person form, with its two inline formsets."""
    data = {
        "first_name": first,
        "last_name": last,
        "first_name_latin": "",
        "last_name_latin": "",
        "position": "",
        "language": "ka",
        "consent_basis": "",
        **fields,
    }
    for prefix, key, items in (
        ("emails", "email", emails),
        ("phones", "number", phones),
    ):
        data[f"{prefix}-TOTAL_FORMS"] = str(max(len(items), 1))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        for index, value in enumerate(items):
            data[f"{prefix}-{index}-{key}"] = value
            if prefix == "phones":
                data[f"{prefix}-{index}-kind"] = "mobile"
    if confirm:
        data["confirm_duplicate"] = "on"
    return data


@pytest.mark.django_db
def test_create_person_in_georgian_then_find_by_latin(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("contacts:person_create"),
        person_post(emails=["nino@ipn.ge"], phones=["599 12 34 56"]),
    )
    person = Person.objects.get()
    assert response.status_code == 302
    assert response.url == person.get_absolute_url()
    assert list(person.phones.values_list("number", flat=True)) == ["+995599123456"]
    assert person.emails.get().email == "nino@ipn.ge"
    page = client.get(reverse("contacts:index"), {"q": "beridze"})
    assert person.get_absolute_url() in page.text
    assert "ნინო ბერიძე" in page.text
    assert "+995 599 12 34 56" in page.text  # the display format
    assert (
        client.get(reverse("contacts:index"), {"q": "maisuradze"}).context["total"] == 0
    )


@pytest.mark.django_db
def test_invalid_phone_is_a_field_error_and_stores_nothing(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("contacts:person_create"), person_post(phones=["12"])
    )
    assert response.status_code == 200
    errors = response.context["phones_formset"].forms[0].errors
    assert "number" in errors
    assert "12" in response.text and "is-invalid" in response.text
    assert not Person.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="contacts.").exists()


@pytest.mark.django_db
def test_address_of_someone_else_is_a_form_error(client, editor):
    PersonEmailFactory(email="press@gpb.ge")
    client.force_login(editor)
    response = client.post(
        reverse("contacts:person_create"),
        person_post(emails=["PRESS@gpb.ge"], first="გიორგი", last="მაისურაძე"),
    )
    # The address matches: first the duplicate warning, then the service's rule.
    assert response.status_code == 200
    response = client.post(
        reverse("contacts:person_create"),
        person_post(
            emails=["PRESS@gpb.ge"], first="გიორგი", last="მაისურაძე", confirm=True
        ),
    )
    assert response.status_code == 200
    assert "press@gpb.ge" in response.text.lower()
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_duplicate_warning_then_create_after_confirmation(client, editor):
    existing = PersonFactory(
        first_name="Nino", last_name="Beridze", name_key="nino beridze"
    )
    client.force_login(editor)
    url = reverse("contacts:person_create")
    response = client.post(url, person_post())
    assert response.status_code == 200
    assert [p.pk for p in response.context["duplicates"]] == [existing.pk]
    assert 'name="confirm_duplicate"' in response.text
    assert existing.get_absolute_url() in response.text
    assert Person.objects.count() == 1
    response = client.post(url, person_post(confirm=True))
    assert response.status_code == 302
    assert Person.objects.count() == 2


@pytest.mark.django_db
def test_duplicate_check_endpoint_matches_phone_across_formats(client, editor):
    person = PersonFactory()
    PersonPhone.objects.create(person=person, number="+995599123456")
    client.force_login(editor)
    response = client.get(
        reverse("contacts:duplicate_check"),
        {"first_name": "ზურაბ", "last_name": "ხარაიშვილი", "phone": "599 12-34-56"},
    )
    assert response.status_code == 200
    assert person.get_absolute_url() in response.text
    empty = client.get(
        reverse("contacts:duplicate_check"), {"first_name": "x", "phone": "12"}
    )
    assert empty.text.strip() == ""


@pytest.mark.django_db
def test_edit_person_keeps_bounced_address_and_replaces_phones(client, editor):
    person = PersonFactory()
    PersonEmailFactory(person=person, email="a@ipn.ge", bounced_at=timezone.now())
    PersonPhone.objects.create(person=person, number="+995599123456")
    client.force_login(editor)
    data = person_post(
        emails=["a@ipn.ge", "b@ipn.ge"],
        phones=["+374 10 123456"],
        first=person.first_name,
        last=person.last_name,
        organisation=OrganisationFactory().pk,
        role="რედაქტორი",
    )
    response = client.post(reverse("contacts:person_edit", args=[person.pk]), data)
    assert response.status_code == 302
    assert PersonEmail.objects.get(email="a@ipn.ge").bounced_at is not None
    assert set(person.emails.values_list("email", flat=True)) == {
        "a@ipn.ge",
        "b@ipn.ge",
    }
    assert list(person.phones.values_list("number", flat=True)) == ["+37410123456"]
    assert person.affiliations.get().role == "რედაქტორი"


@pytest.mark.django_db
def test_bulk_add_to_group_and_list_and_verify_selected(client, editor):
    chosen, other = PersonFactory(), PersonFactory()
    group = ContactGroupFactory()
    contact_list = ContactListFactory()
    client.force_login(editor)
    url = reverse("contacts:person_bulk")
    for action, extra in (
        ("group_add", {"group": group.pk}),
        ("list_add", {"contact_list": contact_list.pk}),
        ("verify", {}),
    ):
        response = client.post(
            url,
            {"action": action, "scope": "selected", "selected": [chosen.pk], **extra},
        )
        assert response.status_code == 302, action
    assert list(group.people.all()) == [chosen]
    assert list(contact_list.members.all()) == [chosen]
    chosen.refresh_from_db()
    other.refresh_from_db()
    assert chosen.last_verified_by == editor
    assert other.last_verified_at is None
    assert AuditEntry.objects.filter(action="contacts.group.people_added").exists()


@pytest.mark.django_db
def test_bulk_on_everybody_matching_the_filter(client, editor):
    language_hy = [PersonFactory(language="hy") for _ in range(3)]
    PersonFactory(language="ka")
    group = ContactGroupFactory()
    client.force_login(editor)
    response = client.post(
        reverse("contacts:person_bulk"),
        {
            "action": "group_add",
            "group": group.pk,
            "scope": "all",
            "filter_query": "language=hy",
        },
    )
    assert response.status_code == 302
    assert set(group.people.all()) == set(language_hy)
    response = client.post(
        reverse("contacts:person_bulk"),
        {
            "action": "group_remove",
            "group": group.pk,
            "scope": "all",
            "filter_query": "language=hy",
        },
    )
    assert not group.people.exists()


@pytest.mark.django_db
def test_stale_filter_and_one_click_verify(client, editor):
    stale = PersonFactory()
    fresh = PersonFactory(last_verified_at=timezone.now())
    client.force_login(editor)
    page = client.get(reverse("contacts:index"), {"stale": "on"})
    assert [p.pk for p in page.context["people"]] == [stale.pk]
    assert reverse("contacts:person_verify", args=[stale.pk]) in page.text
    back = reverse("contacts:index") + "?stale=on"
    response = client.post(
        reverse("contacts:person_verify", args=[stale.pk]), {"next": back}
    )
    assert response.url == back
    assert client.get(back).context["total"] == 0
    assert fresh.last_verified_at is not None


@pytest.mark.django_db
def test_stale_threshold_comes_from_the_setting(client, editor, settings):
    person = PersonFactory(last_verified_at=timezone.now() - datetime.timedelta(90))
    client.force_login(editor)
    settings.CONTACTS_STALE_AFTER_MONTHS = 12
    assert client.get(reverse("contacts:index"), {"stale": "on"}).context["total"] == 0
    settings.CONTACTS_STALE_AFTER_MONTHS = 2
    page = client.get(reverse("contacts:index"), {"stale": "on"})
    assert [p.pk for p in page.context["people"]] == [person.pk]


@pytest.mark.django_db
def test_smart_list_from_the_current_filter(client, editor):
    hy = PersonFactory(language="hy")
    PersonFactory(language="ka")
    client.force_login(editor)
    page = client.get(reverse("contacts:index"), {"language": "hy"})
    assert "save_filter" in page.text
    response = client.post(
        reverse("contacts:list_save_filter"),
        {"name": "სომხურენოვანი", "filter_query": page.context["filter_query"]},
    )
    contact_list = ContactList.objects.get()
    assert response.url == contact_list.get_absolute_url()
    assert contact_list.kind == ContactList.Kind.SMART
    assert contact_list.criteria == {"language": ["hy"]}
    detail = client.get(contact_list.get_absolute_url())
    assert [p.pk for p in detail.context["people"]] == [hy.pk]
    assert detail.context["total"] == 1
    assert str(Person.Language.HY.label) in detail.text  # the criteria in words
    later = PersonFactory(language="hy")  # evaluated when viewed
    detail = client.get(contact_list.get_absolute_url())
    assert {p.pk for p in detail.context["people"]} == {hy.pk, later.pk}


@pytest.mark.django_db
def test_remove_members_from_a_fixed_list(client, editor):
    contact_list = ContactListFactory()
    stays, goes = PersonFactory(), PersonFactory()
    contact_list.members.add(stays, goes)
    client.force_login(editor)
    response = client.post(
        reverse("contacts:list_remove_members", args=[contact_list.pk]),
        {"selected": [goes.pk]},
    )
    assert response.status_code == 302
    assert list(contact_list.members.all()) == [stays]


@pytest.mark.django_db
def test_merge_from_the_duplicates_page(client, editor):
    keep = PersonFactory(first_name="ნინო", last_name="ბერიძე")
    other = PersonFactory(
        first_name="Nino", last_name="Beridze", name_key="nino beridze"
    )
    PersonEmailFactory(person=other, email="nino@gpb.ge")
    contact_list = ContactListFactory()
    contact_list.members.add(other)
    client.force_login(editor)
    page = client.get(reverse("contacts:duplicates"))
    merge_url = reverse("contacts:merge") + f"?ids={keep.pk},{other.pk}"
    assert merge_url.replace(",", "%2C") in page.text or merge_url in page.text
    form_page = client.get(merge_url)
    assert form_page.status_code == 200
    ids = f"{keep.pk},{other.pk}"
    refused = client.post(reverse("contacts:merge"), {"ids": ids, "keep": keep.pk})
    assert refused.status_code == 200  # no confirmation ticked
    assert Person.objects.count() == 2
    response = client.post(
        reverse("contacts:merge"), {"ids": ids, "keep": keep.pk, "confirm": "on"}
    )
    assert response.url == keep.get_absolute_url()
    assert list(Person.objects.all()) == [keep]
    assert keep.emails.get().email == "nino@gpb.ge"
    assert list(contact_list.members.all()) == [keep]
    assert AuditEntry.objects.filter(
        action="contacts.person.merged", target_id=str(keep.pk)
    ).exists()


@pytest.mark.django_db
def test_manual_history_entry(client, editor):
    person = PersonFactory()
    client.force_login(editor)
    response = client.post(
        reverse("contacts:person_interaction", args=[person.pk]),
        {"interaction-kind": "call", "interaction-summary": "დაირეკა აკრედიტაციაზე"},
    )
    assert response.status_code == 302
    entry = Interaction.objects.get()
    assert (entry.kind, entry.actor, entry.person) == ("call", editor, person)
    assert "დაირეკა აკრედიტაციაზე" in client.get(person.get_absolute_url()).text


@pytest.mark.django_db
def test_mark_bounced_and_record_opt_out(client, editor):
    email = PersonEmailFactory()
    person = email.person
    client.force_login(editor)
    client.post(reverse("contacts:email_bounce", args=[email.pk]))
    email.refresh_from_db()
    assert email.bounced_at is not None
    client.post(
        reverse("contacts:person_opt_out", args=[person.pk]),
        {"opt_out-source": "სატელეფონო ზარი"},
    )
    person.refresh_from_db()
    assert person.opted_out_at and person.opted_out_source == "სატელეფონო ზარი"
    page = client.get(reverse("contacts:index"), {"mailing": "opted_out"})
    assert [p.pk for p in page.context["people"]] == [person.pk]
    assert (
        client.get(reverse("contacts:index"), {"mailing": "mailable"}).context["total"]
        == 0
    )


@pytest.mark.django_db
def test_clear_do_not_contact_is_for_managers_only(client, editor, manager):
    person = PersonFactory()
    client.force_login(editor)
    client.post(
        reverse("contacts:person_dnc_set", args=[person.pk]),
        {"dnc-reason": "მოითხოვა"},
    )
    person.refresh_from_db()
    assert person.do_not_contact
    page = client.get(person.get_absolute_url())
    clear_url = reverse("contacts:person_dnc_clear", args=[person.pk])
    assert clear_url not in page.text
    assert client.post(clear_url).status_code == 403
    person.refresh_from_db()
    assert person.do_not_contact
    client.force_login(manager)
    assert clear_url in client.get(person.get_absolute_url()).text
    assert client.post(clear_url).status_code == 302
    person.refresh_from_db()
    assert not person.do_not_contact


@pytest.mark.django_db
def test_viewer_sees_no_edit_controls(client, viewer):
    person = PersonEmailFactory().person
    contact_list = ContactListFactory()
    contact_list.members.add(person)
    client.force_login(viewer)
    listing = client.get(reverse("contacts:index"))
    assert person.get_absolute_url() in listing.text
    for text in (
        reverse("contacts:person_bulk"),
        reverse("contacts:person_create"),
        reverse("contacts:person_verify", args=[person.pk]),
        'name="selected"',
    ):
        assert text not in listing.text
    detail = client.get(person.get_absolute_url()).text
    assert reverse("contacts:person_edit", args=[person.pk]) not in detail
    assert '<form method="post"' not in detail.split("<main", 1)[1]
    list_page = client.get(contact_list.get_absolute_url()).text
    assert reverse("contacts:list_remove_members", args=[contact_list.pk]) not in (
        list_page
    )


@pytest.mark.django_db
def test_viewer_posts_are_refused_and_change_nothing(client, viewer):
    email = PersonEmailFactory()
    person = email.person
    group = ContactGroupFactory()
    contact_list = ContactListFactory()
    organisation = OrganisationFactory()
    client.force_login(viewer)
    audit_before = AuditEntry.objects.count()
    posts = [
        (reverse("contacts:person_create"), person_post(first="ახალი")),
        (reverse("contacts:person_edit", args=[person.pk]), person_post()),
        (
            reverse("contacts:person_bulk"),
            {"action": "group_add", "group": group.pk, "selected": [person.pk]},
        ),
        (reverse("contacts:person_verify", args=[person.pk]), {}),
        (
            reverse("contacts:person_interaction", args=[person.pk]),
            {"interaction-kind": "note", "interaction-summary": "x"},
        ),
        (reverse("contacts:person_dnc_set", args=[person.pk]), {"dnc-reason": "x"}),
        (reverse("contacts:email_bounce", args=[email.pk]), {}),
        (reverse("contacts:list_save_filter"), {"name": "x", "filter_query": "q=a"}),
        (
            reverse("contacts:list_remove_members", args=[contact_list.pk]),
            {"selected": [person.pk]},
        ),
        (reverse("contacts:organisation_verify", args=[organisation.pk]), {}),
        (
            reverse("contacts:organisation_create"),
            {"name_ka": "ახალი", "kind": "ngo"},
        ),
        (reverse("contacts:group_create"), {"name_ka": "ახალი"}),
        (reverse("contacts:list_create"), {"name": "ახალი"}),
        (
            reverse("contacts:merge"),
            {"ids": f"{person.pk},{person.pk}", "keep": person.pk, "confirm": "on"},
        ),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    person.refresh_from_db()
    email.refresh_from_db()
    assert person.last_verified_at is None and not person.do_not_contact
    assert email.bounced_at is None
    assert Person.objects.count() == 1
    assert not group.people.exists()
    assert ContactList.objects.count() == 1
    assert not Interaction.objects.exists()
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.django_db
def test_organisation_is_typed_by_name_in_any_script(client, make_user):
    from contacts.models import Organisation, Person

    editor = make_user("ed", role="Editor")
    client.force_login(editor)
    outlet = Organisation.objects.create(
        name="Interpressnews",
        name_en="Interpressnews",
        name_ka="ინტერპრესნიუსი",
        kind="media",
        search_key="interpresniusi interpressnews",
    )
    people = Person.objects.create(first_name="ნინო", last_name="ბერიძე")
    people.affiliations.create(organisation=outlet, role="reporter")
    # The filter takes a name typed in Latin for a Georgian name…
    page = client.get(reverse("contacts:index"), {"organisation": "interpres"})
    assert "ბერიძე" in page.text
    page = client.get(reverse("contacts:index"), {"organisation": "imedi"})
    assert "ბერიძე" not in page.text
    # …and the suggestions find it from either script.
    found = client.get(reverse("contacts:organisation_suggest"), {"q": "ინტერპრეს"})
    assert found.json()["results"] == [{"id": outlet.pk, "name": str(outlet)}]


@pytest.mark.django_db
def test_unknown_organisation_name_is_a_form_error(client, make_user):
    from contacts.models import Person

    client.force_login(make_user("ed", role="Editor"))
    response = client.post(
        reverse("contacts:person_create"),
        {
            "first_name": "ნინო",
            "last_name": "ბერიძე",
            "language": "ka",
            "organisation": "No Such Outlet",
            "emails-TOTAL_FORMS": "0",
            "emails-INITIAL_FORMS": "0",
            "phones-TOTAL_FORMS": "0",
            "phones-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "No Such Outlet" in response.text
    assert not Person.objects.exists()
