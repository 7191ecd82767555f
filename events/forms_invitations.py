"""Forms of the invitations area: choosing invitees, staff-recorded answers, feeds."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from contacts.models import ContactGroup, ContactList, Person
from events.invitations import STAFF_CHANNELS
from events.models import CalendarFeed, Invitation


class InviteForm(forms.Form):
    """Lists, thematic groups and people picked by name, and the invitees' role.

    People come as ids from the name search on the page; the whole table of
    people is never put into a select.
    """

    lists = forms.ModelMultipleChoiceField(
        label=_("Contact lists"),
        queryset=ContactList.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    groups = forms.ModelMultipleChoiceField(
        label=_("Thematic groups"),
        queryset=ContactGroup.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    people = forms.ModelMultipleChoiceField(
        label=_("People"),
        queryset=Person.objects.all(),
        required=False,
        widget=forms.MultipleHiddenInput,
    )
    role = forms.ChoiceField(
        label=_("Invited as"),
        choices=Invitation.Role.choices,
        initial=Invitation.Role.GUEST,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        # The people are drawn by the page itself, as checkboxes from the search.
        self.helper.layout = Layout("lists", "groups", "role")

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("lists") or cleaned.get("groups") or cleaned.get("people")):
            raise forms.ValidationError(
                _("Choose at least one list, group or person to invite.")
            )
        return cleaned


class AnswerForm(forms.Form):
    """An answer received by phone, letter, email or in person."""

    response = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            (value, label)
            for value, label in Invitation.Response.choices
            if value != Invitation.Response.NONE
        ],
    )
    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=[
            (value, label)
            for value, label in Invitation.Channel.choices
            if value in STAFF_CHANNELS
        ],
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.form_show_labels = True


class FeedForm(forms.Form):
    """Which events the personal calendar feed holds."""

    scope = forms.ChoiceField(
        label=_("Events in the feed"),
        choices=CalendarFeed.Scope.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))
