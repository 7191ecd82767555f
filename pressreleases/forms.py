"""Forms of the press releases staff pages: writing, filing, reviewing, sending."""

from datetime import timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django_prose_editor.widgets import ProseEditorWidget

from archive.models import Asset
from contacts.models import ContactGroup, ContactList, Person
from events.forms import LocalDateTimeField, PeopleAddField
from events.models import Event
from prapp.forms import RICH_TEXT_EDITOR, GridFormMixin, IdListField
from prapp.html import sanitize
from prapp.text import safe_capfirst
from pressreleases.models import PressRelease, Tag
from pressreleases.services import OTHER_FIELDS, TRANSLATED_FIELDS

# Events a release is usually about: the recent past and what is coming.
EVENTS_BACK = timedelta(days=120)
EVENTS_AHEAD = timedelta(days=365)

LANGUAGE_NAMES = {
    "ka": _("Georgian"),
    "hy": _("Armenian"),
    "en": _("English"),
}
LANGUAGE_LEGENDS = {
    "ka": _("Georgian version"),
    "hy": _("Armenian version"),
    "en": _("English version"),
}
FIELD_LABELS = {
    "title": {"ka": _("Title (Georgian)"), "hy": _("Title (Armenian)"),
              "en": _("Title (English)")},
    "lead": {"ka": _("Lead (Georgian)"), "hy": _("Lead (Armenian)"),
             "en": _("Lead (English)")},
    "body": {"ka": _("Text (Georgian)"), "hy": _("Text (Armenian)"),
             "en": _("Text (English)")},
}  # fmt: skip


class Button(Submit):
    """A crispy submit button whose colour is chosen, not always btn-primary."""

    field_classes = "btn"


def _person_text(person) -> str:
    """How PeopleAddField shows a chosen person, so that it resolves back."""
    return f"{person} (#{person.pk})" if person is not None else ""


# --- The list ------------------------------------------------------------------


