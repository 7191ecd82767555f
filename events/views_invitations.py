"""Invitations, RSVP, check-in and calendar feeds: staff pages and public pages.

Views validate input and call the services and selectors of events.invitations;
the permission is checked here and again in the service.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from contacts.models import Person
from events import ics
from events import invitations as svc
from events.forms_invitations import AnswerForm, FeedForm, InviteForm
from events.models import CalendarFeed, Event, Invitation


def _event_url(event: Event) -> str:
    """The event page of the planning area, or the events index until it exists."""
    try:
        return reverse("events:event_detail", args=[event.pk])
    except NoReverseMatch:
        return reverse("events:index")


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


class _EventMixin(PermissionRequiredMixin):
    """A staff page about one event (``pk`` in the URL)."""

    def get_event(self) -> Event:
        return get_object_or_404(
            Event.objects.select_related("venue", "event_type"), pk=self.kwargs["pk"]
        )


# --- Guest list ---------------------------------------------------------------


class GuestListView(_EventMixin, View):
    """The invitations of an event with the counts and staff-recorded answers."""

    permission_required = ("events.access_app", "events.view_event")
    template_name = "events/guest_list.html"

    def get(self, request, pk):
        event = self.get_event()
        answer = request.GET.get("answer")
        if answer not in Invitation.Response.values:
            answer = None
        context = {
            "event": event,
            "event_url": _event_url(event),
            "counts": svc.guest_counts(event),
            "invitations": svc.guest_list(event, response=answer),
            "answer": answer,
            "answers": Invitation.Response.choices,
            "can_invite": request.user.has_perm("events.invite_event"),
            "can_checkin": request.user.has_perm("events.checkin_event"),
            "answer_form": AnswerForm(),
        }
        return render(request, self.template_name, context)


class GuestListPrintView(GuestListView):
    """The guest list on paper: no navigation, a column to tick at the door."""

    template_name = "events/guest_list_print.html"


class InvitationAnswerView(PermissionRequiredMixin, View):
    """Staff record an answer received by phone, letter, email or in person."""

    permission_required = ("events.access_app", "events.invite_event")
    http_method_names = ["post"]

    def post(self, request, pk):
        invitation = get_object_or_404(
            Invitation.objects.select_related("event", "person"), pk=pk
        )
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                svc.invitation_respond(
                    invitation=invitation,
                    response=form.cleaned_data["response"],
                    channel=form.cleaned_data["channel"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except ValidationError as exc:
                messages.error(request, _errors(exc))
            else:
                messages.success(
                    request,
                    _("The answer of %(person)s is recorded.")
                    % {"person": invitation.person},
                )
        else:
            messages.error(request, _("Choose an answer and how it was received."))
        return redirect("events:guest_list", invitation.event_id)


# --- Inviting -----------------------------------------------------------------


class InviteView(_EventMixin, View):
    """Pick lists, groups and people; preview who is left out; invite."""

    permission_required = ("events.access_app", "events.invite_event")
    template_name = "events/invitation_form.html"

    def _people(self, ids) -> list[Person]:
        ids = [int(i) for i in ids if str(i).isdigit()]
        return list(Person.objects.filter(pk__in=ids).order_by("last_name", "pk"))

    def _render(self, request, event, form, *, selected, preview=None, status=200):
        query = request.GET.get("q", "").strip()
        selected_ids = {p.pk for p in selected}
        found = [p for p in svc.person_suggestions(query) if p.pk not in selected_ids]
        context = {
            "event": event,
            "event_url": _event_url(event),
            "form": form,
            "query": query,
            "selected": selected,
            "found": found,
            "preview": preview,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk):
        event = self.get_event()
        selected = self._people(request.GET.getlist("people"))
        form = InviteForm(initial={"people": selected})
        return self._render(request, event, form, selected=selected)

    def post(self, request, pk):
        event = self.get_event()
        form = InviteForm(request.POST)
        selected = self._people(request.POST.getlist("people"))
        if not form.is_valid():
            return self._render(request, event, form, selected=selected, status=400)
        data = form.cleaned_data
        choice = {
            "lists": list(data["lists"]),
            "groups": list(data["groups"]),
            "people": list(data["people"]),
        }
        if "invite" not in request.POST:
            preview = svc.invitation_candidates(event=event, **choice)
            return self._render(
                request, event, form, selected=selected, preview=preview
            )
        try:
            result = svc.invitations_create(
                event=event, role=data["role"], actor=request.user, **choice
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
            return self._render(request, event, form, selected=selected, status=400)
        created = len(result.created)
        messages.success(
            request,
            ngettext(
                "%(count)d person invited; the invitation is being sent.",
                "%(count)d people invited; the invitations are being sent.",
                created,
            )
            % {"count": created},
        )
        if result.already_invited:
            messages.info(
                request,
                ngettext(
                    "%(count)d was already invited.",
                    "%(count)d were already invited.",
                    result.already_invited,
                )
                % {"count": result.already_invited},
            )
        if result.left_out:
            messages.warning(
                request,
                ngettext(
                    "%(count)d left out (opted out, do not contact or no address).",
                    "%(count)d left out (opted out, do not contact or no address).",
                    result.left_out,
                )
                % {"count": result.left_out},
            )
        return redirect("events:guest_list", event.pk)


# --- Check-in -----------------------------------------------------------------


class CheckinView(_EventMixin, View):
    """The door: search an invitee by name in any script, one button to check in."""

    permission_required = ("events.access_app", "events.checkin_event")
    template_name = "events/checkin.html"

    def get(self, request, pk):
        event = self.get_event()
        query = request.GET.get("q", "").strip()
        context = {
            "event": event,
            "event_url": _event_url(event),
            "query": query,
            "invitations": svc.checkin_search(event, query),
            "counts": svc.guest_counts(event),
        }
        return render(request, self.template_name, context)


class CheckinMarkView(PermissionRequiredMixin, View):
    """Mark one invitee present (POST); a second tap changes nothing."""

    permission_required = ("events.access_app", "events.checkin_event")
    http_method_names = ["post"]

    def post(self, request, pk):
        invitation = get_object_or_404(
            Invitation.objects.select_related("event", "person"), pk=pk
        )
        wants_json = request.headers.get("Accept", "").startswith("application/json")
        try:
            invitation = svc.invitation_check_in(
                invitation=invitation, actor=request.user
            )
        except ValidationError as exc:
            if wants_json:
                return JsonResponse({"error": _errors(exc)}, status=400)
            messages.error(request, _errors(exc))
        else:
            text = _("%(person)s is checked in.") % {"person": invitation.person}
            if wants_json:
                return JsonResponse({"ok": True, "message": text})
            messages.success(request, text)
        url = reverse("events:checkin", args=[invitation.event_id])
        query = request.POST.get("q", "").strip()
        if query:
            url += "?" + urlencode({"q": query})
        return redirect(url)


# --- Public RSVP --------------------------------------------------------------


def _invitation_language(invitation) -> str:
    return invitation.language or invitation.person.language or settings.LANGUAGE_CODE


def _rsvp_problem(request, *, status: int, invitation=None):
    language = (
        _invitation_language(invitation)
        if invitation
        else translation.get_language() or settings.LANGUAGE_CODE
    )
    with translation.override(language):
        return render(
            request,
            "events/rsvp_invalid.html",
            {"status": status, "invitation": invitation},
            status=status,
        )


@method_decorator(login_not_required, name="dispatch")
class RsvpView(View):
    """The invitee's page from the emailed link: accept, decline or maybe."""

    template_name = "events/rsvp.html"

    def _invitation(self, request, token):
        try:
            return svc.invitation_from_token(token), None
        except svc.TokenInvalid:
            return None, _rsvp_problem(request, status=400)
        except svc.TokenExpired as exc:
            return None, _rsvp_problem(request, status=410, invitation=exc.invitation)

    def _render(self, request, invitation, *, error="", status=200):
        with translation.override(_invitation_language(invitation)):
            event = invitation.event
            context = {
                "invitation": invitation,
                "event": event,
                "cancelled": event.status == Event.Status.CANCELLED,
                "open": svc.rsvp_open(invitation),
                "answers": [
                    (value, label)
                    for value, label in Invitation.Response.choices
                    if value
                ],
                "error": error,
                "answered": request.GET.get("answered") == "1",
            }
            return render(request, self.template_name, context, status=status)

    def get(self, request, token):
        invitation, problem = self._invitation(request, token)
        if problem:
            return problem
        return self._render(request, invitation)

    def post(self, request, token):
        invitation, problem = self._invitation(request, token)
        if problem:
            return problem
        with translation.override(_invitation_language(invitation)):
            try:
                svc.invitation_respond(
                    invitation=invitation,
                    response=request.POST.get("response", ""),
                    channel=Invitation.Channel.LINK,
                )
            except ValidationError as exc:
                return self._render(request, invitation, error=_errors(exc), status=400)
        return redirect(reverse("events:rsvp", args=[token]) + "?answered=1")


