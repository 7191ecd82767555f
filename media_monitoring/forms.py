"""Forms of the inbox: filters, bulk triage, one item's triage, notes, log, share."""

from datetime import timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from events.forms import DateBox, LocalDateTimeField
from events.models import Event
from media_monitoring import selectors
from media_monitoring.models import LANGUAGE_CHOICES, Item
from prapp.forms import GridFormMixin
from prapp.forms import IdListField as BaseIdListField
from prapp.text import safe_capfirst
from pressreleases.models import PressRelease

# Releases and events an item is usually about: the recent ones.
RELEASES_BACK = timedelta(days=180)
EVENTS_BACK = timedelta(days=120)
EVENTS_AHEAD = timedelta(days=60)
SHARE_MESSAGE_MAX = 2000
NO_CHANGE = ""
CLEAR = "none"


def _helper(*fields, submit: str, name: str, layout=None) -> FormHelper:
    """Fields, the CSRF token and a button: the page writes the <form> tag.

    Several of these forms share the item page: ``name`` keeps their button ids
    apart, as each form's ``auto_id`` keeps its field ids apart.
    """
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = layout or Layout(*fields)
    helper.add_input(Submit(name, submit))
    return helper


def _choices(choices) -> list[tuple[str, str]]:
    """Model choices with a first letter that is safe for Georgian."""
    return [(value, safe_capfirst(str(label))) for value, label in choices]


def _person(user) -> str:
    return user.get_full_name() or user.username


class IdListField(BaseIdListField):
    """The primary keys of the rows ticked in a list (many inputs, one name)."""

    default_error_messages = {"invalid": _("Choose items from the list.")}


# --- The inbox ----------------------------------------------------------------


