"""The only list of translated fields of the events app (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from events.models import ChecklistTemplateItem, Event, EventType


@register(EventType)
class EventTypeTranslation(TranslationOptions):
    fields = ("name",)


@register(ChecklistTemplateItem)
class ChecklistTemplateItemTranslation(TranslationOptions):
    fields = ("title",)


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "description")
