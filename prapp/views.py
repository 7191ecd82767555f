from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import DetailView, ListView, UpdateView

from prapp import selectors, services
from prapp.forms import AuditFilterForm, LanguageForm, ProfileForm
from prapp.models import CapturedEmail


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Database, broker and worker heartbeat as JSON, for healthchecks."""
    report = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report["database"] = {"ok": True}
    except Exception as exc:  # noqa: BLE001  (any failure means "down")
        report["database"] = {"ok": False, "error": exc.__class__.__name__}
    try:
        from prapp.celery import app

        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
        report["broker"] = {"ok": True}
    except Exception as exc:  # noqa: BLE001
        report["broker"] = {"ok": False, "error": exc.__class__.__name__}
    try:
        worker = selectors.worker_status()
        if worker["last_seen"] is not None:
            worker["last_seen"] = worker["last_seen"].isoformat()
        report["worker"] = worker
    except Exception as exc:  # noqa: BLE001
        report["worker"] = {"ok": False, "error": exc.__class__.__name__}
    healthy = all(part["ok"] for part in report.values())
    report["status"] = "ok" if healthy else "degraded"
    return JsonResponse(report, status=200 if healthy else 503)


@login_not_required
@require_POST
def set_language(request):
    """The language switcher: keeps the choice in the profile and a cookie."""
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if not form.is_valid():
        return response
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        services.user_set_language(
            user=request.user, language=language, actor=request.user
        )
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 60 * 60,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
    )
    return response


class ProfileView(UpdateView):
    form_class = ProfileForm
    template_name = "prapp/profile_form.html"
    success_url = reverse_lazy("profile")

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        self.object = services.user_update_profile(
            user=self.request.user, changes=form.cleaned_data, actor=self.request.user
        )
        messages.success(self.request, _("Your profile has been saved."))
        return redirect(self.get_success_url())


class AuditListView(PermissionRequiredMixin, ListView):
    permission_required = "prapp.view_auditentry"
    template_name = "prapp/auditentry_list.html"
    paginate_by = 50
    context_object_name = "entries"

    def get_queryset(self):
        self.filter_form = AuditFilterForm(self.request.GET or None)
        filters = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        return selectors.audit_entries(
            action=filters.get("action", ""), target=filters.get("target", "")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter_form=self.filter_form, **kwargs)


class OutboxListView(PermissionRequiredMixin, ListView):
    permission_required = "prapp.view_capturedemail"
    template_name = "prapp/capturedemail_list.html"
    paginate_by = 50
    context_object_name = "emails"

    def get_queryset(self):
        return selectors.captured_emails(query=self.request.GET.get("q", "").strip())


class OutboxDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "prapp.view_capturedemail"
    template_name = "prapp/capturedemail_detail.html"
    model = CapturedEmail
    context_object_name = "email"


class OutboxHtmlView(PermissionRequiredMixin, View):
    """The HTML part of a captured email, served sandboxed: treat it as hostile."""

    permission_required = "prapp.view_capturedemail"

    def get(self, request, pk):
        email = get_object_or_404(CapturedEmail, pk=pk)
        response = HttpResponse(
            email.body_html, content_type="text/html; charset=utf-8"
        )
        response["Content-Security-Policy"] = (
            "sandbox; default-src 'none'; img-src data:"
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class TestEmailView(PermissionRequiredMixin, View):
    """Queue a test email to oneself: it goes through the worker into the outbox."""

    permission_required = "prapp.view_capturedemail"

    def post(self, request):
        services.test_email_request(actor=request.user)
        messages.success(
            request,
            _(
                "A test email is on its way through the background worker. "
                "Refresh in a moment."
            ),
        )
        return redirect("outbox")
