"""The inquiry desk's staff pages: the queue, registering, one request and its
answer, the deadline calendar and the lines to take.

Views only validate input and call services (writes) and selectors (reads); each
permission is checked here and again in the service. The public form and status
page live in inquiries.views_public, the statistics in inquiries.views_stats.
"""

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import TemplateView

from inquiries import selectors, services
from inquiries.forms import (
    AnswerSendForm,
    AssignForm,
    AttachmentForm,
    DraftForm,
    ExtendForm,
    ForwardForm,
    LineFilterForm,
    LineForm,
    LineSaveForm,
    LinkForm,
    QuestionAnswerForm,
    QuestionForm,
    QueueFilterForm,
    RefuseForm,
    RequestRegisterForm,
    ReturnForm,
    register_initial,
)
from inquiries.letters import letter_filename
from inquiries.models import InternalQuestion, LawProfile, LineToTake, Request

APP = "inquiries.access_app"
READ = (APP, "inquiries.view_request")
ADD = "inquiries.add_request"
CHANGE = "inquiries.change_request"
APPROVE = "inquiries.approve_request"
LINES_READ = (APP, "inquiries.view_linetotake")
LINE_ADD = "inquiries.add_linetotake"
LINE_CHANGE = "inquiries.change_linetotake"

Status = Request.Status

# What the history shows for the audit trail's action names.
HISTORY_LABELS = {
    "inquiries.request.registered": gettext_lazy("registered"),
    "inquiries.request.submitted": gettext_lazy("received through the web form"),
    "inquiries.request.confirmation_emailed": gettext_lazy(
        "confirmation emailed to the requester"
    ),
    "inquiries.request.assigned": gettext_lazy("assigned"),
    "inquiries.request.assignment_emailed": gettext_lazy("assignee told by email"),
    "inquiries.question.asked": gettext_lazy("internal question asked"),
    "inquiries.question.answered": gettext_lazy("internal question answered"),
    "inquiries.request.extended": gettext_lazy("deadline extended"),
    "inquiries.request.extension_notified": gettext_lazy(
        "requester told of the extension"
    ),
    "inquiries.request.extension_emailed": gettext_lazy("extension notice emailed"),
    "inquiries.request.linked": gettext_lazy("links changed"),
    "inquiries.attachment.added": gettext_lazy("file attached"),
    "inquiries.answer.drafted": gettext_lazy("answer drafted"),
    "inquiries.answer.approved": gettext_lazy("answer approved"),
    "inquiries.answer.returned": gettext_lazy("answer returned to drafting"),
    "inquiries.request.answered": gettext_lazy("answered"),
    "inquiries.request.partly_answered": gettext_lazy("partly answered"),
    "inquiries.request.answer_emailed": gettext_lazy("answer emailed"),
    "inquiries.request.refused": gettext_lazy("refused"),
    "inquiries.request.refusal_emailed": gettext_lazy("refusal emailed"),
    "inquiries.request.forwarded": gettext_lazy("forwarded"),
    "inquiries.request.forwarded_emailed": gettext_lazy(
        "requester told of the forwarding"
    ),
    "inquiries.line.saved": gettext_lazy("saved as a line to take"),
    "inquiries.line.changed": gettext_lazy("line to take changed"),
}
# The change an entry's note shows, by the first of these it holds.
HISTORY_NOTES = ("reason", "question", "answer", "forwarded_to_name", "attachment")


