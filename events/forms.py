"""Forms of event planning: the event, its checklist, agenda, minutes, outcome."""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django_prose_editor.widgets import ProseEditorWidget

from contacts.models import Person
from events import selectors
from events.models import (
    AgendaItem,
    ChecklistTask,
    Event,
    EventType,
    FollowUp,
    Venue,
)
from prapp.forms import RICH_TEXT_EDITOR, GridFormMixin

LOCAL_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


class LocalDateTimeField(forms.DateTimeField):
    """A date and time typed in the deployment's time zone (datetime-local box)."""

    widget = forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
    )
    input_formats = LOCAL_INPUT_FORMATS


class DateBox(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _staff_field(label, required=False):
    return forms.ModelChoiceField(
        queryset=selectors.staff_users(), label=label, required=required
    )


class PeopleAddField(forms.CharField):
    """People typed by name in any script, with server suggestions (events.js).

    A select of every contact would render 100,000 options; this box takes one
    name, or "Name (#id)" as the suggestions fill it in.
    """

    _ID = re.compile(r"\(#(\d+)\)\s*$")

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "autocomplete": "off",
                    "data-person-lookup": reverse_lazy("events:person_suggest"),
                    "placeholder": _("Type a name in any script"),
                }
            ),
        )
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        match = self._ID.search(text)
        if match:
            found = Person.objects.filter(pk=int(match.group(1))).first()
            if found is None:
                raise ValidationError(_("This person no longer exists."))
            return found
        matches = selectors.person_suggestions(text, limit=2)
        if not matches:
            raise ValidationError(
                _("Nobody in contacts is called “%(name)s”."), params={"name": text}
            )
        if len(matches) > 1:
            raise ValidationError(
                _("Several people match “%(name)s”: pick one from the suggestions."),
                params={"name": text},
            )
        return Person.objects.get(pk=matches[0]["id"])


class EventForm(forms.ModelForm):
    """Plan or edit an event; a new venue can be typed in without leaving the form."""

    starts_at = LocalDateTimeField(label=_("Starts"))
    ends_at = LocalDateTimeField(label=_("Ends"))
    key_participants = forms.ModelMultipleChoiceField(
        queryset=Person.objects.all(),
        required=False,
        label=_("Key participants"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick a person to remove them."),
    )
    online_url = forms.URLField(
        label=_("Online link"), required=False, assume_scheme="https"
    )
    add_participant = PeopleAddField(label=_("Add a key participant"))
    new_venue_name = forms.CharField(
        label=_("Or a new venue: name"), required=False, max_length=200
    )
    new_venue_address = forms.CharField(
        label=_("New venue: address"), required=False, max_length=300
    )
    new_venue_capacity = forms.IntegerField(
        label=_("New venue: capacity"), required=False, min_value=1
    )

    class Meta:
        model = Event
        fields = [
            "event_type",
            "title_ka",
            "title_hy",
            "title_en",
            "description_ka",
            "description_hy",
            "description_en",
            "status",
            "starts_at",
            "ends_at",
            "venue",
            "online_url",
            "responsible",
            "unit",
        ]
        labels = {
            "title_ka": _("Title (Georgian)"),
            "title_hy": _("Title (Armenian)"),
            "title_en": _("Title (English)"),
            "description_ka": _("Description (Georgian)"),
            "description_hy": _("Description (Armenian)"),
            "description_en": _("Description (English)"),
        }
        widgets = {
            "description_ka": forms.Textarea(attrs={"rows": 3}),
            "description_hy": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event_type"].queryset = EventType.objects.order_by(
            "position", "name"
        )
        self.fields["responsible"].queryset = selectors.staff_users()
        # Only the people already chosen are rendered, never the whole table.
        chosen = self._chosen_people()
        self.fields["key_participants"].choices = [(p.pk, str(p)) for p in chosen]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Div(
                Div("event_type", css_class="col-md-4"),
                Div("status", css_class="col-md-4"),
                css_class="row",
            ),
            Fieldset(
                _("Title and description"),
                Div(
                    Div("title_ka", "description_ka", css_class="col-md-4"),
                    Div("title_hy", "description_hy", css_class="col-md-4"),
                    Div("title_en", "description_en", css_class="col-md-4"),
                    css_class="row",
                ),
            ),
            Fieldset(
                _("When and where"),
                Div(
                    Div("starts_at", css_class="col-md-3"),
                    Div("ends_at", css_class="col-md-3"),
                    Div("venue", css_class="col-md-3"),
                    Div("online_url", css_class="col-md-3"),
                    css_class="row",
                ),
                Div(
                    Div("new_venue_name", css_class="col-md-4"),
                    Div("new_venue_address", css_class="col-md-5"),
                    Div("new_venue_capacity", css_class="col-md-3"),
                    css_class="row",
                ),
            ),
            Fieldset(
                _("People"),
                Div(
                    Div("responsible", css_class="col-md-4"),
                    Div("unit", css_class="col-md-4"),
                    css_class="row",
                ),
                "key_participants",
                "add_participant",
            ),
        )

    def _chosen_people(self):
        if self.is_bound:
            ids = [
                int(v)
                for v in self.data.getlist(self.add_prefix("key_participants"))
                if str(v).isdigit()
            ]
            return Person.objects.filter(pk__in=ids).order_by("last_name", "pk")
        if self.instance.pk:
            return self.instance.key_participants.order_by("last_name", "pk")
        return Person.objects.none()

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The event must end after it starts."))
        if not any(data.get(f"title_{lang}") for lang in ("ka", "hy", "en")):
            self.add_error("title_ka", _("Give the event's title in one language."))
        return data

    def participants(self) -> list[Person]:
        people = list(self.cleaned_data.get("key_participants") or [])
        extra = self.cleaned_data.get("add_participant")
        if extra is not None and extra not in people:
            people.append(extra)
        return people

    def new_venue(self) -> dict | None:
        name = self.cleaned_data.get("new_venue_name")
        if not name:
            return None
        return {
            "name": name,
            "address": self.cleaned_data.get("new_venue_address") or "",
            "capacity": self.cleaned_data.get("new_venue_capacity"),
        }

    def event_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class EventFilterForm(GridFormMixin, forms.Form):
    """The filter bar of the calendar views (no crispy: see GridFormMixin)."""

    grid = {"q": 4, "type": 2, "status": 2, "responsible": 2, "venue": 2}

    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Title in any script")}),
    )
    type = forms.ModelChoiceField(
        queryset=EventType.objects.order_by("position", "name"),
        label=_("Type"),
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", "---------"), *Event.Status.choices],
    )
    responsible = forms.ModelChoiceField(
        queryset=selectors.staff_users(), label=_("Responsible"), required=False
    )
    venue = forms.ModelChoiceField(
        queryset=Venue.objects.order_by("name"), label=_("Venue"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def criteria(self) -> dict:
        """The filters as plain values (ids), for the selector and for links."""
        if not self.is_valid():
            return {}
        criteria = {}
        for name, value in self.cleaned_data.items():
            if value in (None, ""):
                continue
            criteria[name] = str(getattr(value, "pk", value))
        return criteria


class TaskForm(forms.ModelForm):
    """Add or edit a checklist task."""

    class Meta:
        model = ChecklistTask
        fields = ["title", "assignee", "due_on", "state"]
        widgets = {"due_on": DateBox()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = selectors.staff_users()
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))


class TaskQuickForm(GridFormMixin, TaskForm):
    """The one-line "add a task" row under the checklist (no crispy)."""

    grid = {"title": 5, "assignee": 3, "due_on": 2, "state": 2}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].widget = forms.HiddenInput()
        self.fields["state"].initial = ChecklistTask.State.OPEN
        self.fields["state"].required = False
        self.style_widgets()

    def clean_state(self):
        return self.cleaned_data.get("state") or ChecklistTask.State.OPEN