# --- Calendar files and feeds -------------------------------------------------


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class EventIcsView(_EventMixin, View):
    """Download the .ics file of one event, in the reader's language."""

    permission_required = ("events.access_app", "events.view_event")

    def get(self, request, pk):
        event = self.get_event()
        content = ics.event_calendar_bytes(
            event, language=translation.get_language() or settings.LANGUAGE_CODE
        )
        return _ics_response(content, f"event-{event.pk}.ics")


class FeedSettingsView(PermissionRequiredMixin, View):
    """A user's own calendar subscription address: scope and a new address."""

    permission_required = ("events.access_app", "events.view_event")
    template_name = "events/feed_settings.html"

    def get(self, request):
        feed = svc.calendar_feed_get(user=request.user)
        return self._render(request, feed, FeedForm(initial={"scope": feed.scope}))

    def _render(self, request, feed, form, status=200):
        url = svc.site_url() + reverse("events:feed", args=[feed.token])
        return render(
            request,
            self.template_name,
            {"feed": feed, "form": form, "feed_url": url},
            status=status,
        )

    def post(self, request):
        if "regenerate" in request.POST:
            svc.calendar_feed_update(
                user=request.user, actor=request.user, regenerate=True
            )
            messages.success(
                request,
                _("Your calendar has a new address; the old one no longer works."),
            )
            return redirect("events:feed_settings")
        form = FeedForm(request.POST)
        if not form.is_valid():
            feed = svc.calendar_feed_get(user=request.user)
            return self._render(request, feed, form, status=400)
        svc.calendar_feed_update(
            user=request.user, actor=request.user, scope=form.cleaned_data["scope"]
        )
        messages.success(request, _("Your calendar feed is saved."))
        return redirect("events:feed_settings")


@method_decorator(login_not_required, name="dispatch")
class FeedView(View):
    """The secret subscription address: a calendar app reads it without logging in."""

    def get(self, request, token):
        feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
        if (
            feed is None
            or not feed.user.is_active
            or not feed.user.has_perm("events.view_event")
        ):
            raise Http404
        language = feed.user.language or settings.LANGUAGE_CODE
        with translation.override(language):
            name = _("Events")
        content = ics.calendar_bytes(
            svc.feed_events(feed), language=language, method="PUBLISH", name=name
        )
        response = _ics_response(content, "events.ics")
        response["Cache-Control"] = "private, max-age=900"
        return response