def _apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the fields it names (or on the form)."""
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


def _day(value) -> str:
    return formats.date_format(value, "DATE_FORMAT")


class DeskMixin(PermissionRequiredMixin):
    """Every page of the desk: app access and the right to read requests, at least."""

    permission_required: tuple[str, ...] = READ
    section = "queue"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["section"] = self.section
        return context


class DeskPostView(PermissionRequiredMixin, View):
    """A button that posts: no page of its own."""

    http_method_names = ["post"]


# --- The queue --------------------------------------------------------------------


class IndexView(DeskMixin, TemplateView):
    """Open requests by deadline, coloured (and labelled) by how close it is."""

    template_name = "inquiries/index.html"

    def get_context_data(self, **kwargs):
        params = self.request.GET
        user = self.request.user
        staff = list(selectors.desk_staff())
        units = list(selectors.active_units())
        form = QueueFilterForm(params or None, staff=staff, units=units)
        criteria = form.criteria()
        requests = selectors.queue(user=user, params=criteria)
        paginator = Paginator(requests, selectors.PAGE_SIZE)
        page = paginator.get_page(params.get("page"))
        today = timezone.localdate()
        rows = [
            {
                "request": request,
                "state": selectors.deadline_state(request, today),
                "days": abs(selectors.days_left(request, today)),
            }
            for request in page.object_list
        ]
        pager = params.copy()
        pager.pop("page", None)
        if criteria == {"assignee": selectors.ASSIGNEE_ME}:
            tab = "mine"
        elif criteria == {"overdue": "1"}:
            tab = "overdue"
        elif criteria == {"status": selectors.STATUS_CLOSED}:
            tab = "closed"
        elif not criteria:
            tab = "open"
        else:
            tab = ""
        return super().get_context_data(
            filter_form=form,
            filtered=bool(criteria),
            page_obj=page,
            is_paginated=page.has_other_pages(),
            query_string=pager.urlencode(),
            rows=rows,
            count=paginator.count,
            tab=tab,
            counts=selectors.queue_counts(user=user),
            can_add=user.has_perm(ADD),
            **kwargs,
        )


# --- Registering ------------------------------------------------------------------


class RequestCreateView(DeskMixin, TemplateView):
    """Register a request that came by email, letter, phone or in person."""

    permission_required = (*READ, ADD)
    template_name = "inquiries/request_form.html"

    def get(self, request):
        form = RequestRegisterForm(initial=register_initial(request.GET))
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request):
        form = RequestRegisterForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                created = services.request_register(
                    data=form.service_data(),
                    actor=request.user,
                    attachments=form.cleaned_data["attachments"],
                    create_contact=form.cleaned_data["create_contact"],
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Registered as %(number)s. The answer is due on %(due)s.")
                    % {"number": created.number, "due": _day(created.due_on)},
                )
                return redirect(created)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ContactSuggestView(PermissionRequiredMixin, View):
    """People or organisations matching what is typed, as JSON, for lookup boxes."""

    permission_required = (*READ, "contacts.view_person", "contacts.view_organisation")

    def get(self, request):
        kind = request.GET.get("kind", "person")
        return JsonResponse(
            {
                "results": selectors.contact_suggestions(
                    request.GET.get("q", ""),
                    kind="organisation" if kind == "organisation" else "person",
                )
            }
        )


# --- One request ------------------------------------------------------------------


WORKFLOW = (
    (Status.REGISTERED,),
    (Status.ASSIGNED,),
    (Status.DRAFTED,),
    (Status.APPROVED,),
    Request.CLOSED_STATUSES,
)


def workflow_steps(req: Request) -> list[dict]:
    """The strip registered → assigned → drafted → approved → answered (or other)."""
    current = next(
        (index for index, step in enumerate(WORKFLOW) if req.status in step), 0
    )
    steps = []
    for index, step in enumerate(WORKFLOW):
        if index == len(WORKFLOW) - 1 and req.status in step:
            label = req.get_status_display()
        else:
            label = Status(step[0]).label
        if index < current:
            state = "done"
        elif index == current:
            state = "current"
        else:
            state = "todo"
        steps.append({"label": label, "state": state})
    return steps


def _note(changes: dict) -> str:
    """The one change worth reading in the history: a reason, a question…"""
    for name in HISTORY_NOTES:
        value = (changes or {}).get(name)
        if isinstance(value, list) and len(value) == 2:
            value = value[1]
        if value:
            return str(value)
    return ""


def _history(request: Request) -> list[dict]:
    return [
        {
            "entry": entry,
            "label": HISTORY_LABELS.get(entry.action, entry.action),
            "note": _note(entry.changes),
        }
        for entry in selectors.request_history(request)
    ]


class RequestDetailView(DeskMixin, TemplateView):
    """All facts of a request, its deadline, questions, answer and history."""

    template_name = "inquiries/request_detail.html"

    def get_object(self) -> Request:
        if not hasattr(self, "_object"):
            self._object = selectors.request_for_detail(pk=self.kwargs["pk"])
        return self._object

    def _line_to_use(self):
        value = self.request.GET.get("line", "")
        if not value.isdigit():
            return None
        return LineToTake.objects.filter(pk=int(value)).first()

    def get_context_data(self, **kwargs):
        req = self.get_object()
        user = self.request.user
        today = timezone.localdate()
        status = req.status
        is_open = req.is_open
        can_change = user.has_perm(CHANGE)
        can_approve = user.has_perm(APPROVE)
        rule = req.rule
        approval_refusal = ""
        if can_approve and status == Status.DRAFTED:
            approval_refusal = services.approval_refusal(req, user)
        can = {
            "can_change": can_change,
            "can_assign": can_change and is_open,
            "can_ask": can_change and is_open,
            "can_draft": can_change and is_open,
            "can_review": can_approve
            and status == Status.DRAFTED
            and not approval_refusal,
            "approval_refusal": approval_refusal,
            "can_send": can_change and status == Status.APPROVED,
            "can_forward": can_change and is_open,
            "can_extend": can_change
            and is_open
            and req.extended_at is None
            and bool(rule and rule.extended_days),
            "can_notify": can_change
            and req.extended_at is not None
            and req.extension_notified_at is None,
            "can_link": can_change,
            "can_attach": can_change,
            "can_save_line": user.has_perm(LINE_ADD)
            and req.kind == Request.Kind.JOURNALIST
            and req.approved_at is not None
            and bool(req.answer_text),
            "can_letter": bool(req.answer_text),
        }
        forms = {}
        if can["can_assign"]:
            forms["assign_form"] = AssignForm(request=req)
        if can["can_extend"]:
            forms["extend_form"] = ExtendForm()
        if can["can_ask"]:
            forms["question_form"] = QuestionForm(request=req)
        if can["can_draft"]:
            line = self._line_to_use()
            text = req.answer_text
            if line is not None:
                text = f"{text}\n\n{line.text}".strip() if text else line.text
            forms["draft_form"] = DraftForm(initial={"text": text})
            forms["used_line"] = line
        if can["can_review"]:
            forms["return_form"] = ReturnForm()
        if can["can_send"]:
            forms["send_form"] = AnswerSendForm(request=req)
            forms["refuse_form"] = RefuseForm(request=req)
        if can["can_forward"]:
            forms["forward_form"] = ForwardForm()
        if can["can_link"]:
            forms["link_form"] = LinkForm(request=req)
        if can["can_attach"]:
            forms["attachment_form"] = AttachmentForm()
        if can["can_save_line"]:
            forms["line_form"] = LineSaveForm()
        for name in list(forms):
            forms[name] = kwargs.pop(name, forms[name])
        failed_answer = kwargs.pop("question_answer_form", None)
        questions = []
        for question in req.questions.all():
            form = None
            may_answer = can_change or services.may_answer_question(question, user)
            if may_answer and not question.answered_at:
                if (
                    failed_answer is not None
                    and failed_answer.question_pk == question.pk
                ):
                    form = failed_answer
                else:
                    form = QuestionAnswerForm(question=question)
            questions.append(
                {
                    "question": question,
                    "form": form,
                    "late": question.answered_at is None and question.due_on < today,
                }
            )
        return super().get_context_data(
            req=req,
            rule=rule,
            workflow=workflow_steps(req),
            state=selectors.deadline_state(req, today),
            days_left=selectors.days_left(req, today),
            days=abs(selectors.days_left(req, today)),
            questions=questions,
            attachments_in=[a for a in req.attachments.all() if a.direction == "in"],
            attachments_out=[a for a in req.attachments.all() if a.direction == "out"],
            similar=selectors.similar_lines(req) if can["can_draft"] else [],
            history=_history(req),
            **can,
            **forms,
            **kwargs,
        )


class _RequestFormView(RequestDetailView):
    """A form on the request page: redirect on success, the page again on errors."""

    http_method_names = ["post"]
    permission_required = (*READ, CHANGE)
    form_name = ""
    anchor = ""

    def make_form(self, req: Request):
        raise NotImplementedError

    def apply(self, req: Request, form) -> str:
        """Call the service; return the success message."""
        raise NotImplementedError

    def post(self, request, pk):
        req = get_object_or_404(Request, pk=pk)
        form = self.make_form(req)
        if form.is_valid():
            try:
                message = self.apply(req, form)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, message)
                url = req.get_absolute_url()
                return redirect(f"{url}#{self.anchor}" if self.anchor else url)
        context = self.get_context_data(**{self.form_name: form})
        return self.render_to_response(context, status=400)


class RequestAssignView(_RequestFormView):
    form_name = "assign_form"
    anchor = "assignment"

    def make_form(self, req):
        return AssignForm(self.request.POST, request=req)

    def apply(self, req, form):
        services.request_assign(
            request=req,
            actor=self.request.user,
            assignee=form.cleaned_data["assignee"],
            unit=form.cleaned_data["unit"],
        )
        return _("The request was assigned.")


class RequestExtendView(_RequestFormView):
    form_name = "extend_form"
    anchor = "deadline"

    def make_form(self, req):
        return ExtendForm(self.request.POST)

    def apply(self, req, form):
        req = services.request_extend(
            request=req, actor=self.request.user, reason=form.cleaned_data["reason"]
        )
        return _("The deadline was extended to %(due)s.") % {"due": _day(req.due_on)}


class ExtensionNotifyView(DeskPostView):
    """Tell the requester of the extension (the notice some laws require)."""

    permission_required = (*READ, CHANGE)

    def post(self, request, pk):
        req = get_object_or_404(Request, pk=pk)
        by_email = request.POST.get("by") != "letter"
        try:
            services.extension_notify(
                request=req, actor=request.user, send_email=by_email
            )
        except ValidationError as exc:
            _flash_errors(request, exc=exc)
        else:
            messages.success(
                request,
                _("The extension notice was emailed to the requester.")
                if by_email
                else _("The extension notice was recorded as sent by letter."),
            )
        return redirect(f"{req.get_absolute_url()}#deadline")


class QuestionAskView(_RequestFormView):
    form_name = "question_form"
    anchor = "questions"

    def make_form(self, req):
        return QuestionForm(self.request.POST, request=req)

    def apply(self, req, form):
        data = form.cleaned_data
        services.question_ask(
            request=req,
            actor=self.request.user,
            question=data["question"],
            due_on=data["due_on"],
            unit=data["unit"],
            assignee=data["assignee"],
        )
        return _("The question was sent.")


class QuestionAnswerView(RequestDetailView):
    """The answer to an internal question, typed under it on the request page.

    The desk, the colleague asked and the head of the unit asked may answer:
    the service decides (403 for anybody else).
    """

    http_method_names = ["post"]
    permission_required = READ

    def post(self, request, pk):
        question = get_object_or_404(
            InternalQuestion.objects.select_related("request"), pk=pk
        )
        self.kwargs["pk"] = question.request_id
        form = QuestionAnswerForm(request.POST, question=question)
        form.question_pk = question.pk
        if form.is_valid():
            try:
                services.question_answer(
                    question=question,
                    actor=request.user,
                    answer=form.cleaned_data["answer"],
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("The answer was saved."))
                return redirect(f"{question.request.get_absolute_url()}#questions")
        context = self.get_context_data(question_answer_form=form)
        return self.render_to_response(context, status=400)


class AnswerDraftView(_RequestFormView):
    form_name = "draft_form"
    anchor = "answer"

    def make_form(self, req):
        return DraftForm(self.request.POST)

    def apply(self, req, form):
        services.answer_draft(
            request=req, actor=self.request.user, text=form.cleaned_data["text"]
        )
        return _("The draft was saved; a manager approves it.")


class AnswerApproveView(DeskPostView):
    permission_required = (*READ, APPROVE)

    def post(self, request, pk):
        req = get_object_or_404(Request, pk=pk)
        # Four eyes: say why rather than refuse the page.
        refusal = services.approval_refusal(req, request.user)
        if refusal:
            messages.error(request, refusal)
            return redirect(f"{req.get_absolute_url()}#answer")
        try:
            services.answer_approve(request=req, actor=request.user)
        except ValidationError as exc:
            _flash_errors(request, exc=exc)
        else:
            messages.success(request, _("The answer was approved."))
        return redirect(f"{req.get_absolute_url()}#answer")


class AnswerReturnView(_RequestFormView):
    permission_required = (*READ, APPROVE)
    form_name = "return_form"
    anchor = "answer"

    def make_form(self, req):
        return ReturnForm(self.request.POST)

    def apply(self, req, form):
        services.answer_return(
            request=req, actor=self.request.user, reason=form.cleaned_data["reason"]
        )
        return _("The answer went back to drafting.")


class RequestAnswerView(_RequestFormView):
    form_name = "send_form"
    anchor = "answer"

    def make_form(self, req):
        return AnswerSendForm(self.request.POST, request=req)

    def apply(self, req, form):
        data = form.cleaned_data
        req = services.request_answer(
            request=req,
            actor=self.request.user,
            method=data["method"],
            partly=data["partly"],
            send_email=data["send_email"],
        )
        if data["send_email"]:
            return _("The answer was recorded and emailed to %(email)s.") % {
                "email": req.requester_email
            }
        return _("The answer was recorded.")


class RequestRefuseView(_RequestFormView):
    form_name = "refuse_form"
    anchor = "answer"

    def make_form(self, req):
        return RefuseForm(self.request.POST, request=req)

    def apply(self, req, form):
        services.request_refuse(
            request=req,
            actor=self.request.user,
            ground=form.cleaned_data["ground"],
            send_email=form.cleaned_data["send_email"],
        )
        return _("The refusal was recorded.")


class RequestForwardView(_RequestFormView):
    form_name = "forward_form"
    anchor = "answer"

    def make_form(self, req):
        return ForwardForm(self.request.POST)

    def apply(self, req, form):
        data = form.cleaned_data
        services.request_forward(
            request=req,
            actor=self.request.user,
            organisation=data["organisation"],
            name=(data["name"] or "").strip(),
            send_email=data["send_email"],
        )
        return _("The request was forwarded.")


class RequestLinkView(_RequestFormView):
    form_name = "link_form"
    anchor = "links"

    def make_form(self, req):
        return LinkForm(self.request.POST, request=req)

    def apply(self, req, form):
        data = form.cleaned_data
        services.request_link(
            request=req,
            actor=self.request.user,
            monitoring_item=data["monitoring_item"],
            event=data["event"],
            release=data["release"],
        )
        return _("The links were saved.")


class AttachmentAddView(_RequestFormView):
    form_name = "attachment_form"
    anchor = "attachments"

    def make_form(self, req):
        return AttachmentForm(self.request.POST, self.request.FILES)

    def apply(self, req, form):
        files = services.attachments_add(
            request=req,
            actor=self.request.user,
            uploads=form.cleaned_data["files"],
            direction=form.cleaned_data["direction"],
        )
        return ngettext(
            "%(count)d file was attached.", "%(count)d files were attached.", len(files)
        ) % {"count": len(files)}


class LineSaveView(_RequestFormView):
    permission_required = (*READ, LINE_ADD)
    form_name = "line_form"
    anchor = "answer"

    def make_form(self, req):
        return LineSaveForm(self.request.POST)

    def apply(self, req, form):
        services.line_save(
            request=req,
            actor=self.request.user,
            subject=(form.cleaned_data["subject"] or "").strip(),
        )
        return _("The answer was saved as a line to take.")


class AttachmentDownloadView(DeskMixin, View):
    """Attachments are never served as media: only through this permission check."""

    def get(self, request, pk):
        attachment = selectors.attachment_for_download(pk=pk)
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


class LetterView(DeskMixin, View):
    """The answer (or ``?kind=extension``: the extension notice) as a letter on
    the office's letterhead, to print and sign."""

    def get(self, request, pk):
        req = get_object_or_404(
            Request.objects.select_related(
                "law_profile", "refusal_ground", "approved_by", "forwarded_to"
            ),
            pk=pk,
        )
        kind = "extension" if request.GET.get("kind") == "extension" else "answer"
        if kind == "extension" and req.extended_at is None:
            raise Http404
        response = HttpResponse(
            services.letter_pdf(req, kind=kind), content_type="application/pdf"
        )
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=False, filename=letter_filename(req, kind=kind)
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


