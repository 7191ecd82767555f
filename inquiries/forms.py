"""Forms of the inquiry desk: the queue's filters, registering a request, the
steps of its answer, lines to take, and the public request and status forms."""

import re
import time
import uuid
from datetime import date, timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils import formats, timezone
from django.utils.dates import MONTHS
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from contacts.models import Organisation, Person
from contacts.phones import to_e164
from events.forms import DateBox, LocalDateTimeField
from events.models import Event
from inquiries import selectors, statistics
from inquiries.models import LANGUAGE_CHOICES, LineToTake, Request, RequestAttachment
from media_monitoring.models import Item
from prapp.forms import GridFormMixin
from prapp.text import safe_capfirst
from prapp.uploads import upload_check
from pressreleases.models import PressRelease

# What a request is usually about: recent items, releases and events.
ITEMS_BACK = timedelta(days=60)
ITEMS_SHOWN = 300
RELEASES_BACK = timedelta(days=180)
EVENTS_BACK = timedelta(days=120)
EVENTS_AHEAD = timedelta(days=60)
STAFF_MAX_FILES = 10
PUBLIC_MAX_FILES = 5
TEXT_MAX = 20_000

# The public form's time trap: a person needs a few seconds to fill it in; a
# page older than a day was left open (or copied by a robot).
STAMP_SALT = "inquiries.public.stamp"
KEY_SALT = "inquiries.public.submission"
MIN_SECONDS = 3
MAX_SECONDS = 24 * 60 * 60


def _choices(choices) -> list[tuple[str, str]]:
    """Model choices with a first letter that is safe for Georgian."""
    return [(value, safe_capfirst(str(label))) for value, label in choices]


def _person(user) -> str:
    return user.get_full_name() or user.username


def max_attachment_bytes() -> int:
    return getattr(settings, "INQUIRIES_MAX_ATTACHMENT_MB", 20) * 1024 * 1024


def _helper(*fields, submit: str, name: str, layout=None, style="btn-primary"):
    """Fields, the CSRF token and a button: the page writes the <form> tag.

    Several of these forms share the request page: ``name`` keeps their button
    ids apart, as each form's ``auto_id`` keeps its field ids apart.
    """
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = layout or Layout(*fields)
    button = Submit(name, submit)
    button.field_classes = f"btn {style}"
    helper.add_input(button)
    return helper


# --- Files ------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; each is checked by type, contents and size."""

    default_error_messages = {
        "too_many": _("Attach at most %(count)d files."),
    }

    def __init__(self, *args, max_files: int = STAFF_MAX_FILES, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        if not files and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(files) > self.max_files:
            raise ValidationError(
                self.error_messages["too_many"],
                code="too_many",
                params={"count": self.max_files},
            )
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        errors = []
        for upload in cleaned:
            try:
                upload_check(upload, max_bytes=max_attachment_bytes())
            except ValidationError as exc:
                errors.extend(f"{upload.name}: {message}" for message in exc.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


# --- Contacts typed by name -------------------------------------------------------


class ContactLookupField(forms.CharField):
    """A person or an organisation typed by name, with suggestions (inquiries.js).

    A select of every contact would render 100,000 options; this box takes a
    name, or "Name (#id)" as the suggestions fill it in.
    """

    _ID = re.compile(r"\(#(\d+)\)\s*$")

    def __init__(self, *, model, **kwargs):
        self.model = model
        kind = "person" if model is Person else "organisation"
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "autocomplete": "off",
                    "data-contact-lookup": reverse_lazy("inquiries:contact_suggest"),
                    "data-contact-kind": kind,
                    "placeholder": _("Type a name in any script"),
                }
            ),
        )
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 300)
        super().__init__(**kwargs)

    def suggestions(self, text: str, limit: int) -> list[dict]:
        return selectors.contact_suggestions(
            text, kind="person" if self.model is Person else "organisation", limit=limit
        )

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        match = self._ID.search(text)
        if match:
            found = self.model.objects.filter(pk=int(match.group(1))).first()
            if found is None:
                raise ValidationError(_("This contact no longer exists."))
            return found
        matches = self.suggestions(text, limit=2)
        if not matches:
            raise ValidationError(
                _("Nobody in contacts is called “%(name)s”."), params={"name": text}
            )
        if len(matches) > 1:
            raise ValidationError(
                _("Several contacts match “%(name)s”: pick one from the suggestions."),
                params={"name": text},
            )
        return self.model.objects.get(pk=matches[0]["id"])


