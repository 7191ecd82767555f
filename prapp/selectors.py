"""Reads of the project package: audit trail, captured mail, system health."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from prapp.models import AuditEntry, CapturedEmail, WorkerHeartbeat


def audit_entries(*, action: str = "", actor_id=None, target: str = "") -> QuerySet:
    """The audit trail, newest first, optionally narrowed."""
    entries = AuditEntry.objects.select_related("actor", "target_type")
    if action:
        entries = entries.filter(action__startswith=action)
    if actor_id:
        entries = entries.filter(actor_id=actor_id)
    if target:
        entries = entries.filter(target_repr__icontains=target)
    return entries


def captured_emails(*, query: str = "") -> QuerySet:
    """Captured mail, newest first; ``query`` matches subject or recipient."""
    emails = CapturedEmail.objects.defer("raw", "body_html", "body_text")
    if query:
        emails = emails.filter(Q(subject__icontains=query) | Q(to__icontains=query))
    return emails


def worker_status() -> dict:
    """Whether a worker ran its heartbeat recently enough to count as alive."""
    heartbeat = WorkerHeartbeat.objects.order_by("-last_seen").first()
    if heartbeat is None:
        return {"ok": False, "last_seen": None, "age_seconds": None}
    age = (timezone.now() - heartbeat.last_seen).total_seconds()
    limit = timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE).total_seconds()
    return {
        "ok": age <= limit,
        "last_seen": heartbeat.last_seen,
        "age_seconds": int(age),
    }


# --- Query-string parameters of list pages ----------------------------------------


def query_values(params, name) -> list[str]:
    """The non-empty values of ``name`` in a QueryDict or a plain dict."""
    if hasattr(params, "getlist"):
        values = params.getlist(name)
    else:
        value = params.get(name, [])
        values = value if isinstance(value, (list, tuple)) else [value]
    return [str(v).strip() for v in values if v is not None and str(v).strip()]


def query_ids(params, name) -> list[int]:
    """The primary keys given as ``name``; anything else is ignored."""
    return [int(v) for v in query_values(params, name) if v.isdigit()]


def query_day(params, name) -> date | None:
    """The first ISO date given as ``name``, or None when absent or malformed."""
    values = query_values(params, name)
    try:
        return date.fromisoformat(values[0]) if values else None
    except ValueError:
        return None


def local_midnight(day: date) -> datetime:
    """The start of ``day`` in the current time zone."""
    return timezone.make_aware(
        datetime.combine(day, time.min), timezone.get_current_timezone()
    )
