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
    PartnerAgreement,
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
    "receives_embargoed",
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
    # No assignment to ``organisation.name``: modeltranslation would write it into
    # the current language's field (an English name over the Georgian one); the
    # base column is filled from the translations with their fallbacks on save.
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


# --- Staff UI ---

GROUP_FIELDS = (
    "name_ka",
    "name_hy",
    "name_en",
    "description_ka",
    "description_hy",
    "description_en",
)
AGREEMENT_FIELDS = ("title", "signed_on", "expires_on", "notes")


@transaction.atomic
def group_update(*, group: ContactGroup, data: dict, actor) -> ContactGroup:
    """Rename a thematic group or change its description, in any language."""
    _require(actor, "contacts.change_contactgroup")
    group = ContactGroup.objects.select_for_update().get(pk=group.pk)
    before = snapshot(group, GROUP_FIELDS)
    for field, value in data.items():
        if field in GROUP_FIELDS:
            setattr(group, field, value)
    group.full_clean()
    group.save()
    changes = diff(before, snapshot(group, GROUP_FIELDS))
    if changes:
        audit_record(
            actor=actor, action="contacts.group.changed", target=group, changes=changes
        )
    return group


@transaction.atomic
def contact_list_update(*, contact_list: ContactList, data: dict, actor) -> ContactList:
    """Rename a list, change its description or (for a smart list) its filter."""
    _require(actor, "contacts.change_contactlist")
    contact_list = ContactList.objects.select_for_update().get(pk=contact_list.pk)
    fields = ["name", "description"]
    if contact_list.kind == ContactList.Kind.SMART:
        fields.append("criteria")
    before = snapshot(contact_list, fields)
    for field in fields:
        if field in data:
            setattr(contact_list, field, data[field])
    contact_list.full_clean()
    contact_list.save(update_fields=fields)
    changes = diff(before, snapshot(contact_list, fields))
    if changes:
        audit_record(
            actor=actor,
            action="contacts.list.changed",
            target=contact_list,
            changes=changes,
        )
    return contact_list


@transaction.atomic
def affiliation_remove(*, affiliation: Affiliation, actor) -> None:
    """Unlink a person from an organisation (the history stays with both)."""
    _require(actor, "contacts.change_person")
    person = affiliation.person
    label = f"{affiliation.organisation} ({affiliation.role})"
    affiliation.delete()
    audit_record(
        actor=actor,
        action="contacts.affiliation.removed",
        target=person,
        changes={"organisation": [label, None]},
    )


@transaction.atomic
def organisation_groups_set(
    *, organisation: Organisation, groups: Iterable[ContactGroup], actor
) -> Organisation:
    """Put an organisation into exactly these thematic groups."""
    _require(actor, "contacts.change_organisation")
    groups = list(groups)
    old = sorted(str(g) for g in organisation.groups.all())
    organisation.groups.set(groups)
    new = sorted(str(g) for g in groups)
    if old != new:
        audit_record(
            actor=actor,
            action="contacts.organisation.changed",
            target=organisation,
            changes={"groups": [old, new]},
        )
    return organisation


@transaction.atomic
def person_email_mark_bounced(*, email: PersonEmail, reason: str, actor) -> int:
    """A member of staff marks an address as bounced (they learnt it is dead)."""
    _require(actor, "contacts.change_person")
    return email_mark_bounced(email=email.email, reason=reason, actor=actor)


@transaction.atomic
def person_record_opt_out(*, person: Person, source: str, actor) -> Person:
    """A member of staff records that a person asked to receive no more mailings."""
    _require(actor, "contacts.change_person")
    if not source.strip():
        raise ValidationError({"source": _("Say how the person asked to opt out.")})
    return person_opt_out(person=person, source=source, actor=actor)


@transaction.atomic
def agreement_create(
    *, organisation: Organisation, data: dict, actor, document=None
) -> PartnerAgreement:
    """Record a partner agreement signed with an organisation."""
    _require(actor, "contacts.add_partneragreement")
    agreement = PartnerAgreement(
        organisation=organisation,
        **{k: v for k, v in data.items() if k in AGREEMENT_FIELDS},
    )
    if document is not None:
        agreement.document = document
    agreement.full_clean()
    agreement.save()
    audit_record(
        actor=actor,
        action="contacts.agreement.created",
        target=agreement,
        changes={
            k: [None, v]
            for k, v in snapshot(agreement, (*AGREEMENT_FIELDS, "document")).items()
            if v
        },
    )
    return agreement


