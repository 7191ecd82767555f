"""Template tags of the invitations area (the panel on the event page)."""

from django import template

from events.invitations import guest_counts

register = template.Library()


@register.simple_tag
def invitation_counts(event) -> dict[str, int]:
    """The guest counts of an event, in one query, for the invitations panel."""
    return guest_counts(event)
