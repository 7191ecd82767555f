"""Press releases: writing, the four-eyes approval, publishing and queuing a send.

Every write checks its permission, runs in a transaction and leaves an audit
entry. Sending itself happens in the worker (pressreleases.delivery).
"""

from collections.abc import Iterable
from contextlib import suppress
from datetime import datetime
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from archive.models import Asset
from archive.services import press_copy_file
from contacts.models import ContactGroup, ContactList, Person
from contacts.selectors import people_chosen, recipients
from prapp.audit import audit_record, diff
from prapp.html import sanitize
from prapp.text import search_key, slugify_any
from prapp.uploads import CONTENT_TYPES, upload_check
from pressreleases.models import (
    CONTENT_FIELDS,
    Delivery,
    Distribution,
    PressRelease,
    ReleaseAttachment,
    ReleaseComment,
    ReleaseVersion,
    Tag,
)

Status = PressRelease.Status
LANGUAGE_CODES = ("ka", "hy", "en")
TRANSLATED_FIELDS = tuple(
    f"{name}_{code}" for name in CONTENT_FIELDS for code in LANGUAGE_CODES
)
OTHER_FIELDS = ("contact_person", "event", "embargo_until")


def _require(actor, perm: str) -> None:
    if actor is None or not actor.has_perm(perm):
        raise PermissionDenied(perm)


def _require_status(release: PressRelease, allowed, message: str) -> None:
    if release.status not in allowed:
        raise ValidationError(message)


def _locked(release: PressRelease) -> PressRelease:
    return PressRelease.objects.select_for_update().get(pk=release.pk)


def release_search_key(release: PressRelease) -> str:
    """Titles, leads and body text of every version, romanised, for search."""
    parts = []
    for code in LANGUAGE_CODES:
        parts.append(getattr(release, f"title_{code}") or "")
        parts.append(getattr(release, f"lead_{code}") or "")
        parts.append(strip_tags(getattr(release, f"body_{code}") or "")[:4000])
    return search_key(*parts)


def _content(release: PressRelease) -> dict:
    """What a version records: every language version and the release's facts."""
    data = {name: getattr(release, name) or "" for name in TRANSLATED_FIELDS}
    data["embargo_until"] = (
        release.embargo_until.isoformat() if release.embargo_until else None
    )
    data["contact_person"] = str(release.contact_person or "")
    data["event"] = str(release.event or "")
    data["tags"] = sorted(str(tag) for tag in release.tags.all()) if release.pk else []
    data["attachments"] = (
        [str(a) for a in release.attachments.order_by("pk")] if release.pk else []
    )
    return data


def _slug(release: PressRelease) -> str:
    for code in ("en", "ka", "hy"):
        title = getattr(release, f"title_{code}") or ""
        if title.strip():
            return slugify_any(title, max_length=100)
    return ""


def _apply(release: PressRelease, data: dict) -> None:
    for name in TRANSLATED_FIELDS + OTHER_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name.startswith("body_"):
            value = sanitize(value or "")
        elif name in TRANSLATED_FIELDS:
            value = (value or "").strip()
        setattr(release, name, value)
    if not any((getattr(release, f"title_{c}") or "").strip() for c in LANGUAGE_CODES):
        raise ValidationError(_("Give the release a title in at least one language."))


def _version_save(release: PressRelease, actor) -> ReleaseVersion:
    release.version += 1
    release.save(update_fields=["version", "updated_at"])
    return ReleaseVersion.objects.create(
        release=release,
        number=release.version,
        author=actor if getattr(actor, "pk", None) else None,
        content=_content(release),
    )


def _back_to_review(release: PressRelease, actor) -> dict:
    """An approved release that changes needs a new approval."""
    if release.status != Status.APPROVED:
        return {}
    release.status = Status.IN_REVIEW
    release.approved_by = None
    release.approved_at = None
    release.approved_version = None
    release.save(
        update_fields=[
            "status",
            "approved_by",
            "approved_at",
            "approved_version",
            "updated_at",
        ]
    )
    return {"status": [Status.APPROVED.value, Status.IN_REVIEW.value]}


