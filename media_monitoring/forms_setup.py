"""Forms of the monitoring set-up pages: sources, topics and one's subscriptions."""

from urllib.parse import urlsplit

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from media_monitoring import selectors
from media_monitoring.models import Source, Topic
from media_monitoring.services import SOURCE_FIELDS, TOPIC_FIELDS

# A shorter interval would hammer an outlet's server for little gain.
MIN_INTERVAL_MINUTES = 5
MAX_INTERVAL_MINUTES = 7 * 24 * 60


def _helper(layout: Layout) -> FormHelper:
    """Fields only: the page template writes the <form> tag and its buttons."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = layout
    return helper


class SourceForm(forms.ModelForm):
    """Add or change a feed or a page to watch."""

    url = forms.URLField(
        label=_("Address"),
        max_length=1000,
        assume_scheme="https",
        help_text=_(
            "The address of the RSS or Atom feed, or of the page that lists "
            "the articles. Only http and https addresses are pulled."
        ),
    )
    interval_minutes = forms.IntegerField(
        label=_("Pull every (minutes)"),
        min_value=MIN_INTERVAL_MINUTES,
        max_value=MAX_INTERVAL_MINUTES,
        initial=30,
    )

    class Meta:
        model = Source
        fields = [*SOURCE_FIELDS, "enabled"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        outlet = self.fields["outlet"]
        outlet.queryset = selectors.media_outlets()
        outlet.required = False
        outlet.empty_label = _("— no outlet —")
        outlet.help_text = _("The media outlet in contacts that publishes this source.")
        self.fields["enabled"].help_text = _(
            "A disabled source is not pulled; its items stay."
        )
        self.helper = _helper(
            Layout(
                Div(
                    Div("name", css_class="col-md-6"),
                    Div("kind", css_class="col-md-6"),
                    css_class="row",
                ),
                "url",
                Div(
                    Div("outlet", css_class="col-md-6"),
                    Div("language", css_class="col-md-3"),
                    Div("interval_minutes", css_class="col-md-3"),
                    css_class="row",
                ),
                "enabled",
            )
        )

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise forms.ValidationError(
                _("Give an address that starts with http:// or https://.")
            )
        return url

    def source_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class TopicForm(forms.ModelForm):
    """Add or change a topic: what to look for, in which language, how urgent."""

    class Meta:
        model = Topic
        fields = list(TOPIC_FIELDS)
        widgets = {
            "include_terms": forms.Textarea(attrs={"rows": 6}),
            "exclude_terms": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["include_terms"].help_text = _(
            "One term per line. Capital and small letters are the same, and a "
            "term in Latin letters also finds Georgian and Armenian text. End a "
            "term with * to find every ending of a word: დამცველ* finds "
            "დამცველი, დამცველის and დამცველმა."
        )
        self.fields["language"].help_text = _(
            "Only items in this language are matched; leave “any language” to "
            "match them all."
        )
        self.fields["active"].help_text = _(
            "An inactive topic matches no new items and cannot be followed."
        )
        self.helper = _helper(
            Layout(
                Div(
                    Div("name", css_class="col-md-6"),
                    Div("language", css_class="col-md-3"),
                    Div("priority", css_class="col-md-3"),
                    css_class="row",
                ),
                Fieldset(
                    _("Terms"),
                    Div(
                        Div("include_terms", css_class="col-md-7"),
                        Div("exclude_terms", css_class="col-md-5"),
                        css_class="row",
                    ),
                ),
                "active",
            )
        )

    def clean(self):
        data = super().clean()
        # The service checks the same; checking here lets "Preview" say it too.
        includes = Topic.terms_of(data.get("include_terms", ""))
        excludes = Topic.terms_of(data.get("exclude_terms", ""))
        if "include_terms" in data and not includes:
            self.add_error("include_terms", _("Give at least one term to look for."))
        for name, terms in (("include_terms", includes), ("exclude_terms", excludes)):
            if any(not term.rstrip("*").strip() for term in terms):
                self.add_error(name, _("A term cannot be only an asterisk."))
        return data

    def topic_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def unsaved_topic(self) -> Topic:
        """The topic as typed, never saved: what "Preview" matches against."""
        return Topic(**self.topic_data())


class TopicChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        if obj.priority == Topic.Priority.HIGH:
            return _("%(topic)s — alerts at once") % {"topic": obj.name}
        return obj.name


class SubscriptionsForm(forms.Form):
    """The active topics a person follows in the daily digest (and alerts)."""

    topics = TopicChoiceField(
        queryset=Topic.objects.none(),
        required=False,
        label=_("Topics I follow"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = Topic.objects.filter(active=True).order_by(
            "name", "pk"
        )
        self.helper = _helper(Layout("topics"))

    @property
    def has_topics(self) -> bool:
        return self.fields["topics"].queryset.exists()
