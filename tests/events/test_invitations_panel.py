"""The invitations panel that the event page includes."""

from django.template import Context, Template

from events.models import Invitation
from tests.events.test_invitations import make_event, make_person


def test_panel_shows_counts_and_links_by_permission(db, make_user, rf):
    event = make_event()
    Invitation.objects.create(event=event, person=make_person(), response="accepted")
    template = Template('{% include "events/includes/_invitations_panel.html" %}')
    from django.contrib.auth.context_processors import PermWrapper

    for role, can_invite in (("Editor", True), ("Viewer", False)):
        user = make_user(role.lower(), role=role)
        html = template.render(
            Context({"event": event, "perms": PermWrapper(user), "user": user})
        )
        assert f"/events/{event.pk}/guests/" in html
        assert (f"/events/{event.pk}/invite/" in html) is can_invite
        assert (f"/events/{event.pk}/checkin/" in html) is can_invite
