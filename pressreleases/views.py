"""The staff pages of the press releases app: list, writing, review, sending.

Views only validate input and call services (writes) and selectors (reads); the
permission is checked here and again in the service. The sending engine
(pressreleases.delivery) and the PDF renderer (pressreleases.pdf) are imported
where they are used, so that a page that does not need them never loads them.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.http import content_disposition_header
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from js_asset import Media

from archive import selectors as archive_selectors
from archive.models import Asset
from contacts.selectors import keyset_page
from prapp.html import sanitized_safe
from pressreleases import diffing, selectors, services
from pressreleases.forms import (
    ARCHIVE_PICK_PAGE_SIZE,
    LANGUAGE_NAMES,
    ArchivePickForm,
    ArchiveSearchForm,
    AttachmentForm,
    CommentForm,
    ReleaseFilterForm,
    ReleaseForm,
    ReturnForm,
    SendForm,
    WithdrawForm,
)
from pressreleases.models import (
    Delivery,
    Distribution,
    PressRelease,
    ReleaseAttachment,
)

Status = PressRelease.Status
READ = ("pressreleases.access_app", "pressreleases.view_pressrelease")
ADD = "pressreleases.add_pressrelease"
CHANGE = "pressreleases.change_pressrelease"
DELETE = "pressreleases.delete_pressrelease"
APPROVE = "pressreleases.approve_pressrelease"
SEND = "pressreleases.send_pressrelease"
# Picking photos from the archive shows the archive's assets as well.
ARCHIVE_READ = ("archive.access_app", "archive.view_asset")
PROGRESS_KEYS = ("total", "sent", "failed", "waiting", "unknown", "cancelled")
# Rows of the "fate unknown" and "failed" tables shown on the release page.
PROBLEM_ROWS_SHOWN = 200


def _apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form fields it names (or the form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _flash_errors(request, form=None, exc=None) -> None:
    errors = list(exc.messages) if exc is not None else []
    if form is not None:
        errors += [e for field_errors in form.errors.values() for e in field_errors]
    for error in errors:
        messages.error(request, error)


def _detail(release_or_pk, anchor: str = "") -> str:
    pk = getattr(release_or_pk, "pk", release_or_pk)
    url = reverse("pressreleases:detail", args=[pk])
    return f"{url}#{anchor}" if anchor else url


def _title_in(release: PressRelease, language: str) -> tuple[str, str]:
    """The title a reader of ``language`` sees, and the language it is in."""
    fallbacks = settings.MODELTRANSLATION_FALLBACK_LANGUAGES
    order = [language, *fallbacks.get(language, fallbacks["default"])]
    order += [code for code, _name in settings.LANGUAGES]
    for code in order:
        title = (getattr(release, f"title_{code}", "") or "").strip()
        if title:
            return title, code
    return str(release), language


class ReleasesMixin(PermissionRequiredMixin):
    """Every press-release page: app access and read permission, at least."""

    permission_required = READ


class ReleasePostView(ReleasesMixin, View):
    """A button on the release page that posts: no page of its own."""

    http_method_names = ["post"]

    def get_release(self) -> PressRelease:
        return get_object_or_404(PressRelease, pk=self.kwargs["pk"])


# --- The list ------------------------------------------------------------------


class ReleaseListView(ReleasesMixin, TemplateView):
    """Releases, newest first, with a filter bar; the app's landing page."""

    template_name = "pressreleases/pressrelease_list.html"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        params = self.request.GET
        user = self.request.user
        form = ReleaseFilterForm(params or None, counts=selectors.status_counts())
        criteria = form.criteria()
        releases = selectors.releases_filtered(criteria, user=user)
        page = Paginator(releases, self.paginate_by).get_page(params.get("page"))
        language = get_language()
        rows = []
        for release in page.object_list:
            title, title_language = _title_in(release, language)
            rows.append(
                {
                    "release": release,
                    "title": title,
                    "title_language": title_language,
                    "languages": release.languages,
                }
            )
        query = params.copy()
        query.pop("page", None)
        can_approve = user.has_perm(APPROVE)
        return super().get_context_data(
            filter_form=form,
            filtered=bool(criteria),
            page_obj=page,
            is_paginated=page.has_other_pages(),
            query_string=query.urlencode(),
            rows=rows,
            language_names=LANGUAGE_NAMES,
            can_add=user.has_perm(ADD),
            review_count=selectors.review_queue_count() if can_approve else None,
            **kwargs,
        )


