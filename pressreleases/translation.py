"""The only list of translated fields of the releases app (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from pressreleases.models import PressRelease, Tag


@register(Tag)
class TagTranslation(TranslationOptions):
    fields = ("name",)


@register(PressRelease)
class PressReleaseTranslation(TranslationOptions):
    # Pages fall back field by field; mail picks a whole version instead
    # (PressRelease.language_for), reading the per-language columns.
    fields = ("title", "lead", "body")
