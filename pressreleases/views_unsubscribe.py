"""The recipient's unsubscribe page and the one-click unsubscribe of RFC 8058.

Public (no login). The link in every release email carries a signed token of
its delivery row; the page speaks the language that email was written in.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from pressreleases import delivery as svc
from pressreleases import mailing
from pressreleases.models import Delivery

ONE_CLICK = "One-Click"


def masked_address(email: str) -> str:
    """``n•••@example.ge``: enough to recognise one's address, not to harvest it."""
    local, _at, domain = email.partition("@")
    if not domain:
        return "•••"
    return f"{local[:1]}•••@{domain}"


def _language(delivery: Delivery | None) -> str:
    if delivery is not None and delivery.language in dict(settings.LANGUAGES):
        return delivery.language
    return translation.get_language() or settings.LANGUAGE_CODE


def _csrf_refusal(request):
    """The CSRF check the view is exempt from, for the confirmation form."""
    return CsrfViewMiddleware(lambda _request: None).process_view(request, None, (), {})


@method_decorator(login_not_required, name="dispatch")
@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(View):
    """GET: confirm the address; POST: the form, or a mail client's one-click."""

    template_name = "pressreleases/unsubscribe.html"

    def _render(self, request, template, delivery, *, status=200, **context):
        with translation.override(_language(delivery)):
            return render(
                request,
                template,
                {
                    "delivery": delivery,
                    "address": masked_address(delivery.email) if delivery else "",
                    "organisation_name": settings.PRAPP_ORGANISATION_NAME,
                    **context,
                },
                status=status,
            )

    def _delivery(self, request, token):
        delivery = mailing.delivery_from_token(token)
        if delivery is None:
            return None, self._render(
                request, "pressreleases/unsubscribe_invalid.html", None, status=400
            )
        return delivery, None

    def get(self, request, token):
        delivery, problem = self._delivery(request, token)
        if problem:
            return problem
        person = delivery.person
        already = bool(delivery.unsubscribed_at or (person and person.opted_out_at))
        return self._render(
            request, self.template_name, delivery, already_unsubscribed=already
        )

    def post(self, request, token):
        # RFC 8058: the mail client (or its provider's server) posts
        # "List-Unsubscribe=One-Click" with no cookie and no CSRF token; the
        # signed token in the address is what authorises it. The confirmation
        # form of the page goes through Django's CSRF check as usual.
        one_click = request.POST.get("List-Unsubscribe") == ONE_CLICK
        if not one_click:
            refusal = _csrf_refusal(request)
            if refusal is not None:
                return refusal
        delivery, problem = self._delivery(request, token)
        if problem:
            return problem
        svc.delivery_unsubscribe(delivery=delivery)
        return self._render(request, "pressreleases/unsubscribe_done.html", delivery)
