import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from contacts import selectors, services
from contacts.models import ContactList, Interaction, Person
from prapp.models import AuditEntry

from .factories import ContactGroupFactory, OrganisationFactory


@pytest.fixture
def editor(make_user):
    return make_user("editor", role="Editor")


def _create(editor, first="ნინო", last="ბერიძე", emails=(), phones=(), **data):
    return services.person_create(
        data={"first_name": first, "last_name": last, "language": "ka", **data},
        emails=[{"email": e} for e in emails],
        phones=[{"number": p} for p in phones],
        actor=editor,
    )


@pytest.mark.django_db
def test_person_create_stores_e164_keys_and_audit(editor):
    person = _create(
        editor,
        emails=["nino@ipn.ge"],
        phones=["599 12 34 56", "+995 32 2 12 34 56"],
        first_name_latin="Nino",
        last_name_latin="Beridze",
    )
    assert sorted(person.phones.values_list("number", flat=True)) == [
        "+995322123456",
        "+995599123456",
    ]
    assert person.emails.get().is_primary
    assert person.name_key == "nino beridze"
    assert "nino beridze" in person.search_key
    assert "995599123456" in person.search_key
    entry = AuditEntry.objects.get(action="contacts.person.created")
    assert entry.actor == editor
    assert entry.changes["phones"][1] == ["+995599123456", "+995322123456"]


@pytest.mark.django_db
def test_invalid_phone_stores_nothing(editor):
    with pytest.raises(ValidationError):
        _create(editor, phones=["12"])
    assert not Person.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_an_address_belongs_to_one_person(editor):
    _create(editor, emails=["press@gpb.ge"])
    with pytest.raises(ValidationError):
        _create(editor, "გიორგი", "მაისურაძე", emails=["PRESS@gpb.ge"])
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_viewer_cannot_create_and_nothing_is_stored(viewer):
    with pytest.raises(PermissionDenied):
        _create(viewer)
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_do_not_contact_is_cleared_by_managers_only(editor, manager):
    person = _create(editor, emails=["a@b.ge"])
    services.person_set_do_not_contact(
        person=person, reason="asked by phone", actor=editor
    )
    with pytest.raises(PermissionDenied):
        services.person_clear_do_not_contact(person=person, actor=editor)
    person.refresh_from_db()
    assert person.do_not_contact
    services.person_clear_do_not_contact(person=person, actor=manager)
    person.refresh_from_db()
    assert not person.do_not_contact


@pytest.mark.django_db
def test_recipients_exclude_opted_out_bounced_dnc_and_repeats(editor):
    ok = _create(editor, "ანა", "ლომიძე", emails=["ana@ipn.ge", "ana2@ipn.ge"])
    opted = _create(editor, "ლაშა", "ბოლქვაძე", emails=["lasha@ipn.ge"])
    services.person_opt_out(person=opted, source="unsubscribe link")
    dnc = _create(editor, "Արամ", "Գրիգորյան", emails=["aram@news.am"], language="hy")
    services.person_set_do_not_contact(person=dnc, reason="x", actor=editor)
    bounced = _create(editor, "Անի", "Պետրոսյան", emails=["ani@news.am"], language="hy")
    services.email_mark_bounced(email="ANI@news.am", reason="550 no such user")
    armenian = _create(
        editor, "Լիլիթ", "Սարգսյան", emails=["lilit@news.am"], language="hy"
    )
    result = selectors.recipients(Person.objects.all())
    assert [(r.email, r.language) for r in result] == [
        ("ana@ipn.ge", "ka"),
        ("lilit@news.am", "hy"),
    ]
    assert {r.person_id for r in result} == {ok.pk, armenian.pk}
    assert bounced.pk not in {r.person_id for r in result}


@pytest.mark.django_db
def test_smart_list_is_evaluated_when_used(editor):
    outlet = OrganisationFactory()
    smart = services.contact_list_create(
        name="მედია",
        kind=ContactList.Kind.SMART,
        criteria={"kind": ["media"]},
        actor=editor,
    )
    assert selectors.contact_list_members(smart).count() == 0
    person = _create(editor)
    services.affiliation_set(
        person=person, organisation=outlet, role="reporter", actor=editor
    )
    assert list(selectors.contact_list_members(smart)) == [person]


