"""Reads of the contact database: filtered lists, members, recipients, duplicates."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from contacts.models import (
    Affiliation,
    ContactList,
    Interaction,
    Organisation,
    PartnerAgreement,
    Person,
    PersonEmail,
)
from prapp.text import search_key, search_q

# The filters of the people list; a smart list stores the same parameters.
PERSON_FILTERS = (
    "q",
    "kind",
    "organisation",
    "group",
    "list",
    "region",
    "language",
    "stale",
    "mailing",
)
PERSON_SORTS = {
    "name": ("last_name", "first_name", "id"),
    "-name": ("-last_name", "-first_name", "-id"),
    "updated": ("updated_at", "id"),
    "-updated": ("-updated_at", "-id"),
    "verified": ("last_verified_at", "id"),
}


def stale_before():
    """Records not verified since this moment count as stale."""
    months = getattr(settings, "CONTACTS_STALE_AFTER_MONTHS", 12)
    return timezone.now() - timedelta(days=round(months * 30.44))


def _values(params, name) -> list[str]:
    if hasattr(params, "getlist"):
        values = params.getlist(name)
    else:
        value = params.get(name, [])
        values = value if isinstance(value, list) else [value]
    return [str(v) for v in values if str(v).strip()]


def _ids(params, name) -> list[int]:
    return [int(v) for v in _values(params, name) if v.isdigit()]


def people_filtered(params, *, sort: str = "name") -> QuerySet:
    """People matching the list filters (a QueryDict or a smart list's criteria)."""
    people = Person.objects.all()
    query = " ".join(_values(params, "q"))
    if query:
        people = people.filter(search_q("search_key", query))
    kinds = _values(params, "kind")
    if kinds:
        people = people.filter(
            Exists(
                Affiliation.objects.filter(
                    person=OuterRef("pk"), organisation__kind__in=kinds
                )
            )
        )
    organisations = _ids(params, "organisation")
    if organisations:
        people = people.filter(
            Exists(
                Affiliation.objects.filter(
                    person=OuterRef("pk"), organisation_id__in=organisations
                )
            )
        )
    groups = _ids(params, "group")
    if groups:
        people = people.filter(
            Exists(
                Person.groups.through.objects.filter(
                    person_id=OuterRef("pk"), contactgroup_id__in=groups
                )
            )
        )
    lists = _ids(params, "list")
    if lists:
        people = people.filter(
            Exists(
                Person.lists.through.objects.filter(
                    person_id=OuterRef("pk"), contactlist_id__in=lists
                )
            )
        )
    regions = _ids(params, "region")
    if regions:
        people = people.filter(region_id__in=regions)
    languages = _values(params, "language")
    if languages:
        people = people.filter(language__in=languages)
    if _values(params, "stale"):
        people = people.filter(
            Q(last_verified_at__isnull=True) | Q(last_verified_at__lt=stale_before())
        )
    mailing = _values(params, "mailing")
    if "opted_out" in mailing:
        people = people.filter(opted_out_at__isnull=False)
    if "do_not_contact" in mailing:
        people = people.filter(do_not_contact=True)
    if "mailable" in mailing:
        people = mailable(people)
    return people.order_by(*PERSON_SORTS.get(sort, PERSON_SORTS["name"]))


def people_for_list_page(people: QuerySet) -> QuerySet:
    """What one row of the people list shows, in a constant number of queries."""
    return people.select_related("region").prefetch_related(
        Prefetch(
            "emails",
            queryset=PersonEmail.objects.order_by("-is_primary", "pk"),
        ),
        "phones",
        Prefetch(
            "affiliations",
            queryset=Affiliation.objects.filter(is_current=True).select_related(
                "organisation"
            ),
        ),
    )


def mailable(people: QuerySet) -> QuerySet:
    """People we may mail: not opted out, not do-not-contact, with a working address."""
    return people.filter(opted_out_at__isnull=True, do_not_contact=False).filter(
        Exists(
            PersonEmail.objects.filter(person=OuterRef("pk"), bounced_at__isnull=True)
        )
    )


def contact_list_members(contact_list: ContactList) -> QuerySet:
    """A list's people now: a saved filter is evaluated at the moment of use."""
    if contact_list.kind == ContactList.Kind.SMART:
        return people_filtered(contact_list.criteria)
    return contact_list.members.order_by("last_name", "first_name", "id")


@dataclass(frozen=True)
class Recipient:
    person_id: int
    email: str
    language: str
    name: str


def recipients(people: QuerySet) -> list[Recipient]:
    """One address per person to mail, never the same address twice.

    Opted-out, do-not-contact and bounced addresses are left out; a person's
    primary working address is used.
    """
    rows = (
        PersonEmail.objects.filter(
            person__in=mailable(people).values("pk"), bounced_at__isnull=True
        )
        .order_by("person_id", "-is_primary", "pk")
        .values_list(
            "person_id",
            "email",
            "person__language",
            "person__first_name",
            "person__last_name",
        )
    )
    chosen, seen_people, seen_addresses = [], set(), set()
    for person_id, email, language, first, last in rows.iterator(chunk_size=2000):
        address = email.lower()
        if person_id in seen_people or address in seen_addresses:
            continue
        seen_people.add(person_id)
        seen_addresses.add(address)
        chosen.append(Recipient(person_id, email, language, f"{first} {last}".strip()))
    return chosen


def people_matching(*, emails=(), phones=()) -> QuerySet:
    """People who already hold one of these addresses or numbers."""
    condition = Q()
    for email in emails:
        if email:
            condition |= Q(emails__email__iexact=email)
    for number in phones:
        if number:
            condition |= Q(phones__number=number)
    if not condition:
        return Person.objects.none()
    return Person.objects.filter(condition).distinct()


def person_timeline(person: Person) -> QuerySet:
    """A person's history, newest first."""
    return person.interactions.select_related("actor")


def organisation_timeline(organisation: Organisation) -> QuerySet:
    """An organisation's history and that of its people, newest first."""
    return (
        Interaction.objects.filter(
            Q(organisation=organisation)
            | Q(person__affiliations__organisation=organisation)
        )
        .select_related("actor", "person")
        .distinct()
    )


def organisations_filtered(params, *, sort: str = "name") -> QuerySet:
    """Organisations matching the organisation-list filters."""
    organisations = Organisation.objects.select_related("region", "parent")
    query = " ".join(_values(params, "q"))
    if query:
        organisations = organisations.filter(search_q("search_key", query))
    kinds = _values(params, "kind")
    if kinds:
        organisations = organisations.filter(kind__in=kinds)
    media = _values(params, "media_type")
    if media:
        organisations = organisations.filter(media_type__in=media)
    regions = _ids(params, "region")
    if regions:
        organisations = organisations.filter(region_id__in=regions)
    groups = _ids(params, "group")
    if groups:
        organisations = organisations.filter(groups__in=groups).distinct()
    if _values(params, "stale"):
        organisations = organisations.filter(
            Q(last_verified_at__isnull=True) | Q(last_verified_at__lt=stale_before())
        )
    order = ("-name", "-id") if sort == "-name" else ("name", "id")
    return organisations.annotate(people_count=Count("affiliations")).order_by(*order)


def expiring_agreements(*, within_days: int = 60) -> QuerySet:
    """Partner agreements that expire within the coming days (for the dashboard)."""
    today = timezone.localdate()
    return (
        PartnerAgreement.objects.filter(
            expires_on__gte=today, expires_on__lte=today + timedelta(days=within_days)
        )
        .select_related("organisation")
        .order_by("expires_on")
    )


def duplicate_people(*, limit: int = 200) -> list[list[Person]]:
    """Groups of people who share a phone number or a name in either script.

    Names are compared by their key, so "Nino Beridze" and "ნინო ბერიძე" meet.
    (An email address can belong to one person only, so it never repeats.)
    """
    from contacts.models import PersonPhone

    groups: list[set[int]] = []
    shared_numbers = (
        PersonPhone.objects.values("number")
        .annotate(n=Count("person", distinct=True))
        .filter(n__gt=1)
        .values_list("number", flat=True)[:limit]
    )
    for number, person_id in PersonPhone.objects.filter(
        number__in=list(shared_numbers)
    ).values_list("number", "person_id"):
        groups.append({("phone", number), person_id})
    shared_names = (
        Person.objects.exclude(name_key="")
        .values("name_key")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("name_key", flat=True)[:limit]
    )
    for name_key, person_id in Person.objects.filter(
        name_key__in=list(shared_names)
    ).values_list("name_key", "pk"):
        groups.append({("name", name_key), person_id})
    # Union the pairs into groups of people, through their shared phone or name.
    merged: list[set] = []
    for group in groups:
        touching = [m for m in merged if m & group]
        combined = set(group).union(*touching)
        merged = [m for m in merged if not (m & group)] + [combined]
    id_groups = [{x for x in m if isinstance(x, int)} for m in merged]
    id_groups = [g for g in id_groups if len(g) > 1][:limit]
    people = Person.objects.in_bulk({pk for group in id_groups for pk in group})
    return [sorted((people[pk] for pk in g), key=lambda p: p.pk) for g in id_groups]


def possible_duplicates(
    *, first_name: str, last_name: str, emails=(), phones=(), exclude_pk=None
) -> QuerySet:
    """People who look like the one being entered: same email, phone or name key."""
    condition = Q()
    for email in emails:
        if email:
            condition |= Q(emails__email__iexact=email)
    for number in phones:
        if number:
            condition |= Q(phones__number=number)
    name_key = search_key(first_name, last_name)
    if name_key:
        condition |= Q(name_key=name_key) | Q(
            name_key=search_key(last_name, first_name)
        )
    if not condition:
        return Person.objects.none()
    people = Person.objects.filter(condition)
    if exclude_pk:
        people = people.exclude(pk=exclude_pk)
    return people.distinct()[:10]
