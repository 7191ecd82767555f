"""Import and export of contacts: upload, mapping, progress, result, export."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    Http404,
    HttpResponseBadRequest,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, ListView

from contacts import exporting, importing, services
from contacts.forms_io import ImportMappingForm, ImportUploadForm
from contacts.models import ImportJob


class ImportPermissionMixin(PermissionRequiredMixin):
    permission_required = "contacts.import_contacts"

    def get_job(self) -> ImportJob:
        # Someone else's upload answers 404, as if it did not exist.
        return get_object_or_404(
            importing.import_jobs_visible_to(self.request.user), pk=self.kwargs["pk"]
        )


class ImportUploadView(ImportPermissionMixin, FormView):
    """Step 1: upload a file; it is checked at once and its columns are guessed."""

    form_class = ImportUploadForm
    template_name = "contacts/import_upload.html"

    def form_valid(self, form):
        try:
            job = services.import_job_create(
                upload=form.cleaned_data["file"], actor=self.request.user
            )
        except ValidationError as exc:
            form.add_error("file", exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The file has been read. Check the columns and start the import."),
        )
        return redirect(job)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            max_megabytes=f"{importing.max_bytes() / 1024 / 1024:.0f}", **kwargs
        )


class ImportDetailView(ImportPermissionMixin, View):
    """Step 2 (mapping and preview) while the job waits; then progress, then result."""

    template_name = "contacts/import_detail.html"

    def get(self, request, pk):
        job = self.get_job()
        form = ImportMappingForm(job=job) if self._mapping(job) else None
        return self._render(job, form, job.mapping.get("fields", []))

    def post(self, request, pk):
        job = self.get_job()
        if not self._mapping(job):
            return redirect(job)
        form = ImportMappingForm(request.POST, job=job)
        if not form.is_valid():
            return self._render(job, form, form.chosen_fields())
        try:
            job = services.import_job_set_mapping(
                job=job,
                fields=form.chosen_fields(),
                on_match=form.cleaned_data["on_match"],
                actor=request.user,
            )
            if "start" in request.POST:
                job = services.import_job_confirm(job=job, actor=request.user)
                messages.success(request, _("The import has started."))
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return self._render(job, form, form.chosen_fields())
        return redirect(job)

    @staticmethod
    def _mapping(job) -> bool:
        return job.status == ImportJob.Status.MAPPING

    def _render(self, job, form, fields):
        preview, preview_error = [], ""
        if form is not None:
            try:
                with default_storage.open(job.file.name, "rb") as handle:
                    table = importing.open_table(handle, job.file_format, job.mapping)
                    preview = importing.preview(table, fields)
            except ValidationError as exc:
                preview_error = " ".join(exc.messages)
            except OSError:
                preview_error = _("The uploaded file is no longer available.")
        labels = dict(importing.FIELD_CHOICES)
        context = {
            "job": job,
            "form": form,
            "preview": preview,
            "preview_error": preview_error,
            "columns": [
                {"header": header, "field": labels.get(field, "")}
                for header, field in zip(
                    job.mapping.get("headers", []), fields, strict=False
                )
            ],
            "finished": job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED),
            "error_rows": max(
                0,
                job.processed_rows
                - job.created_count
                - job.updated_count
                - job.skipped_count,
            ),
        }
        return render(self.request, self.template_name, context)


@method_decorator(never_cache, name="dispatch")
class ImportProgressView(ImportPermissionMixin, View):
    """The progress bar's data, as JSON (polled by static/contacts/import.js)."""

    def get(self, request, pk):
        job = self.get_job()
        processed = job.processed_rows
        if job.status == ImportJob.Status.RUNNING:
            live = importing.ProgressFile(job).read()
            if live:
                processed = live.get("processed", processed)
        total = job.total_rows
        return JsonResponse(
            {
                "status": job.status,
                "status_label": str(job.get_status_display()),
                "processed": processed,
                "total": total,
                "percent": min(100, round(100 * processed / total)) if total else 0,
                "finished": job.status
                in (ImportJob.Status.DONE, ImportJob.Status.FAILED),
                "created": job.created_count,
                "updated": job.updated_count,
                "skipped": job.skipped_count,
                "errors": len(job.errors),
            }
        )


class ImportReportView(ImportPermissionMixin, View):
    """The row-by-row result of a finished import, as CSV."""

    def get(self, request, pk):
        job = self.get_job()
        name = services.import_report_name(job)
        if job.status != ImportJob.Status.DONE or not default_storage.exists(name):
            raise Http404
        return FileResponse(
            default_storage.open(name, "rb"),
            as_attachment=True,
            filename=f"import-{job.pk}-result.csv",
            content_type="text/csv; charset=utf-8",
        )


class ImportListView(ImportPermissionMixin, ListView):
    """Recent imports: one's own, or everyone's for a manager."""

    template_name = "contacts/import_list.html"
    context_object_name = "jobs"
    paginate_by = 25

    def get_queryset(self):
        return importing.import_jobs_visible_to(self.request.user).order_by(
            "-created_at", "-pk"
        )


class ExportView(PermissionRequiredMixin, View):
    """The people of the current list filter as CSV, XLSX or vCard (audited)."""

    permission_required = "contacts.export_contacts"

    def get(self, request):
        file_format = request.GET.get("format", "csv")
        if file_format not in exporting.CONTENT_TYPES:
            return HttpResponseBadRequest(_("Choose CSV, XLSX or vCard."))
        people = services.people_export(
            params=request.GET, file_format=file_format, actor=request.user
        )
        filename = f"contacts-{timezone.localdate():%Y-%m-%d}.{file_format}"
        content_type = exporting.CONTENT_TYPES[file_format]
        if file_format == "xlsx":
            return FileResponse(
                exporting.xlsx_file(people, title=_("Contacts")),
                as_attachment=True,
                filename=filename,
                content_type=content_type,
            )
        chunks = (
            exporting.csv_chunks(people)
            if file_format == "csv"
            else exporting.vcard_chunks(people)
        )
        response = StreamingHttpResponse(chunks, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response
