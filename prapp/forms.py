from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from prapp.models import User

# django-prose-editor offers what prapp.html keeps; anything else would vanish
# on save. Release bodies and minutes use the same editor.
RICH_TEXT_EDITOR = {
    "types": [
        "Bold",
        "Italic",
        "Underline",
        "Strike",
        "Subscript",
        "Superscript",
        "Heading",
        "BulletList",
        "OrderedList",
        "Blockquote",
        "HorizontalRule",
        "Link",
        "Table",
    ],
    "headingLevels": [2, 3, 4],
    "history": True,
    "html": False,
    "typographic": True,
}


class ProfileForm(forms.ModelForm):
    """The fields a member of staff may change about themselves."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action"), required=False)
    target = forms.CharField(label=_("Record"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "row g-2 align-items-end"
        self.helper.field_class = "col"
        self.helper.add_input(Submit("", _("Filter"), css_class="btn-secondary"))


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class GridFormMixin:
    """Bootstrap classes on the widgets and a grid of columns, without crispy.

    For the filter bars of busy list pages: crispy renders each field through
    several templates, which costs more than the rest of a 50-row list page.
    ``grid`` maps field names to column widths (of 12); the others take 3.
    """

    grid: dict[str, int] = {}

    def style_widgets(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def grid_fields(self):
        """(bound field, column class) for each visible field, in order."""
        return [
            (bound, f"col-md-{self.grid.get(bound.name, 3)}")
            for bound in self.visible_fields()
        ]


class IdListField(forms.Field):
    """The primary keys of the rows ticked in a list (many inputs, one name).

    Apps name what was ticked in their own ``default_error_messages["invalid"]``.
    """

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": _("Choose from the list.")}

    def to_python(self, value):
        if not value:
            return []
        if not isinstance(value, (list, tuple)):
            value = [value]
        ids = []
        for raw in value:
            if not str(raw).isdigit():
                raise forms.ValidationError(
                    self.error_messages["invalid"], code="invalid"
                )
            ids.append(int(raw))
        return ids
