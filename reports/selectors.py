"""Reads behind the dashboard; top of the import ladder, it may read every app."""

from contacts import selectors as contacts
from events import selectors as events
from inquiries import statistics as inquiries
from media_monitoring import selectors as monitoring
from prapp import selectors as system
from prapp.navigation import entries_for


def dashboard_panels(user) -> dict:
    """What the dashboard shows ``user``: only panels their permissions allow."""
    panels = {"apps": entries_for(user)}
    if user.has_perm("prapp.view_auditentry"):
        panels["worker"] = system.worker_status()
        panels["recent_changes"] = list(system.audit_entries()[:8])
    if user.has_perm("contacts.view_partneragreement"):
        panels["expiring_agreements"] = list(contacts.expiring_agreements()[:10])
    if user.has_perm("events.view_event"):
        panels["events_this_week"] = events.events_this_week()
        panels["overdue_tasks"] = list(events.overdue_tasks(user)[:20])
        panels["overdue_follow_ups"] = list(events.overdue_follow_ups(user)[:20])
    if user.has_perm("media_monitoring.view_item"):
        panels["monitoring_counts"] = monitoring.inbox_counts()
        panels["overdue_responses"] = list(monitoring.overdue_responses()[:10])
    if user.has_perm("inquiries.view_request"):
        panels["inquiry_counts"] = inquiries.dashboard_counts(user=user)
    if user.has_perm("prapp.view_capturedemail"):
        panels["outbox_count"] = system.captured_emails().count()
    return panels
