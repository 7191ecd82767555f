"""The inbox: the list with filters and bulk triage, one item's page, logging a mention.

Views only validate input and call services (writes) and selectors (reads); each
permission is checked here and again in the service. The set-up pages (sources,
topics, subscriptions) live in media_monitoring.views_setup.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from contacts.selectors import capped_count, keyset_page
from media_monitoring import selectors, services
from media_monitoring.forms import (
    BulkForm,
    InboxFilterForm,
    ItemLogForm,
    ItemTriageForm,
    NoteForm,
    ResponseForm,
    ShareForm,
)
from media_monitoring.models import Item

APP = "media_monitoring.access_app"
READ = (APP, "media_monitoring.view_item")
CHANGE = "media_monitoring.change_item"
ADD = "media_monitoring.add_item"
NOTE = "media_monitoring.add_itemnote"
RESPOND = "media_monitoring.respond_item"
COUNT_CAP = 10_000


def _apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the fields it names (or on the form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _other_language(item: Item) -> str:
    """The item's language when it differs from the page's (for a lang attribute)."""
    language = item.language or ""
    return language if language and language != (get_language() or "")[:2] else ""


def _is_overdue(item: Item, now) -> bool:
    return bool(
        item.response_due_at
        and item.responded_at is None
        and item.response_due_at < now
        and item.status not in selectors.CLOSED_STATUSES
    )


class InboxMixin(PermissionRequiredMixin):
    """Every inbox page: app access and the right to read items, at least."""

    permission_required: tuple[str, ...] = READ


# --- The list ------------------------------------------------------------------


class IndexView(InboxMixin, TemplateView):
    """The inbox: items newest first, filtered, in keyset pages of 50."""

    template_name = "media_monitoring/index.html"

    def get_context_data(self, **kwargs):
        params = self.request.GET
        user = self.request.user
        staff = list(selectors.monitoring_staff())
        form = InboxFilterForm(params or None, staff=staff)
        criteria = form.criteria()
        items = selectors.inbox(user=user, params=criteria)
        page = keyset_page(
            items,
            after=params.get("after", ""),
            before=params.get("before", ""),
            size=selectors.PAGE_SIZE,
        )
        now = timezone.now()
        rows = [
            {
                "item": item,
                "overdue": _is_overdue(item, now),
                "lang": _other_language(item),
            }
            for item in page.rows
        ]
        pager = params.copy()
        for name in ("after", "before"):
            pager.pop(name, None)
        can_change = user.has_perm(CHANGE)
        return super().get_context_data(
            filter_form=form,
            filtered=bool(criteria),
            page=page,
            rows=rows,
            count=capped_count(items, COUNT_CAP) if rows else 0,
            count_cap=COUNT_CAP,
            pager_query=pager.urlencode(),
            bulk_form=BulkForm(staff=staff, auto_id="bulk_%s") if can_change else None,
            can_log=user.has_perm(ADD),
            **kwargs,
        )


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


class ItemsBulkView(InboxMixin, View):
    """Bulk triage from the list; the keyboard's r, i and n post here too (JSON)."""

    permission_required = (*READ, CHANGE)
    http_method_names = ["post"]

    def post(self, request):
        form = BulkForm(request.POST, staff=list(selectors.monitoring_staff()))
        back = _safe_next(request, reverse("media_monitoring:index"))
        if not form.is_valid():
            errors = [e for errors in form.errors.values() for e in errors]
            if _wants_json(request):
                return JsonResponse({"errors": errors}, status=400)
            for error in errors:
                messages.error(request, error)
            return redirect(back)
        data = form.changes()
        try:
            changed = services.items_bulk_update(
                items=form.cleaned_data["items"], data=data, actor=request.user
            )
        except ValidationError as exc:
            if _wants_json(request):
                return JsonResponse({"errors": exc.messages}, status=400)
            for error in exc.messages:
                messages.error(request, error)
            return redirect(back)
        message = ngettext(
            "%(count)d item was changed.", "%(count)d items were changed.", changed
        ) % {"count": changed}
        if _wants_json(request):
            payload = {"changed": changed, "message": message}
            if "status" in data:
                payload["status"] = data["status"]
                payload["status_label"] = str(Item.Status(data["status"]).label)
            return JsonResponse(payload)
        messages.success(request, message)
        return redirect(back)


# --- One item ------------------------------------------------------------------