@transaction.atomic
def agreement_update(
    *, agreement: PartnerAgreement, data: dict, actor, document=None
) -> PartnerAgreement:
    """Change a partner agreement; a new document replaces the old one."""
    _require(actor, "contacts.change_partneragreement")
    agreement = PartnerAgreement.objects.select_for_update().get(pk=agreement.pk)
    fields = (*AGREEMENT_FIELDS, "document")
    before = snapshot(agreement, fields)
    for field, value in data.items():
        if field in AGREEMENT_FIELDS:
            setattr(agreement, field, value)
    if document is not None:
        agreement.document = document
    agreement.full_clean()
    agreement.save()
    changes = diff(before, snapshot(agreement, fields))
    if changes:
        audit_record(
            actor=actor,
            action="contacts.agreement.changed",
            target=agreement,
            changes=changes,
        )
    return agreement


# --- Import ---
# Contact files in and out: contacts.importing reads a file and checks its rows,
# the services below write what it read, in one transaction per import;
# people_export (at the end) is the audited way out.

import csv as _csv  # noqa: E402
import io as _io  # noqa: E402
import logging as _logging  # noqa: E402
import tempfile as _tempfile  # noqa: E402
import uuid as _uuid  # noqa: E402
from dataclasses import dataclass as _dataclass  # noqa: E402
from dataclasses import field as _field  # noqa: E402
from functools import partial as _partial  # noqa: E402

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.files import File  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.db import connection  # noqa: E402

from contacts import exporting, importing  # noqa: E402
from contacts.models import ImportJob  # noqa: E402
from prapp.models import AuditEntry  # noqa: E402

_import_log = _logging.getLogger("contacts.import")
IMPORT_CHUNK_ROWS = 1000
IMPORT_ERRORS_KEPT = 500


def import_report_name(job: ImportJob) -> str:
    """Where an import's row-by-row result is stored (default storage)."""
    return f"imports/reports/{job.pk}.csv"


@transaction.atomic
def import_job_create(*, upload, actor) -> ImportJob:
    """Store an uploaded contacts file under a random name and guess its mapping.

    The file is checked from end to end first (size, format against the name,
    encoding, header, rows); ImportFileError says what is wrong.
    """
    _require(actor, "contacts.import_contacts")
    info = importing.inspect_file(
        upload, getattr(upload, "name", ""), getattr(upload, "size", None)
    )
    original = importing.display_name(getattr(upload, "name", ""))
    job = ImportJob(
        original_name=original,
        file_format=info.file_format,
        mapping={**info.options(), "fields": importing.guess_mapping(info.headers)},
        total_rows=info.total_rows,
        created_by=actor,
    )
    upload.seek(0)
    # The stored name is ours: the uploader's file name is only displayed.
    job.file.save(f"{_uuid.uuid4().hex}.{info.file_format}", File(upload), save=False)
    job.full_clean()
    job.save()
    audit_record(
        actor=actor,
        action="contacts.import.uploaded",
        target=job,
        changes={
            "file": [None, original],
            "format": [None, info.file_format],
            "rows": [None, info.total_rows],
        },
    )
    return job


@transaction.atomic
def import_job_set_mapping(
    *, job: ImportJob, fields: list[str], on_match: str, actor
) -> ImportJob:
    """Save the columns' fields and the choice for people who already exist."""
    _require(actor, "contacts.import_contacts")
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportJob.Status.MAPPING:
        raise ValidationError(_("This import has already been started."))
    headers = job.mapping.get("headers", [])
    fields = list(fields)[: len(headers)]
    fields += [""] * (len(headers) - len(fields))
    problems = importing.mapping_errors(fields)
    if problems:
        raise ValidationError(problems)
    if on_match not in ImportJob.OnMatch.values:
        raise ValidationError(_("Choose what to do with people who already exist."))
    before = {"fields": job.mapping.get("fields"), "on_match": job.on_match}
    job.mapping = {**job.mapping, "fields": fields}
    job.on_match = on_match
    job.save(update_fields=["mapping", "on_match"])
    changes = diff(before, {"fields": fields, "on_match": on_match})
    if changes:
        audit_record(
            actor=actor,
            action="contacts.import.mapped",
            target=job,
            changes=changes,
        )
    return job


