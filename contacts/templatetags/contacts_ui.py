"""Template helpers of the contacts pages."""

from django import template
from django.urls import NoReverseMatch, reverse

from contacts import phones

register = template.Library()


@register.simple_tag
def optional_url(name, *args):
    """The URL of ``name``, or "" while the page does not exist (import/export)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@register.filter
def phone(number: str) -> str:
    """An E.164 number the way people read it."""
    return phones.display(number) if number else ""


@register.filter
def is_stale(record, threshold) -> bool:
    """Whether a verifiable record was last checked before ``threshold``."""
    verified = getattr(record, "last_verified_at", None)
    return verified is None or verified < threshold