class ItemDetailView(InboxMixin, TemplateView):
    """One item: text, topics, same story, triage, notes, response and sharing."""

    template_name = "media_monitoring/item_detail.html"

    def get_item(self) -> Item:
        if not hasattr(self, "_item"):
            self._item = selectors.item_for_detail(pk=self.kwargs["pk"])
        return self._item

    def get_context_data(self, **kwargs):
        item = self.get_item()
        user = self.request.user
        can = {
            "can_change": user.has_perm(CHANGE),
            "can_note": user.has_perm(NOTE),
            "can_respond": user.has_perm(RESPOND),
        }
        forms = {}
        if can["can_change"]:
            forms["triage_form"] = ItemTriageForm(item=item)
        if can["can_note"]:
            forms["note_form"] = NoteForm()
        if can["can_respond"]:
            forms["response_form"] = ResponseForm(initial={"text": item.response_text})
        forms["share_form"] = ShareForm(actor=user)
        for name, form in list(forms.items()):
            forms[name] = kwargs.pop(name, form)
        now = timezone.now()
        return super().get_context_data(
            item=item,
            original_url=selectors.safe_link(item.url),
            item_lang=_other_language(item),
            overdue=_is_overdue(item, now),
            same_story=[
                {"item": other, "lang": _other_language(other)}
                for other in item.same_story
            ],
            **can,
            **forms,
            **kwargs,
        )


class _ItemPostView(ItemDetailView):
    """A form on the item page: redirect on success, the page again on errors."""

    http_method_names = ["post"]
    form_name = ""
    anchor = ""

    def form_class(self, data):
        raise NotImplementedError

    def apply(self, item: Item, form) -> str:
        """Call the service; return the success message."""
        raise NotImplementedError

    def post(self, request, pk):
        item = get_object_or_404(Item, pk=pk)
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                message = self.apply(item, form)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, message)
                url = item.get_absolute_url()
                return redirect(f"{url}#{self.anchor}" if self.anchor else url)
        return self.render_to_response(self.get_context_data(**{self.form_name: form}))


class ItemUpdateView(_ItemPostView):
    permission_required = (*READ, CHANGE)
    form_name = "triage_form"
    anchor = "triage"

    def form_class(self, data):
        return ItemTriageForm(data, item=self.get_item())

    def apply(self, item, form):
        services.item_update(item=item, data=form.cleaned_data, actor=self.request.user)
        return _("The item was saved.")


class ItemAssignView(InboxMixin, View):
    """The "assign to me" button."""

    permission_required = (*READ, CHANGE)
    http_method_names = ["post"]

    def post(self, request, pk):
        item = get_object_or_404(Item, pk=pk)
        services.item_assign(item=item, assignee=request.user, actor=request.user)
        messages.success(request, _("The item is assigned to you."))
        return redirect(item)


class NoteAddView(_ItemPostView):
    permission_required = (*READ, NOTE)
    form_name = "note_form"
    anchor = "notes"

    def form_class(self, data):
        return NoteForm(data)

    def apply(self, item, form):
        services.note_add(
            item=item, text=form.cleaned_data["text"], actor=self.request.user
        )
        return _("The note was added.")


class ResponseView(_ItemPostView):
    permission_required = (*READ, RESPOND)
    form_name = "response_form"
    anchor = "response"

    def form_class(self, data):
        return ResponseForm(data)

    def apply(self, item, form):
        services.response_record(
            item=item, text=form.cleaned_data["text"], actor=self.request.user
        )
        return _("The response was recorded.")


class ShareView(_ItemPostView):
    permission_required = READ
    form_name = "share_form"
    anchor = "share"

    def form_class(self, data):
        return ShareForm(data, actor=self.request.user)

    def apply(self, item, form):
        count = services.item_share(
            item=item,
            recipients=form.cleaned_data["recipients"],
            message=form.cleaned_data["message"],
            actor=self.request.user,
        )
        return ngettext(
            "The item was sent to %(count)d colleague.",
            "The item was sent to %(count)d colleagues.",
            count,
        ) % {"count": count}


# --- Logging a mention ---------------------------------------------------------


class ItemCreateView(InboxMixin, TemplateView):
    """Log a TV, radio or print mention, or a citizen's social-media message."""

    permission_required = (*READ, ADD)
    template_name = "media_monitoring/item_form.html"

    def make_form(self, data=None):
        return ItemLogForm(
            data,
            initial={"kind": self.request.GET.get("kind", Item.Kind.SOCIAL)},
            response_hours=settings.MONITORING_RESPONSE_HOURS,
        )

    def get(self, request):
        return self.render_to_response(self.get_context_data(form=self.make_form()))

    def post(self, request):
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                item = services.item_log(data=form.cleaned_data, actor=request.user)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("The mention was logged."))
                return redirect(item)
        return self.render_to_response(self.get_context_data(form=form))
