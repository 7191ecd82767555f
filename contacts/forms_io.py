"""Forms of contacts import and export: the upload and the column mapping."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from contacts import importing
from contacts.models import ImportJob


class ImportUploadForm(forms.Form):
    """Choose a file; the service checks its content, not its name."""

    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (also Gmail's and Outlook's exports), Excel XLSX or vCard (.vcf)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,.vcf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = True
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.add_input(Submit("upload", _("Upload and check")))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = importing.max_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB.")
                % {"limit": f"{limit / 1024 / 1024:.0f}"}
            )
        return upload


class ImportMappingForm(forms.Form):
    """One choice per column of the file, and what to do with known people."""

    on_match = forms.ChoiceField(
        label=_("When a person is already in the database (same email or phone)"),
        choices=ImportJob.OnMatch.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, job: ImportJob, **kwargs):
        super().__init__(*args, **kwargs)
        self.job = job
        headers = job.mapping.get("headers", [])
        fields = job.mapping.get("fields", [])
        self.column_names = []
        for index, header in enumerate(headers):
            name = f"column_{index}"
            self.fields[name] = forms.ChoiceField(
                label=header or _("Column %(number)s") % {"number": index + 1},
                choices=importing.FIELD_CHOICES,
                required=False,
                initial=fields[index] if index < len(fields) else "",
            )
            self.column_names.append(name)
        self.fields["on_match"].initial = job.on_match
        self.helper = FormHelper()
        self.helper.form_tag = True
        self.helper.form_class = "import-mapping"
        self.helper.add_input(
            Submit(
                "preview", _("Check again with this mapping"), css_class="btn-secondary"
            )
        )
        self.helper.add_input(Submit("start", _("Start the import")))

    def chosen_fields(self) -> list[str]:
        return [self.cleaned_data.get(name, "") for name in self.column_names]

    def clean(self):
        cleaned = super().clean()
        for problem in importing.mapping_errors(self.chosen_fields()):
            self.add_error(None, problem)
        return cleaned
