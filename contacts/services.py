"""Every write to the contact database, each with its rule, audit entry and actor."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.models import (
    Affiliation,
    ContactGroup,
    ContactList,
    Interaction,
    Organisation,
    Person,
    PersonEmail,
    PersonPhone,
    SocialHandle,
)
from contacts.phones import to_e164
from prapp.audit import audit_record, diff, snapshot
from prapp.text import search_key

PERSON_FIELDS = (
    "first_name",
    "last_name",
    "first_name_latin",
    "last_name_latin",
    "position",
    "language",
    "region",
    "notes",
    "consent_basis",
    "consent_evidence",
    "consent_at",
)
ORGANISATION_FIELDS = (
    "name_ka",
    "name_hy",
    "name_en",
    "name_latin",
    "kind",
    "media_type",
    "region",
    "parent",
    "website",
    "email",
    "phone",
    "notes",
)


def _require(actor, perm: str) -> None:
    if actor is not None and not actor.has_perm(perm):
        raise PermissionDenied(perm)


def person_search_key(person: Person, emails=None, phones=None) -> str:
    """The key a person is found by: names in both scripts, position, addresses."""
    if emails is None:
        emails = [e.email for e in person.emails.all()] if person.pk else []
    if phones is None:
        phones = [p.number for p in person.phones.all()] if person.pk else []
    return search_key(
        person.first_name,
        person.last_name,
        person.first_name_latin,
        person.last_name_latin,
        person.position,
        *emails,
        *(number.lstrip("+") for number in phones),
    )


def organisation_search_key(organisation: Organisation) -> str:
    """The key an organisation is found by: its names in every language."""
    return search_key(
        organisation.name_ka,
        organisation.name_hy,
        organisation.name_en,
        organisation.name_latin,
        organisation.email,
    )


def _clean_emails(emails: Iterable[dict], person: Person | None) -> list[dict]:
    cleaned, seen = [], set()
    for item in emails:
        address = (item.get("email") or "").strip()
        if not address:
            continue
        lowered = address.lower()
        if lowered in seen:
            continue
        seen.add(lowered)
        taken = PersonEmail.objects.filter(email__iexact=address)
        if person is not None and person.pk:
            taken = taken.exclude(person=person)
        owner = taken.select_related("person").first()
        if owner is not None:
            raise ValidationError(
                {
                    "emails": _("%(email)s already belongs to %(person)s.")
                    % {"email": address, "person": owner.person}
                }
            )
        cleaned.append(
            {
                "email": address,
                "label": item.get("label", ""),
                "is_primary": bool(item.get("is_primary")),
            }
        )
    if cleaned and not any(e["is_primary"] for e in cleaned):
        cleaned[0]["is_primary"] = True
    return cleaned


def _clean_phones(phones: Iterable[dict]) -> list[dict]:
    cleaned, seen = [], set()
    for item in phones:
        raw = (item.get("number") or "").strip()
        if not raw:
            continue
        number = to_e164(raw)
        if number in seen:
            continue
        seen.add(number)
        cleaned.append(
            {
                "number": number,
                "kind": item.get("kind") or PersonPhone.Kind.MOBILE,
                "is_primary": bool(item.get("is_primary")),
            }
        )
    if cleaned and not any(p["is_primary"] for p in cleaned):
        cleaned[0]["is_primary"] = True
    return cleaned


def _replace_children(person: Person, emails, phones) -> dict:
    changes = {}
    if emails is not None:
        before = sorted(person.emails.values_list("email", flat=True))
        kept = {e.email.lower(): e for e in person.emails.all()}
        wanted = {e["email"].lower() for e in emails}
        person.emails.exclude(
            email__in=[e.email for e in kept.values() if e.email.lower() in wanted]
        ).delete()
        for item in emails:
            existing = kept.get(item["email"].lower())
            if existing:
                existing.label = item["label"]
                existing.is_primary = item["is_primary"]
                existing.save(update_fields=["label", "is_primary"])
            else:
                PersonEmail.objects.create(person=person, **item)
        after = sorted(e["email"] for e in emails)
        if before != after:
            changes["emails"] = [before, after]
    if phones is not None:
        before = sorted(person.phones.values_list("number", flat=True))
        person.phones.all().delete()
        PersonPhone.objects.bulk_create(PersonPhone(person=person, **p) for p in phones)
        after = sorted(p["number"] for p in phones)
        if before != after:
            changes["phones"] = [before, after]
    return changes


@transaction.atomic
def person_create(
    *,
    data: dict,
    actor,
    emails: Iterable[dict] = (),
    phones: Iterable[dict] = (),
    organisation: Organisation | None = None,
    role: str = "",
    groups: Iterable[ContactGroup] = (),
) -> Person:
    """Add a person with their addresses; numbers are stored in E.164."""
    _require(actor, "contacts.add_person")
    person = Person(**{k: v for k, v in data.items() if k in PERSON_FIELDS})
    person.full_clean(exclude=["search_key"])
    clean_emails = _clean_emails(emails, None)
    clean_phones = _clean_phones(phones)
    person.search_key = person_search_key(
        person, [e["email"] for e in clean_emails], [p["number"] for p in clean_phones]
    )
    person.name_key = search_key(person.first_name, person.last_name)
    person.save()
    _replace_children(person, clean_emails, clean_phones)
    if organisation is not None:
        Affiliation.objects.create(person=person, organisation=organisation, role=role)
    if groups:
        person.groups.set(groups)
    audit_record(
        actor=actor,
        action="contacts.person.created",
        target=person,
        changes={
            **{k: [None, v] for k, v in snapshot(person, PERSON_FIELDS).items() if v},
            "emails": [None, [e["email"] for e in clean_emails]],
            "phones": [None, [p["number"] for p in clean_phones]],
        },
    )
    return person


@transaction.atomic
def person_update(
    *,
    person: Person,
    data: dict,
    actor,
    emails: Iterable[dict] | None = None,
    phones: Iterable[dict] | None = None,
    groups: Iterable[ContactGroup] | None = None,
) -> Person:
    """Change a person's details; ``None`` for emails/phones leaves them as they are."""
    _require(actor, "contacts.change_person")
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = snapshot(person, PERSON_FIELDS)
    for field, value in data.items():
        if field in PERSON_FIELDS:
            setattr(person, field, value)
    person.full_clean(exclude=["search_key"])
    clean_emails = _clean_emails(emails, person) if emails is not None else None
    clean_phones = _clean_phones(phones) if phones is not None else None
    changes = diff(before, snapshot(person, PERSON_FIELDS))
    changes.update(_replace_children(person, clean_emails, clean_phones))
    if groups is not None:
        old = sorted(str(g) for g in person.groups.all())
        person.groups.set(groups)
        new = sorted(str(g) for g in groups)
        if old != new:
            changes["groups"] = [old, new]
    person.search_key = person_search_key(person)
    person.name_key = search_key(person.first_name, person.last_name)
    person.save()
    if changes:
        audit_record(
            actor=actor,
            action="contacts.person.changed",
            target=person,
            changes=changes,
        )
    return person