@transaction.atomic
def import_job_confirm(*, job: ImportJob, actor, dispatch: bool = True) -> ImportJob:
    """Queue a mapped import; the worker takes it once this transaction commits.

    ``dispatch=False`` is for the command line, which runs the import itself.
    """
    from contacts import tasks

    _require(actor, "contacts.import_contacts")
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportJob.Status.MAPPING:
        raise ValidationError(_("This import has already been started."))
    problems = importing.mapping_errors(job.mapping.get("fields", []))
    if problems:
        raise ValidationError(problems)
    job.status = ImportJob.Status.QUEUED
    job.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="contacts.import.queued",
        target=job,
        changes={"status": [ImportJob.Status.MAPPING, ImportJob.Status.QUEUED]},
    )
    if dispatch:
        transaction.on_commit(_partial(tasks.import_job_run.delay, job.pk))
    return job


_EMAIL_COLUMNS = ("person", "email", "label", "is_primary", "bounce_reason")
_PHONE_COLUMNS = ("person", "number", "kind", "is_primary")
_GROUP_COLUMNS = ("person", "contactgroup")
_AUDIT_COLUMNS = (
    "at",
    "actor",
    "actor_name",
    "action",
    "target_type",
    "target_id",
    "target_repr",
    "changes",
)


def _insert_plain(model, fields, rows: list[tuple]) -> None:
    """INSERT rows of already clean values with one executemany.

    For the child rows of a big import (emails, phones, groups, audit entries):
    bulk_create prepares every value through its model field, which took about
    half of a 100,000-row import. The values here are ids, booleans, checked
    strings, and a datetime and JSON adapted by the database backend.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(f).column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    table = quote(model._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608  (names from the model, quoted)
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


@_dataclass
class _Outcome:
    row: int
    outcome: str
    person_id: int | None = None
    name: str = ""
    details: list[str] = _field(default_factory=list)


class _ImportRun:
    """The writes of one import run, chunk by chunk, inside its transaction."""

    def __init__(self, *, job: ImportJob, actor):
        self.job = job
        self.actor = actor
        self.resolver = importing.Resolver()
        self.counts = {"created": 0, "updated": 0, "skipped": 0, "unchanged": 0}
        self.error_rows = 0
        self.errors: list[dict] = []
        self.person_type = ContentType.objects.get_for_model(Person)
        self.actor_fk = actor if getattr(actor, "pk", None) else None
        self.actor_name = str(actor) if actor is not None else ""
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())

    # Names of related records, created when missing (through their services).
    def organisation_id(self, name: str) -> int:
        pk = self.resolver.organisation_id(name)
        if pk is None:
            language = importing.script_language(name)
            organisation = organisation_create(
                data={f"name_{language}": name, "kind": Organisation.Kind.OTHER},
                actor=self.actor,
            )
            pk = organisation.pk
            self.resolver.add_organisation(name, pk)
        return pk

    def group_id(self, name: str) -> int:
        pk = self.resolver.group_id(name)
        if pk is None:
            group = group_create(data={"name": name[:150]}, actor=self.actor)
            pk = group.pk
            self.resolver.add_group(name, pk)
        return pk

    def _audit(self, action: str, person: Person, changes: dict) -> tuple:
        """One audit entry as a row for _insert_plain (same fields as audit_record)."""
        return (
            self.now,
            self.actor_fk.pk if self.actor_fk else None,
            self.actor_name,
            action,
            self.person_type.pk,
            str(person.pk),
            str(person)[:300],
            connection.ops.adapt_json_value(
                {**changes, "import": [None, self.job.pk]}, None
            ),
        )

    def chunk(self, rows: list) -> list[_Outcome]:
        outcomes = []
        for row in rows:
            unknown = row.region and self.resolver.region_id(row.region) is None
            if unknown and not row.errors:
                row.errors.append(
                    _("Unknown region “%(name)s”.") % {"name": row.region}
                )
        valid = [row for row in rows if not row.errors]
        matches = importing.match_rows(valid)
        new, existing = [], []
        for row in valid:
            match = matches[row.number]
            if match == importing.AMBIGUOUS:
                row.errors.append(
                    _(
                        "The row's email addresses or phone numbers belong to "
                        "more than one person; merge them or correct the row."
                    )
                )
            elif match is None:
                new.append(row)
            elif self.job.on_match == ImportJob.OnMatch.SKIP:
                self.counts["skipped"] += 1
                outcomes.append(_Outcome(row.number, "skipped", match, row.name))
            else:
                existing.append((row, match))
        for row in rows:
            if row.errors:
                self.error_rows += 1
                if len(self.errors) < IMPORT_ERRORS_KEPT:
                    self.errors.append({"row": row.number, "errors": row.errors})
                outcomes.append(
                    _Outcome(row.number, "error", None, row.name, row.errors)
                )
        outcomes += self._create(new)
        outcomes += self._update(existing)
        return sorted(outcomes, key=lambda o: o.row)

    def _create(self, rows: list) -> list[_Outcome]:
        if not rows:
            return []
        people = []
        for row in rows:
            person = Person(**row.data)
            if "language" not in row.data:
                person.language = importing.script_language(
                    f"{person.first_name}{person.last_name}"
                )
            if row.region:
                person.region_id = self.resolver.region_id(row.region)
            person.search_key = person_search_key(
                person, row.emails, [number for number, _kind in row.phones]
            )
            person.name_key = search_key(person.first_name, person.last_name)
            people.append(person)
        Person.objects.bulk_create(people)
        emails, phones, affiliations, memberships, audit = [], [], [], [], []
        through = Person.groups.through
        for person, row in zip(people, rows, strict=True):
            emails += [
                (person.pk, email, "", index == 0, "")
                for index, email in enumerate(row.emails)
            ]
            phones += [
                (person.pk, number, kind, index == 0)
                for index, (number, kind) in enumerate(row.phones)
            ]
            if row.organisation:
                affiliations.append(
                    Affiliation(
                        person=person,
                        organisation_id=self.organisation_id(row.organisation),
                        role=row.role,
                    )
                )
            for group_id in dict.fromkeys(self.group_id(g) for g in row.groups):
                memberships.append((person.pk, group_id))
            audit.append(
                self._audit(
                    "contacts.person.created",
                    person,
                    {
                        **{k: [None, v] for k, v in row.data.items()},
                        "emails": [None, row.emails],
                        "phones": [None, [number for number, _k in row.phones]],
                    },
                )
            )
        _insert_plain(PersonEmail, _EMAIL_COLUMNS, emails)
        _insert_plain(PersonPhone, _PHONE_COLUMNS, phones)
        Affiliation.objects.bulk_create(affiliations)
        _insert_plain(through, _GROUP_COLUMNS, memberships)
        _insert_plain(AuditEntry, _AUDIT_COLUMNS, audit)
        self.counts["created"] += len(people)
        return [
            _Outcome(row.number, "created", person.pk, str(person))
            for person, row in zip(people, rows, strict=True)
        ]

    def _update(self, rows: list) -> list[_Outcome]:
        if not rows:
            return []
        people = {
            person.pk: person
            for person in Person.objects.filter(
                pk__in={pk for _row, pk in rows}
            ).prefetch_related("emails", "phones", "affiliations", "groups")
        }
        state = {
            pk: {
                "emails": [e.email for e in person.emails.all()],
                "phones": [p.number for p in person.phones.all()],
                "affiliations": {
                    (a.organisation_id, a.role) for a in person.affiliations.all()
                },
                "groups": {g.pk for g in person.groups.all()},
            }
            for pk, person in people.items()
        }
        emails, phones, affiliations, memberships, audit = [], [], [], [], []
        through = Person.groups.through
        changed: dict[int, Person] = {}
        outcomes = []
        for row, pk in rows:
            person, held = people[pk], state[pk]
            changes = {}
            for name, value in row.data.items():
                current = getattr(person, name) or ""
                if current.strip() != value:
                    changes[name] = [current, value]
                    setattr(person, name, value)
            if row.region:
                region_id = self.resolver.region_id(row.region)
                if person.region_id != region_id:
                    changes["region"] = [str(person.region or ""), row.region]
                    person.region_id = region_id
            known = {e.lower() for e in held["emails"]}
            added = [e for e in row.emails if e.lower() not in known]
            for email in added:
                emails.append((pk, email, "", not held["emails"], ""))
                held["emails"].append(email)
            if added:
                changes["emails"] = [None, added]
            added = [(n, k) for n, k in row.phones if n not in set(held["phones"])]
            for number, kind in added:
                phones.append((pk, number, kind, not held["phones"]))
                held["phones"].append(number)
            if added:
                changes["phones"] = [None, [n for n, _k in added]]
            if row.organisation:
                organisation_id = self.organisation_id(row.organisation)
                linked = {org for org, _role in held["affiliations"]}
                if (
                    row.role and (organisation_id, row.role) not in held["affiliations"]
                ) or (not row.role and organisation_id not in linked):
                    affiliations.append(
                        Affiliation(
                            person=person,
                            organisation_id=organisation_id,
                            role=row.role,
                        )
                    )
                    held["affiliations"].add((organisation_id, row.role))
                    changes["organisation"] = [None, f"{row.organisation} {row.role}"]
            new_groups = []
            for name in row.groups:
                group_id = self.group_id(name)
                if group_id not in held["groups"]:
                    held["groups"].add(group_id)
                    memberships.append((pk, group_id))
                    new_groups.append(name)
            if new_groups:
                changes["groups"] = [None, new_groups]
            if changes:
                changed[pk] = person
                self.counts["updated"] += 1
                audit.append(self._audit("contacts.person.changed", person, changes))
                outcomes.append(
                    _Outcome(row.number, "updated", pk, str(person), sorted(changes))
                )
            else:
                self.counts["unchanged"] += 1
                outcomes.append(_Outcome(row.number, "unchanged", pk, str(person)))
        now = timezone.now()
        for pk, person in changed.items():
            person.search_key = person_search_key(
                person, state[pk]["emails"], state[pk]["phones"]
            )
            person.name_key = search_key(person.first_name, person.last_name)
            person.updated_at = now
        Person.objects.bulk_update(
            list(changed.values()),
            [
                *importing.PERSON_SCALARS,
                *("region", "search_key", "name_key", "updated_at"),
            ],
        )
        _insert_plain(PersonEmail, _EMAIL_COLUMNS, emails)
        _insert_plain(PersonPhone, _PHONE_COLUMNS, phones)
        Affiliation.objects.bulk_create(affiliations)
        _insert_plain(through, _GROUP_COLUMNS, memberships)
        _insert_plain(AuditEntry, _AUDIT_COLUMNS, audit)
        return outcomes


def _outcome_labels() -> dict[str, str]:
    return {
        "created": _("created"),
        "updated": _("updated"),
        "unchanged": _("unchanged"),
        "skipped": _("skipped"),
        "error": _("error"),
    }


def import_job_run(*, job: ImportJob, actor, progress=None) -> ImportJob:
    """Run a queued import in one transaction: every row is written, or none is.

    Rows with errors are left out and reported; they do not stop the others.
    Anything that stops the run itself (a crash, a broken file) rolls back every
    row already written, and the job ends FAILED with the reason. Progress goes
    to a small file beside the upload, because what the transaction writes is
    invisible to the page until it commits (and SQLite has one writer at a time).
    ``progress(processed, total)`` is called after each chunk (the command's bar).
    """
    _require(actor, "contacts.import_contacts")
    claimed = ImportJob.objects.filter(
        pk=job.pk, status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING]
    ).update(status=ImportJob.Status.RUNNING, processed_rows=0, failure="")
    job.refresh_from_db()
    if not claimed:
        return job
    tracker = importing.ProgressFile(job)
    tracker.write(0, job.total_rows)
    labels = _outcome_labels()
    report_bytes = _tempfile.TemporaryFile()  # noqa: SIM115  (saved, then closed)
    report = _io.TextIOWrapper(report_bytes, encoding="utf-8", newline="")
    report.write("\ufeff")  # so that Excel reads the scripts right
    writer = _csv.writer(report)
    writer.writerow([_("row"), _("result"), _("person id"), _("name"), _("details")])
    position = {"row": 0, "processed": 0}
    try:
        with transaction.atomic():
            locked = ImportJob.objects.select_for_update().get(pk=job.pk)
            if locked.status != ImportJob.Status.RUNNING:
                return locked  # another worker finished it meanwhile
            run = _ImportRun(job=locked, actor=actor)
            fields = locked.mapping.get("fields", [])
            with default_storage.open(locked.file.name, "rb") as handle:
                table = importing.open_table(handle, locked.file_format, locked.mapping)

                def rows():
                    for number, cells in table.rows():
                        position["row"] = number
                        yield importing.clean_row(number, cells, fields)

                for chunk in importing.chunks(rows(), IMPORT_CHUNK_ROWS):
                    last_read = position["row"]
                    position["row"] = f"{chunk[0].number}–{chunk[-1].number}"
                    outcomes = run.chunk(chunk)
                    position["row"] = last_read
                    for item in outcomes:
                        writer.writerow(
                            [
                                item.row,
                                labels[item.outcome],
                                item.person_id or "",
                                exporting.neutralise(item.name),
                                exporting.neutralise("; ".join(item.details)),
                            ]
                        )
                    position["processed"] += len(chunk)
                    tracker.write(position["processed"], locked.total_rows)
                    if progress is not None:
                        progress(position["processed"], locked.total_rows)
            locked.status = ImportJob.Status.DONE
            locked.processed_rows = position["processed"]
            locked.total_rows = max(locked.total_rows, position["processed"])
            locked.created_count = run.counts["created"]
            locked.updated_count = run.counts["updated"]
            # "Skipped" holds every matched row left as it was: skipped by
            # choice, or already up to date (the report tells them apart).
            locked.skipped_count = run.counts["skipped"] + run.counts["unchanged"]
            locked.errors = run.errors
            locked.finished_at = timezone.now()
            locked.save(
                update_fields=[
                    "status",
                    "processed_rows",
                    "total_rows",
                    "created_count",
                    "updated_count",
                    "skipped_count",
                    "errors",
                    "finished_at",
                ]
            )
            audit_record(
                actor=actor,
                action="contacts.import.finished",
                target=locked,
                changes={
                    "created": [None, run.counts["created"]],
                    "updated": [None, run.counts["updated"]],
                    "unchanged": [None, run.counts["unchanged"]],
                    "skipped": [None, run.counts["skipped"]],
                    "errors": [None, run.error_rows],
                },
            )
    except Exception as exc:  # noqa: BLE001  (whatever stopped it, the job must say so)
        _import_log.exception("Contacts import %s failed", job.pk)
        reason = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        failure = _(
            "The import stopped at row %(row)s: %(reason)s. Nothing was imported; "
            "correct the file and upload it again."
        ) % {"row": position["row"], "reason": reason or exc.__class__.__name__}
        with transaction.atomic():
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportJob.Status.FAILED,
                failure=failure,
                processed_rows=0,
                created_count=0,
                updated_count=0,
                skipped_count=0,
                finished_at=timezone.now(),
            )
            job.refresh_from_db()
            audit_record(
                actor=actor,
                action="contacts.import.failed",
                target=job,
                changes={"failure": [None, failure]},
            )
        tracker.remove()
        report.close()
        return job
    tracker.remove()
    report.flush()
    report_bytes.seek(0)
    name = import_report_name(job)
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, File(report_bytes))
    report.close()
    job.refresh_from_db()
    return job


@transaction.atomic
def people_export(*, params, file_format: str, actor):
    """The people of a list filter, for export; audited with the filter and count.

    A leaked government press list is a real risk, so every export is in the
    audit trail with its filter and its count.
    """
    from contacts.selectors import PERSON_FILTERS, people_filtered

    _require(actor, "contacts.export_contacts")
    if file_format not in exporting.CONTENT_TYPES:
        raise ValidationError(_("Choose CSV, XLSX or vCard."))
    people = people_filtered(params)
    count = people.count()
    criteria = {}
    for name in PERSON_FILTERS:
        getter = params.getlist if hasattr(params, "getlist") else params.get
        values = getter(name)
        if values:
            criteria[name] = values
    audit_record(
        actor=actor,
        action="contacts.people.exported",
        changes={
            "filter": [None, criteria],
            "count": [None, count],
            "format": [None, file_format],
        },
    )
    return people
