"""Media accreditation pages: the public request form and the staff's decisions.

The public pages opt out of the login requirement one by one; the staff pages
check the permission here and the services check it again.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_http_methods
from django.views.generic import ListView, TemplateView

from events import accreditation as services
from events.forms_accreditation import (
    AccreditationFilterForm,
    AccreditationReasonForm,
    AccreditationRequestForm,
)
from events.models import Accreditation, Event

SESSION_KEY = "events_accreditation_sent"


def _client_address(request) -> str:
    """The submitter's address, read from the same headers the login lock-out uses."""
    headers = getattr(settings, "AXES_IPWARE_META_PRECEDENCE_ORDER", ["REMOTE_ADDR"])
    for header in headers:
        value = request.META.get(header, "")
        if value:
            return value.split(",")[0].strip()
    return ""


# --- Public pages ------------------------------------------------------------


@login_not_required
@require_http_methods(["GET"])
def accreditation_public(request):
    """Events open for media accreditation, and the standing accreditation if open."""
    context = {
        "events": list(services.events_open_for_accreditation()),
        "period_open": services.period_open(),
        "period": services.current_period(),
    }
    return render(request, "events/accreditation_public.html", context)


def _request_form(request, *, event: Event | None, period=None):
    language = translation.get_language() or settings.LANGUAGE_CODE
    status = 200
    if request.method == "POST":
        source = services.source_hash(_client_address(request))
        if services.accreditation_rate_limited(source=source):
            return _rate_limited(request)
        form = AccreditationRequestForm(request.POST, language=language)
        if form.is_valid():
            valid_from, valid_until = period or (None, None)
            try:
                accreditation, created = services.accreditation_submit(
                    data=form.cleaned_data,
                    source=source,
                    event=event,
                    valid_from=valid_from,
                    valid_until=valid_until,
                )
            except services.AccreditationRateLimited:
                return _rate_limited(request)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                request.session[SESSION_KEY] = {
                    "pk": accreditation.pk,
                    "created": created,
                }
                return redirect("events:accreditation_thanks")
        form.refresh_stamp()
        status = 400
    else:
        form = AccreditationRequestForm(language=language)
    context = {"form": form, "event": event, "period": period}
    return render(request, "events/accreditation_form.html", context, status=status)


def _rate_limited(request):
    return render(request, "events/accreditation_rate_limited.html", status=429)


@login_not_required
@require_http_methods(["GET", "POST"])
def accreditation_apply(request, pk):
    """The public request form for one event (404 unless it takes requests)."""
    event = services.event_open_for_accreditation(pk)
    return _request_form(request, event=event)


@login_not_required
@require_http_methods(["GET", "POST"])
def accreditation_apply_period(request):
    """The public request form for the standing accreditation of this quarter."""
    if not services.period_open():
        raise Http404
    return _request_form(request, event=None, period=services.current_period())


@login_not_required
@require_http_methods(["GET"])
def accreditation_thanks(request):
    """The confirmation after a request: what happens next, nothing else."""
    sent = request.session.get(SESSION_KEY) or {}
    accreditation = None
    if sent.get("pk"):
        accreditation = (
            Accreditation.objects.select_related("event").filter(pk=sent["pk"]).first()
        )
    context = {"accreditation": accreditation, "created": sent.get("created", True)}
    return render(request, "events/accreditation_thanks.html", context)


# --- Staff pages -------------------------------------------------------------


class AccreditationListView(PermissionRequiredMixin, ListView):
    """Every request, filtered by event and status, newest first."""

    permission_required = ("events.access_app", "events.view_accreditation")
    template_name = "events/accreditation_list.html"
    context_object_name = "accreditations"
    paginate_by = 50

    def get_queryset(self):
        return services.accreditations_filtered(self.request.GET)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(
            filter_form=AccreditationFilterForm(self.request.GET or None),
            query_string=params.urlencode(),
            can_decide=self.request.user.has_perm(services.DECIDE_PERMISSION),
        )
        return context


class AccreditationDetailView(PermissionRequiredMixin, TemplateView):
    """One request with its decision, its contact and the decision buttons."""

    permission_required = ("events.access_app", "events.view_accreditation")
    template_name = "events/accreditation_detail.html"

    def get_context_data(self, **kwargs):
        accreditation = get_object_or_404(
            Accreditation.objects.select_related("event", "person", "decided_by"),
            pk=self.kwargs["pk"],
        )
        context = super().get_context_data(**kwargs)
        can_decide = self.request.user.has_perm(services.DECIDE_PERMISSION)
        context.update(accreditation=accreditation, can_decide=can_decide)
        if can_decide:
            pk = accreditation.pk
            context["reject_form"] = AccreditationReasonForm(
                action=reverse("events:accreditation_reject", args=[pk]),
                button=_("Reject"),
                prefix="reject",
            )
            context["revoke_form"] = AccreditationReasonForm(
                action=reverse("events:accreditation_revoke", args=[pk]),
                button=_("Revoke"),
                prefix="revoke",
            )
        return context


class AccreditationDecisionView(PermissionRequiredMixin, View):
    """A decision button (approve, reject, revoke): posts only, then back."""

    permission_required = services.DECIDE_PERMISSION
    http_method_names = ["post"]
    decision = ""

    def post(self, request, pk):
        accreditation = get_object_or_404(Accreditation, pk=pk)
        back = reverse("events:accreditation_detail", args=[pk])
        try:
            if self.decision == "approve":
                accreditation = services.accreditation_approve(
                    accreditation=accreditation, actor=request.user
                )
                messages.success(
                    request,
                    _("Approved; badge number %(badge)s.")
                    % {"badge": accreditation.badge_number},
                )
                return redirect(back)
            form = AccreditationReasonForm(request.POST, prefix=self.decision)
            if not form.is_valid():
                messages.error(request, _("Give the reason."))
                return redirect(back)
            service = {
                "reject": services.accreditation_reject,
                "revoke": services.accreditation_revoke,
            }[self.decision]
            service(
                accreditation=accreditation,
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(back)
        done = {"reject": _("Request rejected."), "revoke": _("Accreditation revoked.")}
        messages.success(request, done[self.decision])
        return redirect(back)


class AccreditationPrintView(PermissionRequiredMixin, TemplateView):
    """The printable list of approved journalists of an event (or of a period)."""

    permission_required = ("events.access_app", "events.view_accreditation")
    template_name = "events/accreditation_print.html"

    def get_context_data(self, **kwargs):
        event = None
        if "pk" in self.kwargs:
            event = get_object_or_404(
                Event.objects.select_related("venue"), pk=self.kwargs["pk"]
            )
        context = super().get_context_data(**kwargs)
        context.update(
            event=event,
            accreditations=list(services.accreditations_approved(event=event)),
        )
        return context


class AccreditationBadgesView(AccreditationPrintView):
    """A sheet of badges to print and cut: eight to an A4 page."""

    permission_required = ("events.access_app", services.DECIDE_PERMISSION)
    template_name = "events/badge_sheet.html"
