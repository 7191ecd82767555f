"""Forms of the contacts staff UI; each carries its crispy layout."""

import os
import zipfile

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from contacts import selectors
from contacts.models import (
    ContactGroup,
    ContactList,
    Interaction,
    Organisation,
    PartnerAgreement,
    Person,
    PersonPhone,
    Region,
    SocialHandle,
)
from contacts.phones import to_e164
from prapp.forms import GridFormMixin

# Agreements are scanned letters and word-processor files; anything larger is
# almost certainly a mistake (a video, an archive of the whole folder).
AGREEMENT_MAX_BYTES = 20 * 1024 * 1024
AGREEMENT_TYPES = {"pdf": ".pdf", "doc": ".doc", "docx": ".docx", "odt": ".odt"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"

PAGE_SIZES = (25, 50, 100)


def _get_helper(*, method="post", tag=True, inline=False) -> FormHelper:
    helper = FormHelper()
    helper.form_method = method
    helper.form_tag = tag
    if inline:
        helper.form_class = "row g-2 align-items-end"
        helper.field_class = "col-auto"
    return helper


def _button(name, label, style="btn-primary") -> Submit:
    """A submit button in one Bootstrap style (crispy would add btn-primary too)."""
    button = Submit(name, label)
    button.field_classes = f"btn {style}"
    return button


class OrganisationField(forms.Field):
    """An organisation picked by typing its name in any script (or by its id).

    A select of every organisation would render ten thousand options on each
    page; a text box with suggestions (static/contacts/contacts.js) does not.
    """

    def __init__(self, *, filter_only=False, **kwargs):
        self.filter_only = filter_only
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "autocomplete": "off",
                    "data-organisation-lookup": reverse_lazy(
                        "contacts:organisation_suggest"
                    ),
                    "placeholder": _("Type a name in any script"),
                }
            ),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Organisation):
            return str(value)
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            found = Organisation.objects.filter(pk=value).first()
            return str(found) if found else value
        return value

    def to_python(self, value):
        text = (value or "").strip() if not isinstance(value, Organisation) else value
        if not text:
            return None
        if isinstance(text, Organisation):
            return text
        if self.filter_only:
            return text
        if text.isdigit():
            found = Organisation.objects.filter(pk=int(text)).first()
            if found is None:
                raise ValidationError(_("This organisation no longer exists."))
            return found
        found = selectors.organisation_by_name(text)
        if found is None:
            raise ValidationError(
                _("No organisation is called “%(name)s”."), params={"name": text}
            )
        if found == "ambiguous":
            raise ValidationError(
                _("Several organisations match “%(name)s”: type more of the name."),
                params={"name": text},
            )
        return found


def _optional(queryset, label):
    return forms.ModelChoiceField(queryset=queryset, label=label, required=False)


# --- People list ---------------------------------------------------------------