# --- The deadline calendar --------------------------------------------------------


def _int(value, default, low, high):
    return int(value) if str(value).isdigit() and low <= int(value) <= high else default


class CalendarView(DeskMixin, TemplateView):
    """A month of deadlines, Monday first; days off marked."""

    template_name = "inquiries/calendar.html"
    section = "calendar"

    def get_context_data(self, **kwargs):
        params = self.request.GET
        today = timezone.localdate()
        year = _int(params.get("year"), today.year, 1900, 2999)
        month = _int(params.get("month"), today.month, 1, 12)
        include_closed = params.get("closed") == "1"
        profile = LawProfile.objects.filter(
            code=getattr(settings, "INQUIRIES_LAW_PROFILE", "ge")
        ).first()
        first = date(year, month, 1)
        return super().get_context_data(
            weeks=selectors.calendar_month(
                year,
                month,
                include_closed=include_closed,
                country=profile.country if profile else "",
            ),
            month_start=first,
            previous=first - timedelta(days=1),
            following=first + timedelta(days=calendar.monthrange(year, month)[1]),
            today=today,
            include_closed=include_closed,
            keep_closed="closed=1&" if include_closed else "",
            **kwargs,
        )


# --- Lines to take ----------------------------------------------------------------


class LinesMixin(DeskMixin):
    permission_required = LINES_READ
    section = "lines"


