"""The only list of translated fields of the inquiry desk (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from inquiries.models import DeadlineRule, Holiday, LawProfile, RefusalGround, Unit


@register(LawProfile)
class LawProfileTranslation(TranslationOptions):
    fields = ("name", "notes")


@register(DeadlineRule)
class DeadlineRuleTranslation(TranslationOptions):
    # The law cited in the requester's language (letters, notices).
    fields = ("legal_basis",)


@register(Holiday)
class HolidayTranslation(TranslationOptions):
    fields = ("name",)


@register(RefusalGround)
class RefusalGroundTranslation(TranslationOptions):
    fields = ("name", "legal_basis")


@register(Unit)
class UnitTranslation(TranslationOptions):
    fields = ("name",)
