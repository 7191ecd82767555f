"""Template tags of media accreditation, for the panel on the event page."""

from django import template

from events import accreditation as services

register = template.Library()


@register.simple_tag
def accreditation_counts(event) -> dict:
    """An event's accreditation requests by status (one query)."""
    return services.accreditation_counts(event)
