"""Writes of the project package: user preferences and outgoing mail."""

from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from prapp.audit import audit_record, diff, snapshot
from prapp.models import AuditEntry, User, WorkerHeartbeat


@transaction.atomic
def user_set_language(*, user: User, language: str, actor) -> User:
    """Store the interface language a user chose in the switcher or profile."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"Unknown language {language!r}")
    old = user.language
    if old == language:
        return user
    user.language = language
    user.save(update_fields=["language"])
    audit_record(
        actor=actor,
        action="prapp.user.language_changed",
        target=user,
        changes={"language": [old, language]},
    )
    return user


PROFILE_FIELDS = ("first_name", "last_name", "email", "language")


@transaction.atomic
def user_update_profile(*, user: User, changes: dict, actor) -> User:
    """Change a user's own name, email and interface language."""
    user = User.objects.select_for_update().get(pk=user.pk)
    before = snapshot(user, PROFILE_FIELDS)
    for field in PROFILE_FIELDS:
        if field in changes:
            setattr(user, field, changes[field])
    user.full_clean(exclude=["password", "username"])
    changed = diff(before, snapshot(user, PROFILE_FIELDS))
    if changed:
        user.save(update_fields=list(changed))
        audit_record(
            actor=actor,
            action="prapp.user.profile_changed",
            target=user,
            changes=changed,
        )
    return user


def email_render_and_send(
    *, to: list[str], language: str, template: str, context: dict, connection=None
) -> int:
    """Render ``<template>_subject.txt``, ``.txt`` and ``.html`` in one language; send.

    Every email leaves in its recipient's language, whatever the sender's is.
    """
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        subject = " ".join(subject.split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    return message.send()


@transaction.atomic
def test_email_request(*, actor: User) -> None:
    """Queue a test email to ``actor``; the worker sends it after this commits."""
    from prapp.tasks import send_test_email

    request = audit_record(
        actor=actor, action="prapp.test_email.requested", target=actor
    )
    transaction.on_commit(partial(send_test_email.delay, actor.pk, request.pk))


def test_email_send(*, user: User, request_id: int | None = None) -> int:
    """Send the test email that proves mail goes through the worker.

    With the id of the request's audit entry, a redelivered task sends nothing
    the second time: the request row is locked and the sending is recorded.
    """
    language = user.language or settings.LANGUAGE_CODE
    with transaction.atomic():
        if request_id is not None:
            request = (
                AuditEntry.objects.select_for_update()
                .filter(pk=request_id, action="prapp.test_email.requested")
                .first()
            )
            already = AuditEntry.objects.filter(
                action="prapp.test_email.sent", changes__request=request_id
            ).exists()
            if request is None or already:
                return 0
        sent = email_render_and_send(
            to=[user.email or f"{user.username}@localhost"],
            language=language,
            template="prapp/email/test_email",
            context={"user": user, "sent_at": timezone.now()},
        )
        if request_id is not None:
            audit_record(
                actor=None,
                action="prapp.test_email.sent",
                target=user,
                changes={"request": request_id},
            )
    return sent


def worker_heartbeat_record(*, name: str, hostname: str) -> WorkerHeartbeat:
    """Note that a worker is alive; /healthz reads it."""
    heartbeat, _created = WorkerHeartbeat.objects.update_or_create(
        name=name, defaults={"hostname": hostname, "last_seen": timezone.now()}
    )
    return heartbeat