class ReleaseFilterForm(GridFormMixin, forms.Form):
    """The filter bar of the release list (no crispy: see GridFormMixin)."""

    grid = {"q": 4, "status": 3, "tag": 3, "mine": 2}

    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Words in any script")}),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    tag = forms.ModelChoiceField(
        queryset=Tag.objects.order_by("name"), label=_("Tag"), required=False
    )
    mine = forms.BooleanField(label=_("Only mine"), required=False)

    def __init__(self, *args, counts: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        counts = counts or {}

        def label(value, text):
            text = safe_capfirst(str(text))
            return f"{text} ({counts[value]})" if value in counts else text

        self.fields["status"].choices = [
            ("", _("Any status")),
            ("to_review", _("Waiting for review")),
            *(
                (value, label(value, text))
                for value, text in PressRelease.Status.choices
            ),
        ]
        self.style_widgets()

    def criteria(self) -> dict:
        """The filters as plain values, for the selector and for links."""
        if not self.is_valid():
            return {}
        criteria = {}
        for name, value in self.cleaned_data.items():
            if value in (None, "", False):
                continue
            criteria[name] = "1" if value is True else str(getattr(value, "pk", value))
        return criteria


# --- Writing -------------------------------------------------------------------


class ReleaseForm(forms.Form):
    """A release's three language versions and its facts, on one page."""

    contact_person = PeopleAddField(
        label=_("Contact person"),
        help_text=_("Journalists with questions are told to call this person."),
    )
    tags = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.order_by("name"),
        label=_("Tags"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    event = forms.ModelChoiceField(
        queryset=Event.objects.none(), label=_("Related event"), required=False
    )
    embargo_until = LocalDateTimeField(
        label=_("Embargoed until"),
        required=False,
        help_text=_(
            "Local time. Nothing is public before it; only contacts marked for "
            "embargoed releases may receive it earlier."
        ),
    )

    def __init__(self, *args, release: PressRelease | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.release = release
        for code, _name in settings.LANGUAGES:
            self.fields[f"title_{code}"] = forms.CharField(
                label=FIELD_LABELS["title"][code],
                required=False,
                max_length=300,
                widget=forms.TextInput(attrs={"lang": code}),
            )
            self.fields[f"lead_{code}"] = forms.CharField(
                label=FIELD_LABELS["lead"][code],
                required=False,
                widget=forms.Textarea(attrs={"rows": 3, "lang": code}),
            )
            self.fields[f"body_{code}"] = forms.CharField(
                label=FIELD_LABELS["body"][code],
                required=False,
                widget=ProseEditorWidget(config=RICH_TEXT_EDITOR, attrs={"lang": code}),
            )
        now = timezone.now()
        events = Q(starts_at__gte=now - EVENTS_BACK, starts_at__lte=now + EVENTS_AHEAD)
        if release is not None and release.event_id:
            events |= Q(pk=release.event_id)
        self.fields["event"].queryset = Event.objects.filter(events).order_by(
            "starts_at", "pk"
        )
        self.fields["event"].label_from_instance = self._event_label
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        # The view renders the editor's media itself, with the CSP nonce.
        self.helper.include_media = False
        self.helper.layout = Layout(
            *(
                Fieldset(
                    LANGUAGE_LEGENDS[code],
                    f"title_{code}",
                    f"lead_{code}",
                    f"body_{code}",
                    css_class=f"release-language release-language-{code}",
                )
                for code, _name in settings.LANGUAGES
            ),
            Fieldset(
                _("About the release"),
                Div(
                    Div("contact_person", css_class="col-md-6"),
                    Div("embargo_until", css_class="col-md-6"),
                    css_class="row",
                ),
                "event",
                "tags",
            ),
        )

    @staticmethod
    def _event_label(event) -> str:
        local = timezone.localtime(event.starts_at)
        return f"{formats.date_format(local, 'SHORT_DATE_FORMAT')} — {event}"

    @staticmethod
    def initial_for(release: PressRelease) -> dict:
        """The form's starting values for an existing release."""
        initial = {name: getattr(release, name) or "" for name in TRANSLATED_FIELDS}
        for code, _name in settings.LANGUAGES:
            initial[f"body_{code}"] = sanitize(initial.get(f"body_{code}", ""))
        initial.update(
            contact_person=_person_text(release.contact_person),
            event=release.event_id,
            embargo_until=release.embargo_until,
            tags=list(release.tags.all()) if release.pk else [],
        )
        return initial

    def clean(self):
        data = super().clean()
        if not any(
            (data.get(f"title_{c}") or "").strip() for c, _n in settings.LANGUAGES
        ):
            self.add_error(
                "title_ka", _("Give the release a title in at least one language.")
            )
        return data

    def release_data(self) -> dict:
        """What services.release_create / release_update take as ``data``."""
        data = {name: self.cleaned_data.get(name) or "" for name in TRANSLATED_FIELDS}
        for name in OTHER_FIELDS:
            data[name] = self.cleaned_data.get(name)
        return data

    def chosen_tags(self) -> list[Tag]:
        return list(self.cleaned_data.get("tags") or [])


# --- The release page ------------------------------------------------------------


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Add the comment")))


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should change"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(
            Button("return", _("Return to the author"), css_class="btn-warning")
        )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawal"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(
            Button("withdraw", _("Withdraw the release"), css_class="btn-danger")
        )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    public = forms.BooleanField(
        label=_("Show on the newsroom"), required=False, initial=True
    )
    attach_to_email = forms.BooleanField(label=_("Attach to the email"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("upload", _("Attach")))


# --- Photos from the archive ------------------------------------------------------

# Tiles on one page of the archive picker, and the most photos attached at once.
ARCHIVE_PICK_PAGE_SIZE = 24


class ArchiveSearchForm(GridFormMixin, forms.Form):
    """The search box of the archive picker (no crispy: see GridFormMixin)."""

    grid = {"q": 8}

    q = forms.CharField(
        label=_("Search the archive"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("Words in any script")}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def criteria(self) -> dict:
        """The search as the archive's grid filters take it (and for links)."""
        if not self.is_valid() or not self.cleaned_data["q"].strip():
            return {}
        return {"q": self.cleaned_data["q"].strip()}


class PhotoIdsField(IdListField):
    """The photos ticked on the archive picker (many inputs, one name)."""

    default_error_messages = {"invalid": _("Choose photos from the list.")}


class ArchivePickForm(forms.Form):
    """The archive photos ticked for a release: at most one page of them.

    Cleans to the photos, in the order they were ticked; whether each may go to
    the press is the archive's press copy service's to say.
    """

    assets = PhotoIdsField(required=False)

    def clean_assets(self) -> list[Asset]:
        ids = list(dict.fromkeys(self.cleaned_data["assets"]))
        if not ids:
            raise forms.ValidationError(_("Tick at least one photo."))
        if len(ids) > ARCHIVE_PICK_PAGE_SIZE:
            raise forms.ValidationError(
                ngettext_lazy(
                    "Tick at most %(count)d photo at a time.",
                    "Tick at most %(count)d photos at a time.",
                    "count",
                ),
                params={"count": ARCHIVE_PICK_PAGE_SIZE},
            )
        found = Asset.objects.filter(kind=Asset.Kind.PHOTO).in_bulk(ids)
        if len(found) != len(ids):
            raise forms.ValidationError(self.fields["assets"].error_messages["invalid"])
        return [found[pk] for pk in ids]


# --- Sending -------------------------------------------------------------------


class SendForm(forms.Form):
    """Who gets a release, and when."""

    NOW, LATER = "now", "later"

    lists = forms.ModelMultipleChoiceField(
        queryset=ContactList.objects.order_by("name"),
        label=_("Contact lists"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Saved filters are evaluated when the release is sent."),
    )
    groups = forms.ModelMultipleChoiceField(
        queryset=ContactGroup.objects.order_by("name"),
        label=_("Thematic groups"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    people = forms.ModelMultipleChoiceField(
        queryset=Person.objects.all(),
        label=_("People"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick a person to leave them out."),
    )
    add_person = PeopleAddField(label=_("Add a person"))
    when = forms.ChoiceField(
        label=_("When"),
        choices=[(NOW, _("Send now")), (LATER, _("Send at a set time"))],
        initial=NOW,
        widget=forms.RadioSelect,
    )
    scheduled_for = LocalDateTimeField(
        label=_("Send at"), required=False, help_text=_("Local time.")
    )
    attach_pdf = forms.BooleanField(
        label=_("Attach the release as PDF"), required=False, initial=True
    )
    publish = forms.BooleanField(
        label=_("Also publish it on the newsroom"),
        required=False,
        help_text=_("It appears there when the embargo lifts, not before."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the people already chosen are rendered, never the whole table.
        self.fields["people"].choices = [(p.pk, str(p)) for p in self._chosen_people()]
        self.fields["lists"].label_from_instance = self._list_label
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(_("Recipients"), "lists", "groups", "people", "add_person"),
            Fieldset(
                _("Sending"),
                "when",
                "scheduled_for",
                "attach_pdf",
                "publish",
            ),
        )

    @staticmethod
    def _list_label(contact_list) -> str:
        if contact_list.kind == ContactList.Kind.SMART:
            return _("%(name)s (saved filter, counted when sent)") % {
                "name": contact_list
            }
        return str(contact_list)

    def _chosen_people(self):
        if self.is_bound:
            ids = [
                int(v)
                for v in self.data.getlist(self.add_prefix("people"))
                if str(v).isdigit()
            ]
            return Person.objects.filter(pk__in=ids).order_by("last_name", "pk")
        return Person.objects.none()

    def clean(self):
        data = super().clean()
        if not (data.get("lists") or data.get("groups") or self.chosen_people()):
            raise forms.ValidationError(_("Choose at least one list, group or person."))
        if data.get("when") == self.LATER:
            at = data.get("scheduled_for")
            if at is None:
                self.add_error("scheduled_for", _("Give the time to send it at."))
            elif at <= timezone.now():
                self.add_error("scheduled_for", _("This time has already passed."))
        return data

    def chosen_people(self) -> list[Person]:
        people = list(self.cleaned_data.get("people") or [])
        extra = self.cleaned_data.get("add_person")
        if extra is not None and extra not in people:
            people.append(extra)
        return people

    def audience(self) -> dict:
        """The chosen lists, groups and people, as the services take them."""
        return {
            "lists": list(self.cleaned_data.get("lists") or []),
            "groups": list(self.cleaned_data.get("groups") or []),
            "people": self.chosen_people(),
        }

    def send_at(self):
        if self.cleaned_data.get("when") == self.LATER:
            return self.cleaned_data.get("scheduled_for")
        return None