@transaction.atomic
def release_create(*, data: dict, actor, tags: Iterable[Tag] = ()) -> PressRelease:
    """Start a draft with any of its language versions; version 1 is kept."""
    _require(actor, "pressreleases.add_pressrelease")
    release = PressRelease(author=actor)
    _apply(release, data)
    release.slug = _slug(release)
    release.search_key = release_search_key(release)
    release.full_clean(exclude=["search_key"])
    release.save()
    release.tags.set(tags)
    _version_save(release, actor)
    audit_record(
        actor=actor,
        action="pressreleases.release.created",
        target=release,
        changes={
            name: [None, value]
            for name, value in _content(release).items()
            if value and not name.startswith("body_")
        },
    )
    return release


@transaction.atomic
def release_update(
    *, release: PressRelease, data: dict, actor, tags: Iterable[Tag] | None = None
) -> PressRelease:
    """Change a release; keep a new version; send an approved one back to review."""
    _require(actor, "pressreleases.change_pressrelease")
    release = _locked(release)
    _require_status(
        release,
        PressRelease.EDITABLE,
        _("This release can no longer be changed; withdraw it or write a new one."),
    )
    before = _content(release)
    _apply(release, data)
    if tags is not None:
        release.tags.set(tags)
    after = _content(release)
    changes = diff(before, after)
    if not changes:
        return release
    release.slug = _slug(release)
    release.search_key = release_search_key(release)
    release.full_clean(exclude=["search_key"])
    release.save()
    _version_save(release, actor)
    changes.update(_back_to_review(release, actor))
    for name in list(changes):
        if name.startswith("body_"):
            changes[name] = ["…", f"{len(strip_tags(after[name]))} chars"]
    changes["version"] = [release.version - 1, release.version]
    audit_record(
        actor=actor,
        action="pressreleases.release.changed",
        target=release,
        changes=changes,
    )
    return release


@transaction.atomic
def release_delete(*, release: PressRelease, actor) -> None:
    """Delete a draft that never went to review; anything later is withdrawn instead."""
    _require(actor, "pressreleases.delete_pressrelease")
    release = _locked(release)
    _require_status(
        release, (Status.DRAFT,), _("Only a draft can be deleted; withdraw it instead.")
    )
    if release.distributions.exists():
        raise ValidationError(_("A release that was sent cannot be deleted."))
    audit_record(
        actor=actor,
        action="pressreleases.release.deleted",
        target=release,
        changes={"title": [str(release), None]},
    )
    release.delete()


def _transition(release, actor, new: str, action: str, **fields) -> PressRelease:
    old = release.status
    release.status = new
    for name, value in fields.items():
        setattr(release, name, value)
    release.save(update_fields=["status", *fields, "updated_at"])
    audit_record(
        actor=actor,
        action=action,
        target=release,
        changes={
            "status": [old, new],
            **{k: [None, str(v)] for k, v in fields.items()},
        },
    )
    return release


@transaction.atomic
def release_submit(*, release: PressRelease, actor) -> PressRelease:
    """Send a draft to review; every version that has a title needs a body too."""
    _require(actor, "pressreleases.change_pressrelease")
    release = _locked(release)
    _require_status(release, (Status.DRAFT,), _("Only a draft can be submitted."))
    incomplete = [
        code
        for code in LANGUAGE_CODES
        if (getattr(release, f"title_{code}") or "").strip()
        and not release.has_language(code)
    ]
    if not release.languages:
        raise ValidationError(_("Write a title and a text in at least one language."))
    if incomplete:
        raise ValidationError(
            _("These versions have a title but no text: %(languages)s.")
            % {"languages": ", ".join(incomplete)}
        )
    return _transition(
        release,
        actor,
        Status.IN_REVIEW,
        "pressreleases.release.submitted",
        submitted_at=timezone.now(),
    )


def approval_refusal(release: PressRelease, actor) -> str:
    """Why ``actor`` may not approve ``release`` now, or "" if they may."""
    if actor is None or not actor.has_perm("pressreleases.approve_pressrelease"):
        return _("Only a manager approves releases.")
    if release.status != Status.IN_REVIEW:
        return _("Only a release in review can be approved.")
    if not settings.PRESSRELEASES_AUTHOR_MAY_APPROVE:
        last_editor = (
            release.versions.order_by("-number")
            .values_list("author_id", flat=True)
            .first()
        )
        if actor.pk in (release.author_id, last_editor):
            return _(
                "You wrote or last changed this release: another manager must "
                "approve it (four eyes)."
            )
    return ""


