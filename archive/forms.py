"""Forms of the archive: grid filters, bulk changes, upload, metadata, albums.

Filter bars use prapp.forms.GridFormMixin (no crispy: cheaper on busy list
pages); editing forms use a crispy FormHelper whose <form> tag the page writes.
Choices that cost a query (events, albums, tags) are passed in by the view, so
that the grid's filter and bulk forms share one list each.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from archive import selectors
from archive.models import Album, Asset, MediaAppearance
from events.forms import DateBox, LocalDateTimeField, PeopleAddField
from events.models import Event
from prapp.forms import GridFormMixin
from prapp.forms import IdListField as BaseIdListField
from prapp.text import safe_capfirst

NO_CHANGE = ""
TAG_SEPARATOR = ","
LANGUAGE_LEGENDS = {
    "ka": _("Georgian"),
    "hy": _("Armenian"),
    "en": _("English"),
}
FIELD_LABELS = {
    "title": {"ka": _("Title (Georgian)"), "hy": _("Title (Armenian)"),
              "en": _("Title (English)")},
    "caption": {"ka": _("Caption (Georgian)"), "hy": _("Caption (Armenian)"),
                "en": _("Caption (English)")},
    "description": {"ka": _("Description (Georgian)"),
                    "hy": _("Description (Armenian)"),
                    "en": _("Description (English)")},
}  # fmt: skip


def _choices(choices) -> list[tuple[str, str]]:
    """Model choices with a first letter that is safe for Georgian."""
    return [(value, safe_capfirst(str(label))) for value, label in choices]


def event_label(event: Event) -> str:
    """ "12.05.2025 — Council session": events are told apart by their day."""
    local = timezone.localtime(event.starts_at)
    return f"{formats.date_format(local, 'SHORT_DATE_FORMAT')} — {event}"


def _helper(layout: Layout) -> FormHelper:
    """Fields only: the page template writes the <form> tag, token and buttons."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = layout
    return helper


def _language_fieldsets(*names: str) -> Div:
    """One fieldset per language, side by side on wide screens."""
    return Div(
        *(
            Fieldset(
                LANGUAGE_LEGENDS[code],
                *(f"{name}_{code}" for name in names),
                css_class="col-lg-4 archive-language",
            )
            for code, _name in settings.LANGUAGES
        ),
        css_class="row",
    )


def _translated_fields(form, name: str, *, textarea: bool, max_length=None) -> None:
    for code, _name in settings.LANGUAGES:
        widget = (
            forms.Textarea(attrs={"rows": 3, "lang": code})
            if textarea
            else forms.TextInput(attrs={"lang": code})
        )
        form.fields[f"{name}_{code}"] = forms.CharField(
            label=FIELD_LABELS[name][code],
            required=False,
            max_length=max_length,
            widget=widget,
        )


def split_tags(text: str) -> list[str]:
    """Tag names typed with commas between them, without blanks or repeats."""
    seen, names = set(), []
    for part in (text or "").split(TAG_SEPARATOR):
        name = " ".join(part.split())[:80]
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


class IdListField(BaseIdListField):
    """The primary keys of the tiles ticked in the grid (many inputs, one name)."""

    default_error_messages = {"invalid": _("Choose assets from the grid.")}


class _ObjectChoiceField(forms.ChoiceField):
    """A choice among objects listed once by the view; cleans to the object."""

    def __init__(self, *, objects=(), label_of=str, empty_label="", **kwargs):
        super().__init__(**kwargs)
        self.set_objects(objects, label_of, empty_label)

    def set_objects(self, objects, label_of=str, empty_label=""):
        self.objects = {str(obj.pk): obj for obj in objects}
        self.choices = [
            ("", empty_label),
            *((pk, label_of(obj)) for pk, obj in self.objects.items()),
        ]

    def clean(self, value):
        value = super().clean(value)
        return self.objects.get(value) if value else None


# --- The grid --------------------------------------------------------------------