@transaction.atomic
def person_verify(*, person: Person, actor) -> Person:
    """Mark a person's record as checked today."""
    _require(actor, "contacts.change_person")
    person.last_verified_at = timezone.now()
    person.last_verified_by = actor
    person.save(update_fields=["last_verified_at", "last_verified_by", "updated_at"])
    audit_record(actor=actor, action="contacts.person.verified", target=person)
    return person


@transaction.atomic
def people_verify(*, people, actor) -> int:
    """Mark many people as checked today (a bulk action)."""
    _require(actor, "contacts.change_person")
    now = timezone.now()
    ids = list(people.values_list("pk", flat=True))
    Person.objects.filter(pk__in=ids).update(
        last_verified_at=now, last_verified_by=actor, updated_at=now
    )
    for person in Person.objects.filter(pk__in=ids):
        audit_record(actor=actor, action="contacts.person.verified", target=person)
    return len(ids)


@transaction.atomic
def person_opt_out(*, person: Person, source: str, actor=None) -> Person:
    """Stop all mailings to a person at once (unsubscribe link, phone call, letter)."""
    if person.opted_out_at:
        return person
    person.opted_out_at = timezone.now()
    person.opted_out_source = source[:200]
    person.save(update_fields=["opted_out_at", "opted_out_source", "updated_at"])
    audit_record(
        actor=actor,
        action="contacts.person.opted_out",
        target=person,
        changes={"opted_out_source": [None, person.opted_out_source]},
    )
    return person