class LineListView(LinesMixin, TemplateView):
    """Lines to take: search in any script, reuse in a request's draft."""

    template_name = "inquiries/line_list.html"

    def get_context_data(self, **kwargs):
        params = self.request.GET
        form = LineFilterForm(params or None)
        criteria = form.cleaned_data if form.is_valid() else {}
        found = selectors.lines(
            params={k: v for k, v in criteria.items() if v not in (None, "", False)}
        )
        paginator = Paginator(found, selectors.PAGE_SIZE)
        page = paginator.get_page(params.get("page"))
        pager = params.copy()
        pager.pop("page", None)
        target = None
        if criteria.get("for_request"):
            target = Request.objects.filter(pk=criteria["for_request"]).first()
        return super().get_context_data(
            filter_form=form,
            filtered=any(criteria.get(name) for name in ("q", "language", "archived")),
            page_obj=page,
            is_paginated=page.has_other_pages(),
            query_string=pager.urlencode(),
            lines=page.object_list,
            count=paginator.count,
            target=target if target is not None and target.is_open else None,
            **kwargs,
        )


class LineDetailView(LinesMixin, TemplateView):
    template_name = "inquiries/line_detail.html"

    def get_context_data(self, **kwargs):
        line = selectors.line_for_detail(pk=self.kwargs["pk"])
        user = self.request.user
        return super().get_context_data(
            line=line,
            can_edit=user.has_perm(LINE_CHANGE),
            open_requests=list(selectors.open_request_choices())
            if user.has_perm(CHANGE)
            else [],
            **kwargs,
        )