class PersonFilterForm(GridFormMixin, forms.Form):
    """The people list's filters; the parameter names are the selector's."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, email, phone…")}
        ),
    )
    kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        required=False,
        choices=[("", "—"), *Organisation.Kind.choices],
    )
    organisation = OrganisationField(
        label=_("Organisation"), required=False, filter_only=True
    )
    group = _optional(ContactGroup.objects.order_by("name", "pk"), _("Thematic group"))
    list = _optional(ContactList.objects.order_by("name", "pk"), _("List"))
    region = _optional(Region.objects.all(), _("Region"))
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", "—"), *Person.Language.choices],
    )
    mailing = forms.ChoiceField(label=_("Mailing status"), required=False)
    stale = forms.BooleanField(label=_("Not verified recently"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("name, A to Z")),
            ("-name", _("name, Z to A")),
            ("-updated", _("recently changed first")),
            ("updated", _("least recently changed first")),
        ],
    )
    size = forms.TypedChoiceField(
        label=_("Rows per page"),
        required=False,
        coerce=int,
        empty_value=50,
        initial=50,
        choices=[(n, n) for n in PAGE_SIZES],
    )

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("size"):
            # A bound form shows what was sent; without a size that would be the
            # first choice (25) while the page holds 50 rows.
            data = data.copy()
            data["size"] = str(self.base_fields["size"].initial)
        super().__init__(data, *args, **kwargs)
        self.fields["mailing"].choices = [("", "—"), *selectors.mailing_choices()]
        self.style_widgets()

    grid = {"q": 4, "kind": 2, "organisation": 3, "group": 3, "list": 2,
            "region": 2, "language": 2, "mailing": 2, "sort": 2, "size": 2,
            "stale": 12}  # fmt: skip

    def criteria(self) -> dict:
        """The chosen filters as a smart list stores them: {name: [values]}."""
        if not self.is_valid():
            return {}
        criteria = {}
        for name in selectors.PERSON_FILTERS:
            value = self.cleaned_data.get(name)
            if value in (None, "", False):
                continue
            if isinstance(value, bool):
                value = "1"
            elif hasattr(value, "pk"):
                value = str(value.pk)
            criteria[name] = [str(value)]
        return criteria

    @property
    def chosen_sort(self) -> str:
        return (self.is_valid() and self.cleaned_data.get("sort")) or "name"

    @property
    def page_size(self) -> int:
        return (self.is_valid() and self.cleaned_data.get("size")) or 50


class BulkActionForm(GridFormMixin, forms.Form):
    """What to do with the selected people (or everybody the filter matches)."""

    class Action:
        GROUP_ADD = "group_add"
        GROUP_REMOVE = "group_remove"
        LIST_ADD = "list_add"
        LIST_REMOVE = "list_remove"
        VERIFY = "verify"

    ACTIONS = (
        (Action.GROUP_ADD, _("Add to thematic group")),
        (Action.GROUP_REMOVE, _("Remove from thematic group")),
        (Action.LIST_ADD, _("Add to list")),
        (Action.LIST_REMOVE, _("Remove from list")),
        (Action.VERIFY, _("Mark as verified")),
    )

    action = forms.ChoiceField(label=_("With the chosen people"), choices=ACTIONS)
    group = _optional(ContactGroup.objects.order_by("name", "pk"), _("Thematic group"))
    contact_list = _optional(
        ContactList.objects.filter(kind=ContactList.Kind.STATIC).order_by("name"),
        _("List"),
    )
    scope = forms.ChoiceField(
        label=_("Apply to"),
        choices=[
            ("selected", _("the selected rows")),
            ("all", _("everybody matching the filter")),
        ],
        initial="selected",
    )
    filter_query = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def clean(self):
        data = super().clean()
        action = data.get("action")
        groups = (self.Action.GROUP_ADD, self.Action.GROUP_REMOVE)
        if action in groups and not data.get("group"):
            self.add_error("group", _("Choose the thematic group."))
        lists = (self.Action.LIST_ADD, self.Action.LIST_REMOVE)
        if action in lists and not data.get("contact_list"):
            self.add_error("contact_list", _("Choose the list."))
        return data


class SaveFilterForm(GridFormMixin, forms.Form):
    """Keep the people list's current filter as a smart list."""

    name = forms.CharField(label=_("Name of the new list"), max_length=200)
    filter_query = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()

    grid = {"name": 12}

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if ContactList.objects.filter(name=name).exists():
            raise ValidationError(_("A list with this name already exists."))
        return name


# --- People -------------------------------------------------------------------


