"""Each role sees its own navigation; the audit trail is the manager's alone."""

from django.urls import reverse

from prapp.models import AuditEntry

from .browser import APPS, header_links, login


def test_viewer_sees_the_apps_but_not_the_audit_trail(page, live_server, viewer):
    login(page, live_server, viewer)
    links = header_links(page)
    for app in APPS:
        assert reverse(f"{app}:index") in links, app
    assert reverse("audit") not in links
    assert reverse("outbox") not in links
    assert reverse("admin:index") not in links
    # Nor does the dashboard offer it.
    assert page.locator(f"main a[href='{reverse('audit')}']").count() == 0

    entries_before = list(AuditEntry.objects.values_list("pk", flat=True))
    response = page.goto(live_server.url + reverse("audit"))
    assert response.status == 403
    assert "403" in page.content()
    assert page.locator("table").count() == 0
    assert list(AuditEntry.objects.values_list("pk", flat=True)) == entries_before


def test_manager_sees_the_audit_trail(page, live_server, manager):
    login(page, live_server, manager)
    links = header_links(page)
    for app in APPS:
        assert reverse(f"{app}:index") in links, app
    assert {reverse("audit"), reverse("outbox"), reverse("admin:index")} <= links