class InboxFilterForm(GridFormMixin, forms.Form):
    """The inbox's filter bar (GET). No crispy: see prapp.forms.GridFormMixin."""

    grid = {"q": 4, "status": 2, "topic": 2, "source": 2, "outlet": 2}

    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("Words in any script"), "type": "search"}
        ),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    source = forms.ChoiceField(label=_("Source"), required=False)
    outlet = forms.ChoiceField(label=_("Outlet"), required=False)
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    sentiment = forms.ChoiceField(label=_("Sentiment"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    date_from = forms.DateField(
        label=_("Date from"),
        required=False,
        widget=DateBox(),
    )
    date_to = forms.DateField(
        label=_("Date to"),
        required=False,
        widget=DateBox(),
    )
    misinformation = forms.BooleanField(label=_("Misinformation only"), required=False)
    overdue = forms.BooleanField(label=_("Overdue responses only"), required=False)

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["status"].choices = [
            (NO_CHANGE, _("Open (not irrelevant or archived)")),
            (selectors.STATUS_ALL, _("Any status")),
            *_choices(Item.Status.choices),
        ]
        fields["topic"].choices = [
            ("", _("Any topic")),
            *((str(t.pk), str(t)) for t in selectors.filter_topics()),
        ]
        fields["source"].choices = [
            ("", _("Any source")),
            *((str(s.pk), str(s)) for s in selectors.filter_sources()),
        ]
        fields["outlet"].choices = [
            ("", _("Any outlet")),
            *((str(o.pk), str(o)) for o in selectors.filter_outlets()),
        ]
        fields["assignee"].choices = [
            ("", _("Anyone or nobody")),
            (selectors.ASSIGNEE_ME, _("Me")),
            (selectors.ASSIGNEE_NOBODY, _("Nobody")),
            *((str(user.pk), _person(user)) for user in staff),
        ]
        fields["sentiment"].choices = [
            ("", _("Any sentiment")),
            *_choices(Item.Sentiment.choices),
        ]
        fields["kind"].choices = [("", _("Any kind")), *_choices(Item.Kind.choices)]
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


class BulkForm(GridFormMixin, forms.Form):
    """Set status, sentiment or assignee of the ticked items (no crispy)."""

    grid = {"status": 4, "sentiment": 4, "assignee": 4}

    items = IdListField(required=False)
    status = forms.ChoiceField(label=_("Set status"), required=False)
    sentiment = forms.ChoiceField(label=_("Set sentiment"), required=False)
    assignee = forms.ChoiceField(label=_("Assign to"), required=False)

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = {str(user.pk): user for user in staff}
        no_change = (NO_CHANGE, _("— no change —"))
        self.fields["status"].choices = [no_change, *_choices(Item.Status.choices)]
        self.fields["sentiment"].choices = [
            no_change,
            (CLEAR, _("Not set")),
            *_choices(Item.Sentiment.choices),
        ]
        self.fields["assignee"].choices = [
            no_change,
            (CLEAR, _("Nobody")),
            *((pk, _person(user)) for pk, user in self.staff.items()),
        ]
        self.style_widgets()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("items"):
            raise ValidationError(_("Tick at least one item in the list."))
        if not any(cleaned.get(name) for name in ("status", "sentiment", "assignee")):
            raise ValidationError(_("Choose what to change."))
        return cleaned

    def changes(self) -> dict:
        """The data for services.items_bulk_update: only what was chosen."""
        data = {}
        cleaned = self.cleaned_data
        if cleaned.get("status"):
            data["status"] = cleaned["status"]
        if sentiment := cleaned.get("sentiment"):
            data["sentiment"] = "" if sentiment == CLEAR else sentiment
        if assignee := cleaned.get("assignee"):
            data["assignee"] = None if assignee == CLEAR else self.staff[assignee]
        return data


# --- One item -----------------------------------------------------------------


class ItemTriageForm(forms.Form):
    """Status, sentiment, assignee, flag, links and topics of one item."""

    status = forms.ChoiceField(label=_("Status"))
    sentiment = forms.ChoiceField(label=_("Sentiment"), required=False)
    assignee = forms.ModelChoiceField(
        queryset=selectors.monitoring_staff(),
        label=_("Assigned to"),
        required=False,
        empty_label=_("— nobody —"),
    )
    misinformation = forms.BooleanField(
        label=_("Misinformation — official response needed"), required=False
    )
    release = forms.ModelChoiceField(
        queryset=PressRelease.objects.none(),
        label=_("Related press release"),
        required=False,
        empty_label=_("— none —"),
    )
    event = forms.ModelChoiceField(
        queryset=Event.objects.none(),
        label=_("Related event"),
        required=False,
        empty_label=_("— none —"),
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=selectors.filter_topics(),
        label=_("Topics"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("File the item under a topic by hand, or take it out of one."),
    )

    def __init__(self, *args, item: Item, **kwargs):
        kwargs.setdefault("auto_id", "triage_%s")
        kwargs.setdefault(
            "initial",
            {
                "status": item.status,
                "sentiment": item.sentiment,
                "assignee": item.assignee_id,
                "misinformation": item.misinformation,
                "release": item.release_id,
                "event": item.event_id,
                "topics": [match.topic_id for match in item.matches.all()],
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = _choices(Item.Status.choices)
        self.fields["sentiment"].choices = [
            ("", _("— not set —")),
            *_choices(Item.Sentiment.choices),
        ]
        self.fields["assignee"].queryset = selectors.monitoring_staff()
        self.fields["assignee"].label_from_instance = _person
        self.fields["topics"].queryset = selectors.filter_topics()
        now = timezone.now()
        releases = Q(created_at__gte=now - RELEASES_BACK)
        if item.release_id:
            releases |= Q(pk=item.release_id)
        self.fields["release"].queryset = PressRelease.objects.filter(
            releases
        ).order_by("-created_at", "-pk")
        events = Q(starts_at__gte=now - EVENTS_BACK, starts_at__lte=now + EVENTS_AHEAD)
        if item.event_id:
            events |= Q(pk=item.event_id)
        self.fields["event"].queryset = Event.objects.filter(events).order_by(
            "-starts_at", "-pk"
        )
        self.fields["event"].label_from_instance = self._event_label
        self.helper = _helper(
            submit=_("Save"),
            name="save_triage",
            layout=Layout(
                Div(
                    Div("status", css_class="col-md-4"),
                    Div("sentiment", css_class="col-md-4"),
                    Div("assignee", css_class="col-md-4"),
                    css_class="row",
                ),
                "misinformation",
                Div(
                    Div("release", css_class="col-md-6"),
                    Div("event", css_class="col-md-6"),
                    css_class="row",
                ),
                "topics",
            ),
        )

    @staticmethod
    def _event_label(event) -> str:
        local = timezone.localtime(event.starts_at)
        return f"{formats.date_format(local, 'SHORT_DATE_FORMAT')} — {event}"


class NoteForm(forms.Form):
    """A colleague's note on an item."""

    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "note_%s")
        super().__init__(*args, **kwargs)
        self.helper = _helper("text", submit=_("Add the note"), name="save_note")


class ResponseForm(forms.Form):
    """The office's answer to a message or to misinformation."""

    text = forms.CharField(
        label=_("Response"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        help_text=_("What the office answered, and where."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "response_%s")
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            "text", submit=_("Record the response"), name="save_response"
        )


class ShareForm(forms.Form):
    """Send an item to colleagues by internal email."""

    recipients = forms.ModelMultipleChoiceField(
        queryset=selectors.monitoring_staff(),
        label=_("Colleagues"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=SHARE_MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, actor, **kwargs):
        kwargs.setdefault("auto_id", "share_%s")
        super().__init__(*args, **kwargs)
        recipients = self.fields["recipients"]
        recipients.queryset = (
            selectors.monitoring_staff().exclude(pk=actor.pk).exclude(email="")
        )
        recipients.label_from_instance = _person
        self.helper = _helper(
            "recipients", "message", submit=_("Send"), name="send_share"
        )


class ItemLogForm(forms.Form):
    """A mention on TV, radio or in print, or a citizen's message, logged by hand."""

    kind = forms.ChoiceField(label=_("Kind"))
    title = forms.CharField(
        label=_("Title"),
        max_length=500,
        required=False,
        help_text=_("For a citizen's message, leave empty: its first words are used."),
    )
    summary = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What was said or written, or a summary of it."),
    )
    channel = forms.ChoiceField(
        label=_("Social network"),
        required=False,
    )
    author = forms.CharField(label=_("Author"), max_length=200, required=False)
    url = forms.URLField(
        label=_("Link"), max_length=1000, required=False, assume_scheme="https"
    )
    programme = forms.CharField(
        label=_("Programme or edition"), max_length=200, required=False
    )
    outlet = forms.ModelChoiceField(
        queryset=selectors.media_outlets(),
        label=_("Outlet"),
        required=False,
        empty_label=_("— no outlet —"),
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=LANGUAGE_CHOICES
    )
    published_at = LocalDateTimeField(
        label=_("Published or broadcast at"), required=False
    )
    response_due_at = LocalDateTimeField(
        label=_("Answer due"),
        required=False,
        help_text=_(
            "Local time. A citizen's message left empty here is due within "
            "%(hours)s hours."
        ),
    )

    def __init__(self, *args, response_hours: int = 24, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = _choices(
            (kind.value, kind.label) for kind in Item.MANUAL_KINDS
        )
        self.fields["channel"].choices = [
            ("", _("— not a social network —")),
            *_choices(Item.Channel.choices),
        ]
        self.fields["outlet"].queryset = selectors.media_outlets()
        self.fields["response_due_at"].help_text = self.fields[
            "response_due_at"
        ].help_text % {"hours": response_hours}
        self.helper = _helper(
            submit=_("Log the mention"),
            name="save_item",
            layout=Layout(
                Div(
                    Div("kind", css_class="col-md-4"),
                    Div("channel", css_class="col-md-4"),
                    Div("language", css_class="col-md-4"),
                    css_class="row",
                ),
                "title",
                "summary",
                Div(
                    Div("author", css_class="col-md-6"),
                    Div("url", css_class="col-md-6"),
                    css_class="row",
                ),
                Div(
                    Div("outlet", css_class="col-md-6"),
                    Div("programme", css_class="col-md-6"),
                    css_class="row",
                ),
                Div(
                    Div("published_at", css_class="col-md-6"),
                    Div("response_due_at", css_class="col-md-6"),
                    css_class="row",
                ),
            ),
        )

    def clean(self):
        cleaned = super().clean()
        if (
            not (cleaned.get("title") or "").strip()
            and not (cleaned.get("summary") or "").strip()
        ):
            raise ValidationError(_("Give a title or the text of the mention."))
        return cleaned