@pytest.mark.django_db
def test_latin_query_finds_georgian_and_armenian_people(editor):
    _create(editor, "ნინო", "ბერიძე")
    _create(editor, "Արամ", "Գրիգորյան", language="hy")
    found = selectors.people_filtered({"q": "beridze"})
    assert [str(p) for p in found] == ["ნინო ბერიძე"]
    found = selectors.people_filtered({"q": "ԳՐԻԳՈՐՅԱՆ"})
    assert [str(p) for p in found] == ["Արամ Գրիգորյան"]


@pytest.mark.django_db
def test_duplicates_meet_across_scripts_and_merge_moves_everything(editor, viewer):
    georgian = _create(
        editor, "ნინო", "ბერიძე", emails=["nino@ipn.ge"], phones=["599123456"]
    )
    latin = _create(editor, "Nino", "Beridze", emails=["n.beridze@gmail.com"])
    other = _create(editor, "გიორგი", "კაპანაძე", phones=["599123456"])
    group = ContactGroupFactory()
    services.group_add_people(
        group=group, people=Person.objects.filter(pk=latin.pk), actor=editor
    )
    static = services.contact_list_create(name="ჟურნალისტები", actor=editor)
    services.contact_list_add_people(
        contact_list=static, people=Person.objects.filter(pk=latin.pk), actor=editor
    )
    services.person_opt_out(person=latin, source="letter")
    groups = selectors.duplicate_people()
    assert [sorted(p.pk for p in g) for g in groups] == [
        sorted([georgian.pk, latin.pk, other.pk])
    ]
    with pytest.raises(PermissionDenied):
        services.people_merge(keep=georgian, duplicates=[latin], actor=viewer)
    assert Person.objects.filter(pk=latin.pk).exists()
    kept = services.people_merge(keep=georgian, duplicates=[latin], actor=editor)
    assert not Person.objects.filter(pk=latin.pk).exists()
    assert sorted(kept.emails.values_list("email", flat=True)) == [
        "n.beridze@gmail.com",
        "nino@ipn.ge",
    ]
    assert list(kept.groups.all()) == [group]
    assert list(static.members.all()) == [kept]
    assert kept.opted_out_at is not None  # the strictest mailing status wins
    assert Interaction.objects.filter(person=kept, kind="changed").exists()
    assert AuditEntry.objects.filter(
        action="contacts.person.merged", target_id=str(kept.pk)
    )


@pytest.mark.django_db
def test_capped_count_stops_counting_past_the_cap(client, editor, settings):
    for number in range(5):
        _create(editor, "ნინო", f"ბერიძე{number}")
    assert selectors.capped_count(Person.objects.all(), cap=3) == 4
    assert selectors.capped_count(Person.objects.all(), cap=10) == 5
    selectors_cap = selectors.COUNT_CAP
    try:
        selectors.COUNT_CAP = 3
        client.force_login(editor)
        page = client.get("/contacts/")
    finally:
        selectors.COUNT_CAP = selectors_cap
    assert page.context["total"] == 4
    assert 'data-total="4"' in page.text


@pytest.mark.django_db
def test_search_pages_by_ids_when_few_match_and_caps_the_count(editor):
    for number in range(5):
        _create(editor, "ნინო", f"ბერიძე{number}")
    _create(editor, "Արամ", "Գրիգորյան", language="hy")
    searched = selectors.people_filtered({"q": "beridze"})
    narrowed, total = selectors.narrowed_by_search(searched, cap=10)
    assert total == 5
    assert [p.last_name for p in narrowed] == [f"ბერიძე{n}" for n in range(5)]
    plain, total = selectors.narrowed_by_search(searched, cap=3)
    assert total == 4  # "more than 3"
    assert plain.count() == 5