def contact_label(contact) -> str:
    """How a chosen contact is shown in its box again."""
    return f"{contact} (#{contact.pk})" if contact else ""


# --- Links to what a request concerns ----------------------------------------------


def _event_label(event) -> str:
    local = timezone.localtime(event.starts_at)
    return f"{formats.date_format(local, 'SHORT_DATE_FORMAT')} — {event}"


def _item_label(item) -> str:
    when = item.published_at or item.fetched_at
    day = formats.date_format(timezone.localtime(when), "SHORT_DATE_FORMAT")
    return f"{day} — {item.title[:120]}"


def _link_querysets(fields, *, current: dict) -> None:
    """Recent items, releases and events, and the ones already linked."""
    now = timezone.now()
    if "monitoring_item" in fields:
        items = Q(fetched_at__gte=now - ITEMS_BACK)
        ids = list(
            Item.objects.filter(items)
            .order_by("-fetched_at", "-pk")[:ITEMS_SHOWN]
            .values_list("pk", flat=True)
        )
        if current.get("monitoring_item"):
            ids.append(current["monitoring_item"])
        fields["monitoring_item"].queryset = Item.objects.filter(pk__in=ids).order_by(
            "-fetched_at", "-pk"
        )
        fields["monitoring_item"].label_from_instance = _item_label
    if "release" in fields:
        releases = Q(created_at__gte=now - RELEASES_BACK)
        if current.get("release"):
            releases |= Q(pk=current["release"])
        fields["release"].queryset = PressRelease.objects.filter(releases).order_by(
            "-created_at", "-pk"
        )
    if "event" in fields:
        events = Q(starts_at__gte=now - EVENTS_BACK, starts_at__lte=now + EVENTS_AHEAD)
        if current.get("event"):
            events |= Q(pk=current["event"])
        fields["event"].queryset = Event.objects.filter(events).order_by(
            "-starts_at", "-pk"
        )
        fields["event"].label_from_instance = _event_label


def _link_fields():
    return {
        "monitoring_item": forms.ModelChoiceField(
            queryset=Item.objects.none(),
            label=_("Monitoring item"),
            required=False,
            empty_label=_("— none —"),
        ),
        "event": forms.ModelChoiceField(
            queryset=Event.objects.none(),
            label=_("Event"),
            required=False,
            empty_label=_("— none —"),
        ),
        "release": forms.ModelChoiceField(
            queryset=PressRelease.objects.none(),
            label=_("Press release"),
            required=False,
            empty_label=_("— none —"),
        ),
    }


def _staff_field(label):
    field = forms.ModelChoiceField(
        queryset=selectors.desk_staff(),
        label=label,
        required=False,
        empty_label=_("— nobody —"),
    )
    field.label_from_instance = _person
    return field


def _unit_field(label=None):
    return forms.ModelChoiceField(
        queryset=selectors.active_units(),
        label=label or _("Unit"),
        required=False,
        empty_label=_("— no unit —"),
    )


# --- The queue --------------------------------------------------------------------


