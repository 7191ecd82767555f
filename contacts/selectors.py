"""Reads of the contact database: filtered lists, members, recipients, duplicates."""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.models import (
    Affiliation,
    ContactGroup,
    ContactList,
    Interaction,
    Organisation,
    PartnerAgreement,
    Person,
    PersonEmail,
    Region,
    SocialHandle,
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
    for name in _values(params, "organisation"):
        if name.isdigit():
            continue
        # An organisation typed by name, in any script.
        people = people.filter(
            Exists(
                Affiliation.objects.filter(
                    search_q("organisation__search_key", name), person=OuterRef("pk")
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


def people_chosen(*, lists=(), groups=(), people=()) -> QuerySet:
    """Everyone a choice of lists, groups and people comes to, each person once.

    Smart lists are evaluated now, at the moment of use.
    """
    condition = Q(pk__in=[p.pk if hasattr(p, "pk") else int(p) for p in people])
    for contact_list in lists:
        if contact_list.kind == ContactList.Kind.SMART:
            condition |= Q(pk__in=contact_list_members(contact_list).values("pk"))
        else:
            condition |= Q(lists=contact_list)
    group_ids = [g.pk for g in groups]
    if group_ids:
        condition |= Q(
            Exists(
                Person.groups.through.objects.filter(
                    person_id=OuterRef("pk"), contactgroup_id__in=group_ids
                )
            )
        )
    return Person.objects.filter(pk__in=Person.objects.filter(condition).values("pk"))


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


# --- Staff UI ---

# Sorts offered by the people list; each runs one way on every column, so that
# keyset pagination can compare the row tuple directly.
PERSON_LIST_SORTS = ("name", "-name", "-updated", "updated")


@dataclass
class KeysetPage:
    """One page of a keyset-paginated list, with cursors to its neighbours."""

    rows: list
    next_cursor: str = ""
    prev_cursor: str = ""
    size: int = 50

    @property
    def has_next(self) -> bool:
        return bool(self.next_cursor)

    @property
    def has_previous(self) -> bool:
        return bool(self.prev_cursor)


def _cursor_encode(row, fields) -> str:

    values = []
    for field in fields:
        value = getattr(row, field.lstrip("-"))
        values.append(value.isoformat() if hasattr(value, "isoformat") else value)
    raw = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _cursor_decode(cursor: str, model, fields) -> list | None:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    if not isinstance(values, list) or len(values) != len(fields):
        return None
    decoded = []
    for field, value in zip(fields, values, strict=True):
        model_field = model._meta.get_field(field.lstrip("-"))
        try:
            decoded.append(model_field.to_python(value))
        except ValidationError:
            return None
    return decoded


def _after(fields, values, *, backwards: bool) -> Q:
    """Rows strictly after ``values`` in the order ``fields`` (or before them)."""
    condition = Q(pk__in=[])
    for index, field in enumerate(fields):
        name = field.lstrip("-")
        descending = field.startswith("-") != backwards
        step = Q(**{f"{name}__{'lt' if descending else 'gt'}": values[index]})
        for previous, value in zip(fields[:index], values[:index], strict=True):
            step &= Q(**{previous.lstrip("-"): value})
        condition |= step
    # The same bound on the first column alone, redundant but plain: with it the
    # database seeks into the (last_name, first_name, id) index and reads only
    # the page, instead of filtering the whole table through the OR above.
    first = fields[0].lstrip("-")
    descending = fields[0].startswith("-") != backwards
    return Q(**{f"{first}__{'lte' if descending else 'gte'}": values[0]}) & condition


def keyset_page(
    queryset: QuerySet, *, after: str = "", before: str = "", size: int = 50
) -> KeysetPage:
    """A page of ``queryset`` that costs the same whether it is the first or deep.

    The queryset must be ordered by columns that identify a row (ending in the
    primary key) and have no NULLs; the cursor holds the last or first row's values
    of those columns, so the database seeks with the index instead of skipping
    OFFSET rows.
    """
    fields = list(queryset.query.order_by)
    model = queryset.model
    cursor = before or after
    values = _cursor_decode(cursor, model, fields) if cursor else None
    backwards = bool(before) and values is not None
    rows_qs = queryset
    if values is not None:
        rows_qs = rows_qs.filter(_after(fields, values, backwards=backwards))
    if backwards:
        reversed_order = [f[1:] if f.startswith("-") else f"-{f}" for f in fields]
        rows = list(rows_qs.order_by(*reversed_order)[: size + 1])
        more_before = len(rows) > size
        rows = list(reversed(rows[:size]))
        page = KeysetPage(rows=rows, size=size)
        if rows:
            page.next_cursor = _cursor_encode(rows[-1], fields)
            if more_before:
                page.prev_cursor = _cursor_encode(rows[0], fields)
        return page
    rows = list(rows_qs[: size + 1])
    more_after = len(rows) > size
    rows = rows[:size]
    page = KeysetPage(rows=rows, size=size)
    if rows and more_after:
        page.next_cursor = _cursor_encode(rows[-1], fields)
    if rows and values is not None:
        page.prev_cursor = _cursor_encode(rows[0], fields)
    return page


def person_for_detail(pk: int) -> Person:
    """A person with everything the detail page shows, in a fixed number of queries."""
    queryset = Person.objects.select_related(
        "region", "last_verified_by"
    ).prefetch_related(
        Prefetch("emails", queryset=PersonEmail.objects.order_by("-is_primary", "pk")),
        "phones",
        Prefetch("social", queryset=SocialHandle.objects.order_by("network", "pk")),
        Prefetch(
            "affiliations",
            queryset=Affiliation.objects.select_related("organisation").order_by(
                "-is_current", "organisation__name", "pk"
            ),
        ),
        Prefetch("groups", queryset=ContactGroup.objects.order_by("name")),
        Prefetch("lists", queryset=ContactList.objects.order_by("name")),
    )
    return get_object_or_404(queryset, pk=pk)


def organisation_for_detail(pk: int) -> Organisation:
    """An organisation with its region, parent, children, groups and agreements."""
    queryset = Organisation.objects.select_related(
        "region", "parent", "last_verified_by"
    ).prefetch_related(
        Prefetch("children", queryset=Organisation.objects.order_by("name", "pk")),
        Prefetch("groups", queryset=ContactGroup.objects.order_by("name")),
        Prefetch(
            "agreements",
            queryset=PartnerAgreement.objects.order_by("-signed_on", "pk"),
        ),
    )
    return get_object_or_404(queryset, pk=pk)


def organisation_people(organisation: Organisation) -> QuerySet:
    """The people linked to an organisation, current links first."""
    return (
        Affiliation.objects.filter(organisation=organisation)
        .select_related("person")
        .order_by("-is_current", "person__last_name", "person__first_name", "pk")
    )


def groups_with_counts() -> QuerySet:
    """Thematic groups with how many people and organisations each holds."""
    return ContactGroup.objects.annotate(
        people_count=Count("people", distinct=True),
        organisation_count=Count("organisations", distinct=True),
    ).order_by("name", "pk")


def group_members(group) -> QuerySet:
    """The people of a thematic group, in name order."""
    return group.people.order_by("last_name", "first_name", "id")


def contact_lists_with_counts() -> QuerySet:
    """Contact lists; fixed lists carry their member count (a smart one is live)."""
    return ContactList.objects.select_related("created_by").annotate(
        member_count=Count("members")
    )


def people_for_merge(ids) -> list[Person]:
    """The records offered for a merge, with what tells them apart."""
    return list(
        people_for_list_page(Person.objects.filter(pk__in=ids))
        .prefetch_related("lists", "groups")
        .order_by("pk")
    )


def person_filter_params(criteria: dict) -> list[tuple[str, str]]:
    """A saved filter as (name, value) pairs for a query string."""
    pairs = []
    for name in PERSON_FILTERS:
        for value in _values(criteria, name):
            pairs.append((name, value))
    return pairs


def criteria_described(criteria: dict) -> list[tuple[str, str]]:
    """A saved filter in words: (what is filtered, the chosen values)."""
    described = []
    query = " ".join(_values(criteria, "q"))
    if query:
        described.append((_("Search"), query))
    kinds = dict(Organisation.Kind.choices)
    values = [str(kinds.get(v, v)) for v in _values(criteria, "kind")]
    if values:
        described.append((_("Kind of organisation"), ", ".join(values)))
    lookups = (
        ("organisation", Organisation, _("Organisation")),
        ("group", ContactGroup, _("Thematic group")),
        ("list", ContactList, _("List")),
        ("region", Region, _("Region")),
    )
    for name, model, label in lookups:
        ids = _ids(criteria, name)
        if ids:
            names = [str(obj) for obj in model.objects.filter(pk__in=ids)]
            described.append((label, ", ".join(names) or "—"))
    languages = dict(Person.Language.choices)
    values = [str(languages.get(v, v)) for v in _values(criteria, "language")]
    if values:
        described.append((_("Language"), ", ".join(values)))
    if _values(criteria, "stale"):
        described.append((_("Verification"), _("not verified recently")))
    mailing = dict(mailing_choices())
    values = [str(mailing.get(v, v)) for v in _values(criteria, "mailing")]
    if values:
        described.append((_("Mailing status"), ", ".join(values)))
    return described


def mailing_choices():
    """The mailing-status filter's choices, translated in the current language."""
    return [
        ("mailable", _("can be mailed")),
        ("opted_out", _("opted out")),
        ("do_not_contact", _("do not contact")),
    ]


def organisation_by_name(text: str):
    """The one organisation called ``text`` (any script), None, or "ambiguous"."""
    matches = list(Organisation.objects.filter(search_q("search_key", text))[:20])
    if len(matches) == 1:
        return matches[0]
    key = search_key(text)
    exact = [
        o
        for o in matches
        if key
        in {
            search_key(o.name_ka),
            search_key(o.name_hy),
            search_key(o.name_en),
            search_key(o.name_latin),
        }
    ]
    if len(exact) == 1:
        return exact[0]
    return None if not matches else "ambiguous"


def organisation_suggestions(text: str, *, limit: int = 15) -> list[dict]:
    """Organisations whose names match what is typed, for the name box's suggestions."""
    if len(search_key(text)) < 2:
        return []
    found = Organisation.objects.filter(search_q("search_key", text)).order_by(
        "name", "pk"
    )[:limit]
    return [{"id": o.pk, "name": str(o)} for o in found]


COUNT_CAP = 10_000


def capped_count(queryset: QuerySet, cap: int = COUNT_CAP) -> int:
    """How many rows match, counting no further than ``cap`` + 1.

    Counting a whole 100,000-row table on every page costs more than the page
    itself; past the cap the list says "more than 10 000".
    """
    return queryset.order_by()[: cap + 1].count()


SEARCH_COUNT_CAP = 1_000


def narrowed_by_search(
    people: QuerySet, cap: int = SEARCH_COUNT_CAP
) -> tuple[QuerySet, int]:
    """A searched list as (rows to page through, how many match, capped).

    The search key is read once, for the ids of at most ``cap`` + 1 matches;
    when they are all, the page is fetched by primary key. Otherwise the
    database would count with one scan and, for a rare name, walk most of the
    name index to fill a page. A common word (more than ``cap`` matches) fills
    a page from the name index at once, and the list says "more than 1 000".
    """
    ids = list(people.order_by().values_list("pk", flat=True)[: cap + 1])
    if len(ids) > cap:
        return people, len(ids)
    return people.filter(pk__in=ids), len(ids)
