"""Factories of the contacts app, with real Georgian and Armenian names."""

import factory

from contacts.models import ContactGroup, ContactList, Organisation, Person, PersonEmail
from prapp.text import search_key


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name_ka = factory.Iterator(
        ["რუსთავი 2", "საზოგადოებრივი მაუწყებელი", "ინტერპრესნიუსი"]
    )
    name_en = factory.Iterator(
        ["Rustavi 2", "Georgian Public Broadcaster", "Interpressnews"]
    )
    name = factory.SelfAttribute("name_en")
    kind = Organisation.Kind.MEDIA
    media_type = Organisation.MediaType.TV
    search_key = factory.LazyAttribute(lambda o: search_key(o.name_ka, o.name_en))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Iterator(["ნინო", "გიორგი", "Անի", "Արամ", "თამარ"])
    last_name = factory.Iterator(
        ["ბერიძე", "მაისურაძე", "Պետրոսյան", "Գրիգորյան", "გელაშვილი"]
    )
    language = "ka"
    search_key = factory.LazyAttribute(lambda p: search_key(p.first_name, p.last_name))
    name_key = factory.LazyAttribute(lambda p: search_key(p.first_name, p.last_name))


class PersonEmailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonEmail

    person = factory.SubFactory(PersonFactory)
    email = factory.Sequence(lambda n: f"journalist{n}@example.ge")
    is_primary = True


class ContactGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactGroup

    name = factory.Sequence(lambda n: f"თემატური ჯგუფი {n}")


class ContactListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactList

    name = factory.Sequence(lambda n: f"სია {n}")
