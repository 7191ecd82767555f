"""The public pages of the inquiry desk: the request form and the status page.

No login: each view opts out of the login requirement. Robots are kept out by a
honeypot, a signed time stamp and a limit per address; a form sent twice
registers once (its signed submission key); a status link with a wrong number
or code gets one answer, whichever half was wrong.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.crypto import salted_hmac
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from inquiries import services
from inquiries.forms import PublicRequestForm, StatusForm
from inquiries.models import Request

SESSION_KEY = "inquiries_public_sent"
RATE_WINDOW_SECONDS = 60 * 60
Status = Request.Status

# What the requester is told of the desk's inner steps: "being prepared".
PUBLIC_STEPS = {
    Status.REGISTERED: "registered",
    Status.ASSIGNED: "in_progress",
    Status.DRAFTED: "in_progress",
    Status.APPROVED: "in_progress",
    Status.ANSWERED: "answered",
    Status.PARTLY_ANSWERED: "partly",
    Status.REFUSED: "refused",
    Status.FORWARDED: "forwarded",
}


def _client_address(request) -> str:
    """The visitor's address, read from the same headers the login lock-out uses."""
    headers = getattr(settings, "AXES_IPWARE_META_PRECEDENCE_ORDER", ["REMOTE_ADDR"])
    for header in headers:
        value = request.META.get(header, "")
        if value:
            return value.split(",")[0].strip()
    return ""


def _counter_key(request, scope: str) -> str:
    """A cache key per address and scope; a salted hash, never the address."""
    digest = salted_hmac(
        f"inquiries.public.{scope}", _client_address(request) or "-", algorithm="sha256"
    ).hexdigest()
    return f"inquiries:{scope}:{digest}"


def _limit(scope: str) -> int:
    if scope == "submit":
        return settings.INQUIRIES_PUBLIC_RATE_LIMIT
    return settings.INQUIRIES_STATUS_RATE_LIMIT


def _rate_limited(request, scope: str) -> bool:
    """Whether this address has used up its tries of ``scope`` for the hour."""
    return cache.get(_counter_key(request, scope), 0) >= _limit(scope)


def _count(request, scope: str) -> None:
    """Count one try; the window starts with the first try of the hour."""
    key = _counter_key(request, scope)
    cache.add(key, 0, timeout=RATE_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout=RATE_WINDOW_SECONDS)


def _too_many(request, scope: str):
    return render(
        request,
        "inquiries/public_rate_limited.html",
        {"scope": scope},
        status=429,
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def request_form(request):
    """The public-information request form, in the visitor's language."""
    status = 200
    if request.method == "POST":
        if _rate_limited(request, "submit"):
            return _too_many(request, "submit")
        form = PublicRequestForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                registered, secret = services.request_public_submit(
                    data=form.service_data(),
                    files=form.cleaned_data["attachments"],
                    submission_key=form.cleaned_data["submission_key"],
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for name, errors in exc.message_dict.items():
                        form.add_error(name if name in form.fields else None, errors)
                else:
                    form.add_error(None, exc.messages)
            else:
                # A form sent twice finds the first request and counts once.
                if secret is not None:
                    _count(request, "submit")
                request.session[SESSION_KEY] = {"pk": registered.pk}
                return redirect("inquiries_public:thanks")
        form.refresh()
        status = 400
    else:
        form = PublicRequestForm()
    return render(request, "inquiries/public_form.html", {"form": form}, status=status)


@login_not_required
@require_http_methods(["GET"])
def request_thanks(request):
    """The confirmation: the registration number, never the secret."""
    sent = request.session.get(SESSION_KEY) or {}
    registered = None
    if sent.get("pk"):
        registered = (
            Request.objects.filter(pk=sent["pk"])
            .only("number", "requester_email", "due_on", "received_at")
            .first()
        )
    return render(request, "inquiries/public_thanks.html", {"registered": registered})


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def request_status(request):
    """Status of a request for its number and secret (the email's link or typed).

    A wrong number and a wrong code look the same; failed tries are limited per
    address, and the page never sends the code on as a referrer.
    """
    source = request.POST if request.method == "POST" else request.GET
    looked_up = "n" in source or "s" in source
    form = StatusForm(source if looked_up else None)
    found = None
    not_found = False
    status = 200
    if looked_up:
        if _rate_limited(request, "status"):
            response = _too_many(request, "status")
            response["Referrer-Policy"] = "no-referrer"
            return response
        if form.is_valid():
            found = services.status_lookup(
                number=form.cleaned_data["n"].strip(),
                secret=form.cleaned_data["s"].strip(),
            )
        if found is None:
            _count(request, "status")
            not_found = form.is_valid()
            status = 404 if not_found else 400
    context = {
        "form": StatusForm() if found is not None else form,
        "found": found,
        "step": PUBLIC_STEPS.get(found.status, "") if found else "",
        "not_found": not_found,
    }
    response = render(request, "inquiries/public_status.html", context, status=status)
    response["Referrer-Policy"] = "no-referrer"
    return response