class LineUseView(DeskPostView):
    """Open a request's page with this line copied into its draft (nothing saved)."""

    permission_required = (*LINES_READ, CHANGE)

    def post(self, request, pk):
        line = get_object_or_404(LineToTake, pk=pk)
        value = request.POST.get("request", "")
        target = (
            Request.objects.filter(pk=int(value)).first() if value.isdigit() else None
        )
        if target is None:
            messages.error(request, _("Choose an open request."))
            return redirect("inquiries:line_detail", pk=line.pk)
        return redirect(f"{target.get_absolute_url()}?line={line.pk}#answer")


class LineUpdateView(LinesMixin, TemplateView):
    permission_required = (*LINES_READ, LINE_CHANGE)
    template_name = "inquiries/line_form.html"

    def get_line(self) -> LineToTake:
        return get_object_or_404(LineToTake, pk=self.kwargs["pk"])

    def get(self, request, pk):
        line = self.get_line()
        return self.render_to_response(
            self.get_context_data(line=line, form=LineForm(instance=line))
        )

    def post(self, request, pk):
        line = self.get_line()
        form = LineForm(request.POST, instance=line)
        if form.is_valid():
            try:
                services.line_update(
                    line=line,
                    actor=request.user,
                    data={
                        name: form.cleaned_data[name]
                        for name in ("subject", "text", "language", "active")
                    },
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("The line to take was saved."))
                return redirect("inquiries:line_detail", pk=line.pk)
        context = self.get_context_data(line=line, form=form)
        return self.render_to_response(context, status=400)


class LineArchiveView(DeskPostView):
    permission_required = (*LINES_READ, LINE_CHANGE)

    def post(self, request, pk):
        line = get_object_or_404(LineToTake, pk=pk)
        try:
            services.line_archive(line=line, actor=request.user)
        except ValidationError as exc:
            _flash_errors(request, exc=exc)
        else:
            messages.success(request, _("The line to take was archived."))
        return redirect(reverse("inquiries:line_detail", args=[line.pk]))