class AgendaItemForm(forms.ModelForm):
    """An agenda item and the decision taken on it."""

    class Meta:
        model = AgendaItem
        fields = ["title", "decision"]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "decision": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))


class MinutesForm(forms.Form):
    """The minutes of a session or hearing, in the browser's rich-text editor."""

    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        widget=ProseEditorWidget(config=RICH_TEXT_EDITOR),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # The view renders the editor's media itself, with the CSP nonce.
        self.helper.include_media = False
        self.helper.add_input(Submit("save", _("Save the minutes")))


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("upload", _("Attach")))


class FollowUpForm(forms.ModelForm):
    """A follow-up instruction for a unit or a person, by a date."""

    class Meta:
        model = FollowUp
        fields = ["instruction", "agenda_item", "assignee", "unit", "due_on"]
        widgets = {
            "instruction": forms.Textarea(attrs={"rows": 2}),
            "due_on": DateBox(),
        }

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = selectors.staff_users()
        agenda = event.agenda.all() if event is not None else AgendaItem.objects.none()
        self.fields["agenda_item"].queryset = agenda
        if event is None or not event.event_type.has_agenda:
            del self.fields["agenda_item"]
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Add the instruction")))

    def clean(self):
        data = super().clean()
        if not (data.get("assignee") or data.get("unit")):
            self.add_error("assignee", _("Name the person or the unit responsible."))
        return data


class OutcomeForm(forms.ModelForm):
    """After the event: what came of it."""

    effectiveness = forms.TypedChoiceField(
        label=_("Effectiveness"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "---------"), *((n, str(n)) for n in range(1, 6))],
    )
    mark_held = forms.BooleanField(label=_("Mark the event as held"), required=False)

    class Meta:
        model = Event
        fields = ["outcome", "people_received", "effectiveness", "effectiveness_notes"]
        widgets = {
            "outcome": forms.Textarea(attrs={"rows": 4}),
            "effectiveness_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.event_type.counts_visitors:
            del self.fields["people_received"]
        if self.instance.status == Event.Status.HELD:
            del self.fields["mark_held"]
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))
