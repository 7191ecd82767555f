"""Pinned query counts and keyset pagination of the contacts list pages.

Each page costs the same number of queries whatever the page size and however
deep in the list it is: a new N+1 shows up here as a changed number.
"""

import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts import selectors
from contacts.models import (
    Affiliation,
    ContactList,
    Interaction,
    Person,
    PersonPhone,
    SocialHandle,
)

from .factories import (
    ContactGroupFactory,
    ContactListFactory,
    OrganisationFactory,
    PersonEmailFactory,
    PersonFactory,
)

# Session, user, permissions, then the page's own reads.
PEOPLE_LIST_QUERIES = 14
ORGANISATION_LIST_QUERIES = 8
LIST_DETAIL_QUERIES = 10
PERSON_DETAIL_QUERIES = 12


@pytest.fixture
def editor(make_user):
    return make_user("editor", role="Editor")


def _people(count, contact_list=None):
    organisations = [OrganisationFactory() for _ in range(3)]
    group = ContactGroupFactory()
    people = []
    for index in range(count):
        person = PersonFactory(last_name=f"ბერიძე{index:03d}")
        PersonEmailFactory(person=person)
        PersonPhone.objects.create(person=person, number=f"+99559912{index:04d}")
        Affiliation.objects.create(
            person=person, organisation=organisations[index % 3], role="ჟურნალისტი"
        )
        person.groups.add(group)
        people.append(person)
    if contact_list is not None:
        contact_list.members.add(*people)
    return people


def _count(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    if os.environ.get("SHOW_QUERIES"):
        print(url, *(q["sql"][:150] for q in queries.captured_queries), sep="\n")
    return len(queries), response


def _deep_params(client, url, size):
    """The query string of the third page, by following the "next" cursors."""
    params = {"size": size}
    for _ in range(2):
        page = client.get(url, params).context["page"]
        params = {"size": size, "after": page.next_cursor}
    return params


@pytest.mark.django_db
def test_people_list_query_count_is_constant(client, editor):
    _people(160)
    client.force_login(editor)
    url = reverse("contacts:index")
    counts = {}
    for size in (25, 50):
        counts[(size, "first")], first = _count(client, url, {"size": size})
        assert len(first.context["people"]) == size
        counts[(size, "deep")], deep = _count(
            client, url, _deep_params(client, url, size)
        )
        assert len(deep.context["people"]) == size
    assert set(counts.values()) == {PEOPLE_LIST_QUERIES}, counts


@pytest.mark.django_db
def test_people_list_query_count_with_few_rows(client, editor):
    _people(10)
    client.force_login(editor)
    count, response = _count(client, reverse("contacts:index"))
    assert len(response.context["people"]) == 10
    assert count == PEOPLE_LIST_QUERIES


@pytest.mark.django_db
def test_people_list_search_and_filter_keep_the_count(client, editor):
    people = _people(60)
    client.force_login(editor)
    count, response = _count(
        client,
        reverse("contacts:index"),
        {"q": "beridze", "organisation": people[0].affiliations.get().organisation_id},
    )
    assert response.context["total"] == 20
    # One more: the filter form reads the chosen organisation to validate it.
    assert count == PEOPLE_LIST_QUERIES + 1


@pytest.mark.django_db
def test_organisation_list_query_count_is_constant(client, editor):
    for _ in range(120):
        OrganisationFactory()
    client.force_login(editor)
    url = reverse("contacts:organisation_list")
    first, _ = _count(client, url)
    deep, response = _count(client, url, {"page": 3})
    assert len(response.context["organisations"]) == 20
    assert first == deep == ORGANISATION_LIST_QUERIES


@pytest.mark.django_db
def test_list_detail_query_count_is_constant(client, editor):
    contact_list = ContactListFactory()
    _people(120, contact_list)
    client.force_login(editor)
    url = contact_list.get_absolute_url()
    first, _ = _count(client, url)
    deep, response = _count(client, url, _deep_params(client, url, 50))
    assert len(response.context["people"]) == 20
    assert first == deep == LIST_DETAIL_QUERIES
    smart = ContactList.objects.create(
        name="ჯგუფი", kind=ContactList.Kind.SMART, criteria={"q": ["beridze"]}
    )
    count, response = _count(client, smart.get_absolute_url())
    assert response.context["total"] == 120
    assert count == LIST_DETAIL_QUERIES


@pytest.mark.django_db
def test_person_detail_query_count_does_not_grow(client, editor):
    client.force_login(editor)
    counts = []
    for size in (1, 8):
        person = PersonFactory()
        for index in range(size):
            PersonEmailFactory(person=person)
            PersonPhone.objects.create(
                person=person, number=f"+9955991{size}{index:04d}"
            )
            SocialHandle.objects.create(person=person, network="x", handle=f"h{index}")
            Affiliation.objects.create(
                person=person, organisation=OrganisationFactory()
            )
            person.groups.add(ContactGroupFactory())
            ContactListFactory().members.add(person)
            Interaction.objects.create(
                person=person, kind="note", summary="x", happened_at="2025-01-01T10:00Z"
            )
        count, _ = _count(client, person.get_absolute_url())
        counts.append(count)
    assert counts == [PERSON_DETAIL_QUERIES, PERSON_DETAIL_QUERIES]


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["name", "-name", "updated", "-updated"])
def test_keyset_pages_walk_the_whole_list_both_ways(sort):
    people = _people(23)
    # Two people with the same name: the id breaks the tie.
    twin = PersonFactory(first_name="ნინო", last_name="ბერიძე005")
    queryset = selectors.people_filtered({}, sort=sort)
    expected = [p.pk for p in queryset]
    assert len(expected) == len(people) + 1 and twin.pk in expected
    seen, pages, page = [], [], selectors.keyset_page(queryset, size=5)
    while True:
        pages.append(page)
        seen += [p.pk for p in page.rows]
        if not page.has_next:
            break
        page = selectors.keyset_page(queryset, after=page.next_cursor, size=5)
    assert seen == expected
    assert not pages[0].has_previous and pages[-1].has_previous
    back = []
    page = pages[-1]
    while page.has_previous:
        page = selectors.keyset_page(queryset, before=page.prev_cursor, size=5)
        back = [p.pk for p in page.rows] + back
    assert back == expected[: len(back)] and len(back) == 20