# --- Writing -------------------------------------------------------------------


class _ReleaseFormView(ReleasesMixin, TemplateView):
    template_name = "pressreleases/pressrelease_form.html"

    def render_form(self, form, **extra):
        # The editor's import map is an inline script: it carries this
        # response's CSP nonce (django-csp adds the nonce to the header once
        # request.csp_nonce has been read).
        media = Media.from_media(form.media, nonce=self.request.csp_nonce)
        return self.render_to_response(
            self.get_context_data(form=form, editor_media=media, **extra)
        )


class ReleaseCreateView(_ReleaseFormView):
    permission_required = (*READ, ADD)

    def get(self, request):
        return self.render_form(ReleaseForm())

    def post(self, request):
        form = ReleaseForm(request.POST)
        if not form.is_valid():
            return self.render_form(form)
        try:
            release = services.release_create(
                data=form.release_data(), tags=form.chosen_tags(), actor=request.user
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.render_form(form)
        messages.success(
            request, _("The draft was saved. Submit it for review when it is ready.")
        )
        return redirect(release)


class ReleaseEditView(_ReleaseFormView):
    permission_required = (*READ, CHANGE)

    def dispatch(self, request, *args, **kwargs):
        self.release = get_object_or_404(
            PressRelease.objects.select_related("contact_person", "event"),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def _refusal(self):
        if self.release.status in PressRelease.EDITABLE:
            return None
        messages.error(
            self.request,
            _("This release can no longer be changed; withdraw it or write a new one."),
        )
        return redirect(self.release)

    def get(self, request, pk):
        refused = self._refusal()
        if refused:
            return refused
        form = ReleaseForm(
            initial=ReleaseForm.initial_for(self.release), release=self.release
        )
        return self.render_form(form, release=self.release)

    def post(self, request, pk):
        refused = self._refusal()
        if refused:
            return refused
        form = ReleaseForm(request.POST, release=self.release)
        if not form.is_valid():
            return self.render_form(form, release=self.release)
        was_approved = self.release.status == Status.APPROVED
        try:
            release = services.release_update(
                release=self.release,
                data=form.release_data(),
                tags=form.chosen_tags(),
                actor=request.user,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.render_form(form, release=self.release)
        if was_approved and release.status == Status.IN_REVIEW:
            messages.warning(
                request,
                _("The release changed after its approval: it is back in review."),
            )
        else:
            messages.success(request, _("The release was saved."))
        return redirect(release)


# --- One release -----------------------------------------------------------------


WORKFLOW = (
    (Status.DRAFT,),
    (Status.IN_REVIEW,),
    (Status.APPROVED,),
    (Status.SCHEDULED,),
    (Status.SENT, Status.PUBLISHED),
)


def workflow_steps(release: PressRelease) -> list[dict]:
    """The strip draft → in review → approved → scheduled → sent / published."""
    current = next(
        (index for index, step in enumerate(WORKFLOW) if release.status in step),
        None,
    )
    steps = []
    for index, step in enumerate(WORKFLOW):
        if current is None:
            state = "todo"
        elif index < current:
            state = "done"
        elif index == current:
            state = "current"
        else:
            state = "todo"
        steps.append({"label": " / ".join(str(s.label) for s in step), "state": state})
    return steps


def _zero_progress() -> dict:
    return dict.fromkeys(PROGRESS_KEYS, 0)


def _distribution_counts(release: PressRelease) -> dict[int, dict]:
    """Sent / failed / waiting / unknown of each distribution, in one query."""
    counts: dict[int, dict] = {}
    rows = (
        Delivery.objects.filter(release=release)
        .values("distribution_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    waiting = {Delivery.Status.PENDING, Delivery.Status.SENDING}
    for row in rows:
        entry = counts.setdefault(row["distribution_id"], _zero_progress())
        status = row["status"]
        key = "waiting" if status in waiting else status
        if key in entry:
            entry[key] += row["n"]
        entry["total"] += row["n"]
    return counts


def release_progress(release: PressRelease, *, any_distribution: bool) -> dict:
    """The release's sending progress (pressreleases.delivery) and each send's."""
    if not any_distribution:
        return {**_zero_progress(), "distributions": {}}
    from pressreleases.delivery import distribution_progress

    progress = _zero_progress()
    progress.update(distribution_progress(release))
    progress["distributions"] = {
        str(pk): counts for pk, counts in _distribution_counts(release).items()
    }
    return progress


def _newsroom_links(release: PressRelease) -> list[dict]:
    """Links to the public page of each version, if the release is public yet."""
    if not release.is_public():
        return []
    links = []
    for code in release.languages:
        try:
            url = reverse(
                "newsroom:detail",
                kwargs={"language": code, "pk": release.pk, "slug": release.slug},
            )
        except NoReverseMatch:
            # The newsroom is someone else's module; its absence must not
            # break the staff page.
            continue
        links.append({"code": code, "name": LANGUAGE_NAMES[code], "url": url})
    return links


class ReleaseDetailView(ReleasesMixin, TemplateView):
    """Everything about a release, and the buttons its state and the user allow."""

    template_name = "pressreleases/pressrelease_detail.html"

    def get_context_data(self, **kwargs):
        try:
            release = selectors.release_for_detail(self.kwargs["pk"])
        except PressRelease.DoesNotExist as exc:
            raise Http404 from exc
        user = self.request.user
        status = release.status
        distributions = list(release.distributions.all())
        versions = list(release.versions.all())
        can_change = user.has_perm(CHANGE)
        can_send_perm = user.has_perm(SEND)
        can_approve_perm = user.has_perm(APPROVE)
        send_refusal = services.send_refusal(release) if can_send_perm else ""
        approval_refusal = ""
        if can_approve_perm and status == Status.IN_REVIEW:
            approval_refusal = services.approval_refusal(release, user)
        editable = status in PressRelease.EDITABLE
        progress = release_progress(release, any_distribution=bool(distributions))
        for distribution in distributions:
            distribution.progress = progress["distributions"].get(
                str(distribution.pk), _zero_progress()
            )
            distribution.active = distribution.status in (
                Distribution.Status.QUEUED,
                Distribution.Status.SENDING,
            )
        title, title_language = _title_in(release, get_language())
        context = super().get_context_data(**kwargs)
        context.update(
            release=release,
            title=title,
            title_language=title_language,
            versions_shown=[
                {
                    "code": code,
                    "name": LANGUAGE_NAMES[code],
                    "present": release.has_language(code),
                    "active": code == title_language,
                    "title": getattr(release, f"title_{code}") or "",
                    "lead": getattr(release, f"lead_{code}") or "",
                    "body": sanitized_safe(getattr(release, f"body_{code}") or ""),
                }
                for code, _name in settings.LANGUAGES
            ],
            workflow=workflow_steps(release),
            versions=versions,
            distributions=distributions,
            progress=progress,
            newsroom_links=_newsroom_links(release),
            can_edit=can_change and editable,
            can_submit=can_change and status == Status.DRAFT,
            can_review=can_approve_perm and status == Status.IN_REVIEW,
            approval_refusal=approval_refusal,
            can_publish=can_send_perm
            and status in PressRelease.SENDABLE
            and release.published_at is None,
            can_withdraw=can_send_perm and status in PressRelease.SENDABLE,
            can_delete=user.has_perm(DELETE)
            and status == Status.DRAFT
            and not distributions,
            can_test_send=can_change and bool(release.languages),
            can_send_perm=can_send_perm,
            can_send=can_send_perm and not send_refusal,
            send_refusal=send_refusal,
            can_attach=can_change and editable,
            can_pick_from_archive=can_change
            and editable
            and user.has_perms(ARCHIVE_READ),
            can_comment=can_change,
            under_embargo=release.under_embargo(),
        )
        if can_send_perm and distributions:
            context["unknown_deliveries"] = list(
                selectors.release_unknown_deliveries(release)[:PROBLEM_ROWS_SHOWN]
            )
            context["failed_deliveries"] = list(
                selectors.release_failed_deliveries(release)[:PROBLEM_ROWS_SHOWN]
            )
        if context["can_attach"]:
            context["attachment_form"] = AttachmentForm(prefix="attachment")
            context["attachment_form"].helper.form_action = reverse(
                "pressreleases:attachment_add", args=[release.pk]
            )
        if context["can_comment"]:
            context["comment_form"] = CommentForm(prefix="comment")
            context["comment_form"].helper.form_action = reverse(
                "pressreleases:comment_add", args=[release.pk]
            )
        if context["can_review"]:
            context["return_form"] = ReturnForm(prefix="return")
            context["return_form"].helper.form_action = reverse(
                "pressreleases:return", args=[release.pk]
            )
        if context["can_withdraw"]:
            context["withdraw_form"] = WithdrawForm(prefix="withdraw")
            context["withdraw_form"].helper.form_action = reverse(
                "pressreleases:withdraw", args=[release.pk]
            )
        return context


class ProgressView(ReleasesMixin, View):
    """The sending progress of a release as JSON, polled by progress.js."""

    def get(self, request, pk):
        release = get_object_or_404(PressRelease, pk=pk)
        any_distribution = release.distributions.exists()
        return JsonResponse(
            release_progress(release, any_distribution=any_distribution)
        )


class ReleasePdfView(ReleasesMixin, View):
    """One language version of the release as the PDF that goes with the email."""

    def get(self, request, pk, language):
        if language not in services.LANGUAGE_CODES:
            raise Http404
        release = get_object_or_404(
            PressRelease.objects.select_related("contact_person", "event"), pk=pk
        )
        from pressreleases.pdf import release_pdf, release_pdf_filename

        response = HttpResponse(
            release_pdf(release, language), content_type="application/pdf"
        )
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=release_pdf_filename(release, language)
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ReleaseDiffView(ReleasesMixin, TemplateView):
    """Word by word, what changed between two saved versions of a release."""

    template_name = "pressreleases/pressrelease_diff.html"

    @staticmethod
    def _number(value) -> int | None:
        return int(value) if str(value or "").isdigit() else None

    def get_context_data(self, **kwargs):
        release = get_object_or_404(PressRelease, pk=self.kwargs["pk"])
        versions = list(
            release.versions.select_related("author")
            .order_by("-number")
            .defer("content")
        )
        numbers = [v.number for v in versions]
        new = self._number(self.request.GET.get("new"))
        if new not in numbers:
            new = numbers[0] if numbers else None
        old = self._number(self.request.GET.get("old"))
        if old not in numbers:
            older = [n for n in numbers if new is not None and n < new]
            old = older[0] if older else None
        old_version, new_version = (None, None)
        changes = None
        if old is not None and new is not None:
            old_version, new_version = selectors.versions_pair(release, old, new)
            if old_version is not None and new_version is not None:
                changes = diffing.version_changes(
                    old_version.content, new_version.content
                )
        return super().get_context_data(
            release=release,
            title=_title_in(release, get_language())[0],
            versions=versions,
            old=old,
            new=new,
            old_version=old_version,
            new_version=new_version,
            changes=changes,
            language_names=LANGUAGE_NAMES,
            **kwargs,
        )


# --- The workflow ------------------------------------------------------------------


class ReleaseSubmitView(ReleasePostView):
    permission_required = (*READ, CHANGE)

    def post(self, request, pk):
        release = self.get_release()
        try:
            services.release_submit(release=release, actor=request.user)
        except ValidationError as exc:
            _flash_errors(request, exc=exc)
        else:
            messages.success(request, _("The release was submitted for review."))
        return redirect(release)


class ReleaseApproveView(ReleasePostView):
    permission_required = (*READ, APPROVE)

    def post(self, request, pk):
        release = self.get_release()
        refusal = services.approval_refusal(release, request.user)
        if refusal:
            messages.error(request, refusal)
            return redirect(release)
        try:
            services.release_approve(release=release, actor=request.user)
        except (ValidationError, PermissionDenied) as exc:
            # The state may have moved between the check and the lock.
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(
                request, _("The release is approved in every language version.")
            )
        return redirect(release)


class ReleaseReturnView(ReleasePostView):
    permission_required = (*READ, APPROVE)

    def post(self, request, pk):
        release = self.get_release()
        form = ReturnForm(request.POST, prefix="return")
        if not form.is_valid():
            _flash_errors(request, form)
            return redirect(release)
        try:
            services.release_return(
                release=release,
                comment=form.cleaned_data["comment"],
                actor=request.user,
            )
        except ValidationError as exc:
            _flash_errors(request, exc=exc)
        else:
            messages.success(request, _("The release was returned to its author."))
        return redirect(release)


class ReleasePublishView(ReleasePostView):
    permission_required = (*READ, SEND)

    def post(self, request, pk):
        release = self.get_release()
        try:
            release = services.release_publish(release=release, actor=request.user)
        except ValidationError as exc:
            _flash_errors(request, exc=exc)
        else:
            if release.under_embargo():
                messages.success(
                    request,
                    _("It will appear on the newsroom when the embargo lifts."),
                )
            else:
                messages.success(request, _("The release is on the newsroom."))
        return redirect(release)


class ReleaseWithdrawView(ReleasePostView):
    permission_required = (*READ, SEND)

    def post(self, request, pk):
        release = self.get_release()
        form = WithdrawForm(request.POST, prefix="withdraw")
        if not form.is_valid():
            _flash_errors(request, form)
            return redirect(release)
        try:
            services.release_withdraw(
                release=release,
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            _flash_errors(request, exc=exc)
        else:
            messages.success(
                request,
                _("The release was withdrawn; mail not yet sent was cancelled."),
            )
        return redirect(release)


class ReleaseDeleteView(ReleasePostView):
    permission_required = (*READ, DELETE)

    def post(self, request, pk):
        release = self.get_release()
        try:
            services.release_delete(release=release, actor=request.user)
        except ValidationError as exc:
            _flash_errors(request, exc=exc)
            return redirect(release)
        messages.success(request, _("The draft was deleted."))
        return redirect("pressreleases:index")


class CommentAddView(ReleasePostView):
    permission_required = (*READ, CHANGE)

    def post(self, request, pk):
        release = self.get_release()
        form = CommentForm(request.POST, prefix="comment")
        if not form.is_valid():
            _flash_errors(request, form)
            return redirect(_detail(release, "comments"))
        try:
            services.comment_add(
                release=release, body=form.cleaned_data["body"], actor=request.user
            )
        except ValidationError as exc:
            _flash_errors(request, exc=exc)
        else:
            messages.success(request, _("The comment was added."))
        return redirect(_detail(release, "comments"))


# --- Attachments -------------------------------------------------------------------


class AttachmentAddView(ReleasePostView):
    permission_required = (*READ, CHANGE)

    def post(self, request, pk):
        release = self.get_release()
        form = AttachmentForm(request.POST, request.FILES, prefix="attachment")
        if not form.is_valid():
            _flash_errors(request, form)
            return redirect(_detail(release, "attachments"))
        data = form.cleaned_data
        try:
            services.attachment_add(
                release=release,
                upload=data["file"],
                title=data["title"],
                public=data["public"],
                attach_to_email=data["attach_to_email"],
                actor=request.user,
            )
        except ValidationError as exc:
            _flash_errors(request, exc=exc)
        else:
            messages.success(request, _("The file was attached."))
        return redirect(_detail(release, "attachments"))


class AttachmentDownloadView(ReleasesMixin, View):
    """Attachments are never served as media: only through this permission check."""

    def get(self, request, pk):
        attachment = get_object_or_404(ReleaseAttachment, pk=pk)
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, ValueError) as exc:
            raise Http404 from exc
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type or "application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class AttachmentRemoveView(ReleasePostView):
    permission_required = (*READ, CHANGE)

    def post(self, request, pk):
        attachment = get_object_or_404(ReleaseAttachment, pk=pk)
        release_pk = attachment.release_id
        try:
            services.attachment_remove(attachment=attachment, actor=request.user)
        except ValidationError as exc:
            _flash_errors(request, exc=exc)
        else:
            messages.success(request, _("The file was removed."))
        return redirect(_detail(release_pk, "attachments"))


# What a tile of the archive picker shows: no long texts for 24 tiles.
PICK_TILE_FIELDS = (
    "pk",
    "kind",
    "state",
    "title",
    "title_ka",
    "title_hy",
    "title_en",
    "original_name",
    "credit",
    "renditions",
    "rights",
    "consent",
    "licence_expires",
    "uploaded_at",
)


class ArchivePickView(ReleasesMixin, TemplateView):
    """Tick photos cleared for the press and attach their press copies at once."""

    permission_required = (*READ, CHANGE, *ARCHIVE_READ)
    template_name = "pressreleases/archive_pick.html"

    def _release_or_refusal(self, pk):
        release = get_object_or_404(PressRelease, pk=pk)
        if release.status in PressRelease.EDITABLE:
            return release, None
        messages.error(
            self.request,
            _("This release can no longer be changed; withdraw it or write a new one."),
        )
        return release, redirect(release)

    def render_page(self, release: PressRelease, form: ArchivePickForm):
        params = self.request.GET
        search = ArchiveSearchForm(params or None)
        criteria = search.criteria()
        photos = archive_selectors.cleared_for_press(
            archive_selectors.assets_filtered({**criteria, "kind": Asset.Kind.PHOTO})
        )
        page = keyset_page(
            photos.only(*PICK_TILE_FIELDS),
            after=params.get("after", ""),
            before=params.get("before", ""),
            size=ARCHIVE_PICK_PAGE_SIZE,
        )
        tiles = [
            {"asset": asset, "thumb": archive_selectors.rendition_url(asset, "s")}
            for asset in page.rows
        ]
        ticked = set(form.data.getlist("assets")) if form.is_bound else set()
        title, title_language = _title_in(release, get_language())
        return self.render_to_response(
            self.get_context_data(
                release=release,
                title=title,
                title_language=title_language,
                search_form=search,
                searched=bool(criteria),
                form=form,
                page=page,
                tiles=tiles,
                ticked=ticked,
                pager_query=urlencode(criteria),
            )
        )

    def get(self, request, pk):
        release, refused = self._release_or_refusal(pk)
        return refused or self.render_page(release, ArchivePickForm())

    def post(self, request, pk):
        release, refused = self._release_or_refusal(pk)
        if refused:
            return refused
        form = ArchivePickForm(request.POST)
        if not form.is_valid():
            return self.render_page(release, form)
        try:
            attached = services.attachments_add_from_archive(
                release=release, assets=form.cleaned_data["assets"], actor=request.user
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.render_page(release, form)
        messages.success(
            request,
            ngettext(
                "%(count)d photo from the archive was attached.",
                "%(count)d photos from the archive were attached.",
                len(attached),
            )
            % {"count": len(attached)},
        )
        return redirect(_detail(release, "attachments"))


# --- Sending -------------------------------------------------------------------------


class TestSendView(ReleasePostView):
    """Mail every language version to the user, through the worker."""

    permission_required = (*READ, CHANGE)

    def post(self, request, pk):
        release = self.get_release()
        if not request.user.email:
            messages.error(
                request, _("Your profile has no email address to send the test to.")
            )
            return redirect(release)
        try:
            services.release_test_send_request(release=release, actor=request.user)
        except ValidationError as exc:
            _flash_errors(request, exc=exc)
        else:
            messages.success(
                request,
                _("A test of every language version is on its way to %(email)s.")
                % {"email": request.user.email},
            )
        return redirect(release)


class ReleaseSendView(ReleasesMixin, TemplateView):
    """Choose the audience, preview who gets which version, then send or schedule."""

    permission_required = (*READ, SEND)
    template_name = "pressreleases/pressrelease_send.html"

    def dispatch(self, request, *args, **kwargs):
        self.release = get_object_or_404(PressRelease, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def _refused(self):
        refusal = services.send_refusal(self.release)
        if not refusal:
            return None
        messages.error(self.request, refusal)
        return redirect(self.release)

    def render_form(self, form, **extra):
        return self.render_to_response(
            self.get_context_data(
                form=form,
                release=self.release,
                title=_title_in(self.release, get_language())[0],
                language_names=LANGUAGE_NAMES,
                **extra,
            )
        )

    def get(self, request, pk):
        return self._refused() or self.render_form(SendForm())

    def post(self, request, pk):
        refused = self._refused()
        if refused:
            return refused
        form = SendForm(request.POST)
        if not form.is_valid():
            return self.render_form(form)
        audience = form.audience()
        if "send" in request.POST:
            return self._send(form, audience)
        return self._preview(form, audience)

    def _preview(self, form, audience):
        # The person typed in the add box joins the ticked people.
        data = self.request.POST.copy()
        data.setlist("people", [str(p.pk) for p in audience["people"]])
        data["add_person"] = ""
        form = SendForm(data)
        form.is_valid()
        send_at = form.send_at() or timezone.now()
        preview = selectors.audience_preview(release=self.release, **audience)
        embargo = None
        if self.release.embargo_until and self.release.embargo_until > send_at:
            early = preview.early
            embargo = {
                "early": early,
                "rest": max(preview.to_send - early, 0),
                "until": self.release.embargo_until,
            }
        by_language = [
            {"code": code, "name": LANGUAGE_NAMES[code], "count": count}
            for code, count in sorted(preview.by_language.items())
        ]
        return self.render_form(
            form, preview=preview, by_language=by_language, embargo=embargo
        )

    def _send(self, form, audience):
        try:
            distribution = services.distribution_create(
                release=self.release,
                actor=self.request.user,
                scheduled_for=form.send_at(),
                attach_pdf=form.cleaned_data["attach_pdf"],
                publish=form.cleaned_data["publish"],
                **audience,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.render_form(form)
        if form.send_at() is not None:
            message = ngettext(
                "The release will go to %(count)d recipient at %(time)s.",
                "The release will go to %(count)d recipients at %(time)s.",
                distribution.total,
            ) % {
                "count": distribution.total,
                "time": _local_datetime(distribution.scheduled_for),
            }
        else:
            message = ngettext(
                "The release is being sent to %(count)d recipient.",
                "The release is being sent to %(count)d recipients.",
                distribution.total,
            ) % {"count": distribution.total}
        messages.success(self.request, message)
        return redirect(_detail(self.release, "distributions"))


def _local_datetime(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


class DistributionCancelView(ReleasePostView):
    permission_required = (*READ, SEND)

    def post(self, request, pk):
        distribution = get_object_or_404(Distribution, pk=pk)
        try:
            removed = services.distribution_cancel(
                distribution=distribution, actor=request.user
            )
        except ValidationError as exc:
            _flash_errors(request, exc=exc)
        else:
            messages.success(
                request,
                ngettext(
                    "The distribution was cancelled; %(count)d message was not sent.",
                    "The distribution was cancelled; %(count)d messages were not sent.",
                    removed,
                )
                % {"count": removed},
            )
        return redirect(_detail(distribution.release_id, "distributions"))


class DeliveryResolveView(ReleasePostView):
    """A person decides about a message whose fate is unknown: sent, or send again."""

    permission_required = (*READ, SEND)
    OUTCOMES = ("sent", "resend")

    def post(self, request, pk):
        delivery = get_object_or_404(Delivery, pk=pk)
        outcome = request.POST.get("outcome", "")
        target = _detail(delivery.release_id, "unknown")
        if outcome not in self.OUTCOMES:
            messages.error(
                request, _("Choose whether it was sent or to send it again.")
            )
            return redirect(target)
        from pressreleases.delivery import delivery_resolve

        try:
            delivery_resolve(delivery=delivery, actor=request.user, outcome=outcome)
        except ValidationError as exc:
            _flash_errors(request, exc=exc)
        else:
            if outcome == "sent":
                text = _("%(email)s is recorded as sent.")
            else:
                text = _("%(email)s will be sent the release again.")
            messages.success(request, text % {"email": delivery.email})
        return redirect(target)