class PersonForm(forms.ModelForm):
    """A person's own details; addresses and numbers come in formsets beside it."""

    organisation = OrganisationField(label=_("Organisation"), required=False)
    role = forms.CharField(label=_("Role there"), max_length=200, required=False)
    confirm_duplicate = forms.BooleanField(
        label=_("This is a different person: create the record anyway"),
        required=False,
    )

    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "first_name_latin",
            "last_name_latin",
            "position",
            "language",
            "region",
            "groups",
            "notes",
            "consent_basis",
            "consent_evidence",
            "consent_at",
            "receives_embargoed",
        ]
        widgets = {
            "groups": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "consent_evidence": forms.Textarea(attrs={"rows": 2}),
            "consent_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }

    def __init__(self, *args, show_confirm=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = ContactGroup.objects.order_by("name", "pk")
        self.fields["consent_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        creating = self.instance.pk is None
        self.helper = _get_helper(tag=False)
        self.helper.disable_csrf = True
        affiliation = (
            Fieldset(
                _("Organisation"),
                Row(
                    Column("organisation", css_class="col-md-6"),
                    Column("role", css_class="col-md-6"),
                ),
            )
            if creating
            else Fieldset(
                _("Add to an organisation"),
                Row(
                    Column("organisation", css_class="col-md-6"),
                    Column("role", css_class="col-md-6"),
                ),
            )
        )
        parts = [
            Fieldset(
                _("Name"),
                Row(
                    Column("first_name", css_class="col-md-6"),
                    Column("last_name", css_class="col-md-6"),
                ),
                Row(
                    Column("first_name_latin", css_class="col-md-6"),
                    Column("last_name_latin", css_class="col-md-6"),
                ),
            ),
            Row(
                Column("position", css_class="col-md-6"),
                Column("language", css_class="col-md-3"),
                Column("region", css_class="col-md-3"),
            ),
            affiliation,
            Fieldset(_("Thematic groups"), "groups"),
            Fieldset(
                _("Consent to mailings"),
                Row(
                    Column("consent_basis", css_class="col-md-6"),
                    Column("consent_at", css_class="col-md-6"),
                ),
                "consent_evidence",
            ),
            "receives_embargoed",
            "notes",
        ]
        if show_confirm:
            parts.insert(0, Field("confirm_duplicate", wrapper_class="alert-warning"))
        else:
            del self.fields["confirm_duplicate"]
        self.helper.layout = Layout(*parts)


class _RowForm(forms.Form):
    """One row of an inline table: its column header is its only visible label."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", field.label)


class EmailForm(_RowForm):
    email = forms.EmailField(label=_("Email"), required=False)
    label = forms.CharField(label=_("Label"), max_length=50, required=False)
    is_primary = forms.BooleanField(label=_("Primary"), required=False)


class PhoneForm(_RowForm):
    number = forms.CharField(label=_("Phone"), max_length=40, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=PersonPhone.Kind.choices, required=False
    )
    is_primary = forms.BooleanField(label=_("Primary"), required=False)

    def clean_number(self):
        raw = self.cleaned_data.get("number", "").strip()
        return to_e164(raw) if raw else ""


class _ItemFormSet(forms.BaseFormSet):
    """Blank or deleted rows are left out; what is left goes to the service."""

    key = ""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = form.fields[
                "DELETE"
            ].label

    def items(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get(self.key)
        ]


class EmailFormSet(_ItemFormSet):
    key = "email"


class PhoneFormSet(_ItemFormSet):
    key = "number"


EmailFormSetFactory = forms.formset_factory(
    EmailForm, formset=EmailFormSet, extra=2, can_delete=True
)
PhoneFormSetFactory = forms.formset_factory(
    PhoneForm, formset=PhoneFormSet, extra=2, can_delete=True
)


def inline_formset_helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.template = "bootstrap5/table_inline_formset.html"
    return helper


class InteractionForm(forms.Form):
    """A manual entry of the history: a call, a meeting or a note."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(k.value, k.label) for k in Interaction.MANUAL_KINDS],
    )
    happened_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Leave empty for now."),
    )
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _get_helper()
        self.helper.layout = Layout(
            Row(
                Column("kind", css_class="col-md-4"),
                Column("happened_at", css_class="col-md-8"),
            ),
            "summary",
        )
        self.helper.add_input(Submit("record", _("Add to the history")))


class DoNotContactForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _get_helper(inline=True)
        self.helper.add_input(
            _button("set", _("Mark as do-not-contact"), "btn-warning")
        )


class OptOutForm(forms.Form):
    source = forms.CharField(
        label=_("How did the person ask?"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. by phone, 12 May")}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _get_helper(inline=True)
        self.helper.add_input(
            _button("opt_out", _("Record opt-out"), "btn-outline-dark")
        )


class OptInForm(forms.Form):
    evidence = forms.CharField(label=_("Evidence of consent"), max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _get_helper(inline=True)
        self.helper.add_input(
            _button("opt_in", _("Record renewed consent"), "btn-outline-success")
        )


class SocialHandleForm(forms.Form):
    network = forms.ChoiceField(
        label=_("Network"), choices=SocialHandle.Network.choices
    )
    handle = forms.CharField(label=_("Account"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _get_helper(inline=True)
        self.helper.add_input(_button("add", _("Add account"), "btn-outline-secondary"))


class MergeForm(forms.Form):
    """Which record stays; the others are folded into it and deleted."""

    keep = forms.TypedChoiceField(
        label=_("Keep this record"), coerce=int, widget=forms.RadioSelect
    )
    ids = forms.CharField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_(
            "I understand that the other records are deleted and their addresses, "
            "lists and history move to the kept one."
        )
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [(p.pk, f"{p} (#{p.pk})") for p in people]
        self.helper = _get_helper()
        self.helper.add_input(_button("merge", _("Merge"), "btn-danger"))


# --- Organisations ------------------------------------------------------------


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", "—"), *Organisation.Kind.choices]
    )
    media_type = forms.ChoiceField(
        label=_("Media type"),
        required=False,
        choices=[("", "—"), *Organisation.MediaType.choices],
    )
    region = _optional(Region.objects.all(), _("Region"))
    group = _optional(ContactGroup.objects.order_by("name", "pk"), _("Thematic group"))
    stale = forms.BooleanField(label=_("Not verified recently"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _get_helper(method="get")
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                Column("q", css_class="col-md-3"),
                Column("kind", css_class="col-md-2"),
                Column("media_type", css_class="col-md-2"),
                Column("region", css_class="col-md-2"),
                Column("group", css_class="col-md-3"),
            ),
            Field("stale"),
        )
        self.helper.add_input(_button("", _("Filter"), "btn-secondary"))


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(
        label=Organisation._meta.get_field("website").verbose_name,
        required=False,
        assume_scheme="https",
    )
    groups = forms.ModelMultipleChoiceField(
        label=_("Thematic groups"),
        queryset=ContactGroup.objects.order_by("name", "pk"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    parent = OrganisationField(label=_("Parent organisation"), required=False)

    class Meta:
        model = Organisation
        fields = [
            "name_ka",
            "name_hy",
            "name_en",
            "name_latin",
            "kind",
            "media_type",
            "region",
            "parent",
            "website",
            "email",
            "phone",
            "notes",
        ]
        labels = {
            "name_ka": _("Name in Georgian"),
            "name_hy": _("Name in Armenian"),
            "name_en": _("Name in English"),
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["groups"].initial = list(self.instance.groups.all())
        self.fields["media_type"].help_text = _("Only for media outlets.")
        self.helper = _get_helper()
        self.helper.layout = Layout(
            Fieldset(
                _("Name"),
                Row(
                    Column("name_ka", css_class="col-md-4"),
                    Column("name_hy", css_class="col-md-4"),
                    Column("name_en", css_class="col-md-4"),
                ),
                "name_latin",
            ),
            Row(
                Column("kind", css_class="col-md-4"),
                Column("media_type", css_class="col-md-4"),
                Column("region", css_class="col-md-4"),
            ),
            "parent",
            Row(
                Column("website", css_class="col-md-4"),
                Column("email", css_class="col-md-4"),
                Column("phone", css_class="col-md-4"),
            ),
            Fieldset(_("Thematic groups"), "groups"),
            "notes",
        )
        self.helper.add_input(Submit("save", _("Save")))

    def clean_phone(self):
        raw = self.cleaned_data.get("phone", "").strip()
        return to_e164(raw) if raw else ""

    def clean(self):
        data = super().clean()
        if not any(data.get(f"name_{code}") for code in ("ka", "hy", "en")):
            self.add_error(
                "name_ka", _("Give the organisation's name in one language.")
            )
        kind, media_type = data.get("kind"), data.get("media_type")
        if media_type and kind and kind != Organisation.Kind.MEDIA:
            self.add_error(
                "media_type",
                _("A media type can only be given for a media outlet."),
            )
        return data


# --- Agreements ---------------------------------------------------------------


def sniff_document(upload) -> str | None:
    """The document type read from the file's first bytes, or None if not allowed."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(_OLE_MAGIC):
        return "doc"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
                if "word/document.xml" in names:
                    return "docx"
                if (
                    "mimetype" in names
                    and archive.read("mimetype").strip() == _ODT_MIMETYPE
                ):
                    return "odt"
        except (zipfile.BadZipFile, KeyError, OSError):
            return None
        finally:
            upload.seek(0)
    return None


class AgreementForm(forms.ModelForm):
    class Meta:
        model = PartnerAgreement
        fields = ["title", "signed_on", "expires_on", "document", "notes"]
        widgets = {
            "signed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "expires_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("signed_on", "expires_on"):
            self.fields[name].input_formats = ["%Y-%m-%d"]
        self.fields["document"].help_text = _(
            "PDF, DOC, DOCX or ODT, at most %(size)s."
        ) % {"size": filesizeformat(AGREEMENT_MAX_BYTES)}
        self.fields["document"].widget.attrs["accept"] = ",".join(
            AGREEMENT_TYPES.values()
        )
        self.helper = _get_helper()
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.layout = Layout(
            "title",
            Row(
                Column("signed_on", css_class="col-md-6"),
                Column("expires_on", css_class="col-md-6"),
            ),
            "document",
            "notes",
        )
        self.helper.add_input(Submit("save", _("Save")))

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if not isinstance(document, UploadedFile):
            return document
        if document.size > AGREEMENT_MAX_BYTES:
            raise ValidationError(
                _("The file is too large: at most %(size)s."),
                params={"size": filesizeformat(AGREEMENT_MAX_BYTES)},
            )
        kind = sniff_document(document)
        extension = os.path.splitext(document.name)[1].lower()
        if kind is None or AGREEMENT_TYPES[kind] != extension:
            raise ValidationError(
                _("Upload a PDF, DOC, DOCX or ODT document."), code="file_type"
            )
        return document

    def clean(self):
        data = super().clean()
        signed, expires = data.get("signed_on"), data.get("expires_on")
        if signed and expires and expires < signed:
            self.add_error(
                "expires_on", _("The agreement cannot expire before it is signed.")
            )
        return data


# --- Groups and lists ---------------------------------------------------------


class GroupForm(forms.ModelForm):
    class Meta:
        model = ContactGroup
        fields = [
            "name_ka",
            "name_hy",
            "name_en",
            "description_ka",
            "description_hy",
            "description_en",
        ]
        labels = {
            "name_ka": _("Name in Georgian"),
            "name_hy": _("Name in Armenian"),
            "name_en": _("Name in English"),
            "description_ka": _("Description in Georgian"),
            "description_hy": _("Description in Armenian"),
            "description_en": _("Description in English"),
        }
        widgets = {
            f"description_{code}": forms.Textarea(attrs={"rows": 2})
            for code in ("ka", "hy", "en")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _get_helper()
        self.helper.layout = Layout(
            Row(
                Column("name_ka", "description_ka", css_class="col-md-4"),
                Column("name_hy", "description_hy", css_class="col-md-4"),
                Column("name_en", "description_en", css_class="col-md-4"),
            )
        )
        self.helper.add_input(Submit("save", _("Save")))

    def clean(self):
        data = super().clean()
        if not any(data.get(f"name_{code}") for code in ("ka", "hy", "en")):
            self.add_error("name_ka", _("Give the group's name in one language."))
        return data


class ContactListForm(forms.ModelForm):
    class Meta:
        model = ContactList
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _get_helper()
        self.helper.add_input(Submit("save", _("Save")))