@transaction.atomic
def release_approve(*, release: PressRelease, actor) -> PressRelease:
    """Approve every language version at once; never the author's own (four eyes)."""
    _require(actor, "pressreleases.approve_pressrelease")
    release = _locked(release)
    refusal = approval_refusal(release, actor)
    if refusal:
        raise PermissionDenied(refusal)
    return _transition(
        release,
        actor,
        Status.APPROVED,
        "pressreleases.release.approved",
        approved_by=actor,
        approved_at=timezone.now(),
        approved_version=release.version,
    )


@transaction.atomic
def release_return(*, release: PressRelease, actor, comment: str) -> PressRelease:
    """A reviewer sends a release back to its author with what to change."""
    _require(actor, "pressreleases.approve_pressrelease")
    release = _locked(release)
    _require_status(
        release, (Status.IN_REVIEW,), _("Only a release in review can be returned.")
    )
    if not comment.strip():
        raise ValidationError(_("Say what should change."))
    _comment_save(release, actor, comment)
    return _transition(release, actor, Status.DRAFT, "pressreleases.release.returned")


@transaction.atomic
def release_publish(
    *, release: PressRelease, actor, at: datetime | None = None
) -> PressRelease:
    """Put an approved release on the newsroom (never before its embargo lifts)."""
    _require(actor, "pressreleases.send_pressrelease")
    release = _locked(release)
    _require_status(
        release, PressRelease.SENDABLE, _("Only an approved release can be published.")
    )
    at = at or timezone.now()
    new = Status.PUBLISHED if release.status == Status.APPROVED else release.status
    return _transition(
        release, actor, new, "pressreleases.release.published", published_at=at
    )


@transaction.atomic
def release_withdraw(*, release: PressRelease, actor, reason: str) -> PressRelease:
    """Take a release back: off the newsroom and its feeds, unsent mail cancelled."""
    _require(actor, "pressreleases.send_pressrelease")
    release = _locked(release)
    _require_status(
        release,
        (Status.APPROVED, *PressRelease.SENDABLE),
        _("Only an approved, sent or published release can be withdrawn."),
    )
    if not reason.strip():
        raise ValidationError(_("Give the reason for the withdrawal."))
    cancelled = Delivery.objects.filter(
        release=release, status=Delivery.Status.PENDING
    ).update(status=Delivery.Status.CANCELLED)
    release.distributions.filter(
        status__in=[Distribution.Status.QUEUED, Distribution.Status.SENDING]
    ).update(status=Distribution.Status.CANCELLED, finished_at=timezone.now())
    release = _transition(
        release,
        actor,
        Status.WITHDRAWN,
        "pressreleases.release.withdrawn",
        withdrawn_at=timezone.now(),
        withdrawn_reason=reason.strip(),
    )
    if cancelled:
        audit_record(
            actor=actor,
            action="pressreleases.distribution.cancelled",
            target=release,
            changes={"cancelled_messages": [None, cancelled]},
        )
    return release


def _comment_save(release, actor, body: str) -> ReleaseComment:
    comment = ReleaseComment(
        release=release, author=actor, version=release.version, body=body.strip()
    )
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def comment_add(*, release: PressRelease, actor, body: str) -> ReleaseComment:
    """A remark on the version being read; reviewers and the author talk here."""
    _require(actor, "pressreleases.change_pressrelease")
    if not body.strip():
        raise ValidationError({"body": _("Write the comment.")})
    comment = _comment_save(release, actor, body)
    audit_record(
        actor=actor,
        action="pressreleases.comment.created",
        target=release,
        changes={"comment": [None, comment.body[:200]]},
    )
    return comment