@transaction.atomic
def person_opt_in(*, person: Person, evidence: str, actor) -> Person:
    """Record that a person who had opted out agreed to receive mailings again."""
    _require(actor, "contacts.change_person")
    if not evidence.strip():
        raise ValidationError({"consent_evidence": _("Say how the person agreed.")})
    person.opted_out_at = None
    person.opted_out_source = ""
    person.consent_basis = Person.ConsentBasis.CONSENT
    person.consent_evidence = evidence
    person.consent_at = timezone.now()
    person.save(
        update_fields=[
            "opted_out_at",
            "opted_out_source",
            "consent_basis",
            "consent_evidence",
            "consent_at",
            "updated_at",
        ]
    )
    audit_record(actor=actor, action="contacts.person.opted_in", target=person)
    return person


@transaction.atomic
def person_set_do_not_contact(*, person: Person, reason: str, actor) -> Person:
    """Put a person on the do-not-contact list; only a manager can take them off."""
    _require(actor, "contacts.change_person")
    person.do_not_contact = True
    person.do_not_contact_reason = reason[:300]
    person.save(update_fields=["do_not_contact", "do_not_contact_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="contacts.person.do_not_contact_set",
        target=person,
        changes={"do_not_contact_reason": [None, person.do_not_contact_reason]},
    )
    return person


@transaction.atomic
def person_clear_do_not_contact(*, person: Person, actor) -> Person:
    """Take a person off the do-not-contact list (managers only)."""
    _require(actor, "contacts.clear_donotcontact")
    old_reason = person.do_not_contact_reason
    person.do_not_contact = False
    person.do_not_contact_reason = ""
    person.save(update_fields=["do_not_contact", "do_not_contact_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="contacts.person.do_not_contact_cleared",
        target=person,
        changes={"do_not_contact_reason": [old_reason, None]},
    )
    return person


@transaction.atomic
def email_mark_bounced(*, email: str, reason: str, actor=None) -> int:
    """Mark an address as bounced: nothing is sent to it any more."""
    count = 0
    for row in PersonEmail.objects.select_related("person").filter(email__iexact=email):
        if row.bounced_at:
            continue
        row.bounced_at = timezone.now()
        row.bounce_reason = reason[:300]
        row.save(update_fields=["bounced_at", "bounce_reason"])
        audit_record(
            actor=actor,
            action="contacts.email.bounced",
            target=row.person,
            changes={"bounced": [None, row.email]},
        )
        count += 1
    return count


@transaction.atomic
def organisation_create(*, data: dict, actor) -> Organisation:
    """Add an organisation."""
    _require(actor, "contacts.add_organisation")
    organisation = Organisation(
        **{k: v for k, v in data.items() if k in ORGANISATION_FIELDS}
    )
    if organisation.phone:
        organisation.phone = to_e164(organisation.phone)
    if not (organisation.name_ka or organisation.name_hy or organisation.name_en):
        raise ValidationError(
            {"name_ka": _("Give the organisation's name in one language.")}
        )
    organisation.name = (
        organisation.name_en or organisation.name_ka or organisation.name_hy
    )
    organisation.full_clean(exclude=["search_key"])
    organisation.search_key = organisation_search_key(organisation)
    organisation.save()
    audit_record(
        actor=actor,
        action="contacts.organisation.created",
        target=organisation,
        changes={
            k: [None, v]
            for k, v in snapshot(organisation, ORGANISATION_FIELDS).items()
            if v
        },
    )
    return organisation


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, data: dict, actor
) -> Organisation:
    """Change an organisation's details."""
    _require(actor, "contacts.change_organisation")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = snapshot(organisation, ORGANISATION_FIELDS)
    for field, value in data.items():
        if field in ORGANISATION_FIELDS:
            setattr(organisation, field, value)
    if organisation.phone:
        organisation.phone = to_e164(organisation.phone)
    if organisation.parent_id and organisation.parent_id == organisation.pk:
        raise ValidationError(
            {"parent": _("An organisation cannot be its own parent.")}
        )
    organisation.full_clean(exclude=["search_key"])
    organisation.search_key = organisation_search_key(organisation)
    organisation.save()
    changes = diff(before, snapshot(organisation, ORGANISATION_FIELDS))
    if changes:
        audit_record(
            actor=actor,
            action="contacts.organisation.changed",
            target=organisation,
            changes=changes,
        )
    return organisation


@transaction.atomic
def organisation_verify(*, organisation: Organisation, actor) -> Organisation:
    """Mark an organisation's record as checked today."""
    _require(actor, "contacts.change_organisation")
    organisation.last_verified_at = timezone.now()
    organisation.last_verified_by = actor
    organisation.save(
        update_fields=["last_verified_at", "last_verified_by", "updated_at"]
    )
    audit_record(
        actor=actor, action="contacts.organisation.verified", target=organisation
    )
    return organisation


@transaction.atomic
def affiliation_set(
    *, person: Person, organisation: Organisation, role: str, actor, is_current=True
) -> Affiliation:
    """Link a person to an organisation with a role (or update the link)."""
    _require(actor, "contacts.change_person")
    affiliation, _created = Affiliation.objects.update_or_create(
        person=person,
        organisation=organisation,
        role=role,
        defaults={"is_current": is_current},
    )
    audit_record(
        actor=actor,
        action="contacts.affiliation.set",
        target=person,
        changes={"organisation": [None, f"{organisation} ({role})"]},
    )
    return affiliation


@transaction.atomic
def social_handle_add(
    *, person: Person, network: str, handle: str, actor
) -> SocialHandle:
    """Add a social-network account to a person."""
    _require(actor, "contacts.change_person")
    item, _created = SocialHandle.objects.get_or_create(
        person=person, network=network, handle=handle.strip()
    )
    audit_record(
        actor=actor,
        action="contacts.person.social_added",
        target=person,
        changes={"social": [None, str(item)]},
    )
    return item


def interaction_record(
    *,
    kind: str,
    summary: str,
    actor=None,
    person: Person | None = None,
    organisation: Organisation | None = None,
    happened_at=None,
    source: str = "",
) -> Interaction:
    """Add an entry to a contact's history; the other apps call this, never the model.

    Manual entries (call, meeting, note) need the change permission; automatic ones
    (release sent, invited, attended…) come from services that checked their own.
    """
    if kind in Interaction.MANUAL_KINDS:
        _require(actor, "contacts.change_person")
    interaction = Interaction(
        person=person,
        organisation=organisation,
        kind=kind,
        summary=summary,
        actor=actor if getattr(actor, "pk", None) else None,
        happened_at=happened_at or timezone.now(),
        source=source,
    )
    interaction.full_clean()
    with transaction.atomic():
        interaction.save()
        if kind in Interaction.MANUAL_KINDS:
            audit_record(
                actor=actor,
                action="contacts.interaction.created",
                target=person or organisation,
                changes={"interaction": [None, f"{kind}: {summary[:100]}"]},
            )
    return interaction


@transaction.atomic
def group_create(*, data: dict, actor) -> ContactGroup:
    """Add a thematic group."""
    _require(actor, "contacts.add_contactgroup")
    group = ContactGroup(**data)
    group.full_clean()
    group.save()
    audit_record(actor=actor, action="contacts.group.created", target=group)
    return group


@transaction.atomic
def group_add_people(*, group: ContactGroup, people, actor) -> int:
    """Put people into a thematic group (a bulk action)."""
    _require(actor, "contacts.change_person")
    ids = list(people.exclude(groups=group).values_list("pk", flat=True))
    group.people.add(*ids)
    audit_record(
        actor=actor,
        action="contacts.group.people_added",
        target=group,
        changes={"people": [None, len(ids)]},
    )
    return len(ids)


@transaction.atomic
def group_remove_people(*, group: ContactGroup, people, actor) -> int:
    """Take people out of a thematic group (a bulk action)."""
    _require(actor, "contacts.change_person")
    ids = list(people.filter(groups=group).values_list("pk", flat=True))
    group.people.remove(*ids)
    audit_record(
        actor=actor,
        action="contacts.group.people_removed",
        target=group,
        changes={"people": [len(ids), None]},
    )
    return len(ids)


@transaction.atomic
def contact_list_create(
    *, name: str, actor, kind=ContactList.Kind.STATIC, criteria=None, description=""
) -> ContactList:
    """Create a fixed list or a saved-filter list."""
    _require(actor, "contacts.add_contactlist")
    contact_list = ContactList(
        name=name,
        kind=kind,
        criteria=criteria or {},
        description=description,
        created_by=actor,
    )
    contact_list.full_clean()
    contact_list.save()
    audit_record(actor=actor, action="contacts.list.created", target=contact_list)
    return contact_list


@transaction.atomic
def contact_list_add_people(*, contact_list: ContactList, people, actor) -> int:
    """Add people to a fixed list (a bulk action)."""
    _require(actor, "contacts.change_contactlist")
    if contact_list.kind != ContactList.Kind.STATIC:
        raise ValidationError(
            _("People are added to a saved-filter list by its filter.")
        )
    ids = list(people.exclude(lists=contact_list).values_list("pk", flat=True))
    contact_list.members.add(*ids)
    audit_record(
        actor=actor,
        action="contacts.list.people_added",
        target=contact_list,
        changes={"people": [None, len(ids)]},
    )
    return len(ids)


@transaction.atomic
def contact_list_remove_people(*, contact_list: ContactList, people, actor) -> int:
    """Remove people from a fixed list (a bulk action)."""
    _require(actor, "contacts.change_contactlist")
    ids = list(people.filter(lists=contact_list).values_list("pk", flat=True))
    contact_list.members.remove(*ids)
    audit_record(
        actor=actor,
        action="contacts.list.people_removed",
        target=contact_list,
        changes={"people": [len(ids), None]},
    )
    return len(ids)


@transaction.atomic
def people_merge(*, keep: Person, duplicates: Iterable[Person], actor) -> Person:
    """Fold duplicates into ``keep``: addresses, lists, groups, links and history move.

    The strictest mailing status wins: an opt-out or do-not-contact on any
    duplicate stays on the kept record.
    """
    _require(actor, "contacts.merge_contacts")
    keep = Person.objects.select_for_update().get(pk=keep.pk)
    others = [p for p in duplicates if p.pk != keep.pk]
    if not others:
        raise ValidationError(_("Choose at least one other record to merge."))
    merged = []
    for other in Person.objects.select_for_update().filter(
        pk__in=[p.pk for p in others]
    ):
        known_emails = {e.lower() for e in keep.emails.values_list("email", flat=True)}
        for email in other.emails.all():
            if email.email.lower() in known_emails:
                email.delete()
            else:
                email.person = keep
                email.is_primary = False
                email.save(update_fields=["person", "is_primary"])
        known_phones = set(keep.phones.values_list("number", flat=True))
        for phone in other.phones.all():
            if phone.number in known_phones:
                phone.delete()
            else:
                phone.person = keep
                phone.is_primary = False
                phone.save(update_fields=["person", "is_primary"])
        for affiliation in other.affiliations.all():
            Affiliation.objects.get_or_create(
                person=keep,
                organisation=affiliation.organisation,
                role=affiliation.role,
                defaults={"is_current": affiliation.is_current},
            )
        for handle in other.social.all():
            SocialHandle.objects.get_or_create(
                person=keep, network=handle.network, handle=handle.handle
            )
        keep.groups.add(*other.groups.all())
        for contact_list in other.lists.all():
            contact_list.members.add(keep)
        other.interactions.update(person=keep)
        for field in (
            "first_name_latin",
            "last_name_latin",
            "position",
            "notes",
            "consent_evidence",
        ):
            if not getattr(keep, field) and getattr(other, field):
                setattr(keep, field, getattr(other, field))
        if other.region_id and not keep.region_id:
            keep.region_id = other.region_id
        if other.opted_out_at and not keep.opted_out_at:
            keep.opted_out_at = other.opted_out_at
            keep.opted_out_source = other.opted_out_source
        if other.do_not_contact:
            keep.do_not_contact = True
            keep.do_not_contact_reason = (
                keep.do_not_contact_reason or other.do_not_contact_reason
            )
        if not keep.consent_basis and other.consent_basis:
            keep.consent_basis = other.consent_basis
            keep.consent_at = other.consent_at
        merged.append({"id": other.pk, "name": str(other)})
        audit_record(
            actor=actor,
            action="contacts.person.merged_away",
            target=other,
            changes={"merged_into": [None, keep.pk]},
        )
        other.delete()
    keep.search_key = person_search_key(keep)
    keep.name_key = search_key(keep.first_name, keep.last_name)
    keep.save()
    audit_record(
        actor=actor,
        action="contacts.person.merged",
        target=keep,
        changes={"merged": [None, merged]},
    )
    interaction_record(
        kind=Interaction.Kind.CHANGED,
        summary=_("Merged with %(names)s")
        % {"names": ", ".join(m["name"] for m in merged)},
        person=keep,
        actor=actor,
    )
    return keep
