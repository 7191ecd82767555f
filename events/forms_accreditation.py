"""Forms of media accreditation: the public request form and the staff decisions."""

import time

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from contacts.models import Person
from contacts.phones import to_e164
from events.models import Accreditation, Event

# The time trap: a person needs a few seconds to fill the form in; a stamp
# older than a day belongs to a page left open (or copied by a robot).
STAMP_SALT = "events.accreditation.form"
MIN_SECONDS = 3
MAX_SECONDS = 24 * 60 * 60


def form_stamp(now: float | None = None) -> str:
    """A signed note of when the form was rendered."""
    return signing.dumps({"t": time.time() if now is None else now}, salt=STAMP_SALT)


def _button(name, label, style="btn-primary") -> Submit:
    button = Submit(name, label)
    button.field_classes = f"btn {style}"
    return button


class AccreditationRequestForm(forms.Form):
    """A journalist's request; the honeypot and the stamp keep robots out."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    outlet = forms.CharField(label=_("Media outlet"), max_length=200)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Accreditation.Role.choices,
        widget=forms.RadioSelect,
    )
    press_card = forms.CharField(
        label=_("Press card number"), max_length=60, required=False
    )
    email = forms.EmailField(label=_("Email"))
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        help_text=_("With the country code if it is not a Georgian number."),
    )
    language = forms.ChoiceField(
        label=_("Language of our emails to you"), choices=Person.Language.choices
    )
    # The honeypot: hidden from people and from screen readers (see the layout);
    # robots fill every box they find.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, language: str = "ka", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = language
        self.fields["stamp"].initial = form_stamp()
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = Layout(
            "full_name",
            "outlet",
            "role",
            "press_card",
            "email",
            "phone",
            "language",
            Div(Field("website"), css_class="visually-hidden", aria_hidden="true"),
            "stamp",
            _button("send", _("Send the request")),
        )

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        return to_e164(phone) if phone else ""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(
                _("Your request could not be accepted."), code="honeypot"
            )
        try:
            stamp = signing.loads(
                self.data.get("stamp") or "", salt=STAMP_SALT, max_age=MAX_SECONDS
            )
            elapsed = time.time() - float(stamp["t"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise forms.ValidationError(
                _("This form is out of date. Please check it and send it again."),
                code="stale",
            ) from None
        if elapsed < MIN_SECONDS:
            raise forms.ValidationError(
                _("The form was sent too quickly. Please check it and send it again."),
                code="too_fast",
            )
        if elapsed > MAX_SECONDS:
            raise forms.ValidationError(
                _("This form is out of date. Please check it and send it again."),
                code="stale",
            )
        return cleaned

    def refresh_stamp(self) -> None:
        """Give a refused form a new stamp, so that the next try can pass."""
        self.data = self.data.copy()
        self.data["stamp"] = form_stamp()


class AccreditationFilterForm(forms.Form):
    """The staff list's filters: event (or the standing accreditations) and status."""

    event = forms.ChoiceField(label=_("Event"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Accreditation.Status.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        events = Event.objects.filter(accreditations__isnull=False).distinct()
        self.fields["event"].choices = [
            ("", _("All events")),
            ("period", _("Accreditation for a period")),
            *((str(e.pk), f"{e.starts_at:%Y-%m-%d} {e.title}") for e in events),
        ]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "row g-2 align-items-end mb-3"
        self.helper.field_class = "col-auto"
        self.helper.layout = Layout(
            Div(Field("event", css_class="form-select"), css_class="col-auto"),
            Div(Field("status", css_class="form-select"), css_class="col-auto"),
            Div(_button("", _("Filter"), "btn-secondary"), css_class="col-auto"),
        )


class AccreditationReasonForm(forms.Form):
    """The reason for a rejection or a revocation; the journalist reads it."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, action: str = "", button: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.form_action = action
        self.helper.layout = Layout(
            "reason", _button("decide", button or _("Save"), "btn-outline-danger")
        )
