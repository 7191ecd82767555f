"""The event planning UI: calendar views, the event page and its parts.

Views only validate input and call services (writes) and selectors (reads); the
permission is checked here and again in the service.
"""

import calendar
from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from js_asset import Media

from contacts.selectors import keyset_page
from events import selectors, services
from events.forms import (
    AgendaItemForm,
    AttachmentForm,
    EventFilterForm,
    EventForm,
    FollowUpForm,
    MinutesForm,
    OutcomeForm,
    TaskForm,
    TaskQuickForm,
)
from events.models import (
    AgendaItem,
    ChecklistTask,
    Event,
    EventAttachment,
    FollowUp,
)
from prapp.html import sanitize, sanitized_safe

READ = ("events.access_app", "events.view_event")


def _apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form fields it names (or the form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _flash_errors(request, form=None, exc=None) -> None:
    errors = exc.messages if exc is not None else []
    if form is not None:
        errors += [e for field_errors in form.errors.values() for e in field_errors]
    for error in errors:
        messages.error(request, error)


class EventsMixin(PermissionRequiredMixin):
    """Every events page: deny by default, and mark the calendar tab."""

    permission_required = READ
    section = "list"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["section"] = self.section
        return context


class EventsPostView(PermissionRequiredMixin, View):
    """A button on the event page that posts: no page of its own."""

    http_method_names = ["post"]


class _CalendarMixin(EventsMixin):
    def filter_context(self):
        form = EventFilterForm(self.request.GET or None)
        criteria = form.criteria()
        return form, criteria, selectors.events_filtered(criteria)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, criteria, events = self.filter_context()
        context.update(
            filter_form=form,
            filter_query=urlencode(criteria),
            filtered=bool(criteria),
            today=timezone.localdate(),
        )
        context.update(self.calendar_context(events))
        return context


class IndexView(_CalendarMixin, TemplateView):
    """The events landing page: the list of events from today on, in keyset pages."""

    template_name = "events/event_list.html"

    def calendar_context(self, events):
        params = self.request.GET
        show_past = params.get("past") == "1"
        start, _end = selectors.local_day_bounds(
            timezone.localdate(), timezone.localdate()
        )
        if not show_past:
            events = events.filter(ends_at__gt=start)
        page = keyset_page(
            selectors.events_for_list(events),
            after=params.get("after", ""),
            before=params.get("before", ""),
            size=50,
        )
        pager = params.copy()
        for name in ("after", "before"):
            pager.pop(name, None)
        return {
            "page": page,
            "events": page.rows,
            "pager_query": pager.urlencode(),
            "show_past": show_past,
        }


def _int(value, default, low, high):
    return int(value) if str(value).isdigit() and low <= int(value) <= high else default


class MonthView(_CalendarMixin, TemplateView):
    """The month grid, Monday first, with events on every day they take."""

    template_name = "events/event_month.html"
    section = "month"

    def calendar_context(self, events):
        today = timezone.localdate()
        year = _int(self.request.GET.get("year"), today.year, 1900, 2999)
        month = _int(self.request.GET.get("month"), today.month, 1, 12)
        first = date(year, month, 1)
        previous = first - timedelta(days=1)
        following = first + timedelta(days=calendar.monthrange(year, month)[1])
        return {
            "weeks": selectors.calendar_month(year, month, events),
            "month_start": first,
            "previous": previous,
            "following": following,
            "keep": {"year": year, "month": month},
        }


def _parse_day(text: str, default: date) -> date:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        return default


class WeekView(_CalendarMixin, TemplateView):
    """The seven days of a week, Monday first."""

    template_name = "events/event_week.html"
    section = "week"

    def calendar_context(self, events):
        today = timezone.localdate()
        day = _parse_day(self.request.GET.get("date", ""), today)
        start = selectors.week_start(day)
        return {
            "days": selectors.calendar_week(day, events),
            "week_start": start,
            "week_end": start + timedelta(days=6),
            "previous": start - timedelta(days=7),
            "following": start + timedelta(days=7),
            "keep": {"date": day.isoformat()},
        }


# --- One event -----------------------------------------------------------------


class EventDetailView(EventsMixin, TemplateView):
    """An event with its checklist, agenda, minutes, follow-ups and outcome."""

    template_name = "events/event_detail.html"

    def get_context_data(self, **kwargs):
        event = selectors.event_for_detail(self.kwargs["pk"])
        user = self.request.user
        context = super().get_context_data(**kwargs)
        context.update(
            event=event,
            conflicts=selectors.event_conflicts(event),
            minutes_html=sanitized_safe(event.minutes),
            today=timezone.localdate(),
            attendance=selectors.attendance_count(event),
            can_edit=user.has_perm("events.change_event"),
            can_add_task=user.has_perm("events.add_checklisttask"),
            can_change_task=user.has_perm("events.change_checklisttask"),
            can_add_agenda=user.has_perm("events.add_agendaitem"),
            can_change_agenda=user.has_perm("events.change_agendaitem"),
            can_attach=user.has_perm("events.add_eventattachment"),
            can_add_follow_up=user.has_perm("events.add_followup"),
            can_change_follow_up=user.has_perm("events.change_followup"),
            statuses=Event.Status.choices,
            task_states=ChecklistTask.State,
            follow_up_states=FollowUp.State,
        )
        if context["can_add_task"]:
            context["task_form"] = TaskQuickForm(
                prefix="task", initial={"assignee": event.responsible_id}
            )
        if context["can_add_agenda"] and event.event_type.has_agenda:
            context["agenda_form"] = AgendaItemForm(prefix="agenda")
            context["agenda_form"].helper.form_action = reverse(
                "events:agenda_add", args=[event.pk]
            )
        if context["can_attach"]:
            form = AttachmentForm(prefix="attachment")
            form.helper.form_action = reverse("events:attachment_add", args=[event.pk])
            context["attachment_form"] = form
        if context["can_add_follow_up"]:
            form = FollowUpForm(prefix="follow_up", event=event)
            form.helper.form_action = reverse("events:follow_up_add", args=[event.pk])
            context["follow_up_form"] = form
        return context


class _EventFormView(EventsMixin, TemplateView):
    template_name = "events/event_form.html"

    def render_form(self, form, **extra):
        return self.render_to_response(self.get_context_data(form=form, **extra))


class EventCreateView(_EventFormView):
    permission_required = "events.add_event"

    def get(self, request):
        initial = {"responsible": request.user.pk}
        day = (
            _parse_day(request.GET.get("date", ""), None)
            if "date" in request.GET
            else None
        )
        if day:
            initial["starts_at"] = f"{day.isoformat()}T10:00"
            initial["ends_at"] = f"{day.isoformat()}T11:00"
        return self.render_form(EventForm(initial=initial))

    def post(self, request):
        form = EventForm(request.POST)
        if not form.is_valid():
            return self.render_form(form)
        try:
            event = services.event_create(
                data=form.event_data(),
                key_participants=form.participants(),
                new_venue=form.new_venue(),
                actor=request.user,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.render_form(form)
        messages.success(
            request,
            _("The event is planned; its checklist was created from the template."),
        )
        _warn_conflicts(request, event)
        return redirect(event)


def _warn_conflicts(request, event) -> None:
    """A double booking is a warning, never a refusal: both events may be right."""
    for conflict in selectors.event_conflicts(event):
        if conflict.venue is not None:
            message = _("%(venue)s is also booked for “%(event)s” at that time.") % {
                "venue": conflict.venue,
                "event": conflict.other,
            }
        else:
            message = _("%(person)s also takes part in “%(event)s” at that time.") % {
                "person": conflict.person,
                "event": conflict.other,
            }
        messages.warning(request, message)


class EventEditView(_EventFormView):
    permission_required = "events.change_event"

    def dispatch(self, request, *args, **kwargs):
        self.event = get_object_or_404(Event, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return self.render_form(EventForm(instance=self.event), event=self.event)

    def post(self, request, pk):
        form = EventForm(request.POST, instance=Event.objects.get(pk=pk))
        if not form.is_valid():
            return self.render_form(form, event=self.event)
        try:
            event = services.event_update(
                event=self.event,
                data=form.event_data(),
                key_participants=form.participants(),
                new_venue=form.new_venue(),
                actor=request.user,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.render_form(form, event=self.event)
        messages.success(request, _("The event was saved."))
        _warn_conflicts(request, event)
        return redirect(event)


class EventStatusView(EventsPostView):
    """Confirm, postpone, cancel or mark as held, from the event page."""

    permission_required = "events.change_event"

    def post(self, request, pk):
        event = get_object_or_404(Event, pk=pk)
        try:
            services.event_set_status(
                event=event, status=request.POST.get("status", ""), actor=request.user
            )
        except ValidationError as exc:
            _flash_errors(request, exc=exc)
        else:
            messages.success(request, _("The status was changed."))
        return redirect(event)


class PersonSuggestView(PermissionRequiredMixin, View):
    """People matching what is typed, as JSON, for the key participant box."""

    permission_required = ("events.view_event", "contacts.view_person")

    def get(self, request):
        return JsonResponse(
            {"results": selectors.person_suggestions(request.GET.get("q", ""))}
        )


# --- Checklist -----------------------------------------------------------------


class TaskAddView(EventsPostView):
    permission_required = "events.add_checklisttask"

    def post(self, request, pk):
        event = get_object_or_404(Event, pk=pk)
        form = TaskQuickForm(request.POST, prefix="task")
        if not form.is_valid():
            _flash_errors(request, form)
            return redirect(event)
        try:
            services.task_add(event=event, data=form.cleaned_data, actor=request.user)
        except ValidationError as exc:
            _flash_errors(request, exc=exc)
        else:
            messages.success(request, _("The task was added."))
        return redirect(reverse("events:event_detail", args=[pk]) + "#checklist")


class TaskEditView(EventsMixin, TemplateView):
    permission_required = "events.change_checklisttask"
    template_name = "events/task_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.task = get_object_or_404(
            ChecklistTask.objects.select_related("event"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return self.render_to_response(
            self.get_context_data(form=TaskForm(instance=self.task), task=self.task)
        )

    def post(self, request, pk):
        form = TaskForm(request.POST, instance=ChecklistTask.objects.get(pk=pk))
        if form.is_valid():
            try:
                services.task_update(
                    task=self.task, data=form.cleaned_data, actor=request.user
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("The task was saved."))
                return redirect(
                    reverse("events:event_detail", args=[self.task.event_id])
                    + "#checklist"
                )
        return self.render_to_response(self.get_context_data(form=form, task=self.task))


class TaskStateView(EventsPostView):
    permission_required = "events.change_checklisttask"

    def post(self, request, pk):
        task = get_object_or_404(ChecklistTask, pk=pk)
        try:
            services.task_set_state(
                task=task, state=request.POST.get("state", ""), actor=request.user
            )
        except ValidationError as exc:
            _flash_errors(request, exc=exc)
        return redirect(
            reverse("events:event_detail", args=[task.event_id]) + "#checklist"
        )


# --- Agenda and minutes --------------------------------------------------------


class AgendaAddView(EventsPostView):
    permission_required = "events.add_agendaitem"

    def post(self, request, pk):
        event = get_object_or_404(Event.objects.select_related("event_type"), pk=pk)
        form = AgendaItemForm(request.POST, prefix="agenda")
        if not form.is_valid():
            _flash_errors(request, form)
            return redirect(event)
        try:
            services.agenda_item_add(
                event=event, data=form.cleaned_data, actor=request.user
            )
        except ValidationError as exc:
            _flash_errors(request, exc=exc)
        else:
            messages.success(request, _("The agenda item was added."))
        return redirect(reverse("events:event_detail", args=[pk]) + "#agenda")


class AgendaEditView(EventsMixin, TemplateView):
    permission_required = "events.change_agendaitem"
    template_name = "events/agenda_item_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.item = get_object_or_404(
            AgendaItem.objects.select_related("event"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        form = AgendaItemForm(instance=self.item)
        return self.render_to_response(self.get_context_data(form=form, item=self.item))

    def post(self, request, pk):
        form = AgendaItemForm(request.POST, instance=AgendaItem.objects.get(pk=pk))
        if form.is_valid():
            try:
                services.agenda_item_update(
                    item=self.item, data=form.cleaned_data, actor=request.user
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("The agenda item was saved."))
                return redirect(
                    reverse("events:event_detail", args=[self.item.event_id])
                    + "#agenda"
                )
        return self.render_to_response(self.get_context_data(form=form, item=self.item))


class AgendaMoveView(EventsPostView):
    permission_required = "events.change_agendaitem"

    def post(self, request, pk):
        item = get_object_or_404(AgendaItem, pk=pk)
        services.agenda_item_move(
            item=item, up=request.POST.get("direction") == "up", actor=request.user
        )
        return redirect(
            reverse("events:event_detail", args=[item.event_id]) + "#agenda"
        )


class MinutesEditView(EventsMixin, TemplateView):
    """The minutes in a rich-text editor (django-prose-editor, served from 'self')."""

    permission_required = "events.change_event"
    template_name = "events/minutes_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.event = get_object_or_404(
            Event.objects.select_related("event_type"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form):
        # The editor's import map is an inline script: it carries this
        # response's CSP nonce (django-csp adds the nonce to the header once
        # request.csp_nonce has been read).
        media = Media.from_media(form.media, nonce=self.request.csp_nonce)
        return self.render_to_response(
            self.get_context_data(form=form, event=self.event, editor_media=media)
        )

    def get(self, request, pk):
        return self.render_form(
            MinutesForm(initial={"minutes": sanitize(self.event.minutes)})
        )

    def post(self, request, pk):
        form = MinutesForm(request.POST)
        if not form.is_valid():
            return self.render_form(form)
        services.event_set_minutes(
            event=self.event, minutes=form.cleaned_data["minutes"], actor=request.user
        )
        messages.success(request, _("The minutes were saved."))
        return redirect(reverse("events:event_detail", args=[pk]) + "#minutes")


# --- Attachments and follow-ups ------------------------------------------------


class AttachmentAddView(EventsPostView):
    permission_required = "events.add_eventattachment"

    def post(self, request, pk):
        event = get_object_or_404(Event, pk=pk)
        form = AttachmentForm(request.POST, request.FILES, prefix="attachment")
        if not form.is_valid():
            _flash_errors(request, form)
            return redirect(event)
        try:
            services.attachment_add(
                event=event,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                actor=request.user,
            )
        except ValidationError as exc:
            _flash_errors(request, exc=exc)
        else:
            messages.success(request, _("The file was attached."))
        return redirect(reverse("events:event_detail", args=[pk]) + "#attachments")


class AttachmentDownloadView(PermissionRequiredMixin, View):
    """Attachments are never served as media: only through this permission check."""

    permission_required = READ

    def get(self, request, pk):
        attachment = get_object_or_404(EventAttachment, pk=pk)
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, ValueError) as exc:
            raise Http404 from exc
        suffix = attachment.file.name.rsplit(".", 1)[-1]
        response = FileResponse(
            handle, as_attachment=True, filename=f"{attachment.title}.{suffix}"
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class FollowUpAddView(EventsPostView):
    permission_required = "events.add_followup"

    def post(self, request, pk):
        event = get_object_or_404(Event.objects.select_related("event_type"), pk=pk)
        form = FollowUpForm(request.POST, prefix="follow_up", event=event)
        if not form.is_valid():
            _flash_errors(request, form)
            return redirect(event)
        try:
            services.follow_up_add(
                event=event, data=form.cleaned_data, actor=request.user
            )
        except ValidationError as exc:
            _flash_errors(request, exc=exc)
        else:
            messages.success(request, _("The instruction was added."))
        return redirect(reverse("events:event_detail", args=[pk]) + "#follow-ups")


class FollowUpStateView(EventsPostView):
    permission_required = "events.change_followup"

    def post(self, request, pk):
        follow_up = get_object_or_404(FollowUp, pk=pk)
        try:
            services.follow_up_set_state(
                follow_up=follow_up,
                state=request.POST.get("state", ""),
                actor=request.user,
            )
        except ValidationError as exc:
            _flash_errors(request, exc=exc)
        return redirect(
            reverse("events:event_detail", args=[follow_up.event_id]) + "#follow-ups"
        )


# --- After the event -------------------------------------------------------------


class OutcomeEditView(EventsMixin, TemplateView):
    permission_required = "events.change_event"
    template_name = "events/outcome_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.event = get_object_or_404(
            Event.objects.select_related("event_type"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form):
        return self.render_to_response(
            self.get_context_data(
                form=form,
                event=self.event,
                attendance=selectors.attendance_count(self.event),
            )
        )

    def get(self, request, pk):
        return self.render_form(OutcomeForm(instance=self.event))

    def post(self, request, pk):
        form = OutcomeForm(
            request.POST,
            instance=Event.objects.select_related("event_type").get(pk=pk),
        )
        if not form.is_valid():
            return self.render_form(form)
        data = form.cleaned_data
        try:
            services.event_record_outcome(
                event=self.event,
                data=data,
                mark_held=bool(data.get("mark_held")),
                actor=request.user,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.render_form(form)
        messages.success(request, _("The outcome was recorded."))
        return redirect(reverse("events:event_detail", args=[pk]) + "#outcome")