@transaction.atomic
def attachment_add(
    *,
    release: PressRelease,
    actor,
    upload,
    title: str = "",
    public: bool = True,
    attach_to_email: bool = False,
) -> ReleaseAttachment:
    """Attach a checked file (content: an approved release goes back to review)."""
    _require(actor, "pressreleases.change_pressrelease")
    release = _locked(release)
    _require_status(
        release,
        PressRelease.EDITABLE,
        _("This release can no longer be changed; withdraw it or write a new one."),
    )
    extension = upload_check(
        upload, max_bytes=settings.PRESSRELEASES_MAX_ATTACHMENT_MB * 1024 * 1024
    )
    attachment = ReleaseAttachment(
        release=release,
        title=title.strip()[:200],
        original_name=upload.name[-200:],
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
        size=upload.size,
        public=public,
        attach_to_email=attach_to_email,
        uploaded_by=actor,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.full_clean()
    attachment.save()
    _version_save(release, actor)
    changes = {"attachment": [None, str(attachment)], "size": [None, upload.size]}
    changes.update(_back_to_review(release, actor))
    audit_record(
        actor=actor,
        action="pressreleases.attachment.created",
        target=release,
        changes=changes,
    )
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: ReleaseAttachment, actor) -> None:
    """Remove a file from a release that can still change."""
    _require(actor, "pressreleases.change_pressrelease")
    release = _locked(attachment.release)
    _require_status(
        release,
        PressRelease.EDITABLE,
        _("This release can no longer be changed; withdraw it or write a new one."),
    )
    name = str(attachment)
    attachment.file.delete(save=False)
    attachment.delete()
    _version_save(release, actor)
    changes = {"attachment": [name, None]}
    changes.update(_back_to_review(release, actor))
    audit_record(
        actor=actor,
        action="pressreleases.attachment.deleted",
        target=release,
        changes=changes,
    )


def attachments_add_from_archive(
    *, release: PressRelease, assets: Iterable[Asset], actor
) -> list[ReleaseAttachment]:
    """Attach the press copy of each archive photo to the release: all, or none."""
    _require(actor, "pressreleases.change_pressrelease")
    _require(actor, "archive.view_asset")
    # The copies are made before the transaction, which then only writes: a
    # photo that may not go to the press stops everything before any write,
    # and no row lock is held while images are resized.
    uploads = []
    for asset in assets:
        try:
            uploads.append((asset, press_copy_file(asset=asset)))
        except ValidationError as exc:
            # Say which of the ticked photos stopped the others.
            raise ValidationError(
                [f"{asset}: {message}" for message in exc.messages]
            ) from exc
    attached: list[ReleaseAttachment] = []
    try:
        with transaction.atomic():
            for asset, upload in uploads:
                attached.append(
                    attachment_add(
                        release=release,
                        actor=actor,
                        upload=upload,
                        title=str(asset),
                        public=True,
                    )
                )
    except Exception:
        # The rollback takes the rows back, not the files already stored.
        for attachment in attached:
            with suppress(OSError):
                attachment.file.storage.delete(attachment.file.name)
        raise
    return attached


# --- Sending ---------------------------------------------------------------


def audience_people(*, lists=(), groups=(), people=()):
    """Everyone the chosen lists, groups and people come to (smart lists: now)."""
    return people_chosen(lists=lists, groups=groups, people=people)


def send_refusal(release: PressRelease) -> str:
    """Why ``release`` cannot be sent now, or ""."""
    if release.status not in PressRelease.SENDABLE:
        return _("Only an approved release can be sent.")
    if release.approved_version != release.version:
        return _("The release changed after its approval; it needs approving again.")
    return ""