class AssetFilterForm(GridFormMixin, forms.Form):
    """The grid's filter bar (GET)."""

    grid = {"q": 4, "kind": 2, "state": 2, "rights": 2, "date_by": 2}

    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("Words in any script"), "type": "search"}
        ),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    rights = forms.ChoiceField(label=_("Usage rights"), required=False)
    date_by = forms.ChoiceField(label=_("The dates are"), required=False)
    date_from = forms.DateField(label=_("Date from"), required=False, widget=DateBox())
    date_to = forms.DateField(label=_("Date to"), required=False, widget=DateBox())
    event = forms.ChoiceField(label=_("Event"), required=False)
    album = forms.ChoiceField(label=_("Album"), required=False)
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    credit = forms.CharField(label=_("Photographer / credit"), required=False)

    def __init__(self, *args, events=(), albums=(), tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["kind"].choices = [("", _("Any kind")), *_choices(Asset.Kind.choices)]
        fields["state"].choices = [
            ("", _("Any state")),
            *_choices(Asset.State.choices),
        ]
        fields["rights"].choices = [
            ("", _("Any rights")),
            *_choices(Asset.Rights.choices),
        ]
        fields["date_by"].choices = [
            (selectors.DATE_UPLOADED, _("the day uploaded")),
            (selectors.DATE_TAKEN, _("the day taken")),
        ]
        fields["event"].choices = [
            ("", _("Any event")),
            *((str(e.pk), event_label(e)) for e in events),
        ]
        fields["album"].choices = [
            ("", _("Any album")),
            *((str(a.pk), str(a)) for a in albums),
        ]
        fields["tag"].choices = [
            ("", _("Any tag")),
            *((str(t.pk), str(t)) for t in tags),
        ]
        self.style_widgets()

    def criteria(self) -> dict:
        """The chosen filters as plain values, for the selector and for links."""
        if not self.is_valid():
            return {}
        criteria = {}
        for name, value in self.cleaned_data.items():
            if value in (None, ""):
                continue
            criteria[name] = (
                value.isoformat() if hasattr(value, "isoformat") else str(value)
            )
        # "Dates are taken" means nothing without a date.
        if not (criteria.get("date_from") or criteria.get("date_to")):
            criteria.pop("date_by", None)
        elif criteria.get("date_by") == selectors.DATE_UPLOADED:
            criteria.pop("date_by")
        return criteria


class AssetBulkForm(GridFormMixin, forms.Form):
    """Change the ticked assets: rights, consent, credit, event, tag, album."""

    grid = {"add_tag": 3, "credit": 3}

    assets = IdListField(required=False)
    rights = forms.ChoiceField(label=_("Set usage rights"), required=False)
    consent = forms.ChoiceField(label=_("Set consent"), required=False)
    credit = forms.CharField(label=_("Set credit"), required=False, max_length=200)
    event = _ObjectChoiceField(label=_("Link to event"), required=False)
    add_tag = forms.CharField(label=_("Add tags"), required=False)
    add_to_album = _ObjectChoiceField(label=_("Add to album"), required=False)
    remove_from_album = _ObjectChoiceField(label=_("Remove from album"), required=False)

    def __init__(self, *args, events=(), albums=(), **kwargs):
        super().__init__(*args, **kwargs)
        no_change = (NO_CHANGE, _("— no change —"))
        fields = self.fields
        fields["rights"].choices = [no_change, *_choices(Asset.Rights.choices)]
        fields["consent"].choices = [no_change, *_choices(Asset.Consent.choices)]
        fields["event"].set_objects(events, event_label, _("— no change —"))
        albums = list(albums)
        fields["add_to_album"].set_objects(albums, str, _("— no album —"))
        fields["remove_from_album"].set_objects(albums, str, _("— no album —"))
        fields["add_tag"].help_text = _("Separate tags with commas.")
        self.style_widgets()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("assets"):
            raise ValidationError(_("Tick at least one asset in the grid."))
        if not self.changes():
            raise ValidationError(_("Choose what to change."))
        return cleaned

    def changes(self) -> dict:
        """The data for services.assets_bulk_update: only what was chosen."""
        cleaned, data = self.cleaned_data, {}
        for name in ("rights", "consent", "credit"):
            if value := (cleaned.get(name) or "").strip():
                data[name] = value
        for name in ("event", "add_to_album", "remove_from_album"):
            if cleaned.get(name) is not None:
                data[name] = cleaned[name]
        if tags := split_tags(cleaned.get("add_tag", "")):
            data["add_tags"] = tags
        return data


# --- Upload ----------------------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class UploadForm(forms.Form):
    """What the upload applies to every file; the files come from request.FILES.

    ``files`` is rendered here for its label and box, but the view reads the
    files itself, one at a time, after installing the hashing upload handler.
    """

    files = forms.FileField(
        label=_("Files"),
        required=False,
        widget=MultipleFileInput(attrs={"multiple": True}),
        help_text=_(
            "Photos, videos, audio and documents. Choose several at once or drop "
            "them on the box."
        ),
    )
    album = forms.ModelChoiceField(
        queryset=Album.objects.none(),
        label=_("Add to album"),
        required=False,
        empty_label=_("— no album —"),
    )
    event = forms.ModelChoiceField(
        queryset=Event.objects.none(),
        label=_("Event shown"),
        required=False,
        empty_label=_("— no event —"),
    )
    rights = forms.ChoiceField(label=_("Usage rights"))
    credit = forms.CharField(
        label=_("Photographer / credit"), required=False, max_length=200
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["album"].queryset = Album.objects.order_by("-created_at", "-pk")
        self.fields["event"].queryset = Event.objects.order_by("-starts_at", "-pk")
        self.fields["event"].label_from_instance = event_label
        self.fields["rights"].choices = _choices(Asset.Rights.choices)
        self.fields["rights"].initial = Asset.Rights.INTERNAL
        self.helper = _helper(
            Layout(
                "files",
                Div(
                    Div("album", css_class="col-md-6"),
                    Div("event", css_class="col-md-6"),
                    css_class="row",
                ),
                Div(
                    Div("rights", css_class="col-md-6"),
                    Div("credit", css_class="col-md-6"),
                    css_class="row",
                ),
            )
        )

    def asset_data(self) -> dict:
        """The metadata for services.asset_upload (asset_update's keys)."""
        cleaned, data = self.cleaned_data, {"rights": self.cleaned_data["rights"]}
        if cleaned.get("album") is not None:
            data["albums"] = [cleaned["album"]]
        if cleaned.get("event") is not None:
            data["event"] = cleaned["event"]
        if credit := (cleaned.get("credit") or "").strip():
            data["credit"] = credit
        return data


# --- One asset -------------------------------------------------------------------


ASSET_FIELDS = (
    "description",
    "taken_at",
    "place",
    "people_shown",
    "credit",
    "rights",
    "licence_expires",
    "consent",
    "consent_note",
    "event",
    "release",
    "tags",
    "albums",
)


class AssetForm(forms.Form):
    """An asset's metadata: titles and captions in three languages, rights, filing."""

    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    taken_at = LocalDateTimeField(label=_("Taken"), required=False)
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    people_shown = forms.CharField(
        label=_("People shown"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    credit = forms.CharField(
        label=_("Photographer / credit"), required=False, max_length=200
    )
    rights = forms.ChoiceField(label=_("Usage rights"))
    licence_expires = forms.DateField(
        label=_("Licence expires"), required=False, widget=DateBox()
    )
    consent = forms.ChoiceField(label=_("Consent of people shown"))
    consent_note = forms.CharField(
        label=_("Consent note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    event = forms.ModelChoiceField(
        queryset=Event.objects.none(),
        label=_("Event shown"),
        required=False,
        empty_label=_("— no event —"),
    )
    release = forms.ModelChoiceField(
        queryset=None,
        label=_("Press release"),
        required=False,
        empty_label=_("— no press release —"),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        help_text=_("Separate tags with commas; new tags are created."),
    )
    albums = forms.ModelMultipleChoiceField(
        queryset=Album.objects.none(),
        label=_("Albums"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, asset: Asset | None = None, **kwargs):
        if asset is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(asset)
        super().__init__(*args, **kwargs)
        _translated_fields(self, "title", textarea=False, max_length=300)
        _translated_fields(self, "caption", textarea=True)
        fields = self.fields
        fields["rights"].choices = _choices(Asset.Rights.choices)
        fields["consent"].choices = _choices(Asset.Consent.choices)
        fields["consent"].help_text = _(
            "Vulnerable people (children, victims, people in care) are shown only "
            "with their consent or their guardian's."
        )
        fields["event"].queryset = Event.objects.order_by("-starts_at", "-pk")
        fields["event"].label_from_instance = event_label
        # pressreleases sits above the archive on the import ladder: its model
        # is reached through the asset's foreign key, never imported.
        releases = Asset._meta.get_field("release").related_model.objects
        fields["release"].queryset = releases.order_by("-created_at", "-pk")
        fields["albums"].queryset = Album.objects.order_by("-created_at", "-pk")
        self.helper = _helper(
            Layout(
                _language_fieldsets("title", "caption"),
                Fieldset(
                    _("What it shows"),
                    Div(
                        Div("taken_at", css_class="col-md-6"),
                        Div("place", css_class="col-md-6"),
                        css_class="row",
                    ),
                    "people_shown",
                    "description",
                ),
                Fieldset(
                    _("Rights and consent"),
                    Div(
                        Div("credit", css_class="col-md-5"),
                        Div("rights", css_class="col-md-4"),
                        Div("licence_expires", css_class="col-md-3"),
                        css_class="row",
                    ),
                    "consent",
                    "consent_note",
                ),
                Fieldset(
                    _("Filing"),
                    Div(
                        Div("event", css_class="col-md-6"),
                        Div("release", css_class="col-md-6"),
                        css_class="row",
                    ),
                    "tags",
                    "albums",
                ),
            )
        )

    @staticmethod
    def initial_for(asset: Asset) -> dict:
        initial = {
            name: getattr(asset, name)
            for name in ASSET_FIELDS
            if name not in ("event", "release", "tags", "albums", "taken_at")
        }
        for name in ("title", "caption"):
            for code, _name in settings.LANGUAGES:
                initial[f"{name}_{code}"] = getattr(asset, f"{name}_{code}") or ""
        initial["taken_at"] = (
            timezone.localtime(asset.taken_at) if asset.taken_at else None
        )
        initial["event"] = asset.event_id
        initial["release"] = asset.release_id
        if asset.pk:
            initial["tags"] = f"{TAG_SEPARATOR} ".join(t.name for t in asset.tags.all())
            initial["albums"] = [album.pk for album in asset.albums.all()]
        return initial

    def asset_data(self) -> dict:
        """The data for services.asset_update."""
        data = dict(self.cleaned_data)
        for name in ("description", "place", "people_shown", "credit", "consent_note"):
            data[name] = (data.get(name) or "").strip()
        data["tags"] = split_tags(data.get("tags", ""))
        data["albums"] = list(data.get("albums") or [])
        return data


class AttachToEventForm(forms.Form):
    """Add the asset's press copy to an event's files (its press kit)."""

    event = forms.ModelChoiceField(queryset=Event.objects.none(), label=_("Event"))
    title = forms.CharField(
        label=_("Title of the file"), required=False, max_length=200
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "press_kit")
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Event.objects.order_by("-starts_at", "-pk")
        self.fields["event"].label_from_instance = event_label
        self.helper = _helper(Layout("event", "title"))


# --- Albums ----------------------------------------------------------------------


class AlbumFilterForm(GridFormMixin, forms.Form):
    grid = {"q": 6, "event": 4}

    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("Words in any script"), "type": "search"}
        ),
    )
    event = forms.ChoiceField(label=_("Event"), required=False)

    def __init__(self, *args, events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [
            ("", _("Any event")),
            *((str(e.pk), event_label(e)) for e in events),
        ]
        self.style_widgets()

    def criteria(self) -> dict:
        if not self.is_valid():
            return {}
        return {name: str(v) for name, v in self.cleaned_data.items() if v}


class AlbumForm(forms.Form):
    """An album's titles and descriptions, the event it shows and its cover."""

    event = forms.ModelChoiceField(
        queryset=Event.objects.none(),
        label=_("Event shown"),
        required=False,
        empty_label=_("— no event —"),
    )
    cover = forms.ModelChoiceField(
        queryset=Asset.objects.none(),
        label=_("Cover"),
        required=False,
        empty_label=_("— the newest photo —"),
    )

    def __init__(self, *args, album: Album | None = None, **kwargs):
        if album is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(album)
        super().__init__(*args, **kwargs)
        _translated_fields(self, "title", textarea=False, max_length=200)
        _translated_fields(self, "description", textarea=True)
        self.fields["event"].queryset = Event.objects.order_by("-starts_at", "-pk")
        self.fields["event"].label_from_instance = event_label
        layout = [_language_fieldsets("title", "description"), "event"]
        if album is not None and album.pk:
            self.fields["cover"].queryset = album.assets.filter(
                kind__in=(Asset.Kind.PHOTO, Asset.Kind.VIDEO)
            ).order_by(*selectors.GRID_ORDER)
            layout.append("cover")
        else:
            del self.fields["cover"]
        self.helper = _helper(Layout(*layout))

    @staticmethod
    def initial_for(album: Album) -> dict:
        initial = {"event": album.event_id, "cover": album.cover_id}
        for name in ("title", "description"):
            for code, _name in settings.LANGUAGES:
                initial[f"{name}_{code}"] = getattr(album, f"{name}_{code}") or ""
        return initial

    def clean(self):
        cleaned = super().clean()
        if not any(
            (cleaned.get(f"title_{code}") or "").strip()
            for code, _name in settings.LANGUAGES
        ):
            raise ValidationError(_("Give the album a title in at least one language."))
        return cleaned

    def album_data(self) -> dict:
        data = {
            name: (value.strip() if isinstance(value, str) else value)
            for name, value in self.cleaned_data.items()
        }
        return data


class AlbumAssetsForm(forms.Form):
    """The assets ticked on an album's page (to take them out of it)."""

    assets = IdListField(required=False)

    def clean_assets(self):
        ids = self.cleaned_data["assets"]
        if not ids:
            raise ValidationError(_("Tick at least one asset in the grid."))
        return ids


# --- Media appearances -----------------------------------------------------------


class AppearanceFilterForm(GridFormMixin, forms.Form):
    grid = {"q": 4, "medium": 2, "outlet": 2, "date_from": 2, "date_to": 2}

    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("Words in any script"), "type": "search"}
        ),
    )
    medium = forms.ChoiceField(label=_("Medium"), required=False)
    outlet = forms.ChoiceField(label=_("Outlet"), required=False)
    date_from = forms.DateField(label=_("Date from"), required=False, widget=DateBox())
    date_to = forms.DateField(label=_("Date to"), required=False, widget=DateBox())

    def __init__(self, *args, outlets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["medium"].choices = [
            ("", _("Any medium")),
            *_choices(MediaAppearance.Medium.choices),
        ]
        self.fields["outlet"].choices = [
            ("", _("Any outlet")),
            *((str(o.pk), str(o)) for o in outlets),
        ]
        self.style_widgets()

    def criteria(self) -> dict:
        if not self.is_valid():
            return {}
        return {
            name: value.isoformat() if hasattr(value, "isoformat") else str(value)
            for name, value in self.cleaned_data.items()
            if value not in (None, "")
        }


APPEARANCE_FIELDS = (
    "person",
    "speaker_name",
    "outlet",
    "medium",
    "programme",
    "title",
    "aired_at",
    "link",
    "recording",
    "notes",
)


def _asset_label(asset: Asset) -> str:
    return f"#{asset.pk} — {asset}"


class AppearanceForm(forms.Form):
    """The head's appearance on TV, radio or online."""

    title = forms.CharField(label=_("Subject"), max_length=300)
    medium = forms.ChoiceField(label=_("Medium"))
    outlet = forms.ModelChoiceField(
        queryset=None,
        label=_("Outlet"),
        required=False,
        empty_label=_("— no outlet —"),
    )
    programme = forms.CharField(label=_("Programme"), required=False, max_length=200)
    aired_at = LocalDateTimeField(label=_("Aired"))
    person = PeopleAddField(
        label=_("Who appeared"),
        help_text=_("A person in contacts; or type the name below."),
    )
    speaker_name = forms.CharField(
        label=_("Speaker (if not in contacts)"), required=False, max_length=200
    )
    link = forms.URLField(
        label=_("Link"), required=False, max_length=1000, assume_scheme="https"
    )
    recording = _ObjectChoiceField(label=_("Recording in the archive"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args, appearance: MediaAppearance | None = None, recording=None, **kwargs
    ):
        if appearance is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(appearance)
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["medium"].choices = _choices(MediaAppearance.Medium.choices)
        fields["outlet"].queryset = selectors.appearance_outlets()
        current = recording or (appearance.recording if appearance else None)
        fields["recording"].set_objects(
            selectors.recordings(current), _asset_label, _("— no recording —")
        )
        fields["recording"].help_text = _(
            "Upload the recording to the archive first; the latest videos and "
            "audio are listed."
        )
        self.helper = _helper(
            Layout(
                "title",
                Div(
                    Div("medium", css_class="col-md-3"),
                    Div("outlet", css_class="col-md-5"),
                    Div("programme", css_class="col-md-4"),
                    css_class="row",
                ),
                Div(
                    Div("aired_at", css_class="col-md-4"),
                    Div("person", css_class="col-md-4"),
                    Div("speaker_name", css_class="col-md-4"),
                    css_class="row",
                ),
                "link",
                "recording",
                "notes",
            )
        )

    @staticmethod
    def initial_for(appearance: MediaAppearance) -> dict:
        initial = {
            name: getattr(appearance, name)
            for name in APPEARANCE_FIELDS
            if name not in ("person", "outlet", "recording", "aired_at")
        }
        initial["aired_at"] = timezone.localtime(appearance.aired_at)
        initial["outlet"] = appearance.outlet_id
        initial["recording"] = appearance.recording_id
        if appearance.person_id:
            initial["person"] = f"{appearance.person} (#{appearance.person_id})"
        return initial

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("person")
            and not (cleaned.get("speaker_name") or "").strip()
        ):
            self.add_error(
                "speaker_name",
                _("Choose the person from contacts or type the speaker's name."),
            )
        return cleaned

    def appearance_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in APPEARANCE_FIELDS}
        for name in ("speaker_name", "programme", "title", "link", "notes"):
            data[name] = (data[name] or "").strip()
        return data
