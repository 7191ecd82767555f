"""The only list of translated fields of the archive (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from archive.models import Album, ArchiveTag, Asset


@register(ArchiveTag)
class ArchiveTagTranslation(TranslationOptions):
    fields = ("name",)


@register(Album)
class AlbumTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Asset)
class AssetTranslation(TranslationOptions):
    fields = ("title", "caption")