class QueueFilterForm(GridFormMixin, forms.Form):
    """The queue's filter bar (GET). No crispy: see prapp.forms.GridFormMixin."""

    grid = {"q": 4, "status": 2, "kind": 3, "channel": 3}

    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("Words in any script, or a number"),
                "type": "search",
            }
        ),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    due_from = forms.DateField(
        label=_("Due from"),
        required=False,
        widget=DateBox(),
    )
    due_to = forms.DateField(
        label=_("Due to"),
        required=False,
        widget=DateBox(),
    )
    received_from = forms.DateField(
        label=_("Received from"),
        required=False,
        widget=DateBox(),
    )
    received_to = forms.DateField(
        label=_("Received to"),
        required=False,
        widget=DateBox(),
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, staff=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["status"].choices = [
            (selectors.STATUS_OPEN, _("Open")),
            (selectors.STATUS_CLOSED, _("Closed")),
            (selectors.STATUS_ALL, _("Any status")),
            *_choices(Request.Status.choices),
        ]
        fields["kind"].choices = [("", _("Any kind")), *_choices(Request.Kind.choices)]
        fields["channel"].choices = [
            ("", _("Any channel")),
            *_choices(Request.Channel.choices),
        ]
        fields["unit"].choices = [
            ("", _("Any unit")),
            *((str(unit.pk), str(unit)) for unit in units),
        ]
        fields["assignee"].choices = [
            ("", _("Anyone or nobody")),
            (selectors.ASSIGNEE_ME, _("Me")),
            (selectors.ASSIGNEE_NOBODY, _("Nobody")),
            *((str(user.pk), _person(user)) for user in staff),
        ]
        self.style_widgets()

    def criteria(self) -> dict:
        """The chosen filters as plain values, for the selector and for links."""
        if not self.is_valid():
            return {}
        criteria = {}
        for name, value in self.cleaned_data.items():
            if value in (None, "", False):
                continue
            if value is True:
                criteria[name] = "1"
            elif hasattr(value, "isoformat"):
                criteria[name] = value.isoformat()
            else:
                criteria[name] = str(value)
        return criteria


# --- Registering a request --------------------------------------------------------


class RequestRegisterForm(forms.Form):
    """A request that came by email, letter, phone or in person, typed in by staff."""

    requester = ContactLookupField(
        model=Person,
        label=_("Requester from contacts"),
        help_text=_("Pick a person from contacts, or type the requester below."),
    )
    requester_organisation = ContactLookupField(
        model=Organisation, label=_("Requester's organisation")
    )
    requester_name = forms.CharField(
        label=_("Requester's name"), max_length=200, required=False
    )
    requester_email = forms.EmailField(label=_("Email"), required=False)
    requester_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    requester_address = forms.CharField(
        label=_("Postal address"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    create_contact = forms.BooleanField(
        label=_("Add the requester to contacts"), required=False
    )
    kind = forms.ChoiceField(label=_("Kind"))
    channel = forms.ChoiceField(label=_("Received through"))
    language = forms.ChoiceField(
        label=_("Language of the answer"), choices=LANGUAGE_CHOICES
    )
    subject = forms.CharField(label=_("Subject"), max_length=300)
    text = forms.CharField(
        label=_("Text of the request"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    received_at = LocalDateTimeField(label=_("Received at"))
    attachments = MultipleFileField(
        label=_("Attachments"),
        help_text=_("Scans or files that came with the request; several at once."),
    )
    unit = _unit_field()
    assignee = _staff_field(_("Assign to"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields.update(_link_fields())
        fields["kind"].choices = _choices(Request.Kind.choices)
        fields["channel"].choices = _choices(Request.Channel.choices)
        fields["unit"].queryset = selectors.active_units()
        fields["assignee"].queryset = selectors.desk_staff()
        current = {
            name: self.initial.get(name) or self.data.get(name)
            for name in ("monitoring_item", "event", "release")
        }
        current = {k: v for k, v in current.items() if str(v or "").isdigit()}
        _link_querysets(fields, current=current)
        fields["requester_email"].widget.attrs["autocomplete"] = "off"
        fields["received_at"].help_text = _(
            "Local time. The deadline is counted from this day."
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("Requester"),
                "requester",
                Div(
                    Div("requester_name", css_class="col-md-6"),
                    Div("requester_organisation", css_class="col-md-6"),
                    css_class="row",
                ),
                Div(
                    Div("requester_email", css_class="col-md-6"),
                    Div("requester_phone", css_class="col-md-6"),
                    css_class="row",
                ),
                "requester_address",
                "create_contact",
            ),
            Fieldset(
                _("Request"),
                Div(
                    Div("kind", css_class="col-md-4"),
                    Div("channel", css_class="col-md-4"),
                    Div("language", css_class="col-md-4"),
                    css_class="row",
                ),
                "subject",
                "text",
                Div(
                    Div("received_at", css_class="col-md-6"),
                    Div("attachments", css_class="col-md-6"),
                    css_class="row",
                ),
            ),
            Fieldset(
                _("Who answers"),
                Div(
                    Div("unit", css_class="col-md-6"),
                    Div("assignee", css_class="col-md-6"),
                    css_class="row",
                ),
            ),
            Fieldset(
                _("What it concerns"),
                "monitoring_item",
                Div(
                    Div("event", css_class="col-md-6"),
                    Div("release", css_class="col-md-6"),
                    css_class="row",
                ),
            ),
        )
        button = Submit("register", _("Register the request"))
        self.helper.add_input(button)

    def clean_requester_phone(self):
        phone = self.cleaned_data["requester_phone"].strip()
        if not phone:
            return ""
        try:
            return to_e164(phone)
        except ValidationError:
            # A hotline caller's number is kept as heard rather than refused.
            return phone

    def clean(self):
        cleaned = super().clean()
        person = cleaned.get("requester")
        if person is not None:
            # What the contact says fills what was left empty.
            if not (cleaned.get("requester_name") or "").strip():
                cleaned["requester_name"] = str(person)
            if not cleaned.get("requester_email"):
                email = person.emails.order_by("-is_primary", "pk").first()
                cleaned["requester_email"] = email.email if email else ""
            if not cleaned.get("requester_phone"):
                phone = person.phones.order_by("-is_primary", "pk").first()
                cleaned["requester_phone"] = phone.number if phone else ""
            cleaned["create_contact"] = False
        elif not (cleaned.get("requester_name") or "").strip():
            self.add_error(
                "requester_name",
                _("Pick the requester from contacts or type their name."),
            )
        return cleaned

    def service_data(self) -> dict:
        """What services.request_register takes."""
        cleaned = self.cleaned_data
        names = (
            "kind",
            "channel",
            "requester",
            "requester_organisation",
            "requester_name",
            "requester_email",
            "requester_phone",
            "requester_address",
            "language",
            "subject",
            "text",
            "received_at",
            "unit",
            "assignee",
            "monitoring_item",
            "event",
            "release",
        )
        data = {name: cleaned.get(name) for name in names}
        for name in ("requester_name", "requester_address", "subject", "text"):
            data[name] = (data[name] or "").strip()
        data["requester_email"] = data["requester_email"] or ""
        data["requester_phone"] = data["requester_phone"] or ""
        return data


def register_initial(params) -> dict:
    """The register form's first values: now, the office's language, and links
    given in the address (from a monitoring item, an event or a release)."""
    language = settings.LANGUAGE_CODE[:2]
    initial = {
        "received_at": timezone.localtime().replace(second=0, microsecond=0),
        "language": language if language in dict(LANGUAGE_CHOICES) else "ka",
        "kind": params.get("kind") or Request.Kind.JOURNALIST,
        "channel": params.get("channel") or Request.Channel.EMAIL,
    }
    for name in ("monitoring_item", "event", "release"):
        value = params.get(name, "")
        if str(value).isdigit():
            initial[name] = int(value)
    return initial


# --- The steps of the answer ------------------------------------------------------


class AssignForm(forms.Form):
    unit = _unit_field()
    assignee = _staff_field(_("Assigned to"))

    def __init__(self, *args, request: Request, **kwargs):
        kwargs.setdefault("auto_id", "assign_%s")
        kwargs.setdefault(
            "initial", {"unit": request.unit_id, "assignee": request.assignee_id}
        )
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.active_units()
        self.fields["assignee"].queryset = selectors.desk_staff()
        self.helper = _helper(
            submit=_("Assign"),
            name="save_assign",
            layout=Layout(
                Div(
                    Div("unit", css_class="col-md-6"),
                    Div("assignee", css_class="col-md-6"),
                    css_class="row",
                )
            ),
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("unit") and not cleaned.get("assignee"):
            raise ValidationError(_("Choose a unit, a person or both."))
        return cleaned


class ExtendForm(forms.Form):
    reason = forms.CharField(
        label=_("Why more time is needed"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The requester is told this reason."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "extend_%s")
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            "reason",
            submit=_("Extend the deadline"),
            name="save_extend",
            style="btn-outline-primary",
        )


class QuestionForm(forms.Form):
    """An internal question to a unit or a colleague, with its own due date."""

    question = forms.CharField(
        label=_("Question"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    unit = _unit_field()
    assignee = _staff_field(_("Colleague"))
    due_on = forms.DateField(
        label=_("Answer due"),
        widget=DateBox(),
    )

    def __init__(self, *args, request: Request | None = None, **kwargs):
        kwargs.setdefault("auto_id", "question_%s")
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.active_units()
        self.fields["assignee"].queryset = selectors.desk_staff()
        if request is not None and "due_on" not in self.initial:
            today = timezone.localdate()
            self.initial["due_on"] = max(
                today, min(request.due_on - timedelta(days=1), today + timedelta(3))
            )
        self.helper = _helper(
            submit=_("Ask"),
            name="save_question",
            style="btn-outline-primary",
            layout=Layout(
                "question",
                Div(
                    Div("unit", css_class="col-md-4"),
                    Div("assignee", css_class="col-md-4"),
                    Div("due_on", css_class="col-md-4"),
                    css_class="row",
                ),
            ),
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("unit") and not cleaned.get("assignee"):
            raise ValidationError(_("Ask a unit, a colleague or both."))
        return cleaned


class QuestionAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, question=None, **kwargs):
        if question is not None:
            kwargs.setdefault("auto_id", f"question{question.pk}_%s")
        super().__init__(*args, **kwargs)
        self.helper = _helper("answer", submit=_("Answer"), name="save_question_answer")


class DraftForm(forms.Form):
    text = forms.CharField(
        label=_("Answer"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Saving sends the draft to a manager for approval."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "draft_%s")
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            "text", submit=_("Save the draft for approval"), name="save_draft"
        )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("What to change"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "return_%s")
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            "reason",
            submit=_("Return to drafting"),
            name="save_return",
            style="btn-outline-danger",
        )


class AnswerSendForm(forms.Form):
    method = forms.ChoiceField(label=_("Answered how"), widget=forms.RadioSelect)
    partly = forms.BooleanField(
        label=_("Only partly answered"),
        required=False,
        help_text=_("Part of the information is withheld or was not held."),
    )
    send_email = forms.BooleanField(
        label=_("Email the answer to the requester now"),
        required=False,
        initial=True,
        help_text=_(
            "Only when answering by email; it goes in the requester's language."
        ),
    )

    def __init__(self, *args, request: Request | None = None, **kwargs):
        kwargs.setdefault("auto_id", "send_%s")
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = _choices(Request.AnswerMethod.choices)
        if request is not None and "method" not in self.initial:
            self.initial["method"] = (
                Request.AnswerMethod.EMAIL
                if request.requester_email
                else Request.AnswerMethod.LETTER
            )
        self.helper = _helper(
            "method",
            "partly",
            "send_email",
            submit=_("Record the answer"),
            name="save_send",
            style="btn-success",
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("method") != Request.AnswerMethod.EMAIL:
            cleaned["send_email"] = False
        return cleaned


class RefuseForm(forms.Form):
    ground = forms.ModelChoiceField(
        queryset=None, label=_("Legal ground"), empty_label=None
    )
    send_email = forms.BooleanField(
        label=_("Email the refusal to the requester now"), required=False, initial=True
    )

    def __init__(self, *args, request: Request, **kwargs):
        kwargs.setdefault("auto_id", "refuse_%s")
        super().__init__(*args, **kwargs)
        self.fields["ground"].queryset = selectors.refusal_grounds(request)
        self.fields["ground"].label_from_instance = self._ground_label
        self.helper = _helper(
            "ground",
            "send_email",
            submit=_("Refuse"),
            name="save_refuse",
            style="btn-outline-danger",
        )

    @staticmethod
    def _ground_label(ground) -> str:
        if ground.legal_basis:
            return f"{ground.name} ({ground.legal_basis})"
        return ground.name


class ForwardForm(forms.Form):
    organisation = ContactLookupField(
        model=Organisation, label=_("Competent body from contacts")
    )
    name = forms.CharField(
        label=_("Or its name"),
        max_length=300,
        required=False,
    )
    send_email = forms.BooleanField(
        label=_("Tell the requester by email"), required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "forward_%s")
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            "organisation",
            "name",
            "send_email",
            submit=_("Forward"),
            name="save_forward",
            style="btn-outline-secondary",
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("organisation") and not (cleaned.get("name") or "").strip():
            raise ValidationError(_("Name the body the request goes to."))
        return cleaned


class LinkForm(forms.Form):
    def __init__(self, *args, request: Request, **kwargs):
        kwargs.setdefault("auto_id", "link_%s")
        kwargs.setdefault(
            "initial",
            {
                "monitoring_item": request.monitoring_item_id,
                "event": request.event_id,
                "release": request.release_id,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields.update(_link_fields())
        _link_querysets(self.fields, current=self.initial)
        self.helper = _helper(
            "monitoring_item",
            "event",
            "release",
            submit=_("Save the links"),
            name="save_links",
            style="btn-outline-primary",
        )


class AttachmentForm(forms.Form):
    files = MultipleFileField(label=_("Files"), required=True)
    direction = forms.ChoiceField(
        label=_("The files"),
        choices=RequestAttachment.Direction.choices,
        widget=forms.RadioSelect,
        initial=RequestAttachment.Direction.RECEIVED,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "attachment_%s")
        super().__init__(*args, **kwargs)
        self.fields["direction"].choices = _choices(RequestAttachment.Direction.choices)
        self.helper = _helper(
            "files",
            "direction",
            submit=_("Attach"),
            name="save_attachment",
            style="btn-outline-primary",
        )


class LineSaveForm(forms.Form):
    subject = forms.CharField(
        label=_("Subject of the line"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to use the request's subject."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "line_%s")
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            "subject",
            submit=_("Save as a line to take"),
            name="save_line",
            style="btn-outline-secondary",
        )


# --- Lines to take ----------------------------------------------------------------


class LineFilterForm(GridFormMixin, forms.Form):
    grid = {"q": 6, "language": 3, "archived": 3}

    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("Words in any script"), "type": "search"}
        ),
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    archived = forms.BooleanField(label=_("Archived ones too"), required=False)
    # The request a line is being chosen for (from its page).
    for_request = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("Any language")), *LANGUAGE_CHOICES]
        self.style_widgets()


class LineForm(forms.ModelForm):
    """A line to take, edited by hand (plain fields: no workflow)."""

    class Meta:
        model = LineToTake
        fields = ["subject", "text", "language", "active"]
        widgets = {"text": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))


# --- Public pages -----------------------------------------------------------------


def form_stamp(now: float | None = None) -> str:
    """A signed note of when the public form was rendered."""
    return signing.dumps({"t": time.time() if now is None else now}, salt=STAMP_SALT)


def submission_token(key: str | None = None) -> str:
    """A signed submission key: the same form sent twice registers once."""
    return signing.dumps(key or uuid.uuid4().hex, salt=KEY_SALT)


class PublicRequestForm(forms.Form):
    """A public-information request; the honeypot and the stamp keep robots out."""

    name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(
        label=_("Email"),
        help_text=_("We send the registration number and the answer here."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    address = forms.CharField(
        label=_("Postal address"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only if you want the answer by post."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=300)
    text = forms.CharField(
        label=_("What information do you request?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        max_files=PUBLIC_MAX_FILES,
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the office processes these details to register and "
            "answer my request."
        ),
        error_messages={
            "required": _("Without your consent we cannot register the request.")
        },
    )
    # The honeypot: hidden from people and from screen readers (see the layout);
    # robots fill every box they find.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stamp"].initial = form_stamp()
        self.fields["submission_key"].initial = submission_token()
        self.fields["attachments"].help_text = _(
            "Optional. Up to %(count)d files of %(size)d MB each: PDF, Word, "
            "Excel, OpenDocument text, pictures (JPEG, PNG) or plain text."
        ) % {
            "count": PUBLIC_MAX_FILES,
            "size": max_attachment_bytes() // (1024 * 1024),
        }
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["address"].widget.attrs["autocomplete"] = "street-address"
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = Layout(
            "name",
            Div(
                Div("email", css_class="col-md-6"),
                Div("phone", css_class="col-md-6"),
                css_class="row",
            ),
            "address",
            "subject",
            "text",
            "attachments",
            "consent",
            Div(Field("website"), css_class="visually-hidden", aria_hidden="true"),
            "stamp",
            "submission_key",
        )
        button = Submit("send", _("Send the request"))
        self.helper.add_input(button)

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        return to_e164(phone) if phone else ""

    def clean_submission_key(self):
        try:
            key = signing.loads(
                self.data.get("submission_key") or "",
                salt=KEY_SALT,
                max_age=MAX_SECONDS,
            )
        except signing.BadSignature:
            return ""
        return (
            key if isinstance(key, str) and re.fullmatch(r"[0-9a-f]{32}", key) else ""
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise ValidationError(
                _("Your request could not be accepted."), code="honeypot"
            )
        stale = ValidationError(
            _("This form is out of date. Please check it and send it again."),
            code="stale",
        )
        try:
            stamp = signing.loads(
                self.data.get("stamp") or "", salt=STAMP_SALT, max_age=MAX_SECONDS
            )
            elapsed = time.time() - float(stamp["t"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise stale from None
        if elapsed < MIN_SECONDS:
            raise ValidationError(
                _("The form was sent too quickly. Please check it and send it again."),
                code="too_fast",
            )
        if elapsed > MAX_SECONDS or not cleaned.get("submission_key"):
            raise stale
        return cleaned

    def service_data(self) -> dict:
        """What services.request_public_submit takes."""
        cleaned = self.cleaned_data
        language = (get_language() or settings.LANGUAGE_CODE)[:2]
        return {
            "requester_name": cleaned["name"].strip(),
            "requester_email": cleaned["email"],
            "requester_phone": cleaned.get("phone") or "",
            "requester_address": (cleaned.get("address") or "").strip(),
            "subject": cleaned["subject"].strip(),
            "text": cleaned["text"].strip(),
            "language": language if language in dict(LANGUAGE_CHOICES) else "ka",
        }

    def refresh(self) -> None:
        """Give a refused form a new stamp (and a new key if its own was bad)."""
        self.data = self.data.copy()
        self.data["stamp"] = form_stamp()
        key = getattr(self, "cleaned_data", {}).get("submission_key")
        self.data["submission_key"] = submission_token(key or None)


class StatusForm(forms.Form):
    """The registration number and the secret from the confirmation email."""

    n = forms.CharField(label=_("Registration number"), max_length=40)
    s = forms.CharField(
        label=_("Access code"),
        max_length=100,
        help_text=_("It is in the link of the confirmation email."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = Layout(
            Div(
                Div("n", css_class="col-md-5"),
                Div("s", css_class="col-md-7"),
                css_class="row",
            ),
        )
        self.helper.add_input(Submit("look", _("Show the status")))


# --- The statistics period --------------------------------------------------------

QUARTERS = [
    (1, _("January – March")),
    (2, _("April – June")),
    (3, _("July – September")),
    (4, _("October – December")),
]


class PeriodForm(GridFormMixin, forms.Form):
    """The period chooser (GET): a month, a quarter, a year or any two dates.

    The template lays it out itself: CSS shows only the fields the chosen kind
    of period uses (see static/inquiries/statistics.css). The reports app
    offers the same chooser.
    """

    period = forms.ChoiceField(label=_("Period"), choices=statistics.PERIOD_CHOICES)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    month = forms.TypedChoiceField(
        label=_("Month"), coerce=int, choices=list(MONTHS.items())
    )
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int, choices=QUARTERS)
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=DateBox(),
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        widget=DateBox(),
    )

    def __init__(self, data=None, *, today: date, first_year: int):
        initial = {
            "period": statistics.MONTH,
            "year": today.year,
            "month": today.month,
            "quarter": (today.month + 2) // 3,
        }
        # Fields left out of the address keep today's values.
        values = {key: str(value) for key, value in initial.items()}
        if data:
            values |= {key: value for key, value in data.items() if value}
        super().__init__(values)
        years = range(today.year, min(first_year, today.year) - 1, -1)
        self.fields["year"].choices = [(year, str(year)) for year in years]
        self.style_widgets()

    def clean(self):
        data = super().clean()
        period = data.get("period")
        if period == statistics.CUSTOM:
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise ValidationError(
                    _("Give the first and the last day of the period.")
                )
            if start > end:
                raise ValidationError(_("The period must not end before it starts."))
        return data

    def period_dates(self) -> tuple[date, date] | None:
        """The chosen first and last day, or None when the choice is invalid."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        period = data["period"]
        if period == statistics.MONTH:
            return statistics.month_period(data["year"], data["month"])
        if period == statistics.QUARTER:
            return statistics.quarter_period(data["year"], data["quarter"])
        if period == statistics.YEAR:
            return statistics.year_period(data["year"])
        return data["start"], data["end"]