def test_a_broken_cursor_gives_the_first_page(db):
    PersonFactory()
    page = selectors.keyset_page(
        selectors.people_filtered({}), after="not-a-cursor!", size=5
    )
    assert len(page.rows) == 1


@pytest.mark.django_db
def test_people_list_shows_native_latin_org_phone_and_badges(client, editor):
    person = PersonFactory(
        first_name="ანი",
        last_name="ფეტროსიანი",
        first_name_latin="Ani",
        last_name_latin="Petrosyan",
        do_not_contact=True,
    )
    PersonPhone.objects.create(person=person, number="+37491123456")
    organisation = OrganisationFactory()
    Affiliation.objects.create(person=person, organisation=organisation)
    client.force_login(editor)
    text = client.get(reverse("contacts:index")).text
    for expected in ("ანი ფეტროსიანი", "Ani Petrosyan", str(organisation)):
        assert expected in text
    assert "+374 91 123456" in text
    assert Person.objects.get().do_not_contact


def _queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.django_db
def test_small_list_pages_cost_the_same_for_few_and_many_rows(client, editor):
    from datetime import timedelta

    from django.utils import timezone

    from contacts.models import PartnerAgreement

    client.force_login(editor)
    pages = [
        reverse("contacts:group_list"),
        reverse("contacts:list_list"),
        reverse("contacts:agreements_expiring"),
        reverse("contacts:duplicates"),
    ]

    def add_rows(start, count):
        today = timezone.localdate()
        for number in range(start, start + count):
            group = ContactGroupFactory()
            contact_list = ContactListFactory()
            people = _people(2)
            group.people.add(*people)
            contact_list.members.add(*people)
            PartnerAgreement.objects.create(
                organisation=OrganisationFactory(),
                title=f"მემორანდუმი {number}",
                signed_on=today - timedelta(days=100),
                expires_on=today + timedelta(days=10 + number),
            )
            # Two people with one phone: a duplicate pair for the duplicates page.
            twin = PersonFactory(last_name=f"ტყუპი{number}")
            PersonPhone.objects.create(
                person=twin, number=people[0].phones.get().number
            )
            # …and two with one name in either script.
            PersonFactory(
                first_name=people[1].first_name,
                last_name=people[1].last_name,
                name_key=people[1].name_key,
            )

    add_rows(0, 2)
    few = {url: _queries_for(client, url) for url in pages}
    add_rows(2, 6)
    many = {url: _queries_for(client, url) for url in pages}
    assert few == many
    assert all(count <= 12 for count in many.values()), many
