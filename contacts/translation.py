"""The only list of translated fields of the contacts app (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from contacts.models import ContactGroup, Organisation, Region


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ("name",)


@register(ContactGroup)
class ContactGroupTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name",)