@transaction.atomic
def distribution_create(
    *,
    release: PressRelease,
    actor,
    lists: Iterable[ContactList] = (),
    groups: Iterable[ContactGroup] = (),
    people: Iterable[Person] = (),
    scheduled_for: datetime | None = None,
    attach_pdf: bool = True,
    publish: bool = False,
) -> Distribution:
    """Write the delivery ledger for an audience and hand it to the worker.

    Each address gets one row per release (the database refuses a second), in
    the version of the recipient's language or the first fallback. Before the
    embargo only contacts marked for embargoed releases get it; everyone else's
    row waits until the embargo lifts.
    """
    _require(actor, "pressreleases.send_pressrelease")
    from pressreleases import tasks

    release = _locked(release)
    refusal = send_refusal(release)
    if refusal:
        raise ValidationError(refusal)
    lists, groups, people = list(lists), list(groups), list(people)
    if not (lists or groups or people):
        raise ValidationError(_("Choose at least one list, group or person."))
    now = timezone.now()
    send_at = max(scheduled_for or now, now)
    audience = audience_people(lists=lists, groups=groups, people=people)
    chosen = recipients(audience)
    embargo_ok = set(
        audience.filter(receives_embargoed=True).values_list("pk", flat=True)
    )
    embargoed = bool(release.embargo_until and release.embargo_until > send_at)
    distribution = Distribution(
        release=release,
        created_by=actor,
        scheduled_for=send_at,
        attach_pdf=attach_pdf,
        left_out=max(audience.count() - len(chosen), 0),
    )
    distribution.full_clean()
    distribution.save()
    distribution.lists.set(lists)
    distribution.groups.set(groups)
    distribution.people.set(people)
    rows = []
    for recipient in chosen:
        early = embargoed and recipient.person_id in embargo_ok
        rows.append(
            Delivery(
                distribution=distribution,
                release=release,
                person_id=recipient.person_id,
                email=recipient.email,
                email_key=recipient.email.strip().lower(),
                name=recipient.name[:310],
                language=release.language_for(recipient.language),
                under_embargo=early,
                not_before=release.embargo_until
                if embargoed and not early
                else send_at,
            )
        )
    Delivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    distribution.total = distribution.deliveries.count()
    distribution.save(update_fields=["total"])
    changes = {
        "recipients": [None, distribution.total],
        "already_sent_before": [None, len(rows) - distribution.total],
        "left_out": [None, distribution.left_out],
        "send_at": [None, send_at.isoformat()],
    }
    if release.status == Status.APPROVED:
        release.status = Status.SCHEDULED
        changes["status"] = [Status.APPROVED.value, Status.SCHEDULED.value]
    if publish and release.published_at is None:
        release.published_at = send_at
        changes["published_at"] = [None, send_at.isoformat()]
    release.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(
        actor=actor,
        action="pressreleases.distribution.created",
        target=release,
        changes=changes,
    )
    transaction.on_commit(partial(tasks.distribution_run.delay, distribution.pk))
    return distribution


@transaction.atomic
def distribution_cancel(*, distribution: Distribution, actor) -> int:
    """Stop a send: rows not yet sent are removed, so those people can get it later."""
    _require(actor, "pressreleases.send_pressrelease")
    distribution = Distribution.objects.select_for_update().get(pk=distribution.pk)
    if distribution.status not in (
        Distribution.Status.QUEUED,
        Distribution.Status.SENDING,
    ):
        raise ValidationError(_("This distribution has already finished."))
    removed, _by_model = distribution.deliveries.filter(
        status=Delivery.Status.PENDING
    ).delete()
    distribution.status = Distribution.Status.CANCELLED
    distribution.finished_at = timezone.now()
    distribution.total = distribution.deliveries.count()
    distribution.save(update_fields=["status", "finished_at", "total"])
    release = _locked(distribution.release)
    changes = {"cancelled_messages": [None, removed]}
    active = release.distributions.filter(
        status__in=[Distribution.Status.QUEUED, Distribution.Status.SENDING]
    ).exists()
    if release.status == Status.SCHEDULED and not active:
        new = (
            Status.SENT
            if release.deliveries.filter(status="sent").exists()
            else (Status.APPROVED)
        )
        release.status = new
        release.save(update_fields=["status", "updated_at"])
        changes["status"] = [Status.SCHEDULED.value, new]
    audit_record(
        actor=actor,
        action="pressreleases.distribution.cancelled",
        target=release,
        changes=changes,
    )
    return removed


@transaction.atomic
def release_test_send_request(*, release: PressRelease, actor) -> None:
    """Mail every language version of the release to ``actor`` (through the worker)."""
    _require(actor, "pressreleases.change_pressrelease")
    from pressreleases import tasks

    if not release.languages:
        raise ValidationError(_("Write a title and a text in at least one language."))
    audit_record(actor=actor, action="pressreleases.release.test_sent", target=release)
    transaction.on_commit(partial(tasks.release_test_send.delay, release.pk, actor.pk))
