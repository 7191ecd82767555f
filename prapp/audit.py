"""The audit trail: every service records who changed what, in its own transaction."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from prapp.models import AuditEntry


def _plain(value):
    if isinstance(value, models.Model):
        return str(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def snapshot(instance: models.Model, fields=None) -> dict:
    """The concrete field values of ``instance`` as JSON-friendly data."""
    data = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"password", "search_key"}:
            continue
        data[field.name] = _plain(field.value_from_object(instance))
    return data


def diff(before: dict, after: dict) -> dict:
    """``{field: [old, new]}`` for every field whose value changed."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def audit_record(
    *, actor, action: str, target=None, changes: dict | None = None
) -> AuditEntry:
    """Write one audit entry; call it inside the transaction that made the change."""
    entry = AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=str(actor) if actor is not None else "",
        action=action,
        changes=changes or {},
    )
    if target is not None:
        entry.target_type = ContentType.objects.get_for_model(
            target, for_concrete_model=False
        )
        entry.target_id = str(target.pk)
        entry.target_repr = str(target)[:300]
    entry.save()
    return entry
